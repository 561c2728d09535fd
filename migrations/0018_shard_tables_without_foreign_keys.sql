-- An inbox's traffic moves to shards, apart from the directory's inboxes, users and tags:
-- its tables keep those ids without foreign keys. No table references these, so the rebuilds
-- cascade nothing; D1 runs migrations in a transaction, where foreign_keys cannot be switched off.
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE `__new_assignment_events` (
	`id` text PRIMARY KEY NOT NULL,
	`inbox_id` text NOT NULL,
	`seq` integer NOT NULL,
	`wa_id` text NOT NULL,
	`user_set` integer,
	`user_cleared` integer NOT NULL,
	`group_set` integer,
	`group_cleared` integer NOT NULL,
	`done_by` integer,
	`timestamp` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_assignment_events`("id", "inbox_id", "seq", "wa_id", "user_set", "user_cleared", "group_set", "group_cleared", "done_by", "timestamp") SELECT "id", "inbox_id", "seq", "wa_id", "user_set", "user_cleared", "group_set", "group_cleared", "done_by", "timestamp" FROM `assignment_events`;--> statement-breakpoint
DROP TABLE `assignment_events`;--> statement-breakpoint
ALTER TABLE `__new_assignment_events` RENAME TO `assignment_events`;--> statement-breakpoint
CREATE INDEX `assignment_events_time_idx` ON `assignment_events` (`inbox_id`,`timestamp`,`seq`);--> statement-breakpoint
CREATE INDEX `assignment_events_chat_idx` ON `assignment_events` (`inbox_id`,`wa_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `__new_chats` (
	`inbox_id` text NOT NULL,
	`wa_id` text NOT NULL,
	`contact` text NOT NULL,
	`profile_name` text,
	`last_message_id` integer,
	`last_message_timestamp` integer,
	`last_message_seq` integer,
	`last_customer_message_timestamp` integer,
	`message_count` integer DEFAULT 0 NOT NULL,
	`assigned_to_user` integer,
	`assigned_group` integer,
	`resolved` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`inbox_id`, `wa_id`)
);
--> statement-breakpoint
INSERT INTO `__new_chats`("inbox_id", "wa_id", "contact", "profile_name", "last_message_id", "last_message_timestamp", "last_message_seq", "last_customer_message_timestamp", "message_count", "assigned_to_user", "assigned_group", "resolved") SELECT "inbox_id", "wa_id", "contact", "profile_name", "last_message_id", "last_message_timestamp", "last_message_seq", "last_customer_message_timestamp", "message_count", "assigned_to_user", "assigned_group", "resolved" FROM `chats`;--> statement-breakpoint
DROP TABLE `chats`;--> statement-breakpoint
ALTER TABLE `__new_chats` RENAME TO `chats`;--> statement-breakpoint
CREATE INDEX `chats_recent_idx` ON `chats` (`inbox_id`,`last_message_timestamp`,`last_message_seq`);--> statement-breakpoint
CREATE INDEX `chats_assigned_user_idx` ON `chats` (`inbox_id`,`assigned_to_user`);--> statement-breakpoint
CREATE INDEX `chats_assigned_group_idx` ON `chats` (`inbox_id`,`assigned_group`);--> statement-breakpoint
CREATE TABLE `__new_media` (
	`id` text NOT NULL,
	`inbox_id` text NOT NULL,
	`mime_type` text,
	`sha256` text,
	`size` integer,
	`filename` text,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`uploaded_by` integer,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	PRIMARY KEY(`inbox_id`, `id`)
);
--> statement-breakpoint
INSERT INTO `__new_media`("id", "inbox_id", "mime_type", "sha256", "size", "filename", "state", "attempts", "last_error", "uploaded_by", "created_at") SELECT "id", "inbox_id", "mime_type", "sha256", "size", "filename", "state", "attempts", "last_error", "uploaded_by", "created_at" FROM `media`;--> statement-breakpoint
DROP TABLE `media`;--> statement-breakpoint
ALTER TABLE `__new_media` RENAME TO `media`;--> statement-breakpoint
CREATE TABLE `__new_messages` (
	`id` integer PRIMARY KEY NOT NULL,
	`inbox_id` text NOT NULL,
	`wamid` text NOT NULL,
	`wa_id` text NOT NULL,
	`from_us` integer NOT NULL,
	`timestamp` integer NOT NULL,
	`seq` integer NOT NULL,
	`type` text NOT NULL,
	`payload` text NOT NULL,
	`statuses` text DEFAULT '{}' NOT NULL,
	`sender_user_id` integer,
	`context_wamid` text,
	`media_id` text
);
--> statement-breakpoint
INSERT INTO `__new_messages`("id", "inbox_id", "wamid", "wa_id", "from_us", "timestamp", "seq", "type", "payload", "statuses", "sender_user_id", "context_wamid", "media_id") SELECT "id", "inbox_id", "wamid", "wa_id", "from_us", "timestamp", "seq", "type", "payload", "statuses", "sender_user_id", "context_wamid", "media_id" FROM `messages`;--> statement-breakpoint
DROP TABLE `messages`;--> statement-breakpoint
ALTER TABLE `__new_messages` RENAME TO `messages`;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_wamid_idx` ON `messages` (`inbox_id`,`wamid`);--> statement-breakpoint
CREATE INDEX `messages_recent_idx` ON `messages` (`inbox_id`,`timestamp`,`seq`);--> statement-breakpoint
CREATE INDEX `messages_chat_idx` ON `messages` (`inbox_id`,`wa_id`,`timestamp`,`seq`,`from_us`);--> statement-breakpoint
CREATE INDEX `messages_id_cover` ON `messages` (`id`,`inbox_id`,`wa_id`,`timestamp`,`seq`);--> statement-breakpoint
CREATE INDEX `messages_media_idx` ON `messages` (`inbox_id`,`media_id`) WHERE "messages"."media_id" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `__new_provider_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`payload` text,
	`body_key` text,
	`received_at` integer DEFAULT (unixepoch()) NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_provider_events`("id", "inbox_id", "kind", "name", "payload", "body_key", "received_at") SELECT "id", "inbox_id", "kind", "name", "payload", "body_key", "received_at" FROM `provider_events`;--> statement-breakpoint
DROP TABLE `provider_events`;--> statement-breakpoint
ALTER TABLE `__new_provider_events` RENAME TO `provider_events`;--> statement-breakpoint
CREATE INDEX `provider_events_inbox_idx` ON `provider_events` (`inbox_id`,`id`);--> statement-breakpoint
CREATE TABLE `__new_received_marks` (
	`user_id` integer NOT NULL,
	`inbox_id` text NOT NULL,
	`wa_id` text NOT NULL,
	`timestamp` integer NOT NULL,
	PRIMARY KEY(`user_id`, `inbox_id`, `wa_id`)
);
--> statement-breakpoint
INSERT INTO `__new_received_marks`("user_id", "inbox_id", "wa_id", "timestamp") SELECT "user_id", "inbox_id", "wa_id", "timestamp" FROM `received_marks`;--> statement-breakpoint
DROP TABLE `received_marks`;--> statement-breakpoint
ALTER TABLE `__new_received_marks` RENAME TO `received_marks`;--> statement-breakpoint
CREATE TABLE `__new_chat_taggings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` text NOT NULL,
	`wa_id` text NOT NULL,
	`tag_id` integer NOT NULL,
	`extra` text
);
--> statement-breakpoint
INSERT INTO `__new_chat_taggings`("id", "inbox_id", "wa_id", "tag_id", "extra") SELECT "id", "inbox_id", "wa_id", "tag_id", "extra" FROM `chat_taggings`;--> statement-breakpoint
DROP TABLE `chat_taggings`;--> statement-breakpoint
ALTER TABLE `__new_chat_taggings` RENAME TO `chat_taggings`;--> statement-breakpoint
CREATE UNIQUE INDEX `chat_taggings_pair_idx` ON `chat_taggings` (`inbox_id`,`wa_id`,`tag_id`);--> statement-breakpoint
CREATE INDEX `chat_taggings_tag_idx` ON `chat_taggings` (`tag_id`,`inbox_id`);--> statement-breakpoint
CREATE TABLE `__new_message_taggings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` text NOT NULL,
	`wamid` text NOT NULL,
	`wa_id` text NOT NULL,
	`tag_id` integer NOT NULL,
	`extra` text
);
--> statement-breakpoint
INSERT INTO `__new_message_taggings`("id", "inbox_id", "wamid", "wa_id", "tag_id", "extra") SELECT "id", "inbox_id", "wamid", "wa_id", "tag_id", "extra" FROM `message_taggings`;--> statement-breakpoint
DROP TABLE `message_taggings`;--> statement-breakpoint
ALTER TABLE `__new_message_taggings` RENAME TO `message_taggings`;--> statement-breakpoint
CREATE UNIQUE INDEX `message_taggings_pair_idx` ON `message_taggings` (`inbox_id`,`wamid`,`tag_id`);--> statement-breakpoint
CREATE INDEX `message_taggings_tag_idx` ON `message_taggings` (`tag_id`,`inbox_id`);--> statement-breakpoint
CREATE TABLE `__new_tagging_events` (
	`id` text PRIMARY KEY NOT NULL,
	`inbox_id` text NOT NULL,
	`kind` text NOT NULL,
	`seq` integer NOT NULL,
	`wa_id` text NOT NULL,
	`wamid` text,
	`tag_id` integer NOT NULL,
	`tag_name` text NOT NULL,
	`tag_color` text,
	`action` text NOT NULL,
	`extra` text,
	`done_by` integer,
	`timestamp` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `__new_tagging_events`("id", "inbox_id", "kind", "seq", "wa_id", "wamid", "tag_id", "tag_name", "tag_color", "action", "extra", "done_by", "timestamp") SELECT "id", "inbox_id", "kind", "seq", "wa_id", "wamid", "tag_id", "tag_name", "tag_color", "action", "extra", "done_by", "timestamp" FROM `tagging_events`;--> statement-breakpoint
DROP TABLE `tagging_events`;--> statement-breakpoint
ALTER TABLE `__new_tagging_events` RENAME TO `tagging_events`;--> statement-breakpoint
CREATE INDEX `tagging_events_time_idx` ON `tagging_events` (`inbox_id`,`kind`,`timestamp`,`seq`);--> statement-breakpoint
CREATE INDEX `tagging_events_chat_idx` ON `tagging_events` (`inbox_id`,`kind`,`wa_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `__new_status_payloads` (
	`inbox_id` text NOT NULL,
	`wamid` text NOT NULL,
	`status` text NOT NULL,
	`payload` text NOT NULL,
	PRIMARY KEY(`inbox_id`, `wamid`, `status`)
);
--> statement-breakpoint
INSERT INTO `__new_status_payloads`("inbox_id", "wamid", "status", "payload") SELECT "inbox_id", "wamid", "status", "payload" FROM `status_payloads`;--> statement-breakpoint
DROP TABLE `status_payloads`;--> statement-breakpoint
ALTER TABLE `__new_status_payloads` RENAME TO `status_payloads`;