import { createRoute } from "@hono/zod-openapi";
import { type App, ErrorSchema, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { profileStore } from "./load";
import { SETTINGS_TAG } from "./schemas";

const route = createRoute({
  method: "delete",
  path: "/settings/profile/photo/",
  tags: [SETTINGS_TAG],
  summary: "Remove the profile photo",
  description:
    "Admins only. On-premises and sandbox inboxes. The Cloud API (and 360dialog, which serves it) has no way to remove a photo, only to replace it: those inboxes get a 501 saying so.",
  responses: {
    204: { description: "Removed." },
    ...errorResponses,
    501: json(ErrorSchema, "The inbox's provider cannot remove a profile photo."),
    502: json(ErrorSchema, "The WhatsApp provider refused or did not answer."),
  },
});

export const registerDestroyPhoto = (app: App) =>
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    await (await profileStore(c)).deletePhoto();
    return c.body(null, 204);
  });
