package api

// Notes on and acknowledgements of conjunction events (issue 7), and the
// conflict rule for an event that changed on the server after the client
// showed it (see the package comment and server/wire/annotations.go):
// a note is always stored and answered with conflict=true and the current
// event; an ack of a version that is no longer current is not applied and
// answers 409 event_changed with the current event.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/wire"
)

// Annotation limits of one read.
const (
	detailNotes = 100 // notes in GET /conjunctions/{id}
	detailAcks  = 100
)

// conjunctionDetailJSON is GET /conjunctions/{id}: the event, its history,
// and its notes and acknowledgements. Acknowledged means some user
// acknowledged the current version (updated_at).
type conjunctionDetailJSON struct {
	conjunctionJSON
	Acknowledged   bool        `json:"acknowledged"`
	AcknowledgedBy []string    `json:"acknowledged_by"`
	Notes          []wire.Note `json:"notes"`
	MoreNotes      bool        `json:"more_notes,omitempty"` // page the rest with GET .../notes
	Acks           []wire.Ack  `json:"acks"`
}

func toNoteJSON(n store.Note) wire.Note {
	return wire.Note{ID: n.ID, ConjunctionID: n.ConjunctionID, Author: n.Author, Text: n.Text, SeenUpdatedAt: n.SeenUpdatedAt,
		EventUpdatedAt: n.EventUpdatedAt, Conflict: n.Conflict(), CreatedAt: n.CreatedAt}
}

func toAckJSON(a store.Ack, current time.Time) wire.Ack {
	return wire.Ack{ID: a.ID, ConjunctionID: a.ConjunctionID, Author: a.Author, Comment: a.Comment, SeenUpdatedAt: a.SeenUpdatedAt,
		Current: a.SeenUpdatedAt.Equal(current), CreatedAt: a.CreatedAt}
}

var errNoAnnotations = &Error{http.StatusNotImplemented, "not_implemented", "this server's storage keeps no notes or acknowledgements"}

// annotationReader is the store's (or a transaction's) annotation side.
func annotationReader(v any) (store.AnnotationReader, error) {
	ar, ok := v.(store.AnnotationReader)
	if !ok {
		return nil, errNoAnnotations
	}
	return ar, nil
}

// detail reads c's annotations through ar.
func detail(ctx context.Context, ar store.AnnotationReader, c store.Conjunction) (conjunctionDetailJSON, error) {
	out := conjunctionDetailJSON{conjunctionJSON: toConjJSON(c), AcknowledgedBy: []string{}, Notes: []wire.Note{}, Acks: []wire.Ack{}}
	notes, err := ar.Notes(ctx, c.ID, 0, detailNotes+1)
	if err != nil {
		return out, err
	}
	if len(notes) > detailNotes {
		notes, out.MoreNotes = notes[:detailNotes], true
	}
	for _, n := range notes {
		out.Notes = append(out.Notes, toNoteJSON(n))
	}
	acks, err := ar.Acks(ctx, c.ID, detailAcks)
	if err != nil {
		return out, err
	}
	for _, a := range acks {
		aj := toAckJSON(a, c.UpdatedAt)
		out.Acks = append(out.Acks, aj)
		if aj.Current {
			out.Acknowledged = true
			out.AcknowledgedBy = append(out.AcknowledgedBy, a.Author)
		}
	}
	return out, nil
}

// seenVersion validates and normalises a client's seen_updated_at to the
// stored precision (milliseconds).
func seenVersion(t time.Time) (time.Time, error) {
	if t.IsZero() {
		return t, &Error{http.StatusBadRequest, "seen_updated_at_missing", "seen_updated_at (the updated_at of the event as the user saw it, RFC 3339) is required"}
	}
	return store.FromUnixMilli(store.UnixMilli(t)), nil
}

// checkText refuses empty, oversized or unstorable text; what names the
// field in the error code ("note_text", "ack_comment").
func checkText(s, what string, maxBytes int, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return &Error{http.StatusBadRequest, what + "_empty", what + " is empty"}
	case len(s) > maxBytes:
		return &Error{http.StatusBadRequest, what + "_too_long", fmt.Sprintf("%s is %d bytes, over the limit of %d", what, len(s), maxBytes)}
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		return &Error{http.StatusBadRequest, what + "_invalid", what + " holds a NUL character or invalid UTF-8"}
	}
	return nil
}

