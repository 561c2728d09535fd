CREATE TABLE `assignment_events` (
	`id` text PRIMARY KEY NOT NULL,
	`inbox_id` text NOT NULL,
	`seq` integer NOT NULL,
	`wa_id` text NOT NULL,
	`user_set` integer,
	`user_cleared` integer NOT NULL,
	`group_set` integer,
	`group_cleared` integer NOT NULL,
	`done_by` integer,
	`timestamp` integer NOT NULL,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `assignment_events_time_idx` ON `assignment_events` (`inbox_id`,`timestamp`,`seq`);--> statement-breakpoint
CREATE INDEX `assignment_events_chat_idx` ON `assignment_events` (`inbox_id`,`wa_id`,`timestamp`);