ALTER TABLE `inboxes` ADD `invite_template` text;--> statement-breakpoint
ALTER TABLE `inboxes` ADD `flow_templates` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
CREATE INDEX `contact_fields_created_idx` ON `contact_fields` (`workspace_id`,`created_on`,`id`);--> statement-breakpoint
CREATE INDEX `contact_groups_created_idx` ON `contact_groups` (`workspace_id`,`created_on`,`id`);