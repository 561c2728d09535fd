export * from "./assignments";
export * from "./messaging";
export * from "./tags";
export * from "./tenancy";
export * from "./users";
export * from "./webhooks";
