package sync

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/astroshield/astroshield/server/wire"
)

// Notes and acknowledgements of conjunction events go through the outbox
// like every other action; the server decides conflicts by the event
// version the user saw (server/wire/annotations.go). A note on an event
// that changed meanwhile is applied and flagged; an ack of a stale version
// is refused (409 event_changed). Either way Flush records a Conflict,
// listed by Conflicts until the user dismisses it: nothing is dropped
// silently and a refused action is never retried on its own.

// Annotation kinds of an outbox action (AnnotationTarget).
const (
	AnnotationNote = "note"
	AnnotationAck  = "ack"
)

// NotePath and AckPath are the endpoints of an event's notes and ack.
func NotePath(eventID int64) string { return fmt.Sprintf("/api/v1/conjunctions/%d/notes", eventID) }

// AckPath: see NotePath.
func AckPath(eventID int64) string { return fmt.Sprintf("/api/v1/conjunctions/%d/ack", eventID) }

// AnnotationTarget reads an action's path back: the event it annotates and
// AnnotationNote or AnnotationAck; ok is false for other actions.
func AnnotationTarget(a Action) (eventID int64, kind string, ok bool) {
	rest, found := strings.CutPrefix(a.Path, "/api/v1/conjunctions/")
	if !found || a.Method != "POST" {
		return 0, "", false
	}
	idText, tail, _ := strings.Cut(rest, "/")
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		return 0, "", false
	}
	switch tail {
	case "notes":
		return id, AnnotationNote, true
	case "ack":
		return id, AnnotationAck, true
	}
	return 0, "", false
}

// ErrAnnotation: a note or ack the server would refuse; nothing is queued.
var ErrAnnotation = errors.New("sync: invalid annotation")

func checkAnnotation(eventID int64, seen time.Time) error {
	if eventID <= 0 {
		return fmt.Errorf("%w: event id %d", ErrAnnotation, eventID)
	}
	if seen.IsZero() {
		return fmt.Errorf("%w: the event's version (updated_at) as the user saw it is unknown", ErrAnnotation)
	}
	return nil
}

// EnqueueNote queues a note on a server conjunction event; seen is the
// event's updated_at as the user saw it.
func (s *Store) EnqueueNote(ctx context.Context, eventID int64, seen time.Time, text string) (Action, error) {
	if err := checkAnnotation(eventID, seen); err != nil {
		return Action{}, err
	}
	if strings.TrimSpace(text) == "" {
		return Action{}, fmt.Errorf("%w: the note is empty", ErrAnnotation)
	}
	if len(text) > wire.MaxNoteBytes {
		return Action{}, fmt.Errorf("%w: the note is %d bytes, over the server's limit of %d", ErrAnnotation, len(text), wire.MaxNoteBytes)
	}
	b, err := json.Marshal(wire.NoteRequest{Text: text, SeenUpdatedAt: seen.UTC()})
	if err != nil {
		return Action{}, fmt.Errorf("sync: note: %w", err)
	}
	return s.Enqueue(ctx, "POST", NotePath(eventID), "application/json", b, fmt.Sprintf("note on event %d", eventID))
}

// EnqueueAck queues an acknowledgement of a server conjunction event as of
// seen (its updated_at as the user saw it).
func (s *Store) EnqueueAck(ctx context.Context, eventID int64, seen time.Time, comment string) (Action, error) {
	if err := checkAnnotation(eventID, seen); err != nil {
		return Action{}, err
	}
	if len(comment) > wire.MaxAckCommentBytes {
		return Action{}, fmt.Errorf("%w: the comment is %d bytes, over the server's limit of %d", ErrAnnotation, len(comment), wire.MaxAckCommentBytes)
	}
	b, err := json.Marshal(wire.AckRequest{SeenUpdatedAt: seen.UTC(), Comment: comment})
	if err != nil {
		return Action{}, fmt.Errorf("sync: ack: %w", err)
	}
	return s.Enqueue(ctx, "POST", AckPath(eventID), "application/json", b, fmt.Sprintf("acknowledge event %d", eventID))
}

// Conflict is an outbox action the server answered with a conflict: the
// event changed after the user acted on it. Applied is true when the server
// kept the action anyway (a note), false when it refused it (an ack of a
// stale version, or any 409/412), so the user has to redo it.
type Conflict struct {
	ID              int64
	Action          Action
	Applied         bool
	Code            string // the server's error code, e.g. "event_changed"; "" for an applied note
	Message         string
	EventID         int64
	SeenUpdatedAt   time.Time       // the version the user acted on
	ServerUpdatedAt time.Time       // the version the server held
	Event           json.RawMessage // the server's current event, if it sent one
	At              time.Time
	Dismissed       time.Time // zero while shown
}

