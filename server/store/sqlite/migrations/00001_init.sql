-- +goose Up
CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  password_hash BLOB NOT NULL,
  role          INTEGER NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);
CREATE TABLE api_keys (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  secret_hash BLOB NOT NULL,
  role        INTEGER NOT NULL,
  created_by  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  revoked_at  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE signing_keys (
  kid         TEXT PRIMARY KEY,
  private_key BLOB NOT NULL,
  public_key  BLOB NOT NULL,
  created_at  INTEGER NOT NULL,
  retire_at   INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE refresh_tokens (
  hash       BLOB PRIMARY KEY,
  family_id  TEXT NOT NULL,
  user_id    INTEGER NOT NULL REFERENCES users(id),
  expires_at INTEGER NOT NULL,
  used_at    INTEGER NOT NULL DEFAULT 0,
  revoked_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id);
CREATE TABLE objects (
  norad      INTEGER PRIMARY KEY,
  name       TEXT NOT NULL DEFAULT '',
  cospar     TEXT NOT NULL DEFAULT '',
  epoch      INTEGER NOT NULL,
  sets       INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL
);
CREATE INDEX objects_name ON objects(name COLLATE NOCASE);
CREATE INDEX objects_cospar ON objects(cospar);
CREATE TABLE element_sets (
  id       INTEGER PRIMARY KEY,
  norad    INTEGER NOT NULL REFERENCES objects(norad),
  epoch    INTEGER NOT NULL,
  format   TEXT NOT NULL,
  body     TEXT NOT NULL,
  received INTEGER NOT NULL,
  UNIQUE (norad, epoch)
);
CREATE TABLE screening_jobs (
  id          TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  state       TEXT NOT NULL,
  params      TEXT NOT NULL,
  progress    REAL NOT NULL DEFAULT 0,
  stage       TEXT NOT NULL DEFAULT '',
  error       TEXT NOT NULL DEFAULT '',
  events      INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  finished_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX screening_jobs_owner ON screening_jobs(owner, created_at);
CREATE TABLE conjunctions (
  id               INTEGER PRIMARY KEY,
  norad_1          INTEGER NOT NULL,
  norad_2          INTEGER NOT NULL,
  tca_minute       INTEGER NOT NULL,
  tca              INTEGER NOT NULL,
  miss_km          REAL NOT NULL,
  rel_speed_km_s   REAL NOT NULL,
  pc               REAL NOT NULL,
  job_id           TEXT NOT NULL DEFAULT '',
  updated_at       INTEGER NOT NULL,
  UNIQUE (norad_1, norad_2, tca_minute)
);
CREATE TABLE conjunction_history (
  id             INTEGER PRIMARY KEY,
  conjunction_id INTEGER NOT NULL REFERENCES conjunctions(id),
  at             INTEGER NOT NULL,
  tca            INTEGER NOT NULL,
  miss_km        REAL NOT NULL,
  pc             REAL NOT NULL,
  source         TEXT NOT NULL
);
CREATE TABLE cdms (
  id         INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL,
  norad_1    INTEGER NOT NULL,
  norad_2    INTEGER NOT NULL,
  tca        INTEGER NOT NULL,
  miss_km    REAL NOT NULL,
  body       TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE maneuvers (
  id          INTEGER PRIMARY KEY,
  norad       INTEGER NOT NULL,
  epoch       INTEGER NOT NULL,
  delta_v_m_s REAL NOT NULL,
  kind        TEXT NOT NULL,
  confidence  REAL NOT NULL,
  detected_at INTEGER NOT NULL,
  UNIQUE (norad, epoch)
);
CREATE TABLE indicators (
  id         INTEGER PRIMARY KEY,
  norad      INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  value      REAL NOT NULL,
  detail     TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE assessments (
  id         INTEGER PRIMARY KEY,
  norad      INTEGER NOT NULL,
  level      TEXT NOT NULL,
  summary    TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE models (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE webhooks (
  id          TEXT PRIMARY KEY,
  owner       TEXT NOT NULL,
  url         TEXT NOT NULL,
  event_types TEXT NOT NULL,
  secret      BLOB NOT NULL,
  created_at  INTEGER NOT NULL,
  disabled    INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE webhook_deliveries (
  id          INTEGER PRIMARY KEY,
  webhook_id  TEXT NOT NULL REFERENCES webhooks(id),
  channel     TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  attempt     INTEGER NOT NULL,
  status      INTEGER NOT NULL,
  error       TEXT NOT NULL DEFAULT '',
  at          INTEGER NOT NULL
);
CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT NOT NULL,
  detail    TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash      BLOB NOT NULL
);
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
-- +goose StatementEnd
CREATE TABLE idempotency_keys (
  scope        TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash BLOB NOT NULL,
  status       INTEGER NOT NULL,
  body         BLOB NOT NULL,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE TABLE feed_events (
  channel TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  kind    TEXT NOT NULL,
  payload BLOB NOT NULL,
  at      INTEGER NOT NULL,
  PRIMARY KEY (channel, seq)
);

-- +goose Down
DROP TABLE feed_events;
DROP TABLE idempotency_keys;
DROP TRIGGER audit_log_no_delete;
DROP TRIGGER audit_log_no_update;
DROP TABLE audit_log;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE models;
DROP TABLE assessments;
DROP TABLE indicators;
DROP TABLE maneuvers;
DROP TABLE cdms;
DROP TABLE conjunction_history;
DROP TABLE conjunctions;
DROP TABLE screening_jobs;
DROP TABLE element_sets;
DROP TABLE objects;
DROP TABLE refresh_tokens;
DROP TABLE signing_keys;
DROP TABLE api_keys;
DROP TABLE users;
