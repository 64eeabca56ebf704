/**
 * The SQLite store's schema, one step per version (`PRAGMA user_version`). A database is brought
 * up to date when the store opens it, each step in its own transaction; steps are only ever added.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: sessions and their logs.
  `CREATE TABLE sessions (
     session_id   TEXT PRIMARY KEY,
     exam_id      TEXT NOT NULL,
     candidate_id TEXT NOT NULL,
     open         INTEGER NOT NULL,
     record       TEXT NOT NULL,
     UNIQUE (exam_id, candidate_id)
   );
   CREATE INDEX sessions_open ON sessions (open) WHERE open = 1;
   CREATE TABLE events (
     session_id      TEXT NOT NULL,
     seq             INTEGER NOT NULL,
     client_event_id TEXT,
     event           TEXT NOT NULL,
     PRIMARY KEY (session_id, seq)
   ) WITHOUT ROWID;
   CREATE UNIQUE INDEX events_client_id ON events (session_id, client_event_id) WHERE client_event_id IS NOT NULL;`,
  // 2: people whose access the host revoked.
  `CREATE TABLE revocations (
     person_key TEXT PRIMARY KEY,
     revoked_at INTEGER NOT NULL
   ) WITHOUT ROWID;`,
  // 3: phone pairings waiting for their phone: a row per key (the link's and the code's hash).
  `CREATE TABLE pairings (
     key_hash   TEXT PRIMARY KEY,
     pairing_id TEXT NOT NULL,
     session_id TEXT NOT NULL,
     link_hash  TEXT NOT NULL,
     code_hash  TEXT NOT NULL,
     expires_at INTEGER NOT NULL,
     used_until INTEGER
   ) WITHOUT ROWID;
   CREATE INDEX pairings_session ON pairings (session_id);
   CREATE INDEX pairings_pairing ON pairings (pairing_id);`,
  // 4: what the media provider keeps of each session (the Chime meeting and its attendees).
  `CREATE TABLE provider_records (
     session_id TEXT PRIMARY KEY,
     record     TEXT NOT NULL
   ) WITHOUT ROWID;`,
  // 5: when each session ended and whether it still holds media (recording runs, identity photos),
  // read from its record, so a retention sweep finds what to delete through an index.
  `ALTER TABLE sessions ADD COLUMN ended_at INTEGER;
   ALTER TABLE sessions ADD COLUMN holds_media INTEGER NOT NULL DEFAULT 0;
   UPDATE sessions SET
     ended_at = json_extract(record, '$.clock.endedAt'),
     holds_media = COALESCE(json_array_length(record, '$.recordings'), 0) > 0
                OR COALESCE(json_array_length(record, '$.identity.photos'), 0) > 0;
   CREATE INDEX sessions_ended_with_media ON sessions (ended_at) WHERE holds_media = 1 AND ended_at IS NOT NULL;`,
  // 6: the webhook outbox: one delivery per (event, endpoint), queued in the event's commit, and
  // the endpoints that answered 410 Gone.
  `CREATE TABLE webhook_deliveries (
     delivery_id     TEXT PRIMARY KEY,
     endpoint_id     TEXT NOT NULL,
     session_id      TEXT NOT NULL,
     seq             INTEGER NOT NULL,
     state           TEXT NOT NULL,
     attempts        INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     created_at      INTEGER NOT NULL,
     last_attempt_at INTEGER,
     last_status     INTEGER,
     last_error      TEXT
   );
   CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
   CREATE INDEX webhook_deliveries_session ON webhook_deliveries (session_id);
   CREATE TABLE webhook_disabled_endpoints (
     endpoint_id TEXT PRIMARY KEY,
     config      TEXT NOT NULL,
     disabled_at INTEGER NOT NULL
   ) WITHOUT ROWID;`,
];
