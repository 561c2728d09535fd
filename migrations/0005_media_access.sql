ALTER TABLE `media` ADD `uploaded_by` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `media_id` text;--> statement-breakpoint
CREATE INDEX `messages_media_idx` ON `messages` (`inbox_id`,`media_id`);--> statement-breakpoint
UPDATE `messages` SET `media_id` = json_extract(`payload`, '$.' || `type` || '.id') WHERE `type` IN ('image', 'audio', 'voice', 'video', 'document', 'sticker');
