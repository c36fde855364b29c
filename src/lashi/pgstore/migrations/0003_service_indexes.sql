-- v3: indexes for the API's lookups by case, by order and by session, an index for evidence
-- look-ups by ref, and a sequence every write transaction of the case service draws from (the
-- data version that per-process caches of derived results compare, without a hot counter row).
CREATE INDEX case_events_case_idx ON case_events (case_id, "at");
CREATE INDEX case_events_kind_idx ON case_events (kind, case_id);
CREATE INDEX messages_case_idx ON messages (case_id, "at");
CREATE INDEX surveys_case_idx ON surveys (case_id);
CREATE INDEX cases_order_idx ON cases (order_id);
CREATE INDEX orders_session_idx ON orders (session_id);
CREATE INDEX live_sessions_streamer_idx ON live_sessions (streamer_id);
CREATE INDEX evidence_entries_ref_idx ON evidence_entries (ref, seq);
CREATE SEQUENCE lashi_write_seq;
