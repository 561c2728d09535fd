CREATE TABLE `chats` (
	`inbox_id` text NOT NULL,
	`wa_id` text NOT NULL,
	`contact` text NOT NULL,
	`profile_name` text,
	`last_message_id` integer,
	`last_message_timestamp` integer,
	`last_message_seq` integer,
	`last_customer_message_timestamp` integer,
	`assigned_to_user` integer,
	`assigned_group` integer,
	PRIMARY KEY(`inbox_id`, `wa_id`),
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assigned_to_user`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `chats_recent_idx` ON `chats` (`inbox_id`,`last_message_timestamp`,`last_message_seq`);--> statement-breakpoint
CREATE INDEX `chats_assigned_user_idx` ON `chats` (`inbox_id`,`assigned_to_user`);--> statement-breakpoint
CREATE INDEX `chats_assigned_group_idx` ON `chats` (`inbox_id`,`assigned_group`);--> statement-breakpoint
CREATE TABLE `media` (
	`id` text NOT NULL,
	`inbox_id` text NOT NULL,
	`mime_type` text,
	`sha256` text,
	`size` integer,
	`filename` text,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	PRIMARY KEY(`inbox_id`, `id`),
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
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
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sender_user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_wamid_idx` ON `messages` (`inbox_id`,`wamid`);--> statement-breakpoint
CREATE INDEX `messages_recent_idx` ON `messages` (`inbox_id`,`timestamp`,`seq`);--> statement-breakpoint
CREATE INDEX `messages_chat_idx` ON `messages` (`inbox_id`,`wa_id`,`timestamp`,`seq`);--> statement-breakpoint
CREATE TABLE `received_marks` (
	`user_id` integer NOT NULL,
	`inbox_id` text NOT NULL,
	`wa_id` text NOT NULL,
	`timestamp` integer NOT NULL,
	PRIMARY KEY(`user_id`, `inbox_id`, `wa_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
