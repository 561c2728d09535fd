// `npm run inject -- <wa_id> "<text>" [name]`: a customer message into the local sandbox
// inbox, posted as a signed Cloud API webhook, exactly as Meta would deliver it.
import { createHmac } from "node:crypto";
import { setting } from "./settings.mjs";

const base = `http://127.0.0.1:${setting("PORT", "8787")}`;
const [waId = "15550100002", text = "Hello from the sandbox!", name = "Sandbox Customer"] = process.argv.slice(2);

const auth = { authorization: `Bearer ${setting("PLATFORM_API_KEY", "dev-platform-key")}` };
const workspaces = await fetch(`${base}/platform/v1/workspaces?limit=1`, { headers: auth }).then((r) => r.json());
const workspace = workspaces.results?.[0];
if (!workspace) throw new Error("No workspace: run `npm start` first.");
const inboxes = await fetch(`${base}/platform/v1/workspaces/${workspace.id}/inboxes?limit=1`, { headers: auth }).then((r) => r.json());
const inbox = inboxes.results?.[0];

const body = JSON.stringify({
  object: "whatsapp_business_account",
  entry: [
    {
      id: "sandbox",
      changes: [
        {
          field: "messages",
          value: {
            messaging_product: "whatsapp",
            contacts: [{ profile: { name }, wa_id: waId }],
            messages: [
              {
                from: waId,
                id: `wamid.sandbox.in.${Date.now()}`,
                timestamp: String(Math.floor(Date.now() / 1000)),
                type: "text",
                text: { body: text },
              },
            ],
          },
        },
      ],
    },
  ],
});
const secret = setting("SANDBOX_APP_SECRET", "sandbox-app-secret");
const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
const res = await fetch(`${base}/webhooks/whatsapp/${inbox.id}`, {
  method: "POST",
  headers: { "content-type": "application/json", "x-hub-signature-256": signature },
  body,
});
console.log(res.status, await res.text());
