-- LASHI PostgreSQL schema v1: the data-contract tables (with their keys as primary keys) and the
-- case service's own tables. Frozen: later changes are new numbered files, never edits here.

CREATE TABLE subjects (
    "subject_id" VARCHAR NOT NULL,
    "kind" VARCHAR,
    "name" VARCHAR,
    "tier" VARCHAR,
    "platform_id" VARCHAR,
    "mcn_id" VARCHAR,
    "origin" VARCHAR,
    "service_hours" VARCHAR,
    PRIMARY KEY ("subject_id")
);

CREATE TABLE products (
    "product_id" VARCHAR NOT NULL,
    "brand_id" VARCHAR,
    "name" VARCHAR,
    "category" VARCHAR,
    "tags" VARCHAR[],
    "ingredients" VARCHAR[],
    "responsibility_list" BOOLEAN,
    PRIMARY KEY ("product_id")
);

CREATE TABLE live_sessions (
    "session_id" VARCHAR NOT NULL,
    "streamer_id" VARCHAR,
    "platform_id" VARCHAR,
    "start_at" TIMESTAMPTZ,
    "end_at" TIMESTAMPTZ,
    "evidence_ref" VARCHAR,
    PRIMARY KEY ("session_id")
);

CREATE TABLE recording_segments (
    "session_id" VARCHAR NOT NULL,
    "segment_index" BIGINT NOT NULL,
    "start_offset_s" DOUBLE PRECISION,
    "end_offset_s" DOUBLE PRECISION,
    "sha256" VARCHAR,
    PRIMARY KEY ("session_id", "segment_index")
);

CREATE TABLE claims (
    "claim_id" VARCHAR NOT NULL,
    "session_id" VARCHAR,
    "product_id" VARCHAR,
    "text" VARCHAR,
    "offset_seconds" BIGINT,
    "evidence_ref" VARCHAR,
    PRIMARY KEY ("claim_id")
);

CREATE TABLE orders (
    "order_id" VARCHAR NOT NULL,
    "session_id" VARCHAR,
    "product_id" VARCHAR,
    "consumer_id" VARCHAR,
    "amount" DOUBLE PRECISION,
    "ordered_at" TIMESTAMPTZ,
    PRIMARY KEY ("order_id")
);

CREATE TABLE cases (
    "case_id" VARCHAR NOT NULL,
    "order_id" VARCHAR,
    "consumer_id" VARCHAR,
    "created_at" TIMESTAMPTZ,
    "channel" VARCHAR,
    "promised_response_hours" DOUBLE PRECISION,
    "category_predicted" VARCHAR,
    "category_confirmed" VARCHAR,
    "outcome" VARCHAR,
    "product_state" VARCHAR,
    "skin_type" VARCHAR,
    PRIMARY KEY ("case_id")
);

CREATE TABLE case_events (
    "event_id" VARCHAR NOT NULL,
    "case_id" VARCHAR,
    "at" TIMESTAMPTZ,
    "kind" VARCHAR,
    "actor" VARCHAR,
    "party" VARCHAR,
    "amount" DOUBLE PRECISION,
    "payer" VARCHAR,
    "compensation_kind" VARCHAR,
    "detail" VARCHAR,
    PRIMARY KEY ("event_id")
);

CREATE TABLE messages (
    "message_id" VARCHAR NOT NULL,
    "case_id" VARCHAR,
    "at" TIMESTAMPTZ,
    "sender" VARCHAR,
    "text" VARCHAR,
    "tone" VARCHAR,
    PRIMARY KEY ("message_id")
);

CREATE TABLE surveys (
    "survey_id" VARCHAR NOT NULL,
    "case_id" VARCHAR,
    "consumer_id" VARCHAR,
    "kind" VARCHAR,
    "score" BIGINT,
    "at" TIMESTAMPTZ,
    PRIMARY KEY ("survey_id")
);

CREATE TABLE self_reports (
    "subject_id" VARCHAR NOT NULL,
    "period" VARCHAR NOT NULL,
    "indicator_id" VARCHAR NOT NULL,
    "claimed_value" DOUBLE PRECISION,
    PRIMARY KEY ("subject_id", "period", "indicator_id")
);

CREATE TABLE mystery_shops (
    "test_id" VARCHAR NOT NULL,
    "subject_id" VARCHAR,
    "at" TIMESTAMPTZ,
    "scenario" VARCHAR,
    "first_response_hours" DOUBLE PRECISION,
    "resolved" BOOLEAN,
    PRIMARY KEY ("test_id")
);

CREATE TABLE perceptions (
    "subject_id" VARCHAR NOT NULL,
    "period" VARCHAR NOT NULL,
    "indicator_id" VARCHAR NOT NULL,
    "respondents" BIGINT,
    "perceived_value" DOUBLE PRECISION,
    PRIMARY KEY ("subject_id", "period", "indicator_id")
);

CREATE TABLE panel_ratings (
    "rating_id" VARCHAR NOT NULL,
    "period" VARCHAR,
    "rater_kind" VARCHAR,
    "rater_id" VARCHAR,
    "blind_code" VARCHAR,
    "score" DOUBLE PRECISION,
    PRIMARY KEY ("rating_id")
);

CREATE TABLE blinding (
    "blind_code" VARCHAR NOT NULL,
    "period" VARCHAR NOT NULL,
    "subject_id" VARCHAR,
    PRIMARY KEY ("blind_code", "period")
);

CREATE TABLE behaviour (
    "subject_id" VARCHAR NOT NULL,
    "period" VARCHAR NOT NULL,
    "repurchase_rate" DOUBLE PRECISION,
    "recommendation_rate" DOUBLE PRECISION,
    PRIMARY KEY ("subject_id", "period")
);

CREATE TABLE calendar (
    "window_id" VARCHAR NOT NULL,
    "kind" VARCHAR,
    "name" VARCHAR,
    "start_date" DATE,
    "end_date" DATE,
    "context" VARCHAR,
    PRIMARY KEY ("window_id")
);

CREATE TABLE trials (
    "trial_id" VARCHAR NOT NULL,
    "product_id" VARCHAR,
    "skin_type" VARCHAR,
    "problems" VARCHAR[],
    "at" TIMESTAMPTZ,
    PRIMARY KEY ("trial_id")
);

CREATE TABLE api_keys (key_id VARCHAR PRIMARY KEY, key_hash VARCHAR NOT NULL UNIQUE, role VARCHAR NOT NULL, subject_id VARCHAR, created_at TIMESTAMPTZ NOT NULL, revoked BOOLEAN NOT NULL DEFAULT false);

CREATE TABLE case_secrets (case_id VARCHAR PRIMARY KEY, secret_hash VARCHAR NOT NULL);

CREATE TABLE idempotency (scope VARCHAR NOT NULL, idem_key VARCHAR NOT NULL, request_hash VARCHAR NOT NULL, status INTEGER NOT NULL, body VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (scope, idem_key));
