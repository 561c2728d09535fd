import { createRoute, z } from "@hono/zod-openapi";
import { bodyDoc } from "../../http/body";
import { type App, ErrorSchema, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { profileStore } from "./load";
import { readPhoto } from "./photo";
import { PhotoBodyDoc, SETTINGS_TAG } from "./schemas";

const route = createRoute({
  method: "post",
  path: "/settings/profile/photo/",
  tags: [SETTINGS_TAG],
  summary: "Set the profile photo",
  description:
    "Admins only. `file_encoded` in any encoding `POST /media/` takes (base64 or a data URL in JSON or a form, a multipart file), or the image itself as the body with its Content-Type; a JPEG or PNG image (the bytes decide), within the request body limit. Cloud API inboxes need `app_id` in their config (Meta's Resumable Upload API); 360dialog takes the upload itself.",
  request: { body: bodyDoc(PhotoBodyDoc) },
  responses: {
    200: json(z.object({}), "The photo is set."),
    ...errorResponses,
    413: json(ErrorSchema, "The image is larger than WhatsApp's 5 MB, or than the request body limit."),
    502: json(ErrorSchema, "The WhatsApp provider refused the image or did not answer."),
  },
});

export const registerCreatePhoto = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const photo = await readPhoto(c);
    await (await profileStore(c)).setPhoto(photo);
    return c.json({}, 200);
  });
