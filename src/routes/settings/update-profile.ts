import { createRoute } from "@hono/zod-openapi";
import { bodyDoc, readBody } from "../../http/body";
import { type App, ErrorSchema, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { profileStore } from "./load";
import { BusinessProfileBody, BusinessProfileSchema, PatchBusinessProfileBody, SETTINGS_TAG } from "./schemas";

const describe = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/settings/business/profile/",
    tags: [SETTINGS_TAG],
    summary: method === "put" ? "Replace the business profile" : "Change the business profile",
    description: `Admins only. ${
      method === "put"
        ? "`address`, `description`, `email` and `vertical` are required; `websites` left out is kept."
        : "Only the fields sent change."
    } WhatsApp's limits: address up to 256 characters, description 512, email 128 (a valid address), at most 2 websites (http or https URLs of up to 256 characters), vertical one of the listed names. The change goes to the WhatsApp provider first; the answer is the profile afterwards.`,
    request: { body: bodyDoc(method === "put" ? BusinessProfileBody : PatchBusinessProfileBody) },
    responses: {
      200: json(BusinessProfileSchema, "The business profile after the change."),
      ...errorResponses,
      502: json(ErrorSchema, "The WhatsApp provider refused the change or did not answer; nothing was changed here."),
    },
  });

export const registerUpdateBusinessProfile = (app: App) => {
  for (const method of ["put", "patch"] as const) {
    app.openapi(describe(method), async (c) => {
      requireAdmin(requireUser(c));
      const body = await readBody(c, method === "put" ? BusinessProfileBody : PatchBusinessProfileBody);
      return c.json(await (await profileStore(c)).updateProfile(body), 200);
    });
  }
};
