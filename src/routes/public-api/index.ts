import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../context";
import { ApiError } from "../../errors";
import { createApp } from "../../http/openapi";
import { authenticateApiKey } from "../../middleware/api-key";
import { registerCustomerUpsert } from "./customer-upsert";

/** `/api/public/...`: seed 003's API, for systems holding a workspace API key (`x-api-key`). */
export const publicApi = createApp();
publicApi.use(
  createMiddleware<AppEnv>(async (c, next) => {
    if (!(await authenticateApiKey(c, c.req.header("x-api-key")))) throw new ApiError(401, { detail: "Invalid or missing API key." });
    await next();
  }),
);
registerCustomerUpsert(publicApi);
