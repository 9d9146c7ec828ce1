-- The customer chat widget: visitors of a company's website, their chats' extra facts, ratings.

-- Widget settings of an organization. pre_chat is JSON {"fields":["name","email","phone"],"required":["email"]};
-- identity_secret signs logged-in customers' external ids (HMAC-SHA256), never returned in full.
ALTER TABLE organization ADD COLUMN pre_chat TEXT;
ALTER TABLE organization ADD COLUMN widget_position VARCHAR(8);
ALTER TABLE organization ADD COLUMN identity_secret VARCHAR(128);

-- One browser of the organization's website. public_id is the visitorId the browser keeps; resume_hash the
-- SHA-256 of the secret it keeps beside it, which proves that a later session is the same browser. client_id is the
-- client it writes as: its own anonymous client, or the verified client of a logged-in customer.
CREATE TABLE visitor (
    id              ${id_pk},
    organization_id BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    public_id       VARCHAR(64)   NOT NULL UNIQUE,
    resume_hash     VARCHAR(64)   NOT NULL,
    client_id       BIGINT        REFERENCES client (id) ON DELETE SET NULL,
    page_url        VARCHAR(2000),
    language        VARCHAR(100),
    user_agent      VARCHAR(500),
    created_at      BIGINT        NOT NULL,
    seen_at         BIGINT        NOT NULL
);
CREATE INDEX visitor_by_organization ON visitor (organization_id);
CREATE INDEX visitor_by_client ON visitor (client_id);

-- A website chat remembers the page it started on and the browser's language; an offline chat is a message left
-- while nobody could answer.
ALTER TABLE chat ADD COLUMN page_url VARCHAR(2000);
ALTER TABLE chat ADD COLUMN language VARCHAR(100);
ALTER TABLE chat ADD COLUMN offline INTEGER NOT NULL DEFAULT 0;

-- The customer's rating of a closed chat: once per chat.
CREATE TABLE chat_rating (
    chat_id    BIGINT       PRIMARY KEY REFERENCES chat (id) ON DELETE CASCADE,
    score      INTEGER      NOT NULL,
    comment    VARCHAR(2000),
    created_at BIGINT       NOT NULL
);
