-- Two index entries fewer per message delivered: a message's insert no longer writes
-- `messages_id_cover` (a filtered search's count reads the rows instead), and a delivery
-- only its row: its id now starts with the receiver and the event's time (`deliveryId`),
-- so a receiver's log is a range of the primary key. Old ids are rewritten the same way,
-- with the time they were made.
DROP INDEX `messages_id_cover`;--> statement-breakpoint
DROP INDEX `deliveries_receiver_idx`;--> statement-breakpoint
UPDATE `deliveries` SET `id` = CASE WHEN `receiver` LIKE 'webhook:%' THEN `receiver` ELSE `receiver` || ':' || `inbox_id` END
  || '.' || printf('%08x', `created_at`) || '.' || substr(replace(`id`, '-', ''), 1, 16);
