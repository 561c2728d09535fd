import { createRoute, z } from "@hono/zod-openapi";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json, PUBLIC } from "../../http/openapi";
import { checkCredentials, issueToken } from "../../services/login";

export const Credentials = z.object({
  username: z.string().min(1).max(150),
  password: z.string().min(1).max(4096),
});

export const TokenSchema = z.object({ token: z.string().regex(/^[0-9a-f]{40}$/) }).openapi("Token");

const route = createRoute({
  method: "post",
  path: "/auth/token/",
  tags: ["Authorization"],
  summary: "Obtain a token",
  ...PUBLIC,
  description:
    "Returns the user's existing token, or a new one. Wrong credentials: 400. Five failures for one username within 15 minutes lock it for 15 minutes (429 with `Retry-After`).",
  request: { body: bodyDoc(Credentials) },
  responses: {
    200: json(TokenSchema, "The token."),
    400: errorResponses[400],
    429: json(z.object({ detail: z.string() }), "Too many failed attempts."),
  },
});

export const registerObtainToken = (app: App) =>
  app.openapi(route, async (c) => {
    const { username, password } = await readBody(c, Credentials);
    const user = await checkCredentials(c.get("db"), c.get("inbox").workspaceId, username, password);
    return c.json({ token: await issueToken(c.get("db"), c.env, user) }, 200);
  });
