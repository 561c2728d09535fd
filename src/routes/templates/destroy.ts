import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../../errors";
import { type App, errorResponses } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { requireAdmin } from "../../services/permissions";
import { deleteTemplate, templateSource } from "../../services/templates";

const route = createRoute({
  method: "delete",
  path: "/templates/{name}/",
  tags: ["Templates"],
  summary: "Delete a message template",
  description: "Admins. Deletes the name in every language, as WhatsApp does. 501 where the provider has no template API.",
  request: { params: z.object({ name: z.string().min(1).max(512) }) },
  responses: { 204: { description: "Deleted." }, ...errorResponses },
});

export const registerDestroyTemplate = (app: App) => {
  app.openapi(route, async (c) => {
    requireAdmin(requireUser(c));
    const inbox = c.get("inbox");
    await deleteTemplate(c.get("db"), inbox, await templateSource(c.env, inbox), c.req.valid("param").name);
    return c.body(null, 204);
  });
  // The seed: "Editing templates is not supported". Said here rather than by the generic 405.
  app.on(["PUT", "PATCH"], "/templates/:name/", (c) => {
    requireUser(c);
    throw new ApiError(
      405,
      { detail: "Editing templates is not supported: delete the template and create it again." },
      { Allow: "DELETE" },
    );
  });
};
