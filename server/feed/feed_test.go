package feed

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

// memReader is an in-memory event log.
type memReader struct {
	mu      sync.Mutex
	events  map[string][]store.FeedEvent
	queries int
}

func (m *memReader) append(ch string, n int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for range n {
		seq := int64(len(m.events[ch]) + 1)
		m.events[ch] = append(m.events[ch], store.FeedEvent{Channel: ch, Seq: seq, Kind: "k", Payload: []byte(`{"n":` + itoa(seq) + `}`), At: time.Unix(seq, 0).UTC()})
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func (m *memReader) FeedEvents(_ context.Context, ch string, after int64, limit int) ([]store.FeedEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.queries++
	var out []store.FeedEvent
	for _, e := range m.events[ch] {
		if e.Seq > after && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m *memReader) FeedHead(_ context.Context, ch string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return int64(len(m.events[ch])), nil
}

// check asserts that msgs are the events after..to in order, encoded as
// the feed sends them.
func check(t *testing.T, msgs []tailMsg, after, to int64) {
	t.Helper()
	if int64(len(msgs)) != to-after {
		t.Fatalf("after %d: %d messages, want %d", after, len(msgs), to-after)
	}
	for i, m := range msgs {
		var got Message
		if err := json.Unmarshal(m.b, &got); err != nil {
			t.Fatal(err)
		}
		want := after + int64(i) + 1
		if m.seq != want || got.Seq != want || got.Type != "event" || got.Channel != "catalog" || string(got.Data) != `{"n":`+itoa(want)+`}` {
			t.Fatalf("message %d after %d: seq %d %s, want seq %d", i, after, m.seq, m.b, want)
		}
	}
}

func TestTailServesEveryEventOnceFromOneQuery(t *testing.T) {
	ctx := context.Background()
	st := &memReader{events: map[string][]store.FeedEvent{}}
	h := NewHub(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	h.Page = 100
	st.append("catalog", 5)
	msgs, ok, err := h.since(ctx, "catalog", 5) // a subscriber at the head
	if err != nil || !ok || len(msgs) != 0 {
		t.Fatalf("at the head: %d messages, ok %v, err %v", len(msgs), ok, err)
	}
	msgs, ok, err = h.since(ctx, "catalog", 2) // a short history is all in the window
	if err != nil || !ok {
		t.Fatalf("after 2: ok %v, err %v", ok, err)
	}
	check(t, msgs, 2, 5)
	st.append("catalog", 3)
	h.Notify()
	q := st.queries
	for range 50 { // many clients, one query
		msgs, ok, err = h.since(ctx, "catalog", 5)
		if err != nil || !ok {
			t.Fatalf("ok %v, err %v", ok, err)
		}
		check(t, msgs, 5, 8)
	}
	if st.queries != q+1 {
		t.Fatalf("%d storage queries for one Notify, want 1", st.queries-q)
	}
	held := msgs
	q = st.queries
	// More than a page and more than the tail keeps: the oldest are dropped,
	// a slice handed out earlier stays intact.
	st.append("catalog", 2*tailKeep+500)
	h.Notify()
	last := int64(8 + 2*tailKeep + 500)
	msgs, ok, err = h.since(ctx, "catalog", last-10)
	if err != nil || !ok {
		t.Fatalf("near the head after a burst: ok %v, err %v", ok, err)
	}
	check(t, msgs, last-10, last)
	check(t, held, 5, 8)
	if _, ok, _ := h.since(ctx, "catalog", 8); ok {
		t.Fatal("a cursor older than the kept window must be refused")
	}
	msgs, ok, _ = h.since(ctx, "catalog", last-tailKeep)
	if !ok {
		t.Fatalf("a cursor %d events back must be served from the tail", tailKeep)
	}
	check(t, msgs, last-tailKeep, last)
	if n := st.queries - q; n > tailKeep/h.Page+3 {
		t.Fatalf("the burst cost %d storage queries: the window must start near the head", n)
	}
}
