package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/ccdm"
	"github.com/astroshield/astroshield/engine/tle"
	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/feed"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/postgres"
	"github.com/astroshield/astroshield/server/store/postgres/pgtest"
	"github.com/astroshield/astroshield/server/wire"
)

// TestCCDMPostgres runs the pipeline on PostgreSQL: Sentinel-6A's real
// history imported, analysed by the worker (serializable transactions),
// read back through the API and compared with engine/ccdm.
func TestCCDMPostgres(t *testing.T) {
	lines := historyTLE(t, "Sentinel-6A")
	c := pgtest.Start(t)
	ctx := context.Background()
	db, err := postgres.Open(ctx, c.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now().UTC()
	au, err := auth.New(ctx, db, auth.Config{Hasher: auth.InsecureTestHasher(4), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	keys := map[store.Role]string{}
	for _, r := range []store.Role{store.RoleViewer, store.RoleAnalyst} {
		err := db.Update(ctx, func(tx store.Tx) error {
			k, _, err := auth.CreateAPIKey(ctx, tx, "test", "ccdm-"+r.String(), r, time.Hour, now)
			keys[r] = k
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hub := feed.NewHub(db, log)
	a := New(db, au, hub, nil, log, Config{Version: "test"})
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()
	defer hub.Close()
	wctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); a.RunCCDM(wctx) }()
	defer func() { cancel(); wg.Wait() }()
	do := func(method, path, body string, role store.Role) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("X-API-Key", keys[role])
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}

	if st, b := do("POST", "/api/v1/elements", strings.Join(lines, "\n")+"\n", store.RoleAnalyst); st != 200 {
		t.Fatalf("import: %d %s", st, b)
	}
	var got wire.Assessment
	for deadline := time.Now().Add(30 * time.Second); ; {
		st, b := do("GET", "/api/v1/objects/46984/assessment", "", store.RoleViewer)
		if st == 200 {
			json.Unmarshal(b, &got)
			break
		}
		if st != 404 || time.Now().After(deadline) {
			t.Fatalf("assessment: %d %s", st, b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	sets, _ := tle.ReadAll(strings.NewReader(strings.Join(lines, "\n")), tle.Options{})
	want := engineReport(t, sets)
	if got.Status != "assessed" || got.Level == nil || *got.Level != string(want.Threat.Level) || got.Score != want.Threat.Score || got.SetsUsed != want.SetsUsed {
		t.Fatalf("assessment %+v, want %s %g from %d sets", got, want.Threat.Level, want.Threat.Score, want.SetsUsed)
	}
	detected := 0
	for _, f := range want.Findings {
		if f.Status == ccdm.StatusDetected {
			detected++
		}
	}
	var page struct{ Indicators []wire.Indicator }
	_, b := do("GET", "/api/v1/objects/46984/indicators", "", store.RoleViewer)
	json.Unmarshal(b, &page)
	if len(page.Indicators) != detected || detected == 0 {
		t.Fatalf("%d indicators, engine detected %d", len(page.Indicators), detected)
	}
	if st, _ := do("POST", "/api/v1/objects/46984/ccdm", "", store.RoleViewer); st != 403 {
		t.Fatalf("viewer POST: %d", st)
	}
	var run struct {
		NewIDs     []int64         `json:"new_indicator_ids"`
		Assessment wire.Assessment `json:"assessment"`
	}
	st, b := do("POST", "/api/v1/objects/46984/ccdm", "{}", store.RoleAnalyst)
	json.Unmarshal(b, &run)
	if st != 200 || len(run.NewIDs) != 0 || run.Assessment.ID != got.ID {
		t.Fatalf("re-run: %d %s", st, b)
	}
	var ms struct{ Maneuvers []maneuverJSON }
	_, b = do("GET", "/api/v1/maneuvers?norad=46984", "", store.RoleViewer)
	json.Unmarshal(b, &ms)
	if len(ms.Maneuvers) == 0 || len(ms.Maneuvers) > detected {
		t.Fatalf("%d manoeuvres stored", len(ms.Maneuvers))
	}
}
