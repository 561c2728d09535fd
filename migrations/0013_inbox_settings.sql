CREATE TABLE `contact_providers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` text NOT NULL,
	`type` text NOT NULL,
	`name` text NOT NULL,
	`config` text NOT NULL,
	`secrets` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_providers_inbox_idx` ON `contact_providers` (`inbox_id`,`id`);--> statement-breakpoint
CREATE TABLE `number_checks` (
	`inbox_id` text NOT NULL,
	`input` text NOT NULL,
	`status` text NOT NULL,
	`wa_id` text,
	`checked_at` integer NOT NULL,
	PRIMARY KEY(`inbox_id`, `input`),
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `business_profiles` (
	`inbox_id` text PRIMARY KEY NOT NULL,
	`profile` text NOT NULL,
	`about` text,
	`photo_key` text,
	`photo_type` text,
	`updated_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `plugins` (
	`inbox_id` text NOT NULL,
	`type` text NOT NULL,
	`config` text NOT NULL,
	`installed_at` integer DEFAULT (unixepoch()) NOT NULL,
	PRIMARY KEY(`inbox_id`, `type`),
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `templates` (
	`inbox_id` text NOT NULL,
	`name` text NOT NULL,
	`language` text NOT NULL,
	`category` text NOT NULL,
	`status` text NOT NULL,
	`components` text NOT NULL,
	`rejected_reason` text,
	`upstream_id` text,
	PRIMARY KEY(`inbox_id`, `name`, `language`),
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `upstream_syncs` (
	`inbox_id` text NOT NULL,
	`kind` text NOT NULL,
	`synced_at` integer,
	`attempted_at` integer,
	`refreshing_since` integer,
	`error` text,
	`namespace` text,
	PRIMARY KEY(`inbox_id`, `kind`),
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `chats` ADD `resolved` integer DEFAULT false NOT NULL;