/**
 * The PostgreSQL store's schema, one step per version (kept in `proctorkit_schema`). A database is
 * brought up to date when the store first uses it, under an advisory lock so that instances
 * starting together migrate once; steps are only ever added.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: sessions and their logs.
  `CREATE TABLE sessions (
     session_id   text PRIMARY KEY,
     exam_id      text NOT NULL,
     candidate_id text NOT NULL,
     open         boolean NOT NULL,
     last_seq     bigint NOT NULL DEFAULT 0,
     created      bigserial,
     record       jsonb NOT NULL,
     UNIQUE (exam_id, candidate_id)
   );
   CREATE INDEX sessions_open ON sessions (open) WHERE open;
   CREATE TABLE events (
     session_id      text NOT NULL REFERENCES sessions (session_id),
     seq             bigint NOT NULL,
     client_event_id text,
     event           jsonb NOT NULL,
     PRIMARY KEY (session_id, seq)
   );
   CREATE UNIQUE INDEX events_client_id ON events (session_id, client_event_id) WHERE client_event_id IS NOT NULL;`,
  // 2: people whose access the host revoked.
  `CREATE TABLE revocations (
     person_key text PRIMARY KEY,
     revoked_at bigint NOT NULL
   );`,
  // 3: phone pairings waiting for their phone: a row per key (the link's and the code's hash).
  `CREATE TABLE pairings (
     key_hash   text PRIMARY KEY,
     pairing_id text NOT NULL,
     session_id text NOT NULL,
     link_hash  text NOT NULL,
     code_hash  text NOT NULL,
     expires_at bigint NOT NULL,
     used_until bigint
   );
   CREATE INDEX pairings_session ON pairings (session_id);
   CREATE INDEX pairings_pairing ON pairings (pairing_id);`,
  // 4: what the media provider keeps of each session (the Chime meeting and its attendees).
  `CREATE TABLE provider_records (
     session_id text PRIMARY KEY,
     record     jsonb NOT NULL
   );`,
  // 5: when each session ended and whether it still holds media (recording runs, identity photos),
  // read from its record, so a retention sweep finds what to delete through an index. (`->` answers
  // NULL, not an error, where the record has no such array.)
  `ALTER TABLE sessions
     ADD COLUMN ended_at bigint,
     ADD COLUMN holds_media boolean NOT NULL DEFAULT false;
   UPDATE sessions SET
     ended_at = (record -> 'clock' ->> 'endedAt')::bigint,
     holds_media = record -> 'recordings' -> 0 IS NOT NULL OR record -> 'identity' -> 'photos' -> 0 IS NOT NULL;
   CREATE INDEX sessions_ended_with_media ON sessions (ended_at, created) WHERE holds_media AND ended_at IS NOT NULL;`,
  // 6: the webhook outbox: one delivery per (event, endpoint), queued in the event's commit, and
  // the endpoints that answered 410 Gone.
  `CREATE TABLE webhook_deliveries (
     delivery_id     text PRIMARY KEY,
     endpoint_id     text NOT NULL,
     session_id      text NOT NULL,
     seq             bigint NOT NULL,
     state           text NOT NULL,
     attempts        integer NOT NULL DEFAULT 0,
     next_attempt_at bigint NOT NULL,
     created_at      bigint NOT NULL,
     created         bigserial,
     last_attempt_at bigint,
     last_status     integer,
     last_error      text
   );
   CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
   CREATE INDEX webhook_deliveries_session ON webhook_deliveries (session_id, created);
   CREATE TABLE webhook_disabled_endpoints (
     endpoint_id text PRIMARY KEY,
     config      text NOT NULL,
     disabled_at bigint NOT NULL
   );`,
];
