package sync

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// testdata finds a reference file as engine/internal/refdata does.
func testdata(t *testing.T, elem ...string) string {
	dir := os.Getenv("ASTROSHIELD_TESTDATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "testdata")
	}
	p := filepath.Join(append([]string{dir}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("reference data not found (%v): set ASTROSHIELD_TESTDATA", err)
	}
	return p
}

// serverProc is a real `astroshield serve` process on loopback.
type serverProc struct {
	t          *testing.T
	bin, data  string
	addr       string
	cmd        *exec.Cmd
	logs       *os.File
	startCount int
}

func buildAstroshield(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "astroshield")
	cmd := exec.Command("go", "build", "-o", bin, "..")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0") // the server build
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building astroshield: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func (s *serverProc) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "serve", "--addr", s.addr, "--data", s.data, "--log-level", "warn")
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.startCount++
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + s.addr + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("server did not become ready on %s", s.addr)
}

func (s *serverProc) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
}

// tleChunks splits a 3LE file into bodies of n element sets.
func tleChunks(t *testing.T, path string, n int) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := strings.TrimRight(sc.Text(), "\r "); l != "" {
			lines = append(lines, l)
		}
	}
	var out []string
	for i := 0; i < len(lines); i += 3 * n {
		out = append(out, strings.Join(lines[i:min(i+3*n, len(lines))], "\n")+"\n")
	}
	return out
}

// TestEndToEndAgainstRealServer: the client logs in, follows the catalog
// channel live while uploading an element-set history through the outbox;
// the server is SIGKILLed and restarted twice mid-stream, uploads queued
// while it is down are sent on reconnect; afterwards the client's copy of
// the channel equals the server's (no gap, no duplicate) and every queued
// upload took effect exactly once.
func TestEndToEndAgainstRealServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the server")
	}
	history := testdata(t, "catalog", "history", "iss_25544_3le_2021-01-01_to_2022-03-03.txt")
	bin := buildAstroshield(t)
	data := t.TempDir()
	add := exec.Command(bin, "users", "add", "--data", data, "--username", "ana", "--role", "analyst", "--password-stdin")
	add.Stdin = strings.NewReader("correct horse battery\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("users add: %v\n%s", err, out)
	}
	logs, _ := os.Create(filepath.Join(t.TempDir(), "server.log"))
	defer logs.Close()
	srv := &serverProc{t: t, bin: bin, data: data, addr: freeAddr(t), logs: logs}
	srv.start()
	defer func() { srv.kill() }()

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	client := &Client{BaseURL: "http://" + srv.addr, Tokens: TokenFile{Path: filepath.Join(t.TempDir(), "rt")}}
	if err := client.Login(ctx, "ana", NewSecret("correct horse battery")); err != nil {
		t.Fatal(err)
	}
	store, _ := openTestStore(t)
	feed := &Feed{Client: client, Store: store, Channels: []string{"catalog"},
		Backoff: Backoff{Base: 20 * time.Millisecond, Max: 400 * time.Millisecond}, Heartbeat: time.Second}
	feedDone := make(chan error, 1)
	go func() { feedDone <- feed.Run(ctx) }()

	// 900 element sets: the server's history endpoint returns up to 1,000.
	chunks := tleChunks(t, history, 50)
	if len(chunks) < 18 {
		t.Fatalf("only %d chunks", len(chunks))
	}
	chunks = chunks[:18]
	flush := func() { store.Flush(ctx, client.Sender()) } // errors: offline, retried later
	for i, body := range chunks {
		if _, err := store.Enqueue(ctx, "POST", "/api/v1/elements", "text/plain", []byte(body), fmt.Sprintf("chunk %d", i)); err != nil {
			t.Fatal(err)
		}
		switch i {
		case 5, 11: // the server dies; the next chunks queue up offline
			srv.kill()
		case 8, 14:
			flush() // fails: offline
			if n, _ := store.QueuedCount(ctx); n == 0 {
				t.Errorf("chunk %d: nothing queued while the server is down", i)
			}
			srv.start()
		}
		flush()
	}
	for n, _ := store.QueuedCount(ctx); n > 0; n, _ = store.QueuedCount(ctx) {
		if ctx.Err() != nil {
			t.Fatalf("%d actions still queued", n)
		}
		time.Sleep(100 * time.Millisecond)
		flush()
	}
	// Every action done, and the total the server says it added.
	actions, _ := store.Actions(ctx, "")
	added := 0
	for _, a := range actions {
		if a.State != StateDone {
			t.Fatalf("%s: %s %d %s", a.Summary, a.State, a.Status, a.Response)
		}
		var r struct{ Added int }
		json.Unmarshal(a.Response, &r)
		added += r.Added
	}
	// The server's own history must hold exactly that many element sets.
	st, body, err := client.Do(ctx, "GET", "/api/v1/objects/25544/elements?limit=1000", nil, nil)
	if err != nil || st != 200 {
		t.Fatalf("history: %d %v %s", st, err, body)
	}
	var hist struct {
		Sets []json.RawMessage `json:"element_sets"`
	}
	if err := json.Unmarshal(body, &hist); err != nil {
		t.Fatalf("history body: %v\n%.300s", err, body)
	}
	if len(hist.Sets) != added || added < 800 {
		t.Errorf("server holds %d element sets, the uploads added %d", len(hist.Sets), added)
	}
	// The client's copy of the channel converges on exactly those events.
	for {
		cur, _ := store.Cursor(ctx, "catalog")
		if cur >= int64(added) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("client at #%d of %d", cur, added)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-feedDone
	evs, _ := store.Events(context.Background(), "catalog", 0)
	if len(evs) != added {
		t.Errorf("client stored %d catalog events, server added %d", len(evs), added)
	}
	for i, e := range evs {
		if e.Seq != int64(i+1) || e.Kind != "elements.added" {
			t.Fatalf("event %d: seq %d kind %q", i, e.Seq, e.Kind)
		}
	}
	if srv.startCount != 3 {
		t.Errorf("server started %d times", srv.startCount)
	}
}
