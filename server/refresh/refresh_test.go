package refresh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// sampleOMM returns CelesTrak's OMM JSON sample (VANGUARD 1) from the
// shared test data, and the same record in Space-Track's GP format (every
// value a JSON string).
func sampleOMM(t testing.TB) (celestrak, spacetrack []byte) {
	t.Helper()
	dir := os.Getenv("ASTROSHIELD_TESTDATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "testdata")
	}
	b, err := os.ReadFile(filepath.Join(dir, "ccsds", "omm", "celestrak_formats", "sample_omm.json"))
	if err != nil {
		t.Skipf("test data absent (set ASTROSHIELD_TESTDATA): %v", err)
	}
	var recs []map[string]any
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		for k, v := range r {
			if n, ok := v.(float64); ok {
				r[k] = strconv.FormatFloat(n, 'g', -1, 64)
			}
		}
	}
	st, _ := json.Marshal(recs)
	return b, st
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

type imports struct {
	mu       sync.Mutex
	bodies   [][]byte
	subjects []string
}

func (im *imports) fn(ctx context.Context, data []byte, subject string) (int, int, int, error) {
	im.mu.Lock()
	defer im.mu.Unlock()
	im.bodies = append(im.bodies, data)
	im.subjects = append(im.subjects, subject)
	return 1, 0, 0, nil
}

func (im *imports) n() int { im.mu.Lock(); defer im.mu.Unlock(); return len(im.bodies) }

func newSched(t *testing.T, cfg Config) (*Scheduler, *imports, *syncBuf) {
	t.Helper()
	im := &imports{}
	logs := &syncBuf{}
	cfg.Import = im.fn
	cfg.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, im, logs
}

// fakeCelesTrak answers gp.php in CelesTrak's format with an ETag and
// Last-Modified, and 304 to a matching conditional request.
type fakeCelesTrak struct {
	mu       sync.Mutex
	body     []byte
	fail     []int // statuses to answer first, in order
	requests int
	cond     int // conditional requests seen
	at       []time.Time
}

func (f *fakeCelesTrak) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests++
	f.at = append(f.at, time.Now())
	if r.URL.Path != "/NORAD/elements/gp.php" || r.URL.Query().Get("FORMAT") != "json" {
		http.Error(w, "bad path", http.StatusNotFound)
		return
	}
	if r.URL.Query().Get("GROUP") != "active" {
		w.Write([]byte("No GP data found"))
		return
	}
	if len(f.fail) > 0 {
		code := f.fail[0]
		f.fail = f.fail[1:]
		if code == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "7")
		}
		w.WriteHeader(code)
		return
	}
	const etag = `"gp-active-1"`
	lm := time.Date(2025, 2, 14, 16, 0, 0, 0, time.UTC).Format(http.TimeFormat)
	if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lm {
		f.cond++
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", lm)
	w.Header().Set("Content-Type", "application/json")
	w.Write(f.body)
}

func TestCelesTrakConditionalAndCadence(t *testing.T) {
	body, _ := sampleOMM(t)
	ct := &fakeCelesTrak{body: body}
	srv := httptest.NewServer(ct)
	defer srv.Close()
	s, im, _ := newSched(t, Config{CelesTrakGroups: []string{"active"}, CelesTrakURL: srv.URL, CelesTrakMinInterval: time.Millisecond})
	ctx := context.Background()
	once := func(ctx context.Context) (string, int, error) { return s.celesTrak(ctx, "active") }
	for i, want := range []string{"ok", "not_modified"} {
		time.Sleep(2 * time.Millisecond)
		got, err := s.Once(ctx, "celestrak:active", once)
		if err != nil || got != want {
			t.Fatalf("refresh %d: %q, %v; want %q", i+1, got, err, want)
		}
	}
	if im.n() != 1 || !bytes.Equal(im.bodies[0], body) || im.subjects[0] != "refresh:celestrak" {
		t.Fatalf("imports %d (subjects %v), want the one 200 body", im.n(), im.subjects)
	}
	if ct.cond != 1 {
		t.Errorf("conditional requests %d, want 1", ct.cond)
	}
	// Within the group's cadence nothing is fetched.
	s.cfg.CelesTrakMinInterval = CelesTrakCadence
	if got, err := s.Once(ctx, "celestrak:active", once); err != nil || got != "skipped" {
		t.Fatalf("within cadence: %q, %v; want skipped", got, err)
	}
	if ct.requests != 2 {
		t.Errorf("requests %d, want 2 (none within the cadence)", ct.requests)
	}
}

