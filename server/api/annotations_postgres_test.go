package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/feed"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/postgres"
	"github.com/astroshield/astroshield/server/store/postgres/pgtest"
	"github.com/astroshield/astroshield/server/wire"
)

// TestAckRacesNewEstimatesPostgres: on PostgreSQL, analysts acknowledge an
// event while new estimates keep arriving. Every answer is 201 or 409
// event_changed, and in the feed's commit order every applied ack names
// the version published just before it: an ack never lands on an estimate
// that had already been replaced (serializable transactions, retried).
func TestAckRacesNewEstimatesPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a PostgreSQL cluster")
	}
	c := pgtest.Start(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, c.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	au, err := auth.New(ctx, db, auth.Config{Hasher: auth.InsecureTestHasher(4), APIKeyLimit: auth.NewBucket(1e6, 1e6)}) // the race, not the rate limit
	if err != nil {
		t.Fatal(err)
	}
	const ackers = 4
	keys := make([]string, ackers)
	for i := range keys {
		if err := db.Update(ctx, func(tx store.Tx) error {
			k, _, err := auth.CreateAPIKey(ctx, tx, "test", fmt.Sprint("acker-", i), store.RoleAnalyst, time.Hour, time.Now())
			keys[i] = k
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hub := feed.NewHub(db, log)
	defer hub.Close()
	srv := httptest.NewServer(New(db, au, hub, nil, log, Config{Version: "test"}).Handler())
	defer srv.Close()

	tca := time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC)
	v0 := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	// estimate stores version v and publishes it in the same transaction,
	// as the CDM import and screening jobs do.
	estimate := func(v time.Time) int64 {
		var cj store.Conjunction
		if err := db.Update(ctx, func(tx store.Tx) error {
			var err error
			if cj, err = tx.UpsertConjunction(ctx, store.Conjunction{Norad1: 1, Norad2: 2, TCA: tca, MissDistanceKm: 1, RelativeSpeedKmS: 7, Pc: 1e-4, UpdatedAt: v}, "race"); err != nil {
				return err
			}
			b, _ := json.Marshal(toConjJSON(cj))
			_, err = tx.AppendFeed(ctx, store.FeedEvent{Channel: wire.ChannelConjunctions, Kind: "conjunction.updated", Payload: b})
			return err
		}); err != nil {
			t.Error(err)
		}
		return cj.ID
	}
	id := estimate(v0)
	do := func(key, method, path, body string) (int, []byte) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("X-API-Key", key)
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Error(err)
			return 0, nil
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // new estimates, 1 ms apart in version
		defer wg.Done()
		for i := 1; i <= 60; i++ {
			estimate(v0.Add(time.Duration(i) * time.Millisecond))
			time.Sleep(2 * time.Millisecond)
		}
		close(stop)
	}()
	var mu sync.Mutex
	answers := map[int]int{}
	for i := range ackers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				st, b := do(keys[i], "GET", fmt.Sprintf("/api/v1/conjunctions/%d", id), "")
				var ev wire.EventVersion
				if st != 200 || json.Unmarshal(b, &ev) != nil {
					t.Errorf("GET: %d %s", st, b)
					return
				}
				body, _ := json.Marshal(wire.AckRequest{SeenUpdatedAt: ev.UpdatedAt})
				st, b = do(keys[i], "POST", fmt.Sprintf("/api/v1/conjunctions/%d/ack", id), string(body))
				mu.Lock()
				answers[st]++
				mu.Unlock()
				switch st {
				case 201:
				case 409:
					var ac wire.AckConflict
					if json.Unmarshal(b, &ac) != nil || ac.Error.Code != wire.CodeEventChanged || ac.Event.UpdatedAt.Equal(ev.UpdatedAt) {
						t.Errorf("409: %s", b)
					}
				default:
					t.Errorf("ack: %d %s", st, b)
				}
			}
		}()
	}
	wg.Wait()
	if answers[201] == 0 {
		t.Fatalf("no ack applied: %v", answers)
	}
	t.Logf("answers %v", answers)

	evs, err := db.FeedEvents(ctx, wire.ChannelConjunctions, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var current time.Time
	acks := 0
	for _, e := range evs {
		switch e.Kind {
		case "conjunction.updated":
			var cj conjunctionJSON
			json.Unmarshal(e.Payload, &cj)
			current = store.FromUnixMilli(store.UnixMilli(cj.UpdatedAt))
		case wire.KindConjunctionAck:
			var ae wire.AckEvent
			json.Unmarshal(e.Payload, &ae)
			acks++
			if !ae.Ack.SeenUpdatedAt.Equal(current) {
				t.Errorf("feed #%d: ack of version %s committed after version %s", e.Seq, ae.Ack.SeenUpdatedAt, current)
			}
		}
	}
	as, _ := db.Acks(ctx, id, 1000)
	if acks != len(as) {
		t.Errorf("%d ack events, %d acks stored", acks, len(as))
	}
}
