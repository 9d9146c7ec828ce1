-- Search served by indexes instead of scans (GET /api/chat/chats?search=): the client's name, phone and email and the
-- chat's theme by substring (FTS5 tables with the trigram tokenizer kept by triggers on SQLite; pg_trgm GIN indexes
-- on PostgreSQL when that extension can be had, else none and the same queries scan), and on PostgreSQL the message
-- text's tsvector stored in a column (rewrites the message table once) with the GIN index on it. The statements are
-- the placeholder's, per database: see io.chathub.db.Database.
${search_indexes};
