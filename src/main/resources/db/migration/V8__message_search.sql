-- Full-text search of message texts for GET /api/chat/chats?search=: FTS5 on SQLite, a GIN tsvector index on
-- PostgreSQL (the statements are the placeholder's, per database: see io.chathub.db.Database).
${message_search};
