import { createRoute } from "@hono/zod-openapi";
import { bodyDoc, readBody } from "../../http/body";
import { type App, ErrorSchema, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { profileStore } from "./load";
import { AboutBody, AboutSchema, SETTINGS_TAG } from "./schemas";

const describe = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/settings/profile/about/",
    tags: [SETTINGS_TAG],
    summary: method === "put" ? "Replace the profile's about text" : "Change the profile's about text",
    description: "Admins only. `text`: 1 to 139 characters (WhatsApp's limit).",
    request: { body: bodyDoc(AboutBody) },
    responses: {
      200: json(AboutSchema, "The about text now set."),
      ...errorResponses,
      502: json(ErrorSchema, "The WhatsApp provider refused the text or did not answer."),
    },
  });

export const registerUpdateAbout = (app: App) => {
  for (const method of ["put", "patch"] as const) {
    app.openapi(describe(method), async (c) => {
      requireAdmin(requireUser(c));
      const { text } = await readBody(c, AboutBody);
      await (await profileStore(c)).setAbout(text);
      return c.json({ text }, 200);
    });
  }
};
