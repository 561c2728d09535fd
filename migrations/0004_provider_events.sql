CREATE TABLE `provider_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`inbox_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`payload` text,
	`received_at` integer DEFAULT (unixepoch()) NOT NULL,
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `provider_events_inbox_idx` ON `provider_events` (`inbox_id`,`id`);