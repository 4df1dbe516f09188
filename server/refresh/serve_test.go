package refresh_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server"
	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/refresh"
	"github.com/astroshield/astroshield/server/store/sqlite"
)

type logBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuf) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *logBuf) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// TestServeRefreshImports runs the real server with both sources pointed
// at local services answering in CelesTrak's and Space-Track's formats, and
// finds the refreshed object in the store, in the metrics and in the audit
// log, with no credential in the logs.
func TestServeRefreshImports(t *testing.T) {
	dir := os.Getenv("ASTROSHIELD_TESTDATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "testdata")
	}
	omm, err := os.ReadFile(filepath.Join(dir, "ccsds", "omm", "celestrak_formats", "sample_omm.json"))
	if err != nil {
		t.Skipf("test data absent (set ASTROSHIELD_TESTDATA): %v", err)
	}
	ct := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("GROUP") != "stations" {
			w.Write([]byte("No GP data found"))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(omm)
	}))
	defer ct.Close()
	const user, pass = "analyst@example.org", "Very-Secret-Pw-42"
	var stLogins int
	var mu sync.Mutex
	st := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path == "/ajaxauth/login" {
			if r.PostFormValue("identity") == user && r.PostFormValue("password") == pass {
				stLogins++
				http.SetCookie(w, &http.Cookie{Name: "chocolatechip", Value: "sess", Path: "/"})
				w.Write([]byte(`""`))
				return
			}
			w.Write([]byte(`{"Login":"Failed"}`))
			return
		}
		if c, err := r.Cookie("chocolatechip"); err != nil || c.Value != "sess" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		// Space-Track's GP JSON: the same keys, every value a string.
		w.Write([]byte(`[{"NORAD_CAT_ID":"25544","OBJECT_NAME":"ISS (ZARYA)","OBJECT_ID":"1998-067A","EPOCH":"2025-02-14T12:00:00.000000",` +
			`"MEAN_MOTION":"15.50103472","ECCENTRICITY":"0.0004525","INCLINATION":"51.6391","RA_OF_ASC_NODE":"200.1","ARG_OF_PERICENTER":"90.2",` +
			`"MEAN_ANOMALY":"270.0","EPHEMERIS_TYPE":"0","CLASSIFICATION_TYPE":"U","ELEMENT_SET_NO":"999","REV_AT_EPOCH":"49000",` +
			`"BSTAR":"0.00031","MEAN_MOTION_DOT":"0.0002","MEAN_MOTION_DDOT":"0"}]`))
	}))
	defer st.Close()

	data := t.TempDir()
	logs := &logBuf{}
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, server.Options{Addr: "127.0.0.1:0", DataDir: data, Version: "test",
			Log:    slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			Hasher: auth.InsecureTestHasher(4), Listening: func(a string) { addr <- a },
			Refresh: refresh.Config{CelesTrakGroups: []string{"stations"}, CelesTrakURL: ct.URL,
				SpaceTrackUser: user, SpaceTrackPassword: pass, SpaceTrackURL: st.URL, Every: time.Hour}})
	}()
	var a string
	select {
	case a = <-addr:
	case err := <-done:
		t.Fatalf("server.Run: %v", err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for strings.Count(logs.String(), `"msg":"catalog refresh"`) < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	resp, err := http.Get("http://" + a + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("server.Run: %v", err)
	}
	l := logs.String()
	for _, m := range []string{`astroshield_refresh_duration_seconds_count{source="celestrak:stations",result="ok"} 1`,
		`astroshield_refresh_duration_seconds_count{source="spacetrack",result="ok"} 1`,
		`astroshield_refresh_element_sets_added_total{source="spacetrack"} 1`} {
		if !strings.Contains(string(metrics), m) {
			t.Errorf("metrics lack %s:\n%s", m, metrics)
		}
	}
	for _, secret := range []string{pass, user, "chocolatechip"} {
		if strings.Contains(l, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}

	db, err := sqlite.Open(context.Background(), filepath.Join(data, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for norad, name := range map[int]string{5: "VANGUARD 1", 25544: "ISS (ZARYA)"} {
		o, err := db.Object(context.Background(), norad)
		if err != nil {
			t.Fatalf("object %d not in the store after the refresh: %v\nlogs:\n%s", norad, err, l)
		}
		if o.Name != name || o.Sets != 1 {
			t.Errorf("object %d: %+v, want %s with one element set", norad, o, name)
		}
	}
	audit, err := db.Audit(context.Background(), 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	actors := map[string]bool{}
	for _, e := range audit {
		if e.Action == "elements.import" {
			actors[e.Actor] = true
		}
	}
	if !actors["refresh:celestrak"] || !actors["refresh:spacetrack"] {
		t.Errorf("audit import actors %v, want refresh:celestrak and refresh:spacetrack", actors)
	}
	feed, err := db.FeedEvents(context.Background(), "catalog", 0, 10)
	if err != nil || len(feed) != 2 {
		t.Errorf("catalog feed events %d (%v), want 2", len(feed), err)
	}
	if stLogins != 1 {
		t.Errorf("Space-Track logins %d, want 1", stLogins)
	}
}
