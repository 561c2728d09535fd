-- Deliveries keyed by an id derived from (event, receiver): the unique index on that pair
-- goes, and the table is rebuilt WITHOUT ROWID, so a delivery writes its row and one index
-- entry (the receiver's log) instead of a row, the id's index and two more.
PRAGMA defer_foreign_keys = on;--> statement-breakpoint
CREATE TABLE `__new_deliveries` (
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
) WITHOUT ROWID;--> statement-breakpoint
INSERT INTO `__new_deliveries` SELECT `id`, `inbox_id`, `webhook_id`, `receiver`, `event_id`, `event_type`, `state`, `body`, `mark_wa_id`, `mark_timestamp`, `attempts`, `created_at` FROM `deliveries`;--> statement-breakpoint
DROP TABLE `deliveries`;--> statement-breakpoint
ALTER TABLE `__new_deliveries` RENAME TO `deliveries`;--> statement-breakpoint
CREATE INDEX `deliveries_receiver_idx` ON `deliveries` (`inbox_id`,`receiver`,`created_at`);
