-- Notes on and acknowledgements of conjunction events. Times are Unix
-- milliseconds as in 00001; seen_updated_at is the event version
-- (conjunctions.updated_at) the author's client showed.
-- +goose Up
CREATE TABLE conjunction_notes (
  id               INTEGER PRIMARY KEY,
  conjunction_id   INTEGER NOT NULL REFERENCES conjunctions(id),
  author           TEXT NOT NULL,
  text             TEXT NOT NULL,
  seen_updated_at  INTEGER NOT NULL,
  event_updated_at INTEGER NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE INDEX conjunction_notes_conjunction ON conjunction_notes(conjunction_id, id);
CREATE TABLE conjunction_acks (
  id              INTEGER PRIMARY KEY,
  conjunction_id  INTEGER NOT NULL REFERENCES conjunctions(id),
  author          TEXT NOT NULL,
  comment         TEXT NOT NULL DEFAULT '',
  seen_updated_at INTEGER NOT NULL,
  created_at      INTEGER NOT NULL,
  UNIQUE (conjunction_id, author, seen_updated_at)
);

-- +goose Down
DROP TABLE conjunction_acks;
DROP INDEX conjunction_notes_conjunction;
DROP TABLE conjunction_notes;
