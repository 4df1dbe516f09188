package wire

import "time"

// Notes and acknowledgements of conjunction events.
//
//	GET  /api/v1/conjunctions/{id}        the event with Notes, Acks, Acknowledged
//	GET  /api/v1/conjunctions/{id}/notes  {"notes": [Note...]} (after, limit)
//	POST /api/v1/conjunctions/{id}/notes  NoteRequest -> 201 NoteAnswer
//	POST /api/v1/conjunctions/{id}/ack    AckRequest  -> 201 AckAnswer, or 409 AckConflict
//
// The event's version is its updated_at (millisecond precision), which
// changes with every new estimate. A client sends the version it showed the
// user as SeenUpdatedAt. If the event changed on the server meanwhile:
//   - a note is stored all the same (notes are never lost) and the answer
//     has Conflict true and the current event, so the client can say
//     "the event changed since you wrote this";
//   - an ack is not applied: 409 with code CodeEventChanged and the current
//     event; the user looks at the new estimate and acknowledges again.
//
// Both are written with Idempotency-Key, so a retried request takes effect
// once; a repeated ack of the same version by the same user is answered
// with the stored one (Duplicate true).

// Feed kinds on the conjunctions channel (payload NoteEvent or AckEvent;
// neither carries the event's objects or TCA, so a client that reads the
// channel's payloads as conjunctions skips them).
const (
	KindConjunctionNote = "conjunction.note"
	KindConjunctionAck  = "conjunction.ack"
)

// CodeEventChanged is the error code of an ack of a version that is no
// longer current.
const CodeEventChanged = "event_changed"

// MaxNoteBytes bounds a note's text; MaxAckCommentBytes an ack's comment.
const (
	MaxNoteBytes       = 4000
	MaxAckCommentBytes = 500
)

// NoteRequest is the body of POST .../notes.
type NoteRequest struct {
	Text          string    `json:"text"`
	SeenUpdatedAt time.Time `json:"seen_updated_at"`
}

// AckRequest is the body of POST .../ack.
type AckRequest struct {
	SeenUpdatedAt time.Time `json:"seen_updated_at"`
	Comment       string    `json:"comment,omitempty"`
}

// Note is a stored note.
type Note struct {
	ID             int64     `json:"id"`
	ConjunctionID  int64     `json:"conjunction_id"`
	Author         string    `json:"author"`
	Text           string    `json:"text"`
	SeenUpdatedAt  time.Time `json:"seen_updated_at"`
	EventUpdatedAt time.Time `json:"event_updated_at"` // the version the server held when it stored the note
	Conflict       bool      `json:"conflict"`         // SeenUpdatedAt != EventUpdatedAt
	CreatedAt      time.Time `json:"created_at"`
}

// Ack is a stored acknowledgement of one version of an event.
type Ack struct {
	ID            int64     `json:"id"`
	ConjunctionID int64     `json:"conjunction_id"`
	Author        string    `json:"author"`
	Comment       string    `json:"comment,omitempty"`
	SeenUpdatedAt time.Time `json:"seen_updated_at"`
	Current       bool      `json:"current"` // it acknowledges the event's current version
	CreatedAt     time.Time `json:"created_at"`
}

// EventVersion is the part of a conjunction event an annotation answer's
// "event" carries that clients rely on (the server sends the whole event).
type EventVersion struct {
	ID             int64     `json:"id"`
	Norad1         int       `json:"norad_1"`
	Norad2         int       `json:"norad_2"`
	TCA            time.Time `json:"tca"`
	MissDistanceKm float64   `json:"miss_km"`
	Pc             float64   `json:"pc"`
	UpdatedAt      time.Time `json:"updated_at"`
	Acknowledged   bool      `json:"acknowledged"`
}

// NoteAnswer answers POST .../notes.
type NoteAnswer struct {
	Note     Note         `json:"note"`
	Conflict bool         `json:"conflict"`
	Message  string       `json:"message,omitempty"` // set with Conflict
	Event    EventVersion `json:"event"`
}

// AckAnswer answers POST .../ack.
type AckAnswer struct {
	Ack       Ack          `json:"ack"`
	Duplicate bool         `json:"duplicate"`
	Event     EventVersion `json:"event"`
}

// AckConflict is the 409 body of an ack of a stale version.
type AckConflict struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	SeenUpdatedAt time.Time    `json:"seen_updated_at"`
	Event         EventVersion `json:"event"`
}

// NoteEvent and AckEvent are the feed payloads of KindConjunctionNote and
// KindConjunctionAck.
type NoteEvent struct {
	ConjunctionID int64 `json:"conjunction_id"`
	Note          Note  `json:"note"`
}

// AckEvent: see NoteEvent.
type AckEvent struct {
	ConjunctionID int64     `json:"conjunction_id"`
	Ack           Ack       `json:"ack"`
	UpdatedAt     time.Time `json:"updated_at"` // the event's version when acknowledged
}
