package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/tle"
	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/feed"
	"github.com/astroshield/astroshield/server/jobs"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/sqlite"
)

// smallSocketBuffers makes newEnv's server use 8 KiB socket send buffers
// (the slow-consumer test needs writes to block soon).
var smallSocketBuffers bool

type smallBufListener struct{ net.Listener }

func (l smallBufListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(8192)
	}
	return c, err
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is a real server (SQLite file, auth, feed, job runner) on loopback.
type env struct {
	t    testing.TB
	db   *sqlite.DB
	auth *auth.Service
	api  *Server
	srv  *httptest.Server
	logs *syncBuffer
	now  time.Time // fixed clock unless advanced
	mu   sync.Mutex
	pw   map[string]string
}

const testPassword = "s3cret-Passw0rd!"

func newEnv(t testing.TB, mutate ...func(*auth.Config)) *env {
	t.Helper()
	return newEnvAPI(t, nil, mutate...)
}

// newEnvAPI is newEnv with the API's Config changed by apiCfg first; it
// also runs the screening-after-import loop (idle unless configured).
func newEnvAPI(t testing.TB, apiCfg func(*Config), mutate ...func(*auth.Config)) *env {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, db: db, logs: &syncBuffer{}, now: time.Now().UTC(), pw: map[string]string{}}
	cfg := auth.Config{Hasher: auth.InsecureTestHasher(4), Now: e.clock}
	for _, m := range mutate {
		m(&cfg)
	}
	if e.auth, err = auth.New(ctx, db, cfg); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	hub := feed.NewHub(db, log)
	hub.Heartbeat = 200 * time.Millisecond
	runner := jobs.NewRunner(db, log, hub.Notify)
	rctx, cancel := context.WithCancel(ctx)
	if err := runner.Start(rctx); err != nil {
		t.Fatal(err)
	}
	acfg := Config{Version: "test", MaxBodyBytes: 64 << 10}
	if apiCfg != nil {
		apiCfg(&acfg)
	}
	e.api = New(db, e.auth, hub, runner, log, acfg)
	screenDone := make(chan struct{})
	go func() { defer close(screenDone); e.api.RunScreenOnImport(rctx) }()
	e.srv = httptest.NewUnstartedServer(e.api.Handler())
	if smallSocketBuffers {
		e.srv.Listener = smallBufListener{e.srv.Listener}
	}
	e.srv.Start()
	t.Cleanup(func() {
		hub.Close()
		e.srv.Close()
		cancel()
		<-screenDone
		runner.Wait()
		db.Close()
	})
	for _, r := range []store.Role{store.RoleViewer, store.RoleAnalyst, store.RoleOperator, store.RoleAdmin} {
		e.addUser(r.String(), r)
	}
	return e
}

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	e.now = e.now.Add(d)
	e.mu.Unlock()
}

func (e *env) addUser(name string, role store.Role) {
	e.t.Helper()
	hash, err := auth.InsecureTestHasher(4).Hash(testPassword)
	if err != nil {
		e.t.Fatal(err)
	}
	err = e.db.Update(context.Background(), func(tx store.Tx) error {
		_, err := auth.CreateUser(context.Background(), tx, "test", name, role, hash, e.clock())
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

// resp is a decoded answer.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("status %d, body %q: %v", r.status, r.body, err)
	}
}

func (r resp) errCode(t testing.TB) string {
	t.Helper()
	var b struct {
		Error struct{ Code, Message string }
	}
	r.json(t, &b)
	if b.Error.Code == "" || b.Error.Message == "" {
		t.Fatalf("error body without code and message: %s", r.body)
	}
	return b.Error.Code
}

// do sends a request; hdr is alternating header names and values.
func (e *env) do(method, path string, body any, hdr ...string) resp {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return resp{res.StatusCode, res.Header, b}
}

func (e *env) login(user string) auth.Tokens {
	e.t.Helper()
	r := e.do("POST", "/api/v1/auth/login", map[string]string{"username": user, "password": testPassword})
	if r.status != 200 {
		e.t.Fatalf("login %s: %d %s", user, r.status, r.body)
	}
	var t auth.Tokens
	r.json(e.t, &t)
	return t
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

// tleText returns a valid TLE for norad at epoch (no name line).
func tleText(t testing.TB, norad int, epoch time.Time) string {
	t.Helper()
	l1, l2, err := tle.Format(gp.ElementSet{CatalogNumber: norad, IntlDesignator: "98067A", Classification: 'U', Epoch: epoch,
		MeanMotionRevPerDay: 15.5, Eccentricity: 0.0005, InclinationDeg: 51.6, RAANDeg: 100, ArgPerigeeDeg: 90, MeanAnomalyDeg: 10,
		BStarPerEarthRadius: 1e-4, ElementSetNumber: 999})
	if err != nil {
		t.Fatal(err)
	}
	return "TEST " + itoa(norad) + "\n" + l1 + "\n" + l2 + "\n"
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// testdata returns the reference-data directory or skips.
func testdata(t *testing.T) string {
	t.Helper()
	d := os.Getenv("ASTROSHIELD_TESTDATA")
	if d == "" {
		d = filepath.Join("..", "..", "..", "shared", "testdata")
	}
	if st, err := os.Stat(d); err != nil || !st.IsDir() {
		t.Skipf("reference data not found at %s (set ASTROSHIELD_TESTDATA)", d)
	}
	return d
}
