package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	assync "github.com/astroshield/astroshield/sync"
)

// remoteServer is a real `astroshield serve` process (built with
// CGO_ENABLED=0) on a loopback port; kill and start restart it on the same
// port and data directory.
type remoteServer struct {
	t         *testing.T
	bin, data string
	addr      string
	cmd       *exec.Cmd
	logs      *os.File
}

func startRemoteServer(t *testing.T) *remoteServer {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	bin := filepath.Join(t.TempDir(), "astroshield")
	build := exec.Command("go", "build", "-o", bin, "..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building astroshield: %v\n%s", err, out)
	}
	data := t.TempDir()
	add := exec.Command(bin, "users", "add", "--data", data, "--username", "olga", "--role", "operator", "--password-stdin")
	add.Stdin = strings.NewReader("correct horse battery\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("users add: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	logs, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	s := &remoteServer{t: t, bin: bin, data: data, addr: addr, logs: logs}
	s.start()
	t.Cleanup(func() {
		s.kill()
		logs.Close()
	})
	return s
}

func (s *remoteServer) url() string { return "http://" + s.addr }

func (s *remoteServer) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "serve", "--addr", s.addr, "--data", s.data, "--log-level", "warn")
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(s.url() + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("server did not become ready on %s", s.addr)
}

func (s *remoteServer) kill() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGKILL)
	_ = s.cmd.Wait()
	s.cmd = nil
}

// waitFor polls cond (on the test goroutine) until it holds.
func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// notifications records what the UI sends.
type notifications struct {
	mu gosync.Mutex
	ns []*fyne.Notification
}

func (n *notifications) add(x *fyne.Notification) { n.mu.Lock(); n.ns = append(n.ns, x); n.mu.Unlock() }
func (n *notifications) all() []*fyne.Notification {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]*fyne.Notification(nil), n.ns...)
}

// firstTLEs is the first n element sets (3 lines each) of a 3LE file.
func firstTLEs(t *testing.T, path string, n int) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimRight(l, "\r "); l != "" {
			lines = append(lines, l)
		}
	}
	return []byte(strings.Join(lines[:3*n], "\n") + "\n")
}

