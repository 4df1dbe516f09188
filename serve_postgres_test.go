package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/postgres"
	"github.com/astroshield/astroshield/server/store/postgres/pgtest"
)

// TestServePostgres runs `astroshield serve --db postgres://...` on a
// throwaway PostgreSQL cluster (skipped without PostgreSQL binaries or
// ASTROSHIELD_PG_URL) and goes through the API: login, element-set import
// with an Idempotency-Key retried, catalog and history reads, the audit
// chain; then restarts the server on the same database and reads again.
func TestServePostgres(t *testing.T) {
	dbURL := pgtest.Start(t).NewDatabase(t)
	const password = "postgres-Passw0rd"
	// The first admin is made with the admin command, as an operator would.
	add := exec.Command(binPath, "users", "add", "--db", dbURL, "--username", "pgadmin", "--role", "admin", "--password-stdin")
	add.Stdin = strings.NewReader(password + "\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("users add --db postgres: %v\n%s", err, out)
	}
	list := exec.Command(binPath, "users", "list", "--db", dbURL)
	if out, err := list.CombinedOutput(); err != nil || !strings.Contains(string(out), "pgadmin") || !strings.Contains(string(out), "admin") {
		t.Fatalf("users list --db postgres: %v\n%s", err, out)
	}

	client := &http.Client{Timeout: 10 * time.Second}
	do := func(method, url, tok, key, body string) (int, []byte, http.Header) {
		t.Helper()
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		if key != "" {
			req.Header.Set("Idempotency-Key", key)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b, res.Header
	}
	login := func(base string) string {
		t.Helper()
		st, b, _ := do("POST", base+"/api/v1/auth/login", "", "", `{"username":"pgadmin","password":"`+password+`"}`)
		var tk struct {
			AccessToken string `json:"access_token"`
		}
		if st != 200 || json.Unmarshal(b, &tk) != nil || tk.AccessToken == "" {
			t.Fatalf("login: %d %s", st, b)
		}
		if st, b, _ := do("POST", base+"/api/v1/auth/login", "", "", `{"username":"pgadmin","password":"wrong"}`); st != 401 {
			t.Fatalf("wrong password: %d %s", st, b)
		}
		return tk.AccessToken
	}

	base, stop := startServePostgres(t, dbURL)
	if st, b, _ := do("GET", base+"/readyz", "", "", ""); st != 200 {
		t.Fatalf("readyz: %d %s", st, b)
	}
	tok := login(base)
	tles := durabilityTLE(t, 81001, 0) + durabilityTLE(t, 81001, 60) + durabilityTLE(t, 81002, 0)
	for i, wantReplay := range []string{"", "true"} { // the retry with the same key applies once
		st, b, hdr := do("POST", base+"/api/v1/elements", tok, "pg-import-1", tles)
		var out struct{ Added, Duplicates int }
		if st != 200 || json.Unmarshal(b, &out) != nil || out.Added != 3 || out.Duplicates != 0 || hdr.Get("Idempotent-Replayed") != wantReplay {
			t.Fatalf("import %d: %d %s (replayed %q)", i, st, b, hdr.Get("Idempotent-Replayed"))
		}
	}
	if st, b, _ := do("POST", base+"/api/v1/elements", tok, "", durabilityTLE(t, 81002, 0)); st != 200 || !strings.Contains(string(b), `"duplicates":1`) {
		t.Fatalf("re-import without a key: %d %s", st, b)
	}
	// A name PostgreSQL text cannot hold is the request's fault: 400 with
	// the stable code, and nothing of the upload stored.
	bad := strings.Replace(durabilityTLE(t, 81003, 0), "DURABILITY 81003", "BAD \xff NAME", 1)
	if st, b, _ := do("POST", base+"/api/v1/elements", tok, "", bad); st != 400 || !strings.Contains(string(b), `"invalid_argument"`) {
		t.Fatalf("invalid UTF-8 name: %d %s, want 400 invalid_argument", st, b)
	}
	if st, b, _ := do("GET", base+"/api/v1/objects/81003", tok, "", ""); st != 404 {
		t.Fatalf("object of the refused upload: %d %s, want 404", st, b)
	}
	check := func(base, tok string) {
		t.Helper()
		st, b, _ := do("GET", base+"/api/v1/objects/81001", tok, "", "")
		var o struct {
			NORAD int    `json:"norad"`
			Name  string `json:"name"`
			Sets  int    `json:"element_sets"`
			Epoch string `json:"epoch"`
		}
		if st != 200 || json.Unmarshal(b, &o) != nil || o.NORAD != 81001 || o.Name != "DURABILITY 81001" || o.Sets != 2 || !strings.HasPrefix(o.Epoch, "2026-01-01T01:00:00") {
			t.Fatalf("object 81001: %d %s", st, b)
		}
		if st, b, _ := do("GET", base+"/api/v1/objects?q=durability", tok, "", ""); st != 200 || !strings.Contains(string(b), "81001") || !strings.Contains(string(b), "81002") {
			t.Fatalf("search: %d %s", st, b)
		}
		if st, b, _ := do("GET", base+"/api/v1/objects/81001/elements", tok, "", ""); st != 200 || strings.Count(string(b), `"format":"tle"`) != 2 {
			t.Fatalf("history: %d %s", st, b)
		}
		if st, b, _ := do("GET", base+"/api/v1/objects/99999", tok, "", ""); st != 404 {
			t.Fatalf("missing object: %d %s", st, b)
		}
		// The bulk catalog cursor, page by page (JSON), sees each of the 3 sets once.
		var cursor int64
		got := 0
		for page := 0; page < 10; page++ {
			req, _ := http.NewRequest("GET", fmt.Sprintf("%s/api/v1/catalog/changes?cursor=%d&limit=2", base, cursor), nil)
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Accept", "application/json")
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var ch struct {
				ElementSets []struct {
					NORAD int `json:"norad"`
				} `json:"element_sets"`
				NextCursor int64 `json:"next_cursor"`
				More       bool  `json:"more"`
			}
			err = json.NewDecoder(res.Body).Decode(&ch)
			res.Body.Close()
			if res.StatusCode != 200 || err != nil {
				t.Fatalf("catalog changes after %d: %d %v", cursor, res.StatusCode, err)
			}
			got += len(ch.ElementSets)
			cursor = ch.NextCursor
			if !ch.More {
				break
			}
		}
		if got != 3 {
			t.Fatalf("catalog changes gave %d element sets, want 3", got)
		}
		st, b, _ = do("GET", base+"/api/v1/audit/verify", tok, "", "")
		var v struct {
			OK      bool `json:"ok"`
			Entries int  `json:"entries"`
		}
		if st != 200 || json.Unmarshal(b, &v) != nil || !v.OK || v.Entries < 3 {
			t.Fatalf("audit verify: %d %s", st, b)
		}
	}
	check(base, tok)
	stop()

	// Everything acknowledged is there after a restart on the same database.
	base, stop = startServePostgres(t, dbURL)
	defer stop()
	check(base, login(base))
}

// startServePostgres starts `astroshield serve --db dbURL` on a free port
// and returns its base URL and a func that stops it (SIGTERM, then waits).
func startServePostgres(t *testing.T, dbURL string) (string, func()) {
	t.Helper()
	cmd := exec.Command(binPath, "serve", "--addr", "127.0.0.1:0", "--db", dbURL)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addr := make(chan string, 1)
	logs := make(chan string, 1)
	go func() { // ends when the process's stderr closes
		var all strings.Builder
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			all.WriteString(sc.Text() + "\n")
			var m struct{ Msg, Addr string }
			if json.Unmarshal(sc.Bytes(), &m) == nil && m.Msg == "listening" {
				addr <- m.Addr
			}
		}
		logs <- all.String()
	}()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			<-done
			t.Errorf("server did not stop on SIGTERM")
		}
	}
	select {
	case a := <-addr:
		t.Cleanup(stop)
		return fmt.Sprintf("http://%s", a), stop
	case l := <-logs:
		stop()
		t.Fatalf("server exited before listening:\n%s", l)
	case <-time.After(60 * time.Second):
		stop()
		t.Fatal("server did not start in 60 s")
	}
	return "", nil
}

