-- Messenger channels (Telegram, Viber, WhatsApp): a company's bot or number connected to one organization, the
-- chats that came through it, and the durable outbox of the messages to deliver through it.

-- credentials: the messenger's secrets (bot token, auth token, access token, app secret, webhook secret) as JSON,
-- encrypted with AES-256-GCM under the server's secret key (CHATHUB_SECRET_KEY); never returned by the API.
-- status: 'pending' while its webhook is being registered, 'active' after. external_id: the bot's or number's id there.
CREATE TABLE channel (
    id              ${id_pk},
    company_id      BIGINT        NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    organization_id BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    type            VARCHAR(32)   NOT NULL,
    name            VARCHAR(200)  NOT NULL,
    avatar          VARCHAR(2000),
    status          VARCHAR(16)   NOT NULL,
    external_id     VARCHAR(200),
    credentials     TEXT          NOT NULL,
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL
);
CREATE INDEX channel_by_organization ON channel (organization_id);

-- A customer as one channel knows it (Telegram chat id, Viber user id, WhatsApp wa_id): when it last wrote (WhatsApp's
-- 24-hour customer-service window) and whether it unsubscribed (Viber: nothing more may be sent to it).
CREATE TABLE channel_peer (
    channel_id      BIGINT        NOT NULL REFERENCES channel (id) ON DELETE CASCADE,
    peer_id         VARCHAR(200)  NOT NULL,
    last_inbound_at BIGINT        NOT NULL DEFAULT 0,
    unsubscribed    INTEGER       NOT NULL DEFAULT 0,
    PRIMARY KEY (channel_id, peer_id)
);

-- The channel a chat's customer writes through, and to whom its replies go.
CREATE TABLE channel_chat (
    chat_id         BIGINT        PRIMARY KEY REFERENCES chat (id) ON DELETE CASCADE,
    channel_id      BIGINT        NOT NULL REFERENCES channel (id) ON DELETE CASCADE,
    peer_id         VARCHAR(200)  NOT NULL
);
CREATE INDEX channel_chat_by_channel ON channel_chat (channel_id);

-- The outbox: one row per operator, bot or system message of a channel chat still to deliver, written in the
-- message's own transaction. A sender delivers each chat's rows in seq order and deletes a row once the messenger
-- accepted or refused it for good. lease_until/lease_owner: a node sending it (PostgreSQL clusters; 0 = nobody).
CREATE TABLE channel_outbox (
    id              ${id_pk},
    message_id      BIGINT        NOT NULL UNIQUE REFERENCES message (id) ON DELETE CASCADE,
    chat_id         BIGINT        NOT NULL REFERENCES chat (id) ON DELETE CASCADE,
    seq             BIGINT        NOT NULL,
    channel_id      BIGINT        NOT NULL REFERENCES channel (id) ON DELETE CASCADE,
    peer_id         VARCHAR(200)  NOT NULL,
    attempts        INTEGER       NOT NULL DEFAULT 0,
    next_attempt_at BIGINT        NOT NULL,
    lease_until     BIGINT        NOT NULL DEFAULT 0,
    lease_owner     VARCHAR(64),
    last_error      VARCHAR(500),
    created_at      BIGINT        NOT NULL
);
CREATE UNIQUE INDEX channel_outbox_by_chat ON channel_outbox (chat_id, seq);
CREATE INDEX channel_outbox_due ON channel_outbox (next_attempt_at);

-- A delivered message's id in the messenger (Viber message_token, WhatsApp wamid, Telegram message_id), by which
-- its delivery and read statuses come back.
CREATE TABLE channel_message (
    channel_id      BIGINT        NOT NULL REFERENCES channel (id) ON DELETE CASCADE,
    external_id     VARCHAR(200)  NOT NULL,
    message_id      BIGINT        NOT NULL REFERENCES message (id) ON DELETE CASCADE,
    PRIMARY KEY (channel_id, external_id)
);
CREATE INDEX channel_message_by_message ON channel_message (message_id);

-- Why a message was Rejected (status 2), in words; null otherwise.
ALTER TABLE message ADD COLUMN status_reason VARCHAR(500);
