package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/astroshield/astroshield/server/store"
)

var (
	_ store.AnnotationStore = (*DB)(nil)
	_ store.AnnotationTx    = (*tx)(nil)
)

const (
	noteCols = "id, conjunction_id, author, text, seen_updated_at, event_updated_at, created_at"
	ackCols  = "id, conjunction_id, author, comment, seen_updated_at, created_at"
)

func scanNote(s interface{ Scan(...any) error }) (store.Note, error) {
	var n store.Note
	var seen, ev, c int64
	err := s.Scan(&n.ID, &n.ConjunctionID, &n.Author, &n.Text, &seen, &ev, &c)
	n.SeenUpdatedAt, n.EventUpdatedAt, n.CreatedAt = unms(seen), unms(ev), unms(c)
	return n, err
}

func scanAck(s interface{ Scan(...any) error }) (store.Ack, error) {
	var a store.Ack
	var seen, c int64
	err := s.Scan(&a.ID, &a.ConjunctionID, &a.Author, &a.Comment, &seen, &c)
	a.SeenUpdatedAt, a.CreatedAt = unms(seen), unms(c)
	return a, err
}

// Notes lists a conjunction's notes by ID.
func (r reader) Notes(ctx context.Context, conjunctionID, after int64, n int) ([]store.Note, error) {
	return list(ctx, r.q, scanNote, "SELECT "+noteCols+" FROM conjunction_notes WHERE conjunction_id = ? AND id > ? ORDER BY id LIMIT ?",
		conjunctionID, after, limit(n))
}

// Acks lists a conjunction's acknowledgements, newest first.
func (r reader) Acks(ctx context.Context, conjunctionID int64, n int) ([]store.Ack, error) {
	return list(ctx, r.q, scanAck, "SELECT "+ackCols+" FROM conjunction_acks WHERE conjunction_id = ? ORDER BY id DESC LIMIT ?",
		conjunctionID, limit(n))
}

// fkMissing maps a foreign-key failure (no such conjunction) to ErrNotFound.
func fkMissing(err error, what string, id int64) error {
	if err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed") {
		return fmt.Errorf("%s: conjunction %d: %w", what, id, store.ErrNotFound)
	}
	return err
}

func (t *tx) AddNote(ctx context.Context, n store.Note) (store.Note, error) {
	err := t.q.QueryRowContext(ctx, `INSERT INTO conjunction_notes (conjunction_id, author, text, seen_updated_at, event_updated_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		n.ConjunctionID, n.Author, n.Text, ms(n.SeenUpdatedAt), ms(n.EventUpdatedAt), ms(n.CreatedAt)).Scan(&n.ID)
	if err != nil {
		if e := fkMissing(err, "add note", n.ConjunctionID); e != err {
			return n, e
		}
		return n, fmt.Errorf("sqlite: add note: %w", err)
	}
	// Hand back the stored precision (milliseconds), as a read would.
	n.SeenUpdatedAt, n.EventUpdatedAt, n.CreatedAt = unms(ms(n.SeenUpdatedAt)), unms(ms(n.EventUpdatedAt)), unms(ms(n.CreatedAt))
	return n, nil
}

func (t *tx) AddAck(ctx context.Context, a store.Ack) (store.Ack, bool, error) {
	err := t.q.QueryRowContext(ctx, `INSERT INTO conjunction_acks (conjunction_id, author, comment, seen_updated_at, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (conjunction_id, author, seen_updated_at) DO NOTHING RETURNING id`,
		a.ConjunctionID, a.Author, a.Comment, ms(a.SeenUpdatedAt), ms(a.CreatedAt)).Scan(&a.ID)
	if err := notFound(err, "add ack"); errors.Is(err, store.ErrNotFound) {
		// Nothing inserted: this author already acknowledged this version.
		prev, err := scanAck(t.q.QueryRowContext(ctx, "SELECT "+ackCols+" FROM conjunction_acks WHERE conjunction_id = ? AND author = ? AND seen_updated_at = ?",
			a.ConjunctionID, a.Author, ms(a.SeenUpdatedAt)))
		return prev, false, notFound(err, "add ack")
	} else if err != nil {
		return a, false, fkMissing(err, "add ack", a.ConjunctionID)
	}
	a.SeenUpdatedAt, a.CreatedAt = unms(ms(a.SeenUpdatedAt)), unms(ms(a.CreatedAt))
	return a, true, nil
}
