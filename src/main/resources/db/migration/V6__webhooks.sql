-- Outbound webhooks of a company, and the persisted queue of their deliveries (which is also their delivery log).

-- events: the event names it receives, comma-separated (chat.created,message.created). secret: its signing secret
-- encrypted with the server's secret key (AES-256-GCM, io.chathub.auth.SecretBox), never returned; secret_hint its
-- last four characters. consecutive_failures: deliveries that failed for good since the last one that succeeded.
-- disabled_reason: why the server disabled it (null when the company did, or while it is enabled).
CREATE TABLE webhook (
    id                   ${id_pk},
    company_id           BIGINT        NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    url                  VARCHAR(2000) NOT NULL,
    events               VARCHAR(500)  NOT NULL,
    secret               VARCHAR(500)  NOT NULL,
    secret_hint          VARCHAR(8)    NOT NULL,
    enabled              INTEGER       NOT NULL DEFAULT 1,
    consecutive_failures INTEGER       NOT NULL DEFAULT 0,
    disabled_at          BIGINT,
    disabled_reason      VARCHAR(500),
    created_at           BIGINT        NOT NULL,
    updated_at           BIGINT        NOT NULL
);
CREATE INDEX webhook_by_company ON webhook (company_id);

-- One event for one webhook, written in the transaction of the change that caused it and sent after the commit.
-- public_id is the X-ChatHub-Delivery header, body the JSON sent on every attempt (signed afresh each time).
-- state: 0 pending, 1 delivered, 2 failed. A pending delivery is due at next_attempt_at; a sender claims it by moving
-- next_attempt_at on by a lease, so a delivery whose node died in the middle of an attempt is due again afterwards.
CREATE TABLE webhook_delivery (
    id               ${id_pk},
    webhook_id       BIGINT       NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    public_id        VARCHAR(36)  NOT NULL UNIQUE,
    event            VARCHAR(40)  NOT NULL,
    body             TEXT         NOT NULL,
    state            INTEGER      NOT NULL DEFAULT 0,
    attempts         INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT       NOT NULL,
    last_attempt_at  BIGINT,
    last_status_code INTEGER,
    last_error       VARCHAR(500),
    delivered_at     BIGINT,
    created_at       BIGINT       NOT NULL
);
-- The sender reads each webhook's pending deliveries by due time (so one webhook's backlog never hides another's); the
-- log reads a webhook's newest first; housekeeping deletes finished ones by age.
CREATE INDEX webhook_delivery_pending ON webhook_delivery (webhook_id, next_attempt_at) WHERE state = 0;
CREATE INDEX webhook_delivery_by_webhook ON webhook_delivery (webhook_id, id);
CREATE INDEX webhook_delivery_finished ON webhook_delivery (created_at) WHERE state <> 0;
