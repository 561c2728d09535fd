import { createRoute } from "@hono/zod-openapi";
import { type App, ErrorSchema, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { profileStore } from "./load";
import { BusinessProfileSchema, SETTINGS_TAG } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/settings/business/profile/",
  tags: [SETTINGS_TAG],
  summary: "Retrieve the business profile",
  description:
    'Any user. Read from the WhatsApp provider each time (sandbox inboxes: as stored, empty strings until set). `vertical` is one of the seed\'s names, or "" when none is set.',
  responses: {
    200: json(BusinessProfileSchema, "The business profile."),
    ...errorResponses,
    502: json(ErrorSchema, "The WhatsApp provider failed or did not answer; `detail` has its message, `waba_response` its answer."),
  },
});

export const registerRetrieveBusinessProfile = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    return c.json(await (await profileStore(c)).profile(), 200);
  });
