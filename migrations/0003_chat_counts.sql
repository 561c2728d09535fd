ALTER TABLE `chats` ADD `message_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `messages_unread_idx` ON `messages` (`inbox_id`,`wa_id`,`from_us`,`timestamp`);--> statement-breakpoint
CREATE INDEX `messages_id_cover` ON `messages` (`id`,`inbox_id`,`wa_id`,`timestamp`,`seq`);--> statement-breakpoint
UPDATE `chats` SET `message_count` = (SELECT count(*) FROM `messages` m WHERE m.inbox_id = chats.inbox_id AND m.wa_id = chats.wa_id);
