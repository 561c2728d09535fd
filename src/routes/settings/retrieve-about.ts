import { createRoute } from "@hono/zod-openapi";
import { type App, ErrorSchema, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { profileStore } from "./load";
import { AboutSchema, SETTINGS_TAG } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/settings/profile/about/",
  tags: [SETTINGS_TAG],
  summary: "Retrieve the profile's about text",
  description: 'Any user. The text under the number\'s name in WhatsApp; "" when none is set.',
  responses: {
    200: json(AboutSchema, "The about text."),
    ...errorResponses,
    502: json(ErrorSchema, "The WhatsApp provider failed or did not answer."),
  },
});

export const registerRetrieveAbout = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    return c.json({ text: await (await profileStore(c)).about() }, 200);
  });
