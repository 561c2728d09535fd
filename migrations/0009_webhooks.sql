CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`inbox_id` text NOT NULL,
	`webhook_id` integer,
	`receiver` text NOT NULL,
	`event_id` text NOT NULL,
	`event_type` text NOT NULL,
	`state` text NOT NULL,
	`body` text NOT NULL,
	`mark_wa_id` text,
	`mark_timestamp` integer,
	`attempts` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_event_receiver_idx` ON `deliveries` (`event_id`,`receiver`);--> statement-breakpoint
CREATE INDEX `deliveries_receiver_idx` ON `deliveries` (`inbox_id`,`receiver`,`created_at`);--> statement-breakpoint
CREATE TABLE `rule_engines` (
	`inbox_id` text PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`url` text,
	`headers` text,
	`header_names` text NOT NULL,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `rules` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` text NOT NULL,
	`tagged_with` integer,
	`tagged_key` integer NOT NULL,
	`assign_to_user` integer,
	`assign_to_group` integer,
	`group_assign_method` text,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`tagged_with`) REFERENCES `tags`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assign_to_user`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assign_to_group`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rules_trigger_idx` ON `rules` (`inbox_id`,`tagged_key`);--> statement-breakpoint
CREATE TABLE `status_payloads` (
	`inbox_id` text NOT NULL,
	`wamid` text NOT NULL,
	`status` text NOT NULL,
	`payload` text NOT NULL,
	PRIMARY KEY(`inbox_id`, `wamid`, `status`),
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `webhooks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` text NOT NULL,
	`user_id` integer NOT NULL,
	`url` text NOT NULL,
	`on_incoming_message` integer NOT NULL,
	`on_outgoing_message` integer NOT NULL,
	`on_assigned` integer NOT NULL,
	`is_active` integer NOT NULL,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_secret_until` integer,
	`failing_since` integer,
	`disabled_reason` text,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `webhooks_inbox_user_idx` ON `webhooks` (`inbox_id`,`user_id`);