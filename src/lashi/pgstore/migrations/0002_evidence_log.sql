-- v2: the evidence log (lashi.evidence.storage.SCHEMA): entries, perfect interior nodes, meta.
-- Appends from several processes serialise on an advisory transaction lock (see PostgresStorage).
CREATE TABLE evidence_meta (
    name  VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE evidence_entries (
    seq            BIGINT PRIMARY KEY,
    ref            VARCHAR NOT NULL,
    kind           VARCHAR NOT NULL,
    session_id     VARCHAR,
    product_id     VARCHAR,
    content_sha256 VARCHAR NOT NULL,
    envelope       VARCHAR NOT NULL,
    leaf_hash      VARCHAR NOT NULL
);

CREATE TABLE evidence_nodes (
    node_key BIGINT PRIMARY KEY,
    hash     VARCHAR NOT NULL
);
