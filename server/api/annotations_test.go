package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/wire"
)

// newEstimate stores an estimate of the pair 100/200 at the given version.
func (e *env) newEstimate(t *testing.T, tca time.Time, pc float64, version time.Time) store.Conjunction {
	t.Helper()
	var c store.Conjunction
	if err := e.db.Update(context.Background(), func(tx store.Tx) error {
		var err error
		c, err = tx.UpsertConjunction(context.Background(), store.Conjunction{Norad1: 100, Norad2: 200, TCA: tca, MissDistanceKm: 0.5, RelativeSpeedKmS: 11, Pc: pc, UpdatedAt: version}, "test")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return c
}

type detailBody struct {
	wire.EventVersion
	AcknowledgedBy []string    `json:"acknowledged_by"`
	Notes          []wire.Note `json:"notes"`
	Acks           []wire.Ack  `json:"acks"`
}

// TestNotesAndAcksConflictRule: a note written against an older version of
// an event is stored and flagged; an ack of an older version is refused
// with 409 event_changed and the current event; Idempotency-Key replays
// change nothing; the feed carries each note and each new ack once.
func TestNotesAndAcksConflictRule(t *testing.T) {
	e := newEnv(t)
	ana := bearer(e.login("analyst").AccessToken)
	tca := time.Date(2026, 12, 8, 3, 4, 5, 0, time.UTC)
	v1 := time.Date(2026, 12, 6, 10, 0, 0, 123_000_000, time.UTC)
	v2 := v1.Add(2 * time.Hour)
	c := e.newEstimate(t, tca, 1e-5, v1)
	base := fmt.Sprintf("/api/v1/conjunctions/%d", c.ID)

	var d detailBody
	e.do("GET", base, nil, ana...).json(t, &d)
	if d.ID != c.ID || !d.UpdatedAt.Equal(v1) || d.Acknowledged || len(d.Notes) != 0 || d.Notes == nil || d.AcknowledgedBy == nil {
		t.Fatalf("fresh detail: %+v", d)
	}

	// A note on the version the user saw.
	r := e.do("POST", base+"/notes", wire.NoteRequest{Text: "owner contacted", SeenUpdatedAt: v1}, append(ana, "Idempotency-Key", "n1")...)
	var na wire.NoteAnswer
	r.json(t, &na)
	if r.status != 201 || na.Conflict || na.Note.ID == 0 || na.Note.Author != "analyst" || !na.Event.UpdatedAt.Equal(v1) {
		t.Fatalf("note: %d %s", r.status, r.body)
	}

	// A new estimate arrives; the next note and ack were written offline
	// against v1.
	e.newEstimate(t, tca, 2e-3, v2)
	r = e.do("POST", base+"/notes", wire.NoteRequest{Text: "written on the train", SeenUpdatedAt: v1}, append(ana, "Idempotency-Key", "n2")...)
	r.json(t, &na)
	if r.status != 201 || !na.Conflict || !na.Note.Conflict || !na.Event.UpdatedAt.Equal(v2) || na.Event.Pc != 2e-3 ||
		!strings.Contains(na.Message, "changed since you wrote this") || !na.Note.SeenUpdatedAt.Equal(v1) || !na.Note.EventUpdatedAt.Equal(v2) {
		t.Fatalf("stale note: %d %s", r.status, r.body)
	}
	again := e.do("POST", base+"/notes", wire.NoteRequest{Text: "written on the train", SeenUpdatedAt: v1}, append(ana, "Idempotency-Key", "n2")...)
	if again.status != 201 || string(again.body) != string(r.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replayed note: %d %s", again.status, again.body)
	}

	r = e.do("POST", base+"/ack", wire.AckRequest{SeenUpdatedAt: v1}, append(ana, "Idempotency-Key", "a1")...)
	var ac wire.AckConflict
	r.json(t, &ac)
	if r.status != 409 || ac.Error.Code != wire.CodeEventChanged || !ac.Event.UpdatedAt.Equal(v2) || !ac.SeenUpdatedAt.Equal(v1) || ac.Event.Acknowledged {
		t.Fatalf("stale ack: %d %s", r.status, r.body)
	}
	// Retried with the same key: the same final answer, nothing stored.
	if r2 := e.do("POST", base+"/ack", wire.AckRequest{SeenUpdatedAt: v1}, append(ana, "Idempotency-Key", "a1")...); r2.status != 409 || r2.errCode(t) != wire.CodeEventChanged {
		t.Fatalf("stale ack retried: %d %s", r2.status, r2.body)
	}

	// The user looks again and acknowledges v2: applied once.
	r = e.do("POST", base+"/ack", wire.AckRequest{SeenUpdatedAt: v2, Comment: "Pc 2e-3 reviewed"}, append(ana, "Idempotency-Key", "a2")...)
	var aa wire.AckAnswer
	r.json(t, &aa)
	if r.status != 201 || aa.Duplicate || !aa.Ack.Current || !aa.Event.Acknowledged || aa.Ack.Comment != "Pc 2e-3 reviewed" {
		t.Fatalf("ack: %d %s", r.status, r.body)
	}
	if r2 := e.do("POST", base+"/ack", wire.AckRequest{SeenUpdatedAt: v2, Comment: "Pc 2e-3 reviewed"}, append(ana, "Idempotency-Key", "a2")...); r2.status != 201 || r2.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replayed ack: %d %s", r2.status, r2.body)
	}
	r = e.do("POST", base+"/ack", wire.AckRequest{SeenUpdatedAt: v2}, append(ana, "Idempotency-Key", "a3")...)
	r.json(t, &aa)
	if r.status != 201 || !aa.Duplicate {
		t.Fatalf("second ack of the same version: %d %s", r.status, r.body)
	}

	e.do("GET", base, nil, ana...).json(t, &d)
	if !d.Acknowledged || len(d.AcknowledgedBy) != 1 || d.AcknowledgedBy[0] != "analyst" || len(d.Notes) != 2 || d.Notes[0].Conflict || !d.Notes[1].Conflict || len(d.Acks) != 1 {
		t.Fatalf("detail after: %+v", d)
	}
	var list struct{ Notes []wire.Note }
	e.do("GET", base+"/notes?after="+itoa(int(d.Notes[0].ID)), nil, ana...).json(t, &list)
	if len(list.Notes) != 1 || list.Notes[0].Text != "written on the train" {
		t.Fatalf("notes after the first: %+v", list.Notes)
	}

	// The feed: two notes and one ack, each once.
	evs, err := e.db.FeedEvents(context.Background(), wire.ChannelConjunctions, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, ev := range evs {
		kinds = append(kinds, ev.Kind)
	}
	if strings.Join(kinds, ",") != "conjunction.note,conjunction.note,conjunction.ack" {
		t.Fatalf("feed kinds %v", kinds)
	}
	var ae wire.AckEvent
	if err := json.Unmarshal(evs[2].Payload, &ae); err != nil || ae.ConjunctionID != c.ID || !ae.UpdatedAt.Equal(v2) || ae.Ack.Author != "analyst" {
		t.Fatalf("ack event %s: %v", evs[2].Payload, err)
	}

	// A third estimate: the ack no longer covers the event.
	e.newEstimate(t, tca, 1e-4, v2.Add(time.Hour))
	e.do("GET", base, nil, ana...).json(t, &d)
	if d.Acknowledged || len(d.Acks) != 1 || d.Acks[0].Current {
		t.Fatalf("detail after a newer estimate: %+v", d)
	}
}

// Bad input answers 4xx with a code naming what is wrong.
func TestNotesAndAcksBadInput(t *testing.T) {
	e := newEnv(t)
	ana := bearer(e.login("analyst").AccessToken)
	v := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	c := e.newEstimate(t, v.Add(24*time.Hour), 1e-5, v)
	base := fmt.Sprintf("/api/v1/conjunctions/%d", c.ID)
	seen := v.Format(time.RFC3339)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"empty text", "POST", base + "/notes", `{"text":"  ","seen_updated_at":"` + seen + `"}`, 400, "note_text_empty"},
		{"no text", "POST", base + "/notes", `{"seen_updated_at":"` + seen + `"}`, 400, "note_text_empty"},
		{"long text", "POST", base + "/notes", `{"text":"` + strings.Repeat("x", wire.MaxNoteBytes+1) + `","seen_updated_at":"` + seen + `"}`, 400, "note_text_too_long"},
		{"NUL in text", "POST", base + "/notes", `{"text":"a\u0000b","seen_updated_at":"` + seen + `"}`, 400, "note_text_invalid"},
		{"no version", "POST", base + "/notes", `{"text":"x"}`, 400, "seen_updated_at_missing"},
		{"bad version", "POST", base + "/notes", `{"text":"x","seen_updated_at":"yesterday"}`, 400, "invalid_argument"},
		{"unknown field", "POST", base + "/notes", `{"text":"x","seen_updated_at":"` + seen + `","colour":1}`, 400, "invalid_argument"},
		{"not JSON", "POST", base + "/notes", `text=x`, 400, "invalid_argument"},
		{"bad id", "POST", "/api/v1/conjunctions/abc/notes", `{"text":"x","seen_updated_at":"` + seen + `"}`, 400, "invalid_argument"},
		{"unknown event note", "POST", "/api/v1/conjunctions/9999/notes", `{"text":"x","seen_updated_at":"` + seen + `"}`, 404, "not_found"},
		{"unknown event notes list", "GET", "/api/v1/conjunctions/9999/notes", ``, 404, "not_found"},
		{"bad after", "GET", base + "/notes?after=-1", ``, 400, "invalid_argument"},
		{"ack no version", "POST", base + "/ack", `{}`, 400, "seen_updated_at_missing"},
		{"ack long comment", "POST", base + "/ack", `{"seen_updated_at":"` + seen + `","comment":"` + strings.Repeat("y", wire.MaxAckCommentBytes+1) + `"}`, 400, "ack_comment_too_long"},
		{"ack unknown event", "POST", "/api/v1/conjunctions/9999/ack", `{"seen_updated_at":"` + seen + `"}`, 404, "not_found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.body != "" {
				body = tc.body
			}
			r := e.do(tc.method, tc.path, body, ana...)
			if r.status != tc.status || r.errCode(t) != tc.code {
				t.Fatalf("%d %s, want %d %s", r.status, r.body, tc.status, tc.code)
			}
		})
	}
	// Viewers read but do not write.
	view := bearer(e.login("viewer").AccessToken)
	if r := e.do("POST", base+"/notes", `{"text":"x","seen_updated_at":"`+seen+`"}`, view...); r.status != 403 {
		t.Fatalf("viewer note: %d", r.status)
	}
	if r := e.do("GET", base+"/notes", nil, view...); r.status != 200 {
		t.Fatalf("viewer notes: %d %s", r.status, r.body)
	}
	if n, _ := e.db.FeedHead(context.Background(), wire.ChannelConjunctions); n != 0 {
		t.Fatalf("refused requests published %d events", n)
	}
}

