package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"
)

// Store is the client's local SQLite file: the cached catalog and element
// sets, the events received on each feed channel with the channel's cursor,
// and the outbox of actions waiting to reach the server. The app reads it
// with no network; everything the server sends is applied to it first.
type Store struct {
	db *sql.DB
}

const schema = `
CREATE TABLE IF NOT EXISTS element_sets (
	norad     INTEGER NOT NULL,
	epoch_ms  INTEGER NOT NULL,
	name      TEXT NOT NULL DEFAULT '',
	body      BLOB NOT NULL,          -- the element set as the server sent it (JSON)
	PRIMARY KEY (norad, epoch_ms)
);
CREATE TABLE IF NOT EXISTS cursors (
	channel TEXT PRIMARY KEY,
	seq     INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
	channel     TEXT NOT NULL,
	seq         INTEGER NOT NULL,
	kind        TEXT NOT NULL DEFAULT '',
	payload     BLOB NOT NULL,
	received_ms INTEGER NOT NULL,
	PRIMARY KEY (channel, seq)
);
CREATE TABLE IF NOT EXISTS outbox (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	idem_key    TEXT NOT NULL UNIQUE,
	method      TEXT NOT NULL,
	path        TEXT NOT NULL,
	content_type TEXT NOT NULL DEFAULT 'application/json',
	body        BLOB,
	summary     TEXT NOT NULL DEFAULT '',
	created_ms  INTEGER NOT NULL,
	state       TEXT NOT NULL DEFAULT 'queued',  -- queued, done, conflict, rejected
	attempts    INTEGER NOT NULL DEFAULT 0,
	status      INTEGER NOT NULL DEFAULT 0,
	response    BLOB,
	last_error  TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS conflicts (  -- outbox actions answered with a conflict (annotations.go)
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	action_id    INTEGER NOT NULL UNIQUE REFERENCES outbox(id),
	applied      INTEGER NOT NULL,      -- 1: the server kept it (a note), 0: refused
	code         TEXT NOT NULL DEFAULT '',
	message      TEXT NOT NULL DEFAULT '',
	event_id     INTEGER NOT NULL DEFAULT 0,
	seen_ms      INTEGER NOT NULL DEFAULT 0,
	server_ms    INTEGER NOT NULL DEFAULT 0,
	event        BLOB,
	created_ms   INTEGER NOT NULL,
	dismissed_ms INTEGER NOT NULL DEFAULT 0
);
`

// OpenStore opens (creating if needed) the local store at path.
func OpenStore(path string) (*Store, error) {
	dsn := "file:" + path + "?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sync: opening %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer; the cache is small and local
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("sync: creating the local store in %s: %w", path, err)
	}
	return &Store{db: db}, nil
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// ErrGap: an event's sequence number skips past the channel's cursor; the
// caller must resume the channel from Cursor instead of applying it.
var ErrGap = errors.New("sync: gap in channel sequence")

// Cursor is the last sequence number applied on channel (0 before any).
func (s *Store) Cursor(ctx context.Context, channel string) (int64, error) {
	var seq int64
	err := s.db.QueryRowContext(ctx, `SELECT seq FROM cursors WHERE channel = ?`, channel).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("sync: cursor of %s: %w", channel, err)
	}
	return seq, nil
}

// ApplyEvent stores one event and advances the channel's cursor in one
// transaction, so that a crash leaves either both or neither. An event at
// or below the cursor is a duplicate (a replay after reconnecting) and is
// ignored: applied reports false. An event beyond cursor+1 returns ErrGap.
func (s *Store) ApplyEvent(ctx context.Context, channel string, seq int64, kind string, payload []byte) (applied bool, err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("sync: applying %s #%d: %w", channel, seq, err)
	}
	defer tx.Rollback()
	var cur int64
	err = tx.QueryRowContext(ctx, `SELECT seq FROM cursors WHERE channel = ?`, channel).Scan(&cur)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("sync: applying %s #%d: %w", channel, seq, err)
	}
	switch {
	case seq <= cur:
		return false, nil
	case seq > cur+1:
		return false, fmt.Errorf("%w: %s has #%d, got #%d", ErrGap, channel, cur, seq)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO events (channel, seq, kind, payload, received_ms) VALUES (?, ?, ?, ?, ?)`,
		channel, seq, kind, payload, time.Now().UnixMilli()); err != nil {
		return false, fmt.Errorf("sync: applying %s #%d: %w", channel, seq, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO cursors (channel, seq) VALUES (?, ?)
		ON CONFLICT (channel) DO UPDATE SET seq = excluded.seq`, channel, seq); err != nil {
		return false, fmt.Errorf("sync: applying %s #%d: %w", channel, seq, err)
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("sync: applying %s #%d: %w", channel, seq, err)
	}
	return true, nil
}

// Event is one stored feed event.
type Event struct {
	Channel string
	Seq     int64
	Kind    string
	Payload []byte
}

// Events returns channel's stored events with seq > after, in order.
func (s *Store) Events(ctx context.Context, channel string, after int64) ([]Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, kind, payload FROM events WHERE channel = ? AND seq > ? ORDER BY seq`, channel, after)
	if err != nil {
		return nil, fmt.Errorf("sync: reading %s: %w", channel, err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		e := Event{Channel: channel}
		if err := rows.Scan(&e.Seq, &e.Kind, &e.Payload); err != nil {
			return nil, fmt.Errorf("sync: reading %s: %w", channel, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// PutElementSet caches one element set (the server's JSON body); the same
// NORAD number and epoch replaces the earlier copy.
func (s *Store) PutElementSet(ctx context.Context, norad int, epoch time.Time, name string, body []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO element_sets (norad, epoch_ms, name, body) VALUES (?, ?, ?, ?)
		ON CONFLICT (norad, epoch_ms) DO UPDATE SET name = excluded.name, body = excluded.body`,
		norad, epoch.UTC().UnixMilli(), name, body)
	if err != nil {
		return fmt.Errorf("sync: caching %d at %s: %w", norad, epoch.UTC().Format(time.RFC3339), err)
	}
	return nil
}

// LatestElementSets returns the newest cached element set of every object,
// ordered by NORAD number: what the app loads when it starts offline.
func (s *Store) LatestElementSets(ctx context.Context) ([][]byte, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT e.body FROM element_sets e
		JOIN (SELECT norad, MAX(epoch_ms) AS m FROM element_sets GROUP BY norad) l
		ON e.norad = l.norad AND e.epoch_ms = l.m ORDER BY e.norad`)
	if err != nil {
		return nil, fmt.Errorf("sync: reading the cached catalog: %w", err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("sync: reading the cached catalog: %w", err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}
