export * from "./assignments";
export * from "./messaging";
export * from "./saved-responses";
export * from "./tags";
export * from "./tenancy";
export * from "./users";
export * from "./webhooks";