// GraphQL's Conjunction.notes, acks and acknowledged answer what
// GET /conjunctions/{id} answers, through a new estimate that outdates an
// ack and flags a note.
func TestGraphQLNotesAndAcks(t *testing.T) {
	e := newEnv(t)
	ana := bearer(e.login("analyst").AccessToken)
	view := e.login("viewer").AccessToken
	tca := time.Date(2026, 12, 8, 3, 4, 5, 0, time.UTC)
	v1 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	c := e.newEstimate(t, tca, 1e-5, v1)
	base := fmt.Sprintf("/api/v1/conjunctions/%d", c.ID)
	if r := e.do("POST", base+"/ack", wire.AckRequest{SeenUpdatedAt: v1, Comment: "first look"}, ana...); r.status != 201 {
		t.Fatalf("ack: %d %s", r.status, r.body)
	}
	e.newEstimate(t, tca, 2e-3, v1.Add(time.Hour))
	if r := e.do("POST", base+"/notes", wire.NoteRequest{Text: "written before the new estimate", SeenUpdatedAt: v1}, ana...); r.status != 201 {
		t.Fatalf("note: %d %s", r.status, r.body)
	}
	q := fmt.Sprintf(`{ conjunction(id: "%d") { updatedAt acknowledged
	  notes { author text conflict seenUpdatedAt }
	  acks { author comment current seenUpdatedAt } } }`, c.ID)
	r, a := e.gql(view, q, nil)
	if r.status != 200 || len(a.Errors) != 0 {
		t.Fatalf("graphql: %d %s", r.status, r.body)
	}
	var got struct {
		Conjunction struct {
			UpdatedAt    time.Time
			Acknowledged bool
			Notes        []struct {
				Author, Text  string
				Conflict      bool
				SeenUpdatedAt time.Time
			}
			Acks []struct {
				Author, Comment string
				Current         bool
				SeenUpdatedAt   time.Time
			}
		}
	}
	if err := json.Unmarshal(a.Data, &got); err != nil {
		t.Fatal(err)
	}
	var d detailBody
	e.do("GET", base, nil, bearer(view)...).json(t, &d)
	g := got.Conjunction
	if g.Acknowledged != d.Acknowledged || g.Acknowledged || !g.UpdatedAt.Equal(d.UpdatedAt) {
		t.Errorf("acknowledged %v (REST %v) at %s: the only ack is of the old version", g.Acknowledged, d.Acknowledged, g.UpdatedAt)
	}
	if len(g.Notes) != 1 || len(d.Notes) != 1 || g.Notes[0].Text != d.Notes[0].Text || !g.Notes[0].Conflict || g.Notes[0].Author != "analyst" ||
		!g.Notes[0].SeenUpdatedAt.Equal(v1) {
		t.Errorf("notes %+v, REST %+v", g.Notes, d.Notes)
	}
	if len(g.Acks) != 1 || len(d.Acks) != 1 || g.Acks[0].Current || g.Acks[0].Current != d.Acks[0].Current || g.Acks[0].Comment != "first look" {
		t.Errorf("acks %+v, REST %+v", g.Acks, d.Acks)
	}
	// Acknowledge the new estimate: now current.
	if r := e.do("POST", base+"/ack", wire.AckRequest{SeenUpdatedAt: g.UpdatedAt}, ana...); r.status != 201 {
		t.Fatalf("ack of the new estimate: %d %s", r.status, r.body)
	}
	_, a = e.gql(view, q, nil)
	json.Unmarshal(a.Data, &got)
	if !got.Conjunction.Acknowledged || len(got.Conjunction.Acks) != 2 || !got.Conjunction.Acks[0].Current {
		t.Errorf("after the new ack: %s", a.Data)
	}
}
