package sync

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"
)

// faultProxy is a TCP proxy on loopback that can cut every connection or
// stall them (stop forwarding without closing), as a flaky link does.
type faultProxy struct {
	ln      net.Listener
	target  string
	mu      gosync.Mutex
	conns   []net.Conn
	stalled bool
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{ln: ln, target: target}
	go p.accept()
	t.Cleanup(func() { ln.Close(); p.cut() })
	return p
}

func (p *faultProxy) addr() string { return p.ln.Addr().String() }

func (p *faultProxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		u, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, u)
		p.mu.Unlock()
		go p.pipe(c, u)
		go p.pipe(u, c)
	}
}

func (p *faultProxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		for {
			p.mu.Lock()
			st := p.stalled
			p.mu.Unlock()
			if !st {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if n > 0 {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				dst.Close()
			}
			return
		}
	}
}

// cut closes every connection at once.
func (p *faultProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// stall stops forwarding for d, then cuts the stalled connections (a link
// that came back after its peers gave up on it).
func (p *faultProxy) stall(d time.Duration) {
	p.mu.Lock()
	p.stalled = true
	p.mu.Unlock()
	time.Sleep(d)
	p.cut()
	p.mu.Lock()
	p.stalled = false
	p.mu.Unlock()
}

// TestFeedRecoversFromNetworkFaults: the feed runs through a proxy that
// cuts or stalls the link at random moments while events keep arriving at
// a real server; after each fault the client is online again within the
// heartbeat plus the backoff ceiling, and ends with every event once.
func TestFeedRecoversFromNetworkFaults(t *testing.T) {
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
	defer srv.kill()
	proxy := newFaultProxy(t, srv.addr)

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	uploader := &Client{BaseURL: "http://" + srv.addr}
	if err := uploader.Login(ctx, "ana", NewSecret("correct horse battery")); err != nil {
		t.Fatal(err)
	}
	viaProxy := &Client{BaseURL: "http://" + proxy.addr()}
	if err := viaProxy.Login(ctx, "ana", NewSecret("correct horse battery")); err != nil {
		t.Fatal(err)
	}
	store, _ := openTestStore(t)
	const heartbeat = 300 * time.Millisecond
	backoff := Backoff{Base: 20 * time.Millisecond, Max: 300 * time.Millisecond}
	online := make(chan time.Time, 100)
	feed := &Feed{Client: viaProxy, Store: store, Channels: []string{"catalog"}, Backoff: backoff, Heartbeat: heartbeat,
		OnState: func(s string, _ error) {
			if s == LinkOnline {
				online <- time.Now()
			}
		}}
	feedDone := make(chan error, 1)
	started := time.Now()
	go func() { feedDone <- feed.Run(ctx) }()
	waitOnline := func(since time.Time, bound time.Duration, what string) {
		t.Helper()
		for {
			select {
			case at := <-online:
				if at.Before(since) {
					continue
				}
				if d := at.Sub(since); d > bound {
					t.Errorf("%s: online again after %v, bound %v", what, d, bound)
				}
				return
			case <-time.After(bound + 5*time.Second):
				t.Fatalf("%s: not online again", what)
			}
		}
	}
	waitOnline(started, 10*time.Second, "first connect")

	rng := rand.New(rand.NewPCG(7, 7))
	chunks := tleChunks(t, history, 25)[:16]
	added := 0
	for i, body := range chunks {
		st, resp, err := uploader.Do(ctx, "POST", "/api/v1/elements", nil, []byte(body))
		if err != nil || st != 200 {
			t.Fatalf("upload %d: %d %v %s", i, st, err, resp)
		}
		var r struct {
			Added int `json:"added"`
		}
		if err := json.Unmarshal(resp, &r); err != nil {
			t.Fatalf("upload %d answer: %v", i, err)
		}
		added += r.Added
		time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
		if i%2 == 1 { // a fault every other upload, alternating kinds
			t0 := time.Now()
			// Bound: detecting the fault (a cut is seen at once; a stall by
			// the heartbeat: one interval to send the ping, one to time
			// out), plus the worst backoff draw, plus reconnect work.
			bound := backoff.Max + 1500*time.Millisecond
			if i%4 == 1 {
				proxy.cut()
				waitOnline(t0, bound, fmt.Sprintf("cut after upload %d", i))
			} else {
				go proxy.stall(3 * heartbeat)
				waitOnline(t0, bound+3*heartbeat, fmt.Sprintf("stall after upload %d", i))
			}
		}
	}
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
		t.Errorf("client has %d events, server added %d", len(evs), added)
	}
	for i, e := range evs {
		if e.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d", i, e.Seq)
		}
	}
}