// TestServeDurabilitySIGKILLPostgres is the SIGKILL durability test on
// PostgreSQL: the server (not the database) is killed 20 times while two
// writers import; every acknowledged write is in the database afterwards,
// retried Idempotency-Keys applied once, and the audit chain verifies.
func TestServeDurabilitySIGKILLPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("durability test starts the server 21 times")
	}
	dbURL := pgtest.Start(t).NewDatabase(t)
	cliStdin(t, durabilityPassword+"\n", "users", "add", "--db", dbURL, "--username", "writer", "--role", "analyst", "--password-stdin")
	acked := killRounds(t, "--db", dbURL)
	ctx := context.Background()
	db, err := postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	raw, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close(ctx)
	for w := range acked {
		rows, err := raw.Query(ctx, "SELECT epoch FROM element_sets WHERE norad = $1", 80000+w)
		if err != nil {
			t.Fatal(err)
		}
		ms, err := pgx.CollectRows(rows, pgx.RowTo[int64]) // epochs in Unix milliseconds
		if err != nil {
			t.Fatal(err)
		}
		epochs := make([]time.Time, len(ms))
		for i, m := range ms {
			epochs[i] = time.UnixMilli(m)
		}
		if len(epochs) != len(acked[w]) {
			t.Errorf("writer %d: %d stored, %d acknowledged", w, len(epochs), len(acked[w]))
		}
		checkAcknowledged(t, w, acked[w], epochs)
	}
	entries, err := db.Audit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.VerifyAudit(entries); err != nil {
		t.Fatalf("audit chain after the kills: %v", err)
	}
}
