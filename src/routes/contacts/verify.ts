import { createRoute } from "@hono/zod-openapi";
import { bodyDoc, readBody } from "../../http/body";
import { type App, errorResponses, json } from "../../http/openapi";
import { requireUser } from "../../middleware/auth";
import { verifyContacts } from "../../services/number-checks";
import { MAX_CHECKS, VerifyAnswerSchema, VerifyBody } from "./schemas";

// The seed documents the check as `POST /contacts/` (WhatsApp's `/v1/contacts`); `/contacts/verify/` says what it does.
const describe = (path: string) =>
  createRoute({
    method: "post",
    path,
    tags: ["Contacts"],
    summary: "Verify contacts",
    description: `Whether numbers are on WhatsApp, at most ${MAX_CHECKS} a call. On-premises inboxes ask WhatsApp (\`POST /v1/contacts\`). The Cloud API has no such check, so cloud, 360dialog and sandbox inboxes answer from number parsing: \`valid\` means a well-formed international number (its digits are the \`wa_id\`), not a registration check. Answers are kept 7 days per inbox and input unless \`force_check\`.`,
    request: { body: bodyDoc(VerifyBody) },
    responses: { 200: json(VerifyAnswerSchema, "One answer per input, in order."), ...errorResponses },
  });

export const registerVerifyContacts = (app: App) => {
  for (const path of ["/contacts/verify/", "/contacts/"]) {
    app.openapi(describe(path), async (c) => {
      requireUser(c);
      const body = await readBody(c, VerifyBody);
      const options = { blocking: body.blocking, forceCheck: body.force_check };
      const contacts = await verifyContacts(c.env, c.get("db"), c.get("inbox"), body.contacts, options);
      return c.json({ contacts }, 200);
    });
  }
};