// TestRemoteAgainstRealServer: the desktop's Remote logs in to a real
// server (remember me: a 0600 refresh-token file), syncs its catalog into
// the local cache, follows the feed: a CDM imported with Pc 2.355e-3 shows
// as a server row in the conjunctions table and raises an alert
// (notification + badge, cleared when the tab is viewed) while one with Pc
// 4.8e-5 only adds a row. The server is killed: the indicator goes offline,
// an upload queued meanwhile shows as "1 queued"; after the restart the
// indicator is back online, the queue is empty and the upload took effect
// once. A second Remote opens the cache with the server down and resumes
// from the stored token once it is back.
func TestRemoteAgainstRealServer(t *testing.T) {
	catPath := refPath(t, "catalog", "full_catalog_3le_2022-07-15.txt")
	cdmHigh := refPath(t, "ccsds", "cdm", "valid", "CDMExample3.txt")
	cdmLow := refPath(t, "ccsds", "cdm", "valid", "CDMExample2.txt")
	srv := startRemoteServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()

	// Server-side data first: 200 element sets through the REST API.
	admin := &assync.Client{BaseURL: srv.url()}
	if err := admin.Login(ctx, "olga", assync.NewSecret("correct horse battery")); err != nil {
		t.Fatal(err)
	}
	all := firstTLEs(t, catPath, 201)
	lines := strings.SplitAfterN(string(all), "\n", 601)
	first200, last := strings.Join(lines[:600], ""), lines[600]
	if st, body, err := admin.Do(ctx, "POST", "/api/v1/elements", http.Header{"Content-Type": {"text/plain"}}, []byte(first200)); err != nil || st != 200 {
		t.Fatalf("import: %d %v %s", st, err, body)
	}

	a := test.NewTempApp(t)
	ex := useSerialUI(t) // the test's UI reads and actions run on the UI goroutine too
	wall := newWSWall()
	w, s := newTestWorkstationOn(t, a, nil, nil, wall)
	s.Prefs = a.Preferences()
	cache, tokDir := t.TempDir(), t.TempDir()
	tokens := assync.TokenFile{Path: filepath.Join(tokDir, "refresh-token")}
	cfg := RemoteConfig{URL: srv.url(), CacheDir: cache, Tokens: tokens,
		Backoff: assync.Backoff{Base: 20 * time.Millisecond, Max: 300 * time.Millisecond}, Heartbeat: time.Second}
	r, err := OpenRemote(cfg)
	if err != nil {
		t.Fatal(err)
	}
	conj := NewConjunctionsPanel(s)
	w.AddTab("Conjunctions", conj.Object()) // selected: the alerts tab is not in view
	u := AttachRemote(w, s, conj, r)
	var sent notifications
	u.Notify = sent.add
	defer u.Stop()
	if r.HasStoredSession() {
		t.Fatal("a fresh token file claims a session")
	}
	if err := u.Connect(ctx, ConnectRequest{URL: srv.url(), Method: ConnectPassword, Username: "olga", Password: assync.NewSecret("wrong"), Remember: true}); err == nil {
		t.Fatal("a wrong password connected")
	}
	if err := u.Connect(ctx, ConnectRequest{URL: srv.url(), Method: ConnectPassword, Username: "olga", Password: assync.NewSecret("correct horse battery"), Remember: true}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(tokens.Path); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", st, err)
	}
	if b, _ := os.ReadFile(tokens.Path); bytes.Contains(b, []byte("correct horse")) {
		t.Fatal("the password was stored")
	}

	waitFor(t, "online", 20*time.Second, func() bool { return r.Status().State == assync.LinkOnline })
	waitFor(t, "the catalog from the server", 30*time.Second, func() bool { return s.Catalog().Len() == 200 })
	if s.Catalog().Source != srv.url() {
		t.Errorf("catalog source %q", s.Catalog().Source)
	}
	waitFor(t, "indicator online", 5*time.Second, func() bool { return u.IndicatorText() == "Server: online" })

	// Live: two CDMs, one above the alert threshold.
	for _, p := range []string{cdmLow, cdmHigh} {
		b, _ := os.ReadFile(p)
		if st, body, err := admin.Do(ctx, "POST", "/api/v1/cdms", http.Header{"Content-Type": {"text/plain"}}, b); err != nil || st != 201 {
			t.Fatalf("CDM import %s: %d %v %s", p, st, err, body)
		}
	}
	waitFor(t, "two server conjunctions in the table", 20*time.Second, ex.cond(func() bool { return len(conj.Events()) == 2 }))
	var rows []Event
	ex.do(func() { rows = conj.Events() })
	for _, e := range rows {
		if e.Source != "server" || e.ServerID == 0 {
			t.Errorf("row %+v: want a server row", e)
		}
	}
	waitFor(t, "one alert", 10*time.Second, ex.cond(func() bool { return u.Alerts.Unseen() == 1 }))
	if ns := sent.all(); len(ns) != 1 || !strings.Contains(ns[0].Title, "2.35e-03") {
		t.Fatalf("notifications: %+v", ns)
	}
	var title, titleAfter string
	var unseenAfter int
	ex.do(func() {
		title = u.alertTab.Text
		w.Tabs().Select(u.alertTab)
		unseenAfter, titleAfter = u.Alerts.Unseen(), u.alertTab.Text
		w.Tabs().SelectIndex(0)
	})
	if title != "Alerts (1)" {
		t.Errorf("tab title %q, want Alerts (1)", title)
	}
	if unseenAfter != 0 || titleAfter != AlertsTabTitle {
		t.Errorf("viewing the tab left %d unseen, title %q", unseenAfter, titleAfter)
	}

	// The link drops; an upload queues; the server comes back.
	srv.kill()
	waitFor(t, "indicator offline", 20*time.Second, func() bool { return strings.Contains(u.IndicatorText(), "offline") })
	if _, err := r.UploadElements(ctx, []byte(last), "one TLE while offline"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "1 queued shown", 5*time.Second, func() bool { return strings.Contains(u.IndicatorText(), "1 queued") })
	srv.start()
	waitFor(t, "online again and the queue empty", 30*time.Second, func() bool {
		st := r.Status()
		return st.State == assync.LinkOnline && st.Queued == 0
	})
	waitFor(t, "the uploaded object in the catalog", 30*time.Second, func() bool { return s.Catalog().Len() == 201 })
	acts, err := r.Store().Actions(ctx, "")
	if err != nil || len(acts) != 1 || acts[0].State != assync.StateDone {
		t.Fatalf("outbox: %+v %v", acts, err)
	}
	var res struct{ Added, Duplicates int }
	json.Unmarshal(acts[0].Response, &res)
	if res.Added != 1 {
		t.Errorf("the queued upload added %d (%s)", res.Added, acts[0].Response)
	}
	u.Stop()

	// A restart of the app: cache first, with the server down.
	srv.kill()
	r2, err := OpenRemote(cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The second window is built on the UI goroutine: the first one's
	// widgets are still being refreshed there.
	var (
		w2    *Workstation
		s2    *Session
		conj2 *ConjunctionsPanel
		u2    *RemoteUI
	)
	ex.do(func() {
		w2, s2 = newTestWorkstationOn(t, a, nil, nil, wall)
		conj2 = NewConjunctionsPanel(s2)
		w2.AddTab("Conjunctions", conj2.Object())
		u2 = AttachRemote(w2, s2, conj2, r2)
		u2.Notify = sent.add
	})
	defer u2.Stop()
	if !r2.HasStoredSession() {
		t.Fatal("remember me stored no session")
	}
	u2.Start()
	waitFor(t, "the cached catalog offline", 10*time.Second, func() bool { return s2.Catalog().Len() == 201 })
	waitFor(t, "the cached conjunctions offline", 10*time.Second, ex.cond(func() bool { return len(conj2.Events()) == 2 }))
	srv.start()
	waitFor(t, "resumed online", 30*time.Second, func() bool { return r2.Status().State == assync.LinkOnline })
	if n := len(sent.all()); n != 1 {
		t.Errorf("%d notifications after the restart; the replay must not alert again", n)
	}

	// An admin disables the user and the server restarts: the feed's
	// reconnect is refused, its refresh too. The Remote stops retrying,
	// says "signed out", notifies and asks to sign in; the outbox is kept.
	addAdmin := exec.Command(srv.bin, "users", "add", "--data", srv.data, "--username", "ada", "--role", "admin", "--password-stdin")
	addAdmin.Stdin = strings.NewReader("admin horse battery\n")
	if out, err := addAdmin.CombinedOutput(); err != nil {
		t.Fatalf("users add admin: %v\n%s", err, out)
	}
	ada := &assync.Client{BaseURL: srv.url()}
	if err := ada.Login(ctx, "ada", assync.NewSecret("admin horse battery")); err != nil {
		t.Fatal(err)
	}
	if st, body, err := ada.Do(ctx, "PATCH", "/api/v1/users/olga", nil, []byte(`{"disabled":true}`)); err != nil || st != 200 {
		t.Fatalf("disabling olga: %d %v %s", st, err, body)
	}
	srv.kill()
	if _, err := r2.UploadElements(ctx, []byte(last), "kept while signed out"); err != nil {
		t.Fatal(err)
	}
	srv.start()
	waitFor(t, "signed out", 30*time.Second, func() bool {
		st := r2.Status()
		return st.State == assync.LinkOffline && errors.Is(st.Err, assync.ErrAuth)
	})
	waitFor(t, "indicator signed out", 5*time.Second, func() bool {
		return strings.Contains(u2.IndicatorText(), "signed out") && strings.Contains(u2.IndicatorText(), "1 queued")
	})
	waitFor(t, "the sign-in notification", 5*time.Second, func() bool {
		ns := sent.all()
		return len(ns) == 2 && strings.Contains(ns[1].Title, "Signed out")
	})
	waitFor(t, "the connect dialog", 5*time.Second, func() bool {
		var open bool
		ex.do(func() { open = w2.Window().Canvas().Overlays().Top() != nil })
		return open
	})
	time.Sleep(300 * time.Millisecond) // several backoff periods: no retry may start
	if st := r2.Status(); st.State != assync.LinkOffline || st.Attempt != 0 {
		t.Errorf("after the refusal the link is %+v; it must stop, not retry", st)
	}
}

func TestConnectRequestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		req  ConnectRequest
		ok   bool
	}{
		{"password", ConnectRequest{URL: "http://127.0.0.1:8080", Method: ConnectPassword, Username: "a", Password: assync.NewSecret("p")}, true},
		{"key", ConnectRequest{URL: "https://sda.example", Method: ConnectAPIKey, APIKey: assync.NewSecret("k")}, true},
		{"no scheme", ConnectRequest{URL: "127.0.0.1:8080", Method: ConnectPassword, Username: "a", Password: assync.NewSecret("p")}, false},
		{"no password", ConnectRequest{URL: "http://h", Method: ConnectPassword, Username: "a"}, false},
		{"no key", ConnectRequest{URL: "http://h", Method: ConnectAPIKey}, false},
		{"no method", ConnectRequest{URL: "http://h"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.req.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate() = %v, want ok=%v", err, tc.ok)
			}
		})
	}
}

