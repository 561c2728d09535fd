import { createMiddleware } from "hono/factory";
import { config } from "../config";
import type { AppEnv } from "../context";
import { ApiError } from "../errors";
import { safeEqual } from "../services/crypto";

/** `Authorization: Bearer $PLATFORM_API_KEY`; the platform API is closed while the key is unset. */
export const requirePlatformKey = createMiddleware<AppEnv>(async (c, next) => {
  const expected = config(c.env).PLATFORM_API_KEY;
  if (!expected) throw new ApiError(403, { detail: "The platform API is disabled: PLATFORM_API_KEY is not set." });
  const [scheme, key] = (c.req.header("authorization") ?? "").split(" ");
  if (scheme !== "Bearer" || !key || !safeEqual(key, expected)) {
    throw new ApiError(401, { detail: "Invalid platform API key." }, { "WWW-Authenticate": "Bearer" });
  }
  await next();
});
