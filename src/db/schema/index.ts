export * from "./messaging";
export * from "./tenancy";
export * from "./users";
