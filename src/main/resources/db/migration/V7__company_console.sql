-- The company console: administrators, operator sign-in, browser sessions, the audit log, canned responses, private
-- notes, and the facts the reports read.

-- A company's administrators besides its owner (the company login). role: 'admin' or 'viewer'. login is unique over
-- company logins, administrator logins and operator sign-in emails (checked by the service; stored lower-case).
CREATE TABLE company_admin (
    id            ${id_pk},
    company_id    BIGINT       NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    login         VARCHAR(200) NOT NULL UNIQUE,
    password_hash TEXT         NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL
);
CREATE INDEX company_admin_by_company ON company_admin (company_id);

-- An operator that may sign in to the console: its sign-in email (lower-case) and password.
CREATE TABLE operator_login (
    operator_id   BIGINT       PRIMARY KEY REFERENCES operator (id) ON DELETE CASCADE,
    email         VARCHAR(320) NOT NULL UNIQUE,
    password_hash TEXT         NOT NULL,
    created_at    BIGINT       NOT NULL
);

-- A signed-in browser. id_hash: SHA-256 (hex) of the cookie's random id; kind: 'owner', 'admin' or 'operator'; subject_id:
-- the company, the administrator or the operator. A session ends at expires_at (moved on with use) or when deleted.
CREATE TABLE console_session (
    id_hash       VARCHAR(64)  PRIMARY KEY,
    company_id    BIGINT       NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    kind          VARCHAR(16)  NOT NULL,
    subject_id    BIGINT       NOT NULL,
    csrf_token    VARCHAR(64)  NOT NULL,
    ip            VARCHAR(64),
    created_at    BIGINT       NOT NULL,
    seen_at       BIGINT       NOT NULL,
    expires_at    BIGINT       NOT NULL
);
CREATE INDEX console_session_by_subject ON console_session (kind, subject_id);
CREATE INDEX console_session_by_expiry ON console_session (expires_at);

-- Who changed what, when, from where. actor_type: 'company', 'admin' or 'operator'.
CREATE TABLE audit_log (
    id            ${id_pk},
    company_id    BIGINT        NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    at            BIGINT        NOT NULL,
    actor_type    VARCHAR(16)   NOT NULL,
    actor_id      BIGINT,
    actor_login   VARCHAR(320),
    action        VARCHAR(64)   NOT NULL,
    object_type   VARCHAR(32)   NOT NULL,
    object_id     VARCHAR(64),
    detail        VARCHAR(500),
    ip            VARCHAR(64)
);
CREATE INDEX audit_log_by_company ON audit_log (company_id, id);
CREATE INDEX audit_log_by_time ON audit_log (company_id, at);

CREATE TABLE canned_response (
    id              ${id_pk},
    organization_id BIGINT        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    shortcut        VARCHAR(32)   NOT NULL,
    text            VARCHAR(2000) NOT NULL,
    created_at      BIGINT        NOT NULL,
    updated_at      BIGINT        NOT NULL
);
CREATE UNIQUE INDEX canned_response_by_shortcut ON canned_response (organization_id, shortcut);

-- A private note: a message for staff only (never shown to the customer, sent to a channel or to webhooks).
ALTER TABLE message ADD COLUMN is_note INTEGER NOT NULL DEFAULT 0;

-- Report facts: when the first operator reply came and when the chat was closed; last_public_seq: the seq of the
-- chat's newest message that is not a note (its lastMessage).
ALTER TABLE chat ADD COLUMN first_response_at BIGINT;
ALTER TABLE chat ADD COLUMN closed_at BIGINT;
ALTER TABLE chat ADD COLUMN last_public_seq BIGINT NOT NULL DEFAULT 0;
UPDATE chat SET last_public_seq = last_seq;
UPDATE chat SET first_response_at = (SELECT MIN(m.created_at) FROM message m WHERE m.chat_id = chat.id AND m.author = 0);
UPDATE chat SET closed_at = updated_at WHERE status = 4;
CREATE INDEX chat_by_company_created ON chat (company_id, created_at);

-- An erased client: its contact data is gone, its chats stay as statistics.
ALTER TABLE client ADD COLUMN erased_at BIGINT;
