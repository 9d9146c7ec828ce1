-- Most messages carry neither a client key nor media. Indexing only the rows that do keeps both indexes
-- out of the write path of every other message: with full indexes each committed batch rewrote one
-- client-key index page per chat it touched (all NULL entries), which doubled the pages SQLite writes
-- to its WAL per batch. Lookups by key (client_key = ?) and by media (media_uri = ?) still use them.
DROP INDEX message_by_client_key;
CREATE UNIQUE INDEX message_by_client_key ON message (chat_id, client_key) WHERE client_key IS NOT NULL;
DROP INDEX message_by_media;
CREATE INDEX message_by_media ON message (media_uri) WHERE media_uri IS NOT NULL;