// conflictAnswer is what Flush reads from an answer: a 2xx with
// "conflict": true, or a 409/412 with an error code, each with the current
// event.
type conflictAnswer struct {
	Conflict bool   `json:"conflict"`
	Message  string `json:"message"`
	Error    struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	SeenUpdatedAt time.Time       `json:"seen_updated_at"`
	Note          *wire.Note      `json:"note"`
	Event         json.RawMessage `json:"event"`
}

// conflictOf returns the conflict an answer reports, or nil.
func conflictOf(a Action, status int, body []byte) *Conflict {
	var ans conflictAnswer
	_ = json.Unmarshal(body, &ans) // a body that is not JSON still makes a 409 a conflict
	applied := status >= 200 && status < 300
	if !(applied && ans.Conflict) && status != 409 && status != 412 {
		return nil
	}
	c := &Conflict{Action: a, Applied: applied, Code: ans.Error.Code, Message: ans.Error.Message, Event: ans.Event,
		SeenUpdatedAt: ans.SeenUpdatedAt, At: time.Now().UTC()}
	if applied {
		c.Message = ans.Message
		if ans.Note != nil {
			c.SeenUpdatedAt = ans.Note.SeenUpdatedAt
		}
	}
	if c.Message == "" {
		c.Message = fmt.Sprintf("the server answered %d", status)
	}
	c.EventID, _, _ = AnnotationTarget(a)
	var ev wire.EventVersion
	if len(ans.Event) > 0 && json.Unmarshal(ans.Event, &ev) == nil {
		c.ServerUpdatedAt = ev.UpdatedAt
		if ev.ID > 0 {
			c.EventID = ev.ID
		}
	}
	if c.SeenUpdatedAt.IsZero() {
		var req struct {
			SeenUpdatedAt time.Time `json:"seen_updated_at"`
		}
		if json.Unmarshal(a.Body, &req) == nil {
			c.SeenUpdatedAt = req.SeenUpdatedAt
		}
	}
	return c
}

// recordConflict stores c in tx (once per action).
func recordConflict(ctx context.Context, tx *sql.Tx, c *Conflict) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO conflicts (action_id, applied, code, message, event_id, seen_ms, server_ms, event, created_ms)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (action_id) DO NOTHING`,
		c.Action.ID, c.Applied, c.Code, c.Message, c.EventID, msOrZero(c.SeenUpdatedAt), msOrZero(c.ServerUpdatedAt), []byte(c.Event), c.At.UnixMilli())
	if err != nil {
		return fmt.Errorf("sync: recording the conflict of %s %s: %w", c.Action.Method, c.Action.Path, err)
	}
	return nil
}

func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func timeOrZero(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// Conflicts lists the recorded conflicts, oldest first; dismissed ones only
// with all.
func (s *Store) Conflicts(ctx context.Context, all bool) ([]Conflict, error) {
	q := `SELECT c.id, c.applied, c.code, c.message, c.event_id, c.seen_ms, c.server_ms, c.event, c.created_ms, c.dismissed_ms,
		o.id, o.idem_key, o.method, o.path, o.content_type, o.body, o.summary, o.created_ms, o.state, o.attempts, o.status, o.response, o.last_error
		FROM conflicts c JOIN outbox o ON o.id = c.action_id`
	if !all {
		q += ` WHERE c.dismissed_ms = 0`
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY c.id`)
	if err != nil {
		return nil, fmt.Errorf("sync: reading conflicts: %w", err)
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		var c Conflict
		var seen, server, at, dismissed, created int64
		var ev []byte
		a := &c.Action
		if err := rows.Scan(&c.ID, &c.Applied, &c.Code, &c.Message, &c.EventID, &seen, &server, &ev, &at, &dismissed,
			&a.ID, &a.Key, &a.Method, &a.Path, &a.ContentType, &a.Body, &a.Summary, &created, &a.State, &a.Attempts, &a.Status, &a.Response, &a.LastError); err != nil {
			return nil, fmt.Errorf("sync: reading conflicts: %w", err)
		}
		c.SeenUpdatedAt, c.ServerUpdatedAt, c.At, c.Dismissed = timeOrZero(seen), timeOrZero(server), timeOrZero(at), timeOrZero(dismissed)
		a.Created = time.UnixMilli(created).UTC()
		if len(ev) > 0 {
			c.Event = json.RawMessage(ev)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ConflictCount is the number of conflicts not dismissed.
func (s *Store) ConflictCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM conflicts WHERE dismissed_ms = 0`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sync: counting conflicts: %w", err)
	}
	return n, nil
}

// DismissConflict hides a conflict the user has seen (it stays in
// Conflicts(ctx, true)).
func (s *Store) DismissConflict(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE conflicts SET dismissed_ms = ? WHERE id = ? AND dismissed_ms = 0`, time.Now().UnixMilli(), id)
	if err != nil {
		return fmt.Errorf("sync: dismissing conflict %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("sync: conflict %d: none shown with that id", id)
	}
	return nil
}
