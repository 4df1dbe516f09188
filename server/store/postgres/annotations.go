package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/astroshield/astroshield/server/store"
)

var (
	_ store.AnnotationStore = (*DB)(nil)
	_ store.AnnotationTx    = (*tx)(nil)
)

const (
	noteCols = "id, conjunction_id, author, text, seen_updated_at, event_updated_at, created_at"
	ackCols  = "id, conjunction_id, author, comment, seen_updated_at, created_at"

	codeForeignKeyViolation = "23503"
)

func scanNote(s scanner) (store.Note, error) {
	var n store.Note
	var seen, ev, c int64
	err := s.Scan(&n.ID, &n.ConjunctionID, &n.Author, &n.Text, &seen, &ev, &c)
	n.SeenUpdatedAt, n.EventUpdatedAt, n.CreatedAt = unms(seen), unms(ev), unms(c)
	return n, err
}

func scanAck(s scanner) (store.Ack, error) {
	var a store.Ack
	var seen, c int64
	err := s.Scan(&a.ID, &a.ConjunctionID, &a.Author, &a.Comment, &seen, &c)
	a.SeenUpdatedAt, a.CreatedAt = unms(seen), unms(c)
	return a, err
}

// Notes lists a conjunction's notes by ID.
func (r reader) Notes(ctx context.Context, conjunctionID, after int64, n int) ([]store.Note, error) {
	return list(ctx, r, scanNote, "SELECT "+noteCols+" FROM conjunction_notes WHERE conjunction_id = $1 AND id > $2 ORDER BY id LIMIT $3",
		conjunctionID, after, limit(n))
}

// Acks lists a conjunction's acknowledgements, newest first.
func (r reader) Acks(ctx context.Context, conjunctionID int64, n int) ([]store.Ack, error) {
	return list(ctx, r, scanAck, "SELECT "+ackCols+" FROM conjunction_acks WHERE conjunction_id = $1 ORDER BY id DESC LIMIT $2",
		conjunctionID, limit(n))
}

// noConjunction maps a foreign-key violation (no such conjunction) to
// store.ErrNotFound. The statement has aborted the transaction, so the
// caller's Update fails as a whole, as it would on SQLite.
func (t *tx) noConjunction(err error, what string, id int64) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == codeForeignKeyViolation {
		return fmt.Errorf("%s: conjunction %d: %w", what, id, store.ErrNotFound)
	}
	return t.wrap(err, what)
}

func (t *tx) AddNote(ctx context.Context, n store.Note) (store.Note, error) {
	err := t.q.QueryRow(ctx, `INSERT INTO conjunction_notes (conjunction_id, author, text, seen_updated_at, event_updated_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		n.ConjunctionID, n.Author, n.Text, ms(n.SeenUpdatedAt), ms(n.EventUpdatedAt), ms(n.CreatedAt)).Scan(&n.ID)
	if err != nil {
		return n, t.noConjunction(err, "add note", n.ConjunctionID)
	}
	n.SeenUpdatedAt, n.EventUpdatedAt, n.CreatedAt = unms(ms(n.SeenUpdatedAt)), unms(ms(n.EventUpdatedAt)), unms(ms(n.CreatedAt))
	return n, nil
}

func (t *tx) AddAck(ctx context.Context, a store.Ack) (store.Ack, bool, error) {
	err := t.q.QueryRow(ctx, `INSERT INTO conjunction_acks (conjunction_id, author, comment, seen_updated_at, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (conjunction_id, author, seen_updated_at) DO NOTHING RETURNING id`,
		a.ConjunctionID, a.Author, a.Comment, ms(a.SeenUpdatedAt), ms(a.CreatedAt)).Scan(&a.ID)
	if errors.Is(err, pgx.ErrNoRows) {
		// Nothing inserted: this author already acknowledged this version.
		prev, err := scanAck(t.q.QueryRow(ctx, "SELECT "+ackCols+" FROM conjunction_acks WHERE conjunction_id = $1 AND author = $2 AND seen_updated_at = $3",
			a.ConjunctionID, a.Author, ms(a.SeenUpdatedAt)))
		return prev, false, t.wrap(err, "add ack")
	} else if err != nil {
		return a, false, t.noConjunction(err, "add ack", a.ConjunctionID)
	}
	a.SeenUpdatedAt, a.CreatedAt = unms(ms(a.SeenUpdatedAt)), unms(ms(a.CreatedAt))
	return a, true, nil
}
