package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/sqlite"
	"github.com/astroshield/astroshield/server/wire"
)

// linkTransport is the client's network: up, down (nothing reaches the
// server), or losing the next answer after the server acted on it.
type linkTransport struct {
	rt   http.RoundTripper
	mode atomic.Int32 // linkUp, linkDown, linkLoseAnswer
	sent atomic.Int32 // requests that reached the server
}

const (
	linkUp int32 = iota
	linkDown
	linkLoseAnswer // once, then up
)

func (l *linkTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if l.mode.Load() == linkDown {
		return nil, errors.New("network is unreachable (test)")
	}
	l.sent.Add(1)
	resp, err := l.rt.RoundTrip(r)
	if err == nil && l.mode.CompareAndSwap(linkLoseAnswer, linkUp) {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errors.New("connection reset (test)")
	}
	return resp, err
}

// annotationServer is a real server (SQLite file, auth, the API) on
// loopback with an analyst "ana".
func annotationServer(t *testing.T) (*sqlite.DB, *httptest.Server) {
	t.Helper()
	return startAPIServer(t, "ana", store.RoleAnalyst, "ana-Passw0rd!")
}

func estimate(t *testing.T, db *sqlite.DB, pc float64, version time.Time) int64 {
	t.Helper()
	var c store.Conjunction
	if err := db.Update(context.Background(), func(tx store.Tx) error {
		var err error
		c, err = tx.UpsertConjunction(context.Background(), store.Conjunction{Norad1: 25544, Norad2: 48274,
			TCA: time.Date(2026, 12, 9, 1, 2, 3, 0, time.UTC), MissDistanceKm: 0.4, RelativeSpeedKmS: 12, Pc: pc, UpdatedAt: version}, "test")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return c.ID
}

// TestOfflineNoteAndAckAgainstRealServer: a note and an ack taken offline
// against version v1 of an event are queued; the server gets a new
// estimate (v2) meanwhile; on reconnect the note takes effect exactly once
// (its first answer is lost in flight and it is resent with the same key)
// and is flagged as a conflict, the ack of v1 is refused and kept as a
// conflict (never resent), and a fresh ack of v2 is applied once.
func TestOfflineNoteAndAckAgainstRealServer(t *testing.T) {
	ctx := context.Background()
	db, srv := annotationServer(t)
	v1 := time.Date(2026, 12, 6, 9, 0, 0, 250_000_000, time.UTC)
	id := estimate(t, db, 1e-5, v1)

	link := &linkTransport{rt: srv.Client().Transport}
	client := &Client{BaseURL: srv.URL, HTTP: &http.Client{Transport: link}}
	if err := client.Login(ctx, "ana", NewSecret("ana-Passw0rd!")); err != nil {
		t.Fatal(err)
	}
	// What the user sees: the event as the server sent it.
	st, body, err := client.Do(ctx, "GET", fmt.Sprintf("/api/v1/conjunctions/%d", id), nil, nil)
	var seen wire.EventVersion
	if err != nil || st != 200 || json.Unmarshal(body, &seen) != nil || !seen.UpdatedAt.Equal(v1) {
		t.Fatalf("event: %d %v %s", st, err, body)
	}
	cache, _ := openTestStore(t)

	// Offline: both actions queue; a flush reaches nothing.
	link.mode.Store(linkDown)
	note, err := cache.EnqueueNote(ctx, id, seen.UpdatedAt, "called the operator: no manoeuvre planned")
	if err != nil {
		t.Fatal(err)
	}
	staleAck, err := cache.EnqueueAck(ctx, id, seen.UpdatedAt, "")
	if err != nil {
		t.Fatal(err)
	}
	if r, err := cache.Flush(ctx, client.Sender()); !errors.Is(err, ErrOffline) || r.Remaining != 2 {
		t.Fatalf("offline flush: %+v %v", r, err)
	}
	if link.sent.Load() != 2 { // login and the GET
		t.Fatalf("%d requests reached the server while offline", link.sent.Load()-2)
	}

	// The server changes the event meanwhile.
	v2 := v1.Add(90 * time.Minute)
	estimate(t, db, 4e-3, v2)

	// Reconnect; the note's first answer is lost after the server stored it.
	link.mode.Store(linkLoseAnswer)
	if _, err := cache.Flush(ctx, client.Sender()); !errors.Is(err, ErrOffline) {
		t.Fatalf("flush with a lost answer: %v", err)
	}
	r, err := cache.Flush(ctx, client.Sender())
	if err != nil || r.Sent != 1 || r.Flagged != 1 || r.Conflicts != 1 || r.Remaining != 0 {
		t.Fatalf("reconnect flush: %+v %v", r, err)
	}

	// Exactly one note on the server, flagged; no ack.
	var d struct {
		wire.EventVersion
		Notes []wire.Note `json:"notes"`
		Acks  []wire.Ack  `json:"acks"`
	}
	_, body, _ = client.Do(ctx, "GET", fmt.Sprintf("/api/v1/conjunctions/%d", id), nil, nil)
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Notes) != 1 || !d.Notes[0].Conflict || d.Notes[0].Author != "ana" || !d.Notes[0].SeenUpdatedAt.Equal(v1) || len(d.Acks) != 0 || d.Acknowledged {
		t.Fatalf("server after reconnect: %s", body)
	}

	// Both conflicts are listed for the user, with both versions.
	cs, err := cache.Conflicts(ctx, false)
	if err != nil || len(cs) != 2 {
		t.Fatalf("conflicts: %+v %v", cs, err)
	}
	if c := cs[0]; c.Action.ID != note.ID || !c.Applied || c.Action.State != StateDone || c.EventID != id ||
		!c.SeenUpdatedAt.Equal(v1) || !c.ServerUpdatedAt.Equal(v2) || c.Message == "" {
		t.Errorf("note conflict: %+v", c)
	}
	if c := cs[1]; c.Action.ID != staleAck.ID || c.Applied || c.Action.State != StateConflict || c.Code != wire.CodeEventChanged ||
		c.EventID != id || !c.SeenUpdatedAt.Equal(v1) || !c.ServerUpdatedAt.Equal(v2) || len(c.Event) == 0 {
		t.Errorf("ack conflict: %+v", c)
	}
	var current wire.EventVersion
	if json.Unmarshal(cs[1].Event, &current) != nil || current.Pc != 4e-3 {
		t.Errorf("the conflict does not carry the current event: %s", cs[1].Event)
	}
	// A refused ack is final: the next flush sends nothing.
	before := link.sent.Load()
	if r, err := cache.Flush(ctx, client.Sender()); err != nil || r != (FlushResult{}) || link.sent.Load() != before {
		t.Fatalf("flush after the conflict: %+v %v, %d sent", r, err, link.sent.Load()-before)
	}

	// The user looks at v2 and acknowledges it: applied once.
	if _, err := cache.EnqueueAck(ctx, id, cs[1].ServerUpdatedAt, "reviewed Pc 4e-3"); err != nil {
		t.Fatal(err)
	}
	if r, err := cache.Flush(ctx, client.Sender()); err != nil || r.Sent != 1 || r.Flagged+r.Conflicts != 0 {
		t.Fatalf("fresh ack: %+v %v", r, err)
	}
	_, body, _ = client.Do(ctx, "GET", fmt.Sprintf("/api/v1/conjunctions/%d", id), nil, nil)
	json.Unmarshal(body, &d)
	if !d.Acknowledged || len(d.Acks) != 1 || !d.Acks[0].Current || d.Acks[0].Comment != "reviewed Pc 4e-3" || len(d.Notes) != 1 {
		t.Fatalf("server after the fresh ack: %s", body)
	}
	evs, _ := db.FeedEvents(ctx, wire.ChannelConjunctions, 0, 100)
	if len(evs) != 2 || evs[0].Kind != wire.KindConjunctionNote || evs[1].Kind != wire.KindConjunctionAck {
		t.Fatalf("feed: %+v", evs)
	}

	// Dismissed conflicts leave the list, not the record.
	if err := cache.DismissConflict(ctx, cs[1].ID); err != nil {
		t.Fatal(err)
	}
	if err := cache.DismissConflict(ctx, cs[1].ID); err == nil {
		t.Error("dismissing twice succeeded")
	}
	if n, _ := cache.ConflictCount(ctx); n != 1 {
		t.Errorf("%d conflicts shown after dismissing one", n)
	}
	if all, _ := cache.Conflicts(ctx, true); len(all) != 2 || all[1].Dismissed.IsZero() {
		t.Errorf("all conflicts: %+v", all)
	}
}

// Annotations the server would refuse are not queued.
func TestEnqueueAnnotationRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	now := time.Now()
	for name, err := range map[string]error{
		"no event":   func() error { _, err := s.EnqueueNote(ctx, 0, now, "x"); return err }(),
		"no version": func() error { _, err := s.EnqueueNote(ctx, 5, time.Time{}, "x"); return err }(),
		"empty note": func() error { _, err := s.EnqueueNote(ctx, 5, now, " \n"); return err }(),
		"long note": func() error {
			_, err := s.EnqueueNote(ctx, 5, now, string(make([]byte, wire.MaxNoteBytes+1)))
			return err
		}(),
		"ack version": func() error { _, err := s.EnqueueAck(ctx, 5, time.Time{}, ""); return err }(),
		"long comment": func() error {
			_, err := s.EnqueueAck(ctx, 5, now, string(make([]byte, wire.MaxAckCommentBytes+1)))
			return err
		}(),
	} {
		if !errors.Is(err, ErrAnnotation) {
			t.Errorf("%s: %v, want ErrAnnotation", name, err)
		}
	}
	if n, _ := s.QueuedCount(ctx); n != 0 {
		t.Fatalf("%d queued", n)
	}
	a, err := s.EnqueueAck(ctx, 42, now, "")
	if err != nil {
		t.Fatal(err)
	}
	if id, kind, ok := AnnotationTarget(a); !ok || id != 42 || kind != AnnotationAck {
		t.Errorf("AnnotationTarget: %d %q %v", id, kind, ok)
	}
	if _, _, ok := AnnotationTarget(Action{Method: "POST", Path: "/api/v1/elements"}); ok {
		t.Error("an upload read as an annotation")
	}
}
