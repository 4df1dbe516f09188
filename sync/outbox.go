package sync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Outbox states.
const (
	StateQueued   = "queued"   // waiting to be sent
	StateDone     = "done"     // the server answered 2xx
	StateConflict = "conflict" // 409/412: the server's copy changed meanwhile (server wins; kept as a Conflict for the user, never resent)
	StateRejected = "rejected" // another 4xx: the server refused it for good (shown to the user)
)

// Action is one queued request.
type Action struct {
	ID          int64
	Key         string // Idempotency-Key, fixed when queued, the same on every retry
	Method      string
	Path        string
	ContentType string
	Body        []byte
	Summary     string // what the user did, for the outbox list ("note on event 123")
	Created     time.Time
	State       string
	Attempts    int
	Status      int
	Response    []byte
	LastError   string
}

// Enqueue stores an action durably before anything is sent: it survives a
// crash or a closed laptop and is sent by the next Flush.
func (s *Store) Enqueue(ctx context.Context, method, path, contentType string, body []byte, summary string) (Action, error) {
	var k [16]byte
	if _, err := rand.Read(k[:]); err != nil {
		return Action{}, fmt.Errorf("sync: idempotency key: %w", err)
	}
	a := Action{Key: hex.EncodeToString(k[:]), Method: method, Path: path, ContentType: contentType,
		Body: body, Summary: summary, Created: time.Now().UTC(), State: StateQueued}
	if a.ContentType == "" {
		a.ContentType = "application/json"
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO outbox (idem_key, method, path, content_type, body, summary, created_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, a.Key, a.Method, a.Path, a.ContentType, a.Body, a.Summary, a.Created.UnixMilli())
	if err != nil {
		return Action{}, fmt.Errorf("sync: queueing %s %s: %w", method, path, err)
	}
	a.ID, _ = res.LastInsertId()
	return a, nil
}

// Actions lists the outbox in queue order, optionally only one state.
func (s *Store) Actions(ctx context.Context, state string) ([]Action, error) {
	q := `SELECT id, idem_key, method, path, content_type, body, summary, created_ms, state, attempts, status, response, last_error FROM outbox`
	args := []any{}
	if state != "" {
		q += ` WHERE state = ?`
		args = append(args, state)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sync: reading the outbox: %w", err)
	}
	defer rows.Close()
	var out []Action
	for rows.Next() {
		var a Action
		var created int64
		if err := rows.Scan(&a.ID, &a.Key, &a.Method, &a.Path, &a.ContentType, &a.Body, &a.Summary, &created,
			&a.State, &a.Attempts, &a.Status, &a.Response, &a.LastError); err != nil {
			return nil, fmt.Errorf("sync: reading the outbox: %w", err)
		}
		a.Created = time.UnixMilli(created).UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// Sender sends one action with its Idempotency-Key and returns the HTTP
// status and body; an error means it did not get an answer (link down).
type Sender func(ctx context.Context, a Action) (status int, body []byte, err error)

// FlushResult counts what one Flush did. Flagged counts actions the
// server applied but answered with "conflict": true (a note on an event
// that changed meanwhile); they are in Sent too.
type FlushResult struct {
	Sent, Conflicts, Rejected, Remaining int
	Flagged                              int
}

// Flush sends the queued actions in order. It stops at the first action
// that gets no answer or a 5xx/429 (the link or the server is down: the
// action stays queued, order is kept, and the same key is sent next time,
// so the server applies it once). 2xx marks it done; 409/412 a conflict:
// the server's state wins and the action is kept, with the server's answer,
// for the user to see and redo; any other 4xx marks it rejected. A
// conflict, and a 2xx that says "conflict": true, is also recorded in the
// same transaction as a Conflict (Store.Conflicts) for the user to see.
func (s *Store) Flush(ctx context.Context, send Sender) (FlushResult, error) {
	var r FlushResult
	queued, err := s.Actions(ctx, StateQueued)
	if err != nil {
		return r, err
	}
	for i, a := range queued {
		status, body, sendErr := send(ctx, a)
		state, errText := StateQueued, ""
		switch {
		case sendErr != nil:
			errText = sendErr.Error()
		case status >= 200 && status < 300:
			state = StateDone
			r.Sent++
		case status == 409 || status == 412:
			state = StateConflict
			r.Conflicts++
		case status == 429 || status >= 500:
			errText = fmt.Sprintf("server answered %d", status)
		case status >= 400:
			state = StateRejected
			r.Rejected++
		default:
			errText = fmt.Sprintf("unexpected status %d", status)
		}
		var conflict *Conflict
		if sendErr == nil && state != StateQueued {
			if conflict = conflictOf(a, status, body); conflict != nil && conflict.Applied {
				r.Flagged++
			}
		}
		if err := s.recordOutcome(ctx, a, state, status, body, errText, conflict); err != nil {
			return r, err
		}
		if state == StateQueued {
			r.Remaining = len(queued) - i
			if sendErr != nil {
				return r, fmt.Errorf("sync: sending %s %s: %w", a.Method, a.Path, errors.Join(ErrOffline, sendErr))
			}
			return r, fmt.Errorf("sync: sending %s %s: %w: %s", a.Method, a.Path, ErrOffline, errText)
		}
	}
	return r, nil
}

// recordOutcome stores an action's answer and its conflict, if any, in one
// transaction.
func (s *Store) recordOutcome(ctx context.Context, a Action, state string, status int, body []byte, errText string, c *Conflict) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sync: recording the outcome of %s %s: %w", a.Method, a.Path, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = ?, attempts = attempts + 1, status = ?, response = ?, last_error = ? WHERE id = ?`,
		state, status, body, errText, a.ID); err != nil {
		return fmt.Errorf("sync: recording the outcome of %s %s: %w", a.Method, a.Path, err)
	}
	if c != nil {
		if err := recordConflict(ctx, tx, c); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sync: recording the outcome of %s %s: %w", a.Method, a.Path, err)
	}
	return nil
}

// ErrOffline: the server could not be reached or is not answering; queued
// actions wait for the next Flush.
var ErrOffline = errors.New("sync: server unavailable")

// QueuedCount is the number of actions waiting (the connection indicator's
// "offline, N queued").
func (s *Store) QueuedCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM outbox WHERE state = ?`, StateQueued).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sync: counting the outbox: %w", err)
	}
	return n, nil
}
