-- Cluster-wide presence and routing (README, "Several nodes"): which operators are online on which live node, and each
-- organization's round-robin turn. The database decides routing, so that it holds across nodes.

-- A running node: it renews lease_until (epoch ms, its own clock) every third of CHATHUB_PRESENCE_LEASE. A node whose
-- lease has run out is dead: its presence rows no longer count, and the next heartbeat of any node removes them.
CREATE TABLE node (
    id          VARCHAR(64)  PRIMARY KEY,
    lease_until BIGINT       NOT NULL,
    started_at  BIGINT       NOT NULL
);

-- An operator with at least one hub connection open on the node. Online = a row on a node whose lease runs.
CREATE TABLE operator_presence (
    node_id     VARCHAR(64)  NOT NULL REFERENCES node (id) ON DELETE CASCADE,
    operator_id BIGINT       NOT NULL REFERENCES operator (id) ON DELETE CASCADE,
    since       BIGINT       NOT NULL,
    PRIMARY KEY (node_id, operator_id)
);
CREATE INDEX operator_presence_by_operator ON operator_presence (operator_id);

-- The organization's routing turn: the last operator routing gave a chat (round-robin goes on after it). Its row is
-- also the organization's routing lock: a routing pass updates it first, so passes of one organization, on any node,
-- run one after another.
CREATE TABLE routing_turn (
    organization_id  BIGINT  PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
    last_operator_id BIGINT
);