func TestLinkStatusText(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		st   LinkStatus
		want string
	}{
		{LinkStatus{State: assync.LinkOnline}, "online"},
		{LinkStatus{State: assync.LinkReconnecting, Attempt: 2, NextRetry: now.Add(1500 * time.Millisecond)}, "reconnecting (attempt 2, next retry in 1.5 s)"},
		{LinkStatus{State: assync.LinkReconnecting, Attempt: 9, NextRetry: now.Add(4 * time.Second), Queued: 3}, "offline (retrying in 4.0 s) · 3 queued"},
		{LinkStatus{State: assync.LinkOffline, Queued: 1}, "offline · 1 queued"},
	} {
		if got := tc.st.Text(now); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.st, got, tc.want)
		}
	}
}

func TestMergeEventsNoDuplicates(t *testing.T) {
	tca := time.Date(2022, 7, 15, 1, 0, 0, 0, time.UTC)
	local := []Event{{Norad1: 1, Norad2: 2, TCA: tca, Pc: 1e-5}, {Norad1: 3, Norad2: 4, TCA: tca}}
	server := []Event{{Norad1: 2, Norad2: 1, TCA: tca.Add(20 * time.Second), Pc: 3e-3, ServerID: 7}, {Norad1: 5, Norad2: 6, TCA: tca, ServerID: 8}}
	got := MergeEvents(local, server)
	if len(got) != 3 {
		t.Fatalf("%d rows, want 3", len(got))
	}
	if got[0].Source != "local+server" || got[0].ServerID != 7 || got[0].Pc != 1e-5 {
		t.Errorf("merged row %+v", got[0])
	}
	if got[1].Source != "local" || got[2].Source != "server" {
		t.Errorf("sources %q %q", got[1].Source, got[2].Source)
	}
}
