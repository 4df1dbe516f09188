package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/tle"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/sqlite"
)

// serverProc is one `astroshield serve` process.
type serverProc struct {
	cmd  *exec.Cmd
	addr string
	mu   sync.Mutex
	log  bytes.Buffer
	done chan struct{}
}

// startServerWith runs `astroshield serve --addr 127.0.0.1:0` with the
// storage flags given (--data DIR or --db URL).
func startServerWith(t *testing.T, storage ...string) *serverProc {
	t.Helper()
	args := append([]string{"serve", "--addr", "127.0.0.1:0"}, storage...)
	p := &serverProc{cmd: exec.Command(binPath, args...), done: make(chan struct{})}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	go func() { // owned by p: ends when the process's stderr closes
		defer close(p.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log.WriteString(line + "\n")
			p.mu.Unlock()
			var m struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &m) == nil && m.Msg == "listening" {
				addr <- m.Addr
			}
		}
		io.Copy(io.Discard, stderr)
	}()
	select {
	case p.addr = <-addr:
	case <-time.After(20 * time.Second):
		p.kill()
		t.Fatalf("server did not start:\n%s", p.logs())
	}
	return p
}

func (p *serverProc) logs() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

func (p *serverProc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	<-p.done
}

func cliStdin(t *testing.T, stdin string, args ...string) {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Stdin = strings.NewReader(stdin)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
}

func durabilityTLE(t *testing.T, norad, k int) string {
	l1, l2, err := tle.Format(gp.ElementSet{CatalogNumber: norad, IntlDesignator: "26001A", Classification: 'U',
		Epoch: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(k) * time.Minute), MeanMotionRevPerDay: 15.2,
		Eccentricity: 0.001, InclinationDeg: 53, RAANDeg: 10, ArgPerigeeDeg: 20, MeanAnomalyDeg: 30, BStarPerEarthRadius: 1e-4})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("DURABILITY %d\n%s\n%s\n", norad, l1, l2)
}

// TestServeDurabilitySIGKILL writes through the API while the server is
// killed with SIGKILL at (seeded) random moments, 20 rounds: no
// acknowledged write may be lost, a retried Idempotency-Key applies once,
// and the database passes integrity_check.
func TestServeDurabilitySIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("durability test starts the server 21 times")
	}
	data := t.TempDir()
	cliStdin(t, durabilityPassword+"\n", "users", "add", "--data", data, "--username", "writer", "--role", "analyst", "--password-stdin")
	acked := killRounds(t, "--data", data)
	db, err := sqlite.Open(context.Background(), data+"/"+sqlite.FileName)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if ok, err := db.IntegrityCheck(context.Background()); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q %v", ok, err)
	}
	raw, err := sql.Open("sqlite", "file:"+data+"/"+sqlite.FileName+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for w := range acked {
		rows, err := raw.Query("SELECT epoch FROM element_sets WHERE norad = ?", 80000+w)
		if err != nil {
			t.Fatal(err)
		}
		var epochs []time.Time
		for rows.Next() {
			var ms int64
			rows.Scan(&ms)
			epochs = append(epochs, time.UnixMilli(ms))
		}
		rows.Close()
		checkAcknowledged(t, w, acked[w], epochs)
	}
	entries, err := db.Audit(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.VerifyAudit(entries); err != nil {
		t.Fatalf("audit chain after the kills: %v", err)
	}
}

const durabilityPassword = "durability-Passw0rd"

// checkAcknowledged fails for every acknowledged write k of writer w whose
// epoch is not among those stored.
func checkAcknowledged(t *testing.T, w int, acked map[int]bool, epochs []time.Time) {
	t.Helper()
	stored := map[int]bool{}
	for _, e := range epochs {
		// TLE epochs carry 1e-8 day: round back to the minute written.
		stored[int(e.Sub(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)).Round(time.Minute)/time.Minute)] = true
	}
	for k := range acked {
		if !stored[k] {
			t.Errorf("writer %d: acknowledged write %d lost", w, k)
		}
	}
}

