package sync

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

func openTestStore(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// Events apply exactly once, in order; a replay is ignored and a gap is
// refused, and both survive reopening the file.
func TestApplyEventNoGapNoDuplicate(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t)
	for seq := int64(1); seq <= 5; seq++ {
		ok, err := s.ApplyEvent(ctx, "conjunctions", seq, "event", []byte(fmt.Sprintf(`{"n":%d}`, seq)))
		if err != nil || !ok {
			t.Fatalf("#%d: applied %v err %v", seq, ok, err)
		}
	}
	if ok, err := s.ApplyEvent(ctx, "conjunctions", 3, "event", []byte(`{}`)); ok || err != nil {
		t.Errorf("replayed #3: applied %v err %v", ok, err)
	}
	if _, err := s.ApplyEvent(ctx, "conjunctions", 7, "event", []byte(`{}`)); !errors.Is(err, ErrGap) {
		t.Errorf("#7 after #5: err %v, want ErrGap", err)
	}
	if ok, err := s.ApplyEvent(ctx, "maneuvers", 1, "event", []byte(`{}`)); !ok || err != nil {
		t.Errorf("channels are independent: %v %v", ok, err)
	}
	s.Close()
	s2, err := OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	cur, err := s2.Cursor(ctx, "conjunctions")
	if err != nil || cur != 5 {
		t.Fatalf("cursor after reopening %d %v, want 5", cur, err)
	}
	evs, err := s2.Events(ctx, "conjunctions", 2)
	if err != nil || len(evs) != 3 || evs[0].Seq != 3 || string(evs[2].Payload) != `{"n":5}` {
		t.Errorf("events after #2: %+v %v", evs, err)
	}
}

func TestElementSetCache(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	t0 := time.Date(2022, 7, 15, 0, 0, 0, 0, time.UTC)
	for _, e := range []struct {
		norad int
		at    time.Time
		body  string
	}{{25544, t0, "iss-old"}, {25544, t0.Add(time.Hour), "iss-new"}, {20580, t0, "hst"}, {25544, t0, "iss-old-2"}} {
		if err := s.PutElementSet(ctx, e.norad, e.at, "", []byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.LatestElementSets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || string(got[0]) != "hst" || string(got[1]) != "iss-new" {
		t.Errorf("latest: %q", got)
	}
}

// The outbox sends in order with a fixed key per action, keeps what could
// not be sent, and classifies answers.
func TestOutboxFlush(t *testing.T) {
	ctx := context.Background()
	s, path := openTestStore(t)
	var keys []string
	for i := range 5 {
		a, err := s.Enqueue(ctx, "POST", fmt.Sprintf("/api/v1/events/%d/notes", i), "", []byte(`{"text":"x"}`), fmt.Sprintf("note %d", i))
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, a.Key)
	}
	if keys[0] == keys[1] || len(keys[0]) != 32 {
		t.Fatalf("keys %q", keys[:2])
	}
	// The link drops after two actions.
	var sent []string
	online := 2
	send := func(_ context.Context, a Action) (int, []byte, error) {
		if online == 0 {
			return 0, nil, errors.New("connection refused")
		}
		online--
		sent = append(sent, a.Key)
		return 201, []byte(`{}`), nil
	}
	r, err := s.Flush(ctx, send)
	if !errors.Is(err, ErrOffline) || r.Sent != 2 || r.Remaining != 3 {
		t.Fatalf("first flush: %+v %v", r, err)
	}
	if n, _ := s.QueuedCount(ctx); n != 3 {
		t.Errorf("queued %d, want 3", n)
	}
	// Restart the client: the queue is on disk.
	s.Close()
	s, err = OpenStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	answers := []int{409, 400, 200}
	send2 := func(_ context.Context, a Action) (int, []byte, error) {
		sent = append(sent, a.Key)
		st := answers[0]
		answers = answers[1:]
		return st, []byte(`{"error":{"code":"x"}}`), nil
	}
	r, err = s.Flush(ctx, send2)
	if err != nil || r.Sent != 1 || r.Conflicts != 1 || r.Rejected != 1 {
		t.Fatalf("second flush: %+v %v", r, err)
	}
	for i, k := range keys {
		if sent[i] != k {
			t.Errorf("send %d used key %s, want %s (order or key changed)", i, sent[i], k)
		}
	}
	all, _ := s.Actions(ctx, "")
	want := []string{StateDone, StateDone, StateConflict, StateRejected, StateDone}
	for i, a := range all {
		if a.State != want[i] {
			t.Errorf("action %d (%s): state %s, want %s", i, a.Summary, a.State, want[i])
		}
	}
	if all[2].Attempts != 2 || all[2].Status != 409 || len(all[2].Response) == 0 {
		t.Errorf("conflict record %+v", all[2])
	}
	// Nothing is sent twice once done.
	r, err = s.Flush(ctx, func(context.Context, Action) (int, []byte, error) {
		t.Error("flush sent an action that was already done")
		return 200, nil, nil
	})
	if err != nil || r != (FlushResult{}) {
		t.Errorf("third flush: %+v %v", r, err)
	}
}

// A 5xx keeps the action queued and stops, preserving order.
func TestOutboxServerErrorKeepsOrder(t *testing.T) {
	ctx := context.Background()
	s, _ := openTestStore(t)
	s.Enqueue(ctx, "POST", "/a", "", nil, "a")
	s.Enqueue(ctx, "POST", "/b", "", nil, "b")
	calls := 0
	r, err := s.Flush(ctx, func(context.Context, Action) (int, []byte, error) { calls++; return 503, nil, nil })
	if !errors.Is(err, ErrOffline) || calls != 1 || r.Remaining != 2 {
		t.Errorf("503: %+v %v after %d calls", r, err, calls)
	}
}
