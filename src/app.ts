import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { appendTrailingSlash } from "hono/trailing-slash";
import { config } from "./config";
import type { AppEnv } from "./context";
import { ApiError, notFound, renderError } from "./errors";
import { registerRoutes, routesFor } from "./http/routes";
import { MEDIA_FILE } from "./middleware/auth";
import { BOOKMARK_HEADER, d1Session } from "./middleware/d1-session";
import { api } from "./routes/api";
import { contactWebhook } from "./routes/contact-webhook";
import { MEDIA_MAX_BODY_BYTES } from "./routes/media/file";
import { platform } from "./routes/platform";
import { whatsappWebhooks } from "./routes/provider-webhooks/whatsapp";
import { publicApi } from "./routes/public-api";
import { rapidpro } from "./routes/rapidpro";
import { realtime } from "./routes/realtime";
import { site } from "./routes/site/login";

/**
 * Middleware order: request id, the request's D1 session (read replicas, bookmarks), body size cap, then the
 * routes. The seed's API is mounted bare and under `/inboxes/{inboxId}`.
 */
export const app = new Hono<AppEnv>();

app.use(requestId());
app.use(d1Session());
// Media uploads carry files up to WhatsApp's 100 MB (base64: 4/3 of that); the route enforces the per-type limits.
const MEDIA_UPLOAD = /^(\/inboxes\/[^/]+)?\/api\/v1\/media\/?$/;
// WhatsApp takes profile photos up to 5 MB; base64 makes that 6.7 MB.
const PROFILE_PHOTO = /^(\/inboxes\/[^/]+)?\/api\/v1\/settings\/profile\/photo\/?$/;
const PHOTO_MAX_BODY_BYTES = 7 * 1024 * 1024;
// Meta documents webhook payloads of up to 3 MB: refusing one would lose its messages.
const WEBHOOK_MAX_BODY_BYTES = 4 * 1024 * 1024;
app.use((c, next) => {
  const maxSize =
    c.req.method !== "POST"
      ? config(c.env).MAX_BODY_BYTES
      : MEDIA_UPLOAD.test(c.req.path)
        ? MEDIA_MAX_BODY_BYTES
        : PROFILE_PHOTO.test(c.req.path)
          ? PHOTO_MAX_BODY_BYTES
          : c.req.path.startsWith("/webhooks/")
            ? WEBHOOK_MAX_BODY_BYTES
            : config(c.env).MAX_BODY_BYTES;
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, { detail: `Request body is too large (limit ${maxSize} bytes).` });
    },
  })(c, next);
});

// Django's APPEND_SLASH: a GET without the trailing slash is redirected to the seed's path,
// except what the vendor's web-inbox client asks for without the slash (answered directly,
// also their 404s): media files, which browsers load as sources, and contact lookups.
// RapidPro v2's `.json` paths have no slash form at all (HTTP clients turn a redirected POST into a GET).
const CONTACT_LOOKUP = /^(\/inboxes\/[^/]+)?\/api\/v1\/contacts\/[^/]+$/;
const RAPIDPRO = /^(\/inboxes\/[^/]+)?\/api\/v2\//;
const appendSlash = appendTrailingSlash();
const unlessMedia: MiddlewareHandler<AppEnv> = (c, next) =>
  MEDIA_FILE.test(c.req.path) || CONTACT_LOOKUP.test(c.req.path) || RAPIDPRO.test(c.req.path) ? next() : appendSlash(c, next);
app.use("/api/*", unlessMedia);
app.use("/inboxes/*", unlessMedia);

app.route("/", realtime);
app.route("/platform/v1", platform);
app.route("/", whatsappWebhooks);
app.route("/", contactWebhook);
app.route("/api/v1/", api);
app.route("/inboxes/:inboxId/api/v1/", api);
app.route("/api/v2", rapidpro);
app.route("/inboxes/:inboxId/api/v2", rapidpro);
app.route("/api/public", publicApi);
app.route("/", site);
app.route("/inboxes/:inboxId", site);
// The web inbox under an inbox's own address is the same app (it reads its base from the path).
const appShell: MiddlewareHandler<AppEnv> = (c) => c.env.ASSETS.fetch(new Request(new URL("/", c.req.url), c.req.raw));
app.on(
  "GET",
  [
    "/inboxes/:inboxId/",
    "/inboxes/:inboxId/main/*",
    "/inboxes/:inboxId/admin",
    "/inboxes/:inboxId/admin/*",
    "/inboxes/:inboxId/account",
    "/inboxes/:inboxId/account/*",
  ],
  appShell,
);