func TestCelesTrakErrors(t *testing.T) {
	body, _ := sampleOMM(t)
	ct := &fakeCelesTrak{body: body, fail: []int{http.StatusTooManyRequests}}
	srv := httptest.NewServer(ct)
	defer srv.Close()
	s, im, _ := newSched(t, Config{CelesTrakGroups: []string{"active", "nosuchgroup"}, CelesTrakURL: srv.URL, CelesTrakMinInterval: time.Millisecond})
	_, _, err := s.celesTrak(context.Background(), "active")
	var ra *RetryAfterError
	if !errors.As(err, &ra) || ra.After != 7*time.Second {
		t.Fatalf("429: %v; want a RetryAfterError of 7s", err)
	}
	if _, _, err := s.celesTrak(context.Background(), "nosuchgroup"); err == nil || !strings.Contains(err.Error(), "not OMM JSON") {
		t.Fatalf("unknown group: %v; want a not-OMM-JSON error", err)
	}
	if im.n() != 0 {
		t.Errorf("%d imports from failed fetches", im.n())
	}
	if _, err := New(Config{CelesTrakGroups: []string{"a&b"}, Import: im.fn}); err == nil {
		t.Error("group with & accepted")
	}
	if _, err := New(Config{CelesTrakGroups: []string{"active"}, CelesTrakURL: "celestrak.org", Import: im.fn}); err == nil {
		t.Error("base URL without scheme accepted")
	}
	if _, err := New(Config{SpaceTrackUser: "u", Import: im.fn}); err == nil {
		t.Error("Space-Track user without password accepted")
	}
}

