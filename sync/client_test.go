package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	gosync "sync"
	"testing"
)

// authServer answers DESIGN.md §6's login and refresh contract with
// rotating refresh tokens (a used one is refused), and a protected
// endpoint that records Idempotency-Keys.
type authServer struct {
	mu       gosync.Mutex
	n        int
	access   map[string]bool
	refresh  map[string]bool // unused refresh tokens
	applied  map[string]int  // Idempotency-Key -> times applied
	requests int
}

func newAuthServer(t *testing.T) (*authServer, *httptest.Server) {
	a := &authServer{access: map[string]bool{}, refresh: map[string]bool{}, applied: map[string]int{}}
	mux := http.NewServeMux()
	issue := func(w http.ResponseWriter) {
		a.n++
		at, rt := fmt.Sprintf("at-%d", a.n), fmt.Sprintf("rt-%d", a.n)
		a.access[at], a.refresh[rt] = true, true
		json.NewEncoder(w).Encode(map[string]any{"access_token": at, "refresh_token": rt, "expires_in": 900})
	}
	mux.HandleFunc("POST /api/v1/auth/login", func(w http.ResponseWriter, r *http.Request) {
		var b map[string]string
		json.NewDecoder(r.Body).Decode(&b)
		a.mu.Lock()
		defer a.mu.Unlock()
		if b["username"] != "ana" || b["password"] != "correct horse" {
			w.WriteHeader(401)
			w.Write([]byte(`{"error":{"code":"invalid_credentials","message":"wrong username or password"}}`))
			return
		}
		issue(w)
	})
	mux.HandleFunc("POST /api/v1/auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		var b map[string]string
		json.NewDecoder(r.Body).Decode(&b)
		a.mu.Lock()
		defer a.mu.Unlock()
		if !a.refresh[b["refresh_token"]] {
			w.WriteHeader(401)
			return
		}
		delete(a.refresh, b["refresh_token"])
		issue(w)
	})
	mux.HandleFunc("POST /api/v1/notes", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.requests++
		tok := r.Header.Get("Authorization")
		if len(tok) < 8 || !a.access[tok[7:]] {
			w.WriteHeader(401)
			return
		}
		a.applied[r.Header.Get("Idempotency-Key")]++
		w.WriteHeader(201)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return a, srv
}

func TestClientLoginRefreshRetry(t *testing.T) {
	ctx := context.Background()
	a, srv := newAuthServer(t)
	tf := TokenFile{Path: filepath.Join(t.TempDir(), "rt")}
	c := &Client{BaseURL: srv.URL, Tokens: tf}
	err := c.Login(ctx, "ana", NewSecret("wrong"))
	var apiErr *APIError
	if !errors.Is(err, ErrAuth) || !errors.As(err, &apiErr) || apiErr.Code != "invalid_credentials" {
		t.Fatalf("wrong password: %v", err)
	}
	if err := c.Login(ctx, "ana", NewSecret("correct horse")); err != nil {
		t.Fatal(err)
	}
	if st, _, err := c.Do(ctx, "POST", "/api/v1/notes", nil, []byte(`{}`)); err != nil || st != 201 {
		t.Fatalf("authenticated call: %d %v", st, err)
	}
	// The server forgets the access token (e.g. restarted with new keys):
	// the client refreshes once and retries.
	a.mu.Lock()
	a.access = map[string]bool{}
	a.mu.Unlock()
	if st, _, err := c.Do(ctx, "POST", "/api/v1/notes", nil, []byte(`{}`)); err != nil || st != 201 {
		t.Fatalf("after a 401: %d %v", st, err)
	}
	// A restarted app resumes from the stored (rotated) refresh token.
	stored, _ := tf.Load()
	if stored.Reveal() != "rt-2" {
		t.Errorf("stored refresh token %q, want the rotated rt-2", stored.Reveal())
	}
	c2 := &Client{BaseURL: srv.URL, Tokens: tf}
	if err := c2.Resume(ctx); err != nil {
		t.Fatal(err)
	}
	// The first client's refresh token was rotated away: it must log in again.
	if err := c.Refresh(ctx); !errors.Is(err, ErrAuth) {
		t.Errorf("refresh with a used token: %v", err)
	}
}

// Outbox through the client: each action applied once even when the first
// answer is lost and the action is retried with the same key.
func TestOutboxThroughClientAppliesOnce(t *testing.T) {
	ctx := context.Background()
	a, srv := newAuthServer(t)
	c := &Client{BaseURL: srv.URL}
	if err := c.Login(ctx, "ana", NewSecret("correct horse")); err != nil {
		t.Fatal(err)
	}
	s, _ := openTestStore(t)
	for i := range 3 {
		s.Enqueue(ctx, "POST", "/api/v1/notes", "", []byte(fmt.Sprintf(`{"n":%d}`, i)), "note")
	}
	send := c.Sender()
	lost := true
	flaky := func(ctx context.Context, act Action) (int, []byte, error) {
		st, b, err := send(ctx, act)
		if lost { // the server applied it but the answer never arrived
			lost = false
			return 0, nil, errors.New("connection reset")
		}
		return st, b, err
	}
	if _, err := s.Flush(ctx, flaky); !errors.Is(err, ErrOffline) {
		t.Fatalf("first flush: %v", err)
	}
	if r, err := s.Flush(ctx, flaky); err != nil || r.Sent != 3 {
		t.Fatalf("second flush: %+v %v", r, err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.applied) != 3 || a.requests != 4 {
		t.Errorf("%d distinct keys over %d requests, want 3 over 4", len(a.applied), a.requests)
	}
}
