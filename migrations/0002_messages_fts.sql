-- Full-text index over message text, captions, file names and the like (src/services/search.ts).
-- Contentless (rowid = messages.id): the text lives in messages.payload already.
-- Every indexed token carries its inbox's prefix ("i<12 hex>x"), so a term's doclist
-- holds only one inbox's rows and a search never scans another inbox's entries.
CREATE VIRTUAL TABLE `messages_fts` USING fts5(`body`, content='', contentless_delete=1, tokenize='unicode61');