/** One OpenAPI 3.1 document from the same zod schemas that validate requests. */
const docs = new OpenAPIHono<AppEnv>();
docs.route("/api/v1/", api);
docs.route("/platform/v1", platform);
docs.route("/api/public", publicApi);
docs.route("/api/v2", rapidpro);
docs.route("/", site);
docs.route("/", whatsappWebhooks);
docs.route("/", contactWebhook);
const schemes = {
  Token: { type: "apiKey", in: "header", name: "Authorization", description: "`Token <40 hex>` from `POST /api/v1/auth/token/`." },
  Session: { type: "apiKey", in: "cookie", name: "sessionid", description: "From `POST /login/`; unsafe methods also need `X-CSRFToken`." },
  D360ApiKey: { type: "apiKey", in: "header", name: "D360-Api-Key", description: "360dialog inboxes: the inbox's own key." },
  PlatformKey: { type: "http", scheme: "bearer", description: "`PLATFORM_API_KEY`." },
  ApiKey: { type: "apiKey", in: "header", name: "x-api-key", description: "A workspace API key (`sbk_…`, `POST /api/v1/api_keys/`)." },
} as const;
for (const [name, scheme] of Object.entries(schemes)) docs.openAPIRegistry.registerComponent("securitySchemes", name, scheme);
const API_SECURITY = [{ Token: [] }, { Session: [] }, { D360ApiKey: [] }];
const BOOKMARK_DOC =
  "D1 read replication: the database state this request saw or made. Send it back as `x-d1-bookmark` on the next request to read your own writes from any replica.";
docs.openAPIRegistry.registerComponent("headers", "D1Bookmark", { description: BOOKMARK_DOC, schema: { type: "string" } });
docs.openAPIRegistry.registerComponent("parameters", "D1Bookmark", {
  name: BOOKMARK_HEADER,
  in: "header",
  required: false,
  description: "The newest `x-d1-bookmark` this client was answered; reads then see everything up to it. Any other value is a 400.",
  schema: { type: "string" },
});

/** Every operation states its security: public ones say `[]` in their route, the rest get their API's credentials here. */
const document = () => {
  const doc = docs.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Switchboard",
      version: "1.0.0",
      description:
        "WhatsApp Business integration hub. `/api/v1/...` is also served under `/inboxes/{inboxId}/api/v1/...` and under hostnames mapped to an inbox; bare, it addresses the first workspace's first inbox.",
    },
  });
  for (const [path, operations] of Object.entries(doc.paths ?? {})) {
    for (const operation of Object.values(operations ?? {})) {
      if (typeof operation !== "object" || operation === null || !("responses" in operation)) continue;
      // Every operation but the provider webhooks runs in a D1 session (middleware/d1-session.ts).
      if (!path.startsWith("/webhooks/")) {
        operation.parameters = [...(operation.parameters ?? []), { $ref: "#/components/parameters/D1Bookmark" }];
        for (const [status, response] of Object.entries(operation.responses ?? {}) as [string, { headers?: object }][]) {
          if (!status.startsWith("2") || "$ref" in response) continue;
          response.headers = { ...response.headers, [BOOKMARK_HEADER]: { $ref: "#/components/headers/D1Bookmark" } };
        }
      }
      operation.security ??= path.startsWith("/platform/")
        ? [{ PlatformKey: [] }]
        : path.startsWith("/api/public/")
          ? [{ ApiKey: [] }]
          : path.startsWith("/api/v2/")
            ? [{ Token: [] }, { Session: [] }]
            : API_SECURITY;
    }
  }
  return doc;
};
app.get("/openapi.json", (c) => c.json(document()));
app.get("/docs", Scalar({ url: "/openapi.json", pageTitle: "Switchboard API" }));

registerRoutes(docs.openAPIRegistry.definitions);

/** A known path with the wrong method gets DRF's 405 with `Allow`. */
app.notFound((c) => {
  const allowed = [...new Set(routesFor(c.req.path).map((r) => r.method))];
  if (allowed.length && !allowed.includes(c.req.method)) {
    throw new ApiError(405, { detail: `Method "${c.req.method}" not allowed.` }, { Allow: allowed.join(", ") });
  }
  throw notFound();
});
app.onError(renderError);