// killRounds runs the server on the given storage 21 times, killing it
// with SIGKILL at seeded random moments while two writers import element
// sets with Idempotency-Keys (user "writer", durabilityPassword), retrying
// the unacknowledged write after each crash. After the last round every
// write is acknowledged and the API's counts agree; it returns the
// acknowledged write indices per writer for the caller to check storage.
func killRounds(t *testing.T, storage ...string) []map[int]bool {
	t.Helper()
	const password = durabilityPassword
	client := &http.Client{Timeout: 3 * time.Second}
	post := func(addr, path, tok, key, body string) (int, []byte, http.Header, error) {
		req, _ := http.NewRequest("POST", "http://"+addr+path, strings.NewReader(body))
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		res, err := client.Do(req)
		if err != nil {
			return 0, nil, nil, err
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		return res.StatusCode, b, res.Header, err
	}
	login := func(addr string) string {
		st, b, _, err := post(addr, "/api/v1/auth/login", "", "", `{"username":"writer","password":"`+password+`"}`)
		if err != nil || st != 200 {
			t.Fatalf("login: %d %s %v", st, b, err)
		}
		var tk struct {
			AccessToken string `json:"access_token"`
		}
		json.Unmarshal(b, &tk)
		return tk.AccessToken
	}

	const writers, rounds = 2, 20
	rng := rand.New(rand.NewPCG(2026, 12)) // seeded: kill moments are reproducible
	next := make([]int, writers)           // next write index per writer
	pending := make([]int, writers)        // a write sent but not acknowledged (-1 none)
	for i := range pending {
		pending[i] = -1
	}
	acked := make([]map[int]bool, writers)
	for i := range acked {
		acked[i] = map[int]bool{}
	}
	var replays, mu = 0, sync.Mutex{}
	write := func(addr, tok string, w, k int) bool {
		st, b, h, err := post(addr, "/api/v1/elements", tok, fmt.Sprintf("w%d-k%d", w, k), durabilityTLE(t, 80000+w, k))
		if err != nil || st != 200 {
			return false
		}
		var out struct{ Added, Duplicates int }
		json.Unmarshal(b, &out)
		if out.Added != 1 || out.Duplicates != 0 {
			t.Errorf("write w%d-k%d answered %s: applied twice or not at all", w, k, b)
		}
		mu.Lock()
		acked[w][k] = true
		if h.Get("Idempotent-Replayed") == "true" {
			replays++
		}
		mu.Unlock()
		return true
	}
	began := time.Now()
	var logs strings.Builder
	var tokens []string
	for round := 0; round <= rounds; round++ {
		p := startServerWith(t, storage...)
		tok := login(p.addr)
		tokens = append(tokens, tok)
		final := round == rounds
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if k := pending[w]; k >= 0 { // the retry after a crash
					if !write(p.addr, tok, w, k) {
						return
					}
					pending[w] = -1
				}
				for {
					select {
					case <-stop:
						return
					default:
					}
					k := next[w]
					next[w]++
					pending[w] = k
					if !write(p.addr, tok, w, k) {
						return
					}
					pending[w] = -1
				}
			}()
		}
		if final {
			time.Sleep(200 * time.Millisecond)
			close(stop)
			wg.Wait()
			// Every write ever sent is now acknowledged; check storage.
			for w := range writers {
				if pending[w] >= 0 {
					t.Fatalf("writer %d: write %d still unacknowledged after the final round", w, pending[w])
				}
				req, _ := http.NewRequest("GET", fmt.Sprintf("http://%s/api/v1/objects/%d", p.addr, 80000+w), nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				res, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				var obj struct {
					Sets int `json:"element_sets"`
				}
				json.NewDecoder(res.Body).Decode(&obj)
				res.Body.Close()
				if obj.Sets != next[w] || len(acked[w]) != next[w] {
					t.Errorf("writer %d: %d stored, %d acknowledged, %d sent", w, obj.Sets, len(acked[w]), next[w])
				}
			}
			p.kill()
			logs.WriteString(p.logs())
			break
		}
		time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		p.kill()
		logs.WriteString(p.logs())
		close(stop)
		wg.Wait()
	}
	total := 0
	for w := range writers {
		total += len(acked[w])
	}
	t.Logf("%d rounds, %d acknowledged writes, %d answered from the idempotency store after a crash, %.1f s", rounds, total, replays, time.Since(began).Seconds())
	if total < 100 {
		t.Errorf("only %d writes: the test did not exercise the server", total)
	}
	if !strings.Contains(logs.String(), `"route":"POST /api/v1/elements"`) {
		t.Fatal("server logs not captured")
	}
	for _, secret := range append(tokens, password) {
		if strings.Contains(logs.String(), secret) {
			t.Fatal("a password or token appears in the server's logs")
		}
	}
	return acked
}

