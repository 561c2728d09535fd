import type { FetchResponse } from "openapi-fetch";
import type { components, paths } from "./schema";

/**
 * Wire shapes the screens use, exactly as the client returns them (openapi-fetch's view of
 * the operations that produce them). Today's `/openapi.json` marks the `RetrieveMessage`
 * component nullable as a whole (only `Chat.last_message` is): `messagesOf` drops those
 * impossible nulls from a page.
 */
type Data<Path extends keyof paths> = paths[Path] extends { get: infer Get extends Record<string | number, any> }
  ? NonNullable<FetchResponse<Get, object, "application/json">["data"]>
  : never;

export type User = Data<"/api/v1/users/current/">;
export type Group = User["groups"][number];
export type Chat = Data<"/api/v1/chats/">["results"][number];
export type AttachedTag = Chat["tags"][number];
type PageMessage = Data<"/api/v1/messages/{wa_id}/">["results"][number];
export type Message = NonNullable<PageMessage>;

export const messagesOf = (results: PageMessage[]): Message[] => results.filter((m): m is Message => m !== null);

type Schemas = components["schemas"];
export type Tag = Schemas["Tag"];
export type SavedResponse = Schemas["SavedResponse"];
export type Template = Schemas["Template"];
export type ChatAssignmentEvent = Data<"/api/v1/chat_assignment_events/">["results"][number];
export type ChatTaggingEvent = Data<"/api/v1/chat_tagging_events/">["results"][number];
export type MessageTaggingEvent = Data<"/api/v1/message_tagging_events/">["results"][number];
export type WabaWebhook = Schemas["WabaWebhook"];
export type Delivery = Schemas["Delivery"];
export type RuleEngine = Schemas["RuleEngine"];
export type Rule = Schemas["Rule"];
export type Permissions = Schemas["Permissions"];
export type MediaCreated = Schemas["MediaCreated"];
export type Person = Schemas["Person"];
/** Null when no workspace contact is linked to the number. */
export type PersonDetail = Schemas["PersonDetail"];
export type WorkspaceContact = NonNullable<PersonDetail["workspace_contact"]>;
export type ContactEntry = Schemas["ContactProviderResult"];
export type ContactFailure = Schemas["ContactProviderFailure"];
export type NumberCheck = Schemas["ContactsVerification"]["contacts"][number];
