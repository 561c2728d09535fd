CREATE TABLE `chat_taggings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` text NOT NULL,
	`wa_id` text NOT NULL,
	`tag_id` integer NOT NULL,
	`extra` text,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `chat_taggings_pair_idx` ON `chat_taggings` (`inbox_id`,`wa_id`,`tag_id`);--> statement-breakpoint
CREATE INDEX `chat_taggings_tag_idx` ON `chat_taggings` (`tag_id`,`inbox_id`);--> statement-breakpoint
CREATE TABLE `message_taggings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` text NOT NULL,
	`wamid` text NOT NULL,
	`wa_id` text NOT NULL,
	`tag_id` integer NOT NULL,
	`extra` text,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tag_id`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `message_taggings_pair_idx` ON `message_taggings` (`inbox_id`,`wamid`,`tag_id`);--> statement-breakpoint
CREATE INDEX `message_taggings_tag_idx` ON `message_taggings` (`tag_id`,`inbox_id`);--> statement-breakpoint
CREATE TABLE `tagging_events` (
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
	`timestamp` integer NOT NULL,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tagging_events_time_idx` ON `tagging_events` (`inbox_id`,`kind`,`timestamp`,`seq`);--> statement-breakpoint
CREATE INDEX `tagging_events_chat_idx` ON `tagging_events` (`inbox_id`,`kind`,`wa_id`,`timestamp`);--> statement-breakpoint
CREATE TABLE `tags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`web_inbox_color` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tags_workspace_name_idx` ON `tags` (`workspace_id`,`name_key`);