-- +goose Up
-- The CCDM tables of 00001 were never written (the store had no methods for
-- them), so they are recreated with the columns the CCDM store needs.
DROP TABLE indicators;
DROP TABLE assessments;
DROP TABLE models;
CREATE TABLE indicators (
  id           INTEGER PRIMARY KEY,
  norad        INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  pattern      TEXT NOT NULL DEFAULT '',
  value        REAL NOT NULL,
  epoch        INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  window_end   INTEGER NOT NULL,
  method       TEXT NOT NULL,
  detail       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  UNIQUE (norad, kind, pattern, epoch)
);
CREATE INDEX indicators_norad ON indicators(norad, id);
CREATE TABLE assessments (
  id            INTEGER PRIMARY KEY,
  norad         INTEGER NOT NULL,
  at            INTEGER NOT NULL,
  status        TEXT NOT NULL,
  level         TEXT NOT NULL,
  score         REAL NOT NULL,
  indicator_ids TEXT NOT NULL,
  window_start  INTEGER NOT NULL,
  window_end    INTEGER NOT NULL,
  sets_used     INTEGER NOT NULL,
  method        TEXT NOT NULL,
  summary       TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  UNIQUE (norad, at)
);
CREATE TABLE models (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL,
  sha256     TEXT NOT NULL,
  bytes      INTEGER NOT NULL,
  active     INTEGER NOT NULL DEFAULT 0,
  detail     TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE models;
DROP TABLE assessments;
DROP TABLE indicators;
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
