import { createRoute, z } from "@hono/zod-openapi";
import { numbersOf } from "../../db/queries/inboxes";
import { type App, createApp, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { QueryBool } from "../../services/chat-scope";

const AccountSchema = z.object({ phone_number: z.string().nullable(), this_instance: z.boolean() }).openapi("WhatsappAccount");

const route = createRoute({
  method: "get",
  path: "/whatsapp_accounts/",
  tags: ["Inboxes"],
  summary: "List the workspace's WhatsApp numbers",
  description:
    "The vendor web-inbox client's call: the addressed inbox with `this_instance: true`, and (without `this_instance=true`) the workspace's other inboxes with `false`. A plain list, not a page.",
  request: { query: z.object({ this_instance: QueryBool.optional() }) },
  responses: { 200: json(z.array(AccountSchema), "The numbers."), ...errorResponses },
});

/** `/whatsapp_accounts/`. */
export const whatsappAccounts = createApp();
const register = (app: App) =>
  app.openapi(route, async (c) => {
    requireUser(c);
    const inbox = c.get("inbox");
    const here = { phone_number: inbox.phoneNumber, this_instance: true };
    if (c.req.valid("query").this_instance) return c.json([here], 200);
    const others = await numbersOf(c.get("db"), inbox.workspaceId);
    return c.json(
      [here, ...others.filter((o) => o.id !== inbox.id).map((o) => ({ phone_number: o.phoneNumber, this_instance: false }))],
      200,
    );
  });
register(whatsappAccounts);
