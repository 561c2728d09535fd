import { createRoute, z } from "@hono/zod-openapi";
import { setCookie } from "hono/cookie";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json, PUBLIC } from "../../http/openapi";
import { MEDIA_COOKIE, mediaCookiePath } from "../../middleware/auth";
import { checkCredentials, issueToken } from "../../services/login";

/** The media cookie lives as long as a browser session would (the token itself does not expire). */
const MEDIA_COOKIE_SECONDS = 14 * 86_400;

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
    "Returns the user's existing token, or a new one, and sets the HttpOnly `sb_media` cookie (path: the API's `/api/v1/media`, accepted only for GET of a media file) so browsers can show media. Wrong credentials: 400. Five failures for one username within 15 minutes lock it for 15 minutes (429 with `Retry-After`).",
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
    const token = await issueToken(c.get("db"), c.env, user);
    setCookie(c, MEDIA_COOKIE, token, {
      path: mediaCookiePath(c.get("baseUrl")),
      httpOnly: true,
      sameSite: "Lax",
      secure: c.req.url.startsWith("https:"),
      maxAge: MEDIA_COOKIE_SECONDS,
    });
    return c.json({ token }, 200);
  });
