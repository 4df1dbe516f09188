package webhook

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/sqlite"
)

func TestSignVerify(t *testing.T) {
	secret, body, now := []byte("k"), []byte(`{"a":1}`), time.Unix(1_800_000_000, 0)
	h := Sign(secret, body, now)
	if err := Verify(secret, body, h, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		secret, body []byte
		header       string
		at           time.Time
	}{
		"tampered body": {secret, []byte(`{"a":2}`), h, now},
		"wrong secret":  {[]byte("x"), body, h, now},
		"replayed late": {secret, body, h, now.Add(6 * time.Minute)},
		"no signature":  {secret, body, "t=1800000000", now},
		"empty":         {secret, body, "", now},
	} {
		if err := Verify(c.secret, c.body, c.header, c.at, 5*time.Minute); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestDeliveryRetriesAndLog(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	secret := []byte("hook-secret")
	var mu sync.Mutex
	var got []int64
	calls := 0
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if err := Verify(secret, b, r.Header.Get(SignatureHeader), time.Now(), 5*time.Minute); err != nil {
			t.Errorf("delivery with a bad signature: %v", err)
		}
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls <= 2 { // the first two attempts fail
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		var m struct{ Seq int64 }
		json.Unmarshal(b, &m)
		got = append(got, m.Seq)
	}))
	defer recv.Close()
	if err := db.CreateWebhook(ctx, store.Webhook{ID: "h1", Owner: "op", URL: recv.URL, Channels: []string{"conjunctions"}, Secret: secret, CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		db.Update(ctx, func(tx store.Tx) error {
			_, err := tx.AppendFeed(ctx, store.FeedEvent{Channel: "conjunctions", Kind: "conjunction.updated", Payload: []byte(`{"id":1}`)})
			return err
		})
	}
	d := New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	d.Backoff, d.Poll = 20*time.Millisecond, 50*time.Millisecond
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { d.Run(rctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n == 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 3 {
		t.Fatalf("delivered %v, want [1 2 3] in order once each", got)
	}
	log, _ := db.Deliveries(ctx, "h1", 100)
	if len(log) != 5 { // seq 1: 503, 503, 200; seq 2, 3: 200
		t.Fatalf("%d attempts logged: %+v", len(log), log)
	}
	if last := log[len(log)-1]; last.Seq != 1 || last.Attempt != 1 || last.Status != 503 {
		t.Fatalf("first attempt %+v", last)
	}
	if n, _ := db.Delivered(ctx, "h1", "conjunctions", 5); n != 3 {
		t.Fatalf("delivered cursor %d", n)
	}
}