func (s *Server) conjunctionNotes(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	ar, err := annotationReader(s.st)
	if err != nil {
		return err
	}
	a, err := intParam(r, "after", 0, 0, 1<<62)
	if err != nil {
		return err
	}
	lim, err := intParam(r, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	if _, err := s.st.Conjunction(r.Context(), id); err != nil {
		return err
	}
	notes, err := ar.Notes(r.Context(), id, int64(a), lim)
	if err != nil {
		return err
	}
	out := make([]wire.Note, len(notes))
	for i, n := range notes {
		out[i] = toNoteJSON(n)
	}
	writeJSON(w, http.StatusOK, map[string]any{"notes": out})
	return nil
}

// noteAnswer and ackAnswer are wire.NoteAnswer and wire.AckAnswer with the
// whole event.
type noteAnswer struct {
	Note     wire.Note             `json:"note"`
	Conflict bool                  `json:"conflict"`
	Message  string                `json:"message,omitempty"`
	Event    conjunctionDetailJSON `json:"event"`
}

type ackAnswer struct {
	Ack       wire.Ack              `json:"ack"`
	Duplicate bool                  `json:"duplicate"`
	Event     conjunctionDetailJSON `json:"event"`
}

// annotationTx is tx's annotation side.
func annotationTx(tx store.Tx) (store.AnnotationTx, error) {
	at, ok := tx.(store.AnnotationTx)
	if !ok {
		return nil, errNoAnnotations
	}
	return at, nil
}

func publish(ctx context.Context, tx store.Tx, kind string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = tx.AppendFeed(ctx, store.FeedEvent{Channel: wire.ChannelConjunctions, Kind: kind, Payload: b})
	return err
}

func (s *Server) addConjunctionNote(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	var req wire.NoteRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := checkText(req.Text, "note_text", wire.MaxNoteBytes, true); err != nil {
		return err
	}
	seen, err := seenVersion(req.SeenUpdatedAt)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.commit(w, r, http.StatusCreated, func(tx store.Tx) (any, error) {
		ctx := r.Context()
		at, err := annotationTx(tx)
		if err != nil {
			return nil, err
		}
		c, err := tx.Conjunction(ctx, id)
		if err != nil {
			return nil, err
		}
		// The rule: a note is kept whatever version it was written against.
		n, err := at.AddNote(ctx, store.Note{ConjunctionID: id, Author: p.Subject, Text: req.Text, SeenUpdatedAt: seen, EventUpdatedAt: c.UpdatedAt, CreatedAt: now})
		if err != nil {
			return nil, err
		}
		nj := toNoteJSON(n)
		if err := publish(ctx, tx, wire.KindConjunctionNote, wire.NoteEvent{ConjunctionID: id, Note: nj}); err != nil {
			return nil, err
		}
		if err := auth.Audit(ctx, tx, now, p.Subject, "conjunction.note", fmt.Sprint("conjunction:", id), fmt.Sprintf("note:%d conflict=%t", n.ID, nj.Conflict)); err != nil {
			return nil, err
		}
		d, err := detail(ctx, at, c)
		if err != nil {
			return nil, err
		}
		out := noteAnswer{Note: nj, Conflict: nj.Conflict, Event: d}
		if nj.Conflict {
			out.Message = fmt.Sprintf("the event changed since you wrote this: you saw the version of %s, the server now holds %s; your note is stored",
				seen.Format(time.RFC3339Nano), c.UpdatedAt.Format(time.RFC3339Nano))
		}
		return out, nil
	}, s.hub.Notify)
}

// staleAck rolls back an ack of a version that is no longer current.
type staleAck struct {
	seen  time.Time
	event conjunctionDetailJSON
}

func (e *staleAck) Error() string { return "ack of a stale event version" }

func (s *Server) ackConjunction(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	var req wire.AckRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := checkText(req.Comment, "ack_comment", wire.MaxAckCommentBytes, false); err != nil {
		return err
	}
	seen, err := seenVersion(req.SeenUpdatedAt)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	err = s.commit(w, r, http.StatusCreated, func(tx store.Tx) (any, error) {
		ctx := r.Context()
		at, err := annotationTx(tx)
		if err != nil {
			return nil, err
		}
		c, err := tx.Conjunction(ctx, id)
		if err != nil {
			return nil, err
		}
		if !seen.Equal(c.UpdatedAt) {
			// The rule: an ack applies to the estimate the user saw; a
			// newer one must be looked at and acknowledged again.
			d, err := detail(ctx, at, c)
			if err != nil {
				return nil, err
			}
			return nil, &staleAck{seen: seen, event: d}
		}
		a, added, err := at.AddAck(ctx, store.Ack{ConjunctionID: id, Author: p.Subject, Comment: req.Comment, SeenUpdatedAt: seen, CreatedAt: now})
		if err != nil {
			return nil, err
		}
		aj := toAckJSON(a, c.UpdatedAt)
		if added {
			if err := publish(ctx, tx, wire.KindConjunctionAck, wire.AckEvent{ConjunctionID: id, Ack: aj, UpdatedAt: c.UpdatedAt}); err != nil {
				return nil, err
			}
			if err := auth.Audit(ctx, tx, now, p.Subject, "conjunction.ack", fmt.Sprint("conjunction:", id), "version="+c.UpdatedAt.Format(time.RFC3339Nano)); err != nil {
				return nil, err
			}
		}
		d, err := detail(ctx, at, c)
		if err != nil {
			return nil, err
		}
		return ackAnswer{Ack: aj, Duplicate: !added, Event: d}, nil
	}, s.hub.Notify)
	var stale *staleAck
	if errors.As(err, &stale) {
		// Not stored under the Idempotency-Key: a retry is checked again
		// and, the version seen being older still, answered the same.
		writeJSON(w, http.StatusConflict, map[string]any{
			"error": &Error{Code: wire.CodeEventChanged, Message: fmt.Sprintf(
				"the event changed since you saw it (you saw the version of %s, the server holds %s): look at the new estimate and acknowledge again",
				stale.seen.Format(time.RFC3339Nano), stale.event.UpdatedAt.Format(time.RFC3339Nano))},
			"seen_updated_at": stale.seen,
			"event":           stale.event,
		})
		return nil
	}
	return err
}
