import { createRoute, z } from "@hono/zod-openapi";
import { notFound } from "../../errors";
import { type App, ErrorSchema, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { profileStore } from "./load";
import { SETTINGS_TAG } from "./schemas";

const image = { schema: z.string().openapi({ format: "binary" }) };

const route = createRoute({
  method: "get",
  path: "/settings/profile/photo/",
  tags: [SETTINGS_TAG],
  summary: "Retrieve the profile photo",
  description:
    "Any user. The image with its Content-Type (from the WhatsApp provider, or as stored for sandbox inboxes); 404 when none is set.",
  responses: {
    200: { description: "The image.", content: { "image/jpeg": image, "image/png": image } },
    ...errorResponses,
    502: json(ErrorSchema, "The WhatsApp provider failed or did not answer."),
  },
});

export const registerRetrievePhoto = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    const photo = await (await profileStore(c)).photo();
    if (!photo) throw notFound();
    return c.body(photo.body, 200, {
      "Content-Type": photo.mimeType,
      "Content-Length": String(photo.size),
      "Cache-Control": "private",
      // Served from the API's origin, where the session cookie lives: never let an upstream's type run as a page.
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
    });
  });
