-- Clients (customers), their chats and the messages of each chat.

CREATE TABLE client (
    id              ${id_pk},
    organization_id BIGINT       NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    source          INTEGER      NOT NULL,
    external_id     VARCHAR(200),
    name            VARCHAR(200),
    phone           VARCHAR(64),
    email           VARCHAR(320),
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL
);
-- A client is identified per organization by where it writes from and its id there.
CREATE UNIQUE INDEX client_identity ON client (organization_id, source, external_id);

CREATE TABLE chat (
    id                ${id_pk},
    company_id        BIGINT       NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    organization_id   BIGINT       NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    client_id         BIGINT       NOT NULL REFERENCES client (id) ON DELETE CASCADE,
    source            INTEGER      NOT NULL,
    theme             VARCHAR(500),
    status            INTEGER      NOT NULL DEFAULT 0,
    operator_id       BIGINT       REFERENCES operator (id) ON DELETE SET NULL,
    last_seq          BIGINT       NOT NULL DEFAULT 0,
    last_message_id   BIGINT,
    count_unread      INTEGER      NOT NULL DEFAULT 0,
    operator_read_seq BIGINT       NOT NULL DEFAULT 0,
    client_read_seq   BIGINT       NOT NULL DEFAULT 0,
    created_at        BIGINT       NOT NULL,
    updated_at        BIGINT       NOT NULL
);
CREATE INDEX chat_by_organization ON chat (organization_id, status, updated_at);
CREATE INDEX chat_by_company ON chat (company_id, updated_at);
CREATE INDEX chat_by_client ON chat (client_id, status);
CREATE INDEX chat_by_operator ON chat (operator_id, status);

CREATE TABLE message (
    id           ${id_pk},
    chat_id      BIGINT       NOT NULL REFERENCES chat (id) ON DELETE CASCADE,
    seq          BIGINT       NOT NULL,
    author       INTEGER      NOT NULL,
    text         TEXT,
    media_uri    VARCHAR(500),
    media_name   VARCHAR(300),
    media_format VARCHAR(100),
    media_type   INTEGER,
    media_size   BIGINT,
    media_width  INTEGER,
    media_height INTEGER,
    status       INTEGER      NOT NULL DEFAULT 1,
    operator_id  BIGINT       REFERENCES operator (id) ON DELETE SET NULL,
    client_key   VARCHAR(100),
    created_at   BIGINT       NOT NULL
);
-- seq is 1, 2, 3… within a chat; client_key makes a retried send idempotent.
CREATE UNIQUE INDEX message_by_seq ON message (chat_id, seq);
CREATE UNIQUE INDEX message_by_client_key ON message (chat_id, client_key);
CREATE INDEX message_by_media ON message (media_uri);