func TestServeUsage(t *testing.T) {
	if r := runCLI(t, "serve"); r.code != 2 || !strings.Contains(r.stderr, "--data") {
		t.Fatalf("serve without --data: %d %s", r.code, r.stderr)
	}
	if r := runCLI(t, "serve", "--data", t.TempDir(), "--bcrypt-cost", "10"); r.code != 2 {
		t.Fatalf("bcrypt cost 10 accepted: %d %s", r.code, r.stderr)
	}
	for _, bad := range [][]string{{"--screen-on-import", "30s"}, {"--screen-on-import", "-1h"}, {"--screen-on-import", "24h", "--screen-threshold-km", "0"}} {
		if r := runCLI(t, append([]string{"serve", "--data", t.TempDir()}, bad...)...); r.code != 2 || !strings.Contains(r.stderr, bad[len(bad)-2]) {
			t.Errorf("serve %v: %d %s, want exit 2 naming the flag", bad, r.code, r.stderr)
		}
	}
	if r := runCLI(t, "users", "add", "--data", t.TempDir(), "--username", "u", "--role", "viewer"); r.code != 2 || !strings.Contains(r.stderr, "--password-stdin") {
		t.Fatalf("users add without --password-stdin: %d %s", r.code, r.stderr)
	}
}

func TestAdminCommands(t *testing.T) {
	data := t.TempDir()
	cliStdin(t, "pw-for-alice\n", "users", "add", "--data", data, "--username", "alice", "--role", "viewer", "--password-stdin")
	cmd := exec.Command(binPath, "users", "add", "--data", data, "--username", "long", "--role", "viewer", "--password-stdin")
	cmd.Stdin = strings.NewReader(strings.Repeat("x", 73) + "\n")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "72") {
		t.Fatalf("73-byte password accepted: %s", out)
	}
	if r := runCLI(t, "users", "set-role", "--data", data, "--username", "alice", "--role", "operator"); r.code != 0 {
		t.Fatalf("set-role: %s", r.stderr)
	}
	if r := runCLI(t, "users", "disable", "--data", data, "--username", "alice"); r.code != 0 {
		t.Fatalf("disable: %s", r.stderr)
	}
	r := runCLI(t, "users", "list", "--data", data)
	if !strings.Contains(r.stdout, "alice") || !strings.Contains(r.stdout, "operator") || !strings.Contains(r.stdout, "true") {
		t.Fatalf("list: %s", r.stdout)
	}
	if r := runCLI(t, "keys", "rotate", "--data", data); r.code != 0 {
		t.Fatalf("rotate: %s", r.stderr)
	}
	if r := runCLI(t, "keys", "list", "--data", data); strings.Count(r.stdout, "\n") != 2 || !strings.Contains(r.stdout, "current") {
		t.Fatalf("keys list: %s", r.stdout)
	}
	r = runCLI(t, "apikeys", "create", "--data", data, "--name", "ingest", "--role", "analyst")
	key := strings.TrimSpace(r.stdout)
	if r.code != 0 || !strings.HasPrefix(key, "ask_") {
		t.Fatalf("apikeys create: %q %s", r.stdout, r.stderr)
	}
	id := strings.Split(key, "_")[1]
	if r := runCLI(t, "apikeys", "revoke", "--data", data, "--id", id); r.code != 0 {
		t.Fatalf("revoke: %s", r.stderr)
	}
	if r := runCLI(t, "apikeys", "revoke", "--data", data, "--id", "nope"); r.code != 1 {
		t.Fatalf("revoke unknown: %d", r.code)
	}
}
