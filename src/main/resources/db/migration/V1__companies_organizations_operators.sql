-- One portable dialect for SQLite and PostgreSQL. ${id_pk} is the only per-database piece:
-- an auto-generated 64-bit integer primary key. Times are epoch milliseconds (BIGINT).

CREATE TABLE company (
    id            ${id_pk},
    login         VARCHAR(200) NOT NULL UNIQUE,
    password_hash TEXT         NOT NULL,
    name          VARCHAR(200) NOT NULL,
    created_at    BIGINT       NOT NULL
);

CREATE TABLE organization (
    id               ${id_pk},
    company_id       BIGINT       NOT NULL REFERENCES company (id) ON DELETE CASCADE,
    name             VARCHAR(200) NOT NULL,
    widget_guid      VARCHAR(64)  NOT NULL UNIQUE,
    allowed_origins  TEXT         NOT NULL DEFAULT '[]',
    greeting         TEXT,
    business_hours   TEXT,
    offline_contact  TEXT,
    theme_color      VARCHAR(32),
    default_language VARCHAR(16),
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL
);
CREATE INDEX organization_by_company ON organization (company_id);

CREATE TABLE operator (
    id              ${id_pk},
    organization_id BIGINT       NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    name            VARCHAR(200) NOT NULL,
    status          INTEGER      NOT NULL DEFAULT 0,
    external_id     VARCHAR(200),
    email           VARCHAR(320),
    photo           TEXT,
    max_chats       INTEGER      NOT NULL DEFAULT 5,
    created_at      BIGINT       NOT NULL,
    updated_at      BIGINT       NOT NULL
);
CREATE INDEX operator_by_organization ON operator (organization_id);
CREATE UNIQUE INDEX operator_by_external_id ON operator (organization_id, external_id);

-- Every operator token ever issued, so that one can be revoked (by jti or all of an operator's)
-- and so that every request can check revocation and operator status in one indexed lookup.
CREATE TABLE operator_token (
    jti         VARCHAR(64) PRIMARY KEY,
    operator_id BIGINT      NOT NULL REFERENCES operator (id) ON DELETE CASCADE,
    expires_at  BIGINT      NOT NULL,
    revoked_at  BIGINT,
    created_at  BIGINT      NOT NULL
);
CREATE INDEX operator_token_by_operator ON operator_token (operator_id);
CREATE INDEX operator_token_by_expiry ON operator_token (expires_at);