// TestBackoff: the loop retries a 5xx after RetryBase (±25 %), doubling,
// then waits Every after the success.
func TestBackoff(t *testing.T) {
	body, _ := sampleOMM(t)
	ct := &fakeCelesTrak{body: body, fail: []int{500, 503}}
	srv := httptest.NewServer(ct)
	defer srv.Close()
	base := 40 * time.Millisecond
	s, im, _ := newSched(t, Config{CelesTrakGroups: []string{"active"}, CelesTrakURL: srv.URL, CelesTrakMinInterval: time.Millisecond,
		RetryBase: base, Every: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for im.n() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if im.n() != 1 {
		t.Fatalf("imports %d after two failures, want 1", im.n())
	}
	ct.mu.Lock()
	defer ct.mu.Unlock()
	if len(ct.at) != 3 {
		t.Fatalf("requests %d, want 3", len(ct.at))
	}
	if d := ct.at[1].Sub(ct.at[0]); d < base*3/4 {
		t.Errorf("first retry after %v, want ≥ %v", d, base*3/4)
	}
	if d := ct.at[2].Sub(ct.at[1]); d < 2*base*3/4 {
		t.Errorf("second retry after %v, want ≥ %v (doubled)", d, 2*base*3/4)
	}
}

func TestBackoffJitter(t *testing.T) {
	seen := map[time.Duration]bool{}
	for i := 0; i < 50; i++ {
		d := backoff(time.Second, time.Hour, 3)
		if d < 6*time.Second || d > 10*time.Second {
			t.Fatalf("backoff(1s, 3 failures) = %v, want 8s ±25%%", d)
		}
		seen[d] = true
	}
	if len(seen) < 10 {
		t.Errorf("only %d distinct backoffs in 50: no jitter", len(seen))
	}
	if d := backoff(time.Minute, 2*time.Hour, 30); d > 2*time.Hour+30*time.Minute {
		t.Errorf("backoff not capped: %v", d)
	}
}

// fakeSpaceTrack logs in with the identity/password form, sets a session
// cookie, answers the GP query in Space-Track's JSON, and can expire the
// session (401) to force a re-login.
type fakeSpaceTrack struct {
	mu              sync.Mutex
	user, pass      string
	body            []byte
	session         string
	logins, queries int
	expireAfter     int // expire the session after this many queries
}

func (f *fakeSpaceTrack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/ajaxauth/login":
		if r.PostFormValue("identity") != f.user || r.PostFormValue("password") != f.pass {
			w.Write([]byte(`{"Login":"Failed"}`))
			return
		}
		f.logins++
		f.session = "s" + string(rune('0'+f.logins))
		http.SetCookie(w, &http.Cookie{Name: "chocolatechip", Value: f.session, Path: "/", HttpOnly: true})
		w.Write([]byte(`""`))
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/basicspacedata/query/class/gp/") && strings.HasSuffix(r.URL.Path, "/format/json"):
		c, err := r.Cookie("chocolatechip")
		if err != nil || c.Value != f.session || f.session == "" {
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"You must be logged in to complete this action"}`))
			return
		}
		f.queries++
		if f.expireAfter > 0 && f.queries%f.expireAfter == 0 {
			f.session = "" // next query is refused
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(f.body)
	default:
		http.NotFound(w, r)
	}
}

func TestSpaceTrackLoginOnceAndReloginOn401(t *testing.T) {
	_, body := sampleOMM(t)
	const user, pass = "ops@example.org", "s3cret-Pa55word!"
	st := &fakeSpaceTrack{user: user, pass: pass, body: body, expireAfter: 2}
	srv := httptest.NewServer(st)
	defer srv.Close()
	s, im, logs := newSched(t, Config{SpaceTrackUser: user, SpaceTrackPassword: pass, SpaceTrackURL: srv.URL})
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if got, err := s.Once(ctx, "spacetrack", s.spaceTrack); err != nil || got != "ok" {
			t.Fatalf("refresh %d: %q, %v", i+1, got, err)
		}
	}
	// Query 1 and 2 share the first session; 3 gets 401, logs in again.
	if st.logins != 2 || st.queries != 3 || im.n() != 3 {
		t.Errorf("logins %d queries %d imports %d; want 2, 3, 3", st.logins, st.queries, im.n())
	}
	if !bytes.Equal(im.bodies[0], body) || im.subjects[0] != "refresh:spacetrack" {
		t.Errorf("import got %q as %q", im.bodies[0], im.subjects[0])
	}
	// Wrong password: a clear error, not an import.
	s2, im2, logs2 := newSched(t, Config{SpaceTrackUser: user, SpaceTrackPassword: "wrong-" + pass, SpaceTrackURL: srv.URL})
	if _, err := s2.Once(ctx, "spacetrack", s2.spaceTrack); !errors.Is(err, ErrLoginFailed) {
		t.Errorf("wrong password: %v, want ErrLoginFailed", err)
	}
	if im2.n() != 0 {
		t.Error("imported after a refused login")
	}
	for _, l := range []string{logs.String(), logs2.String()} {
		if !strings.Contains(l, "catalog refresh") {
			t.Fatalf("no refresh log lines captured:\n%s", l)
		}
		for _, secret := range []string{pass, user, "chocolatechip", "identity="} {
			if strings.Contains(l, secret) {
				t.Errorf("logs contain %q:\n%s", secret, l)
			}
		}
	}
}

func TestSpaceTrackLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := &limiter{perMin: 30, perHour: 300, now: func() time.Time { return now }}
	sent := 0
	for step := 0; step < 7000; step++ { // try a request every half second for 58 minutes
		if l.reserve() == 0 {
			sent++
		}
		now = now.Add(500 * time.Millisecond)
		// every window of a minute must hold ≤ 30
		in := 0
		for _, t0 := range l.sent {
			if now.Sub(t0) <= time.Minute {
				in++
			}
		}
		if in > 30 {
			t.Fatalf("%d requests in a minute", in)
		}
	}
	if sent != 300 {
		t.Errorf("sent %d within an hour, want the 300 cap", sent)
	}
	if d := l.reserve(); d <= 0 {
		t.Errorf("301st request in the hour allowed")
	}
}
