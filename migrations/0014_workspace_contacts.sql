CREATE TABLE `contact_field_values` (
	`contact_id` integer NOT NULL,
	`field_id` integer NOT NULL,
	`workspace_id` text NOT NULL,
	`text` text NOT NULL,
	`typed` text,
	`identity` text,
	PRIMARY KEY(`contact_id`, `field_id`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`field_id`) REFERENCES `contact_fields`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_field_values_identity_idx` ON `contact_field_values` (`workspace_id`,`field_id`,`identity`);--> statement-breakpoint
CREATE TABLE `contact_fields` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`key` text NOT NULL,
	`label` text NOT NULL,
	`label_key` text NOT NULL,
	`value_type` text NOT NULL,
	`options` text,
	`identifier` integer DEFAULT false NOT NULL,
	`pinned` integer DEFAULT false NOT NULL,
	`created_on` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_fields_key_idx` ON `contact_fields` (`workspace_id`,`key`);--> statement-breakpoint
CREATE UNIQUE INDEX `contact_fields_label_idx` ON `contact_fields` (`workspace_id`,`label_key`);--> statement-breakpoint
CREATE TABLE `contact_group_members` (
	`group_id` integer NOT NULL,
	`contact_id` integer NOT NULL,
	PRIMARY KEY(`group_id`, `contact_id`),
	FOREIGN KEY (`group_id`) REFERENCES `contact_groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_group_members_contact_idx` ON `contact_group_members` (`contact_id`);--> statement-breakpoint
CREATE TABLE `contact_groups` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uuid` text NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`member_count` integer DEFAULT 0 NOT NULL,
	`created_on` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_groups_uuid_idx` ON `contact_groups` (`uuid`);--> statement-breakpoint
CREATE UNIQUE INDEX `contact_groups_name_idx` ON `contact_groups` (`workspace_id`,`name_key`);--> statement-breakpoint
CREATE TABLE `contact_urns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`contact_id` integer NOT NULL,
	`scheme` text NOT NULL,
	`path` text NOT NULL,
	`identity` text NOT NULL,
	`display` text,
	`position` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contact_urns_identity_idx` ON `contact_urns` (`workspace_id`,`identity`);--> statement-breakpoint
CREATE INDEX `contact_urns_contact_idx` ON `contact_urns` (`contact_id`,`position`);--> statement-breakpoint
CREATE TABLE `contacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uuid` text NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text,
	`language` text,
	`status` text DEFAULT 'active' NOT NULL,
	`deleted_on` integer,
	`stage_id` text,
	`agent_id` integer,
	`meta_data` text DEFAULT '{}' NOT NULL,
	`enhanced_data` text DEFAULT '{}' NOT NULL,
	`created_on` integer NOT NULL,
	`modified_on` integer NOT NULL,
	`last_seen_on` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`stage_id`) REFERENCES `stages`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`agent_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contacts_uuid_idx` ON `contacts` (`uuid`);--> statement-breakpoint
CREATE INDEX `contacts_modified_idx` ON `contacts` (`workspace_id`,`modified_on`,`id`);--> statement-breakpoint
CREATE INDEX `contacts_stage_idx` ON `contacts` (`stage_id`);--> statement-breakpoint
CREATE TABLE `stages` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`name_key` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stages_name_idx` ON `stages` (`workspace_id`,`name_key`);--> statement-breakpoint
CREATE INDEX `stages_position_idx` ON `stages` (`workspace_id`,`position`);--> statement-breakpoint
ALTER TABLE `users` ADD `uuid` text;--> statement-breakpoint
-- Backfill: a random v4 UUID per existing user (new users get theirs at creation).
UPDATE `users` SET `uuid` = lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))) WHERE `uuid` IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `users_uuid_idx` ON `users` (`uuid`);