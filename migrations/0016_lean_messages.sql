-- No table references messages, so the rebuild cascades nothing; D1 runs migrations in a
-- transaction, where foreign_keys cannot be switched off.
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
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
	`media_id` text,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sender_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
INSERT INTO `__new_messages`("id", "inbox_id", "wamid", "wa_id", "from_us", "timestamp", "seq", "type", "payload", "statuses", "sender_user_id", "context_wamid", "media_id") SELECT "id", "inbox_id", "wamid", "wa_id", "from_us", "timestamp", "seq", "type", "payload", "statuses", "sender_user_id", "context_wamid", "media_id" FROM `messages`;--> statement-breakpoint
DROP TABLE `messages`;--> statement-breakpoint
ALTER TABLE `__new_messages` RENAME TO `messages`;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_wamid_idx` ON `messages` (`inbox_id`,`wamid`);--> statement-breakpoint
CREATE INDEX `messages_recent_idx` ON `messages` (`inbox_id`,`timestamp`,`seq`);--> statement-breakpoint
CREATE INDEX `messages_chat_idx` ON `messages` (`inbox_id`,`wa_id`,`timestamp`,`seq`,`from_us`);--> statement-breakpoint
CREATE INDEX `messages_id_cover` ON `messages` (`id`,`inbox_id`,`wa_id`,`timestamp`,`seq`);--> statement-breakpoint
CREATE INDEX `messages_media_idx` ON `messages` (`inbox_id`,`media_id`) WHERE "messages"."media_id" IS NOT NULL;