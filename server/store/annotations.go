package store

import (
	"context"
	"time"
)

// Note is a user's note on a conjunction event. SeenUpdatedAt is the
// version of the event (Conjunction.UpdatedAt) the author's client showed
// when the note was written; EventUpdatedAt is the version the server held
// when it stored the note. They differ when a new estimate arrived in
// between (the note is kept all the same: see Conflict).
type Note struct {
	ID             int64
	ConjunctionID  int64
	Author         string // principal subject
	Text           string
	SeenUpdatedAt  time.Time
	EventUpdatedAt time.Time
	CreatedAt      time.Time
}

// Conflict reports that the note was written against an older version of
// the event than the one the server held when it stored it.
func (n Note) Conflict() bool { return !n.SeenUpdatedAt.Equal(n.EventUpdatedAt) }

// Ack is a user's acknowledgement of one version of a conjunction event:
// SeenUpdatedAt is the version acknowledged, which was the event's current
// one when the ack was stored. A later estimate leaves it stale (it no
// longer acknowledges the event as it now stands).
type Ack struct {
	ID            int64
	ConjunctionID int64
	Author        string
	Comment       string
	SeenUpdatedAt time.Time
	CreatedAt     time.Time
}

// AnnotationReader reads notes and acknowledgements of conjunction events.
type AnnotationReader interface {
	// Notes returns at most limit notes of a conjunction with ID > after,
	// oldest first.
	Notes(ctx context.Context, conjunctionID, after int64, limit int) ([]Note, error)
	// Acks returns at most limit acknowledgements of a conjunction, newest
	// first.
	Acks(ctx context.Context, conjunctionID int64, limit int) ([]Ack, error)
}

// AnnotationTx is the annotation part of a write transaction (implemented
// by the same types as Tx; callers type-assert the Tx they are given).
type AnnotationTx interface {
	AnnotationReader
	// AddNote stores a note; ID is set. The conjunction must exist
	// (ErrNotFound otherwise).
	AddNote(ctx context.Context, n Note) (Note, error)
	// AddAck stores an acknowledgement; ID is set. added is false, and the
	// stored one is returned, when the same author already acknowledged
	// the same version. The conjunction must exist (ErrNotFound otherwise).
	AddAck(ctx context.Context, a Ack) (Ack, bool, error)
}

// AnnotationStore is implemented by the stores (the same types as Store)
// that keep notes and acknowledgements: reads on the store, writes inside
// Update through a Tx that is also an AnnotationTx.
type AnnotationStore interface {
	AnnotationReader
	Store
}
