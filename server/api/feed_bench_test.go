package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/astroshield/astroshield/server/feed"
	"github.com/astroshield/astroshield/server/store"
)

// envInt reads a benchmark size from the environment (default def).
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// raiseFileLimit lifts RLIMIT_NOFILE to at least n (to the hard limit, or
// above it where the process may).
func raiseFileLimit(tb testing.TB, n uint64) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		tb.Fatalf("getrlimit: %v", err)
	}
	if lim.Cur >= n {
		return
	}
	want := syscall.Rlimit{Cur: n, Max: max(lim.Max, n)}
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
		want = syscall.Rlimit{Cur: lim.Max, Max: lim.Max}
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &want); err != nil {
			tb.Fatalf("setrlimit: %v", err)
		}
		if lim.Max < n {
			tb.Fatalf("open-file limit %d is below the %d this benchmark needs (raise it with ulimit -n)", lim.Max, n)
		}
	}
}

// dialSubscribed connects n WebSocket clients to wsURL with header hdr,
// at most 64 handshakes at a time, and subscribes each to channel.
func dialSubscribed(tb testing.TB, wsURL string, hdr http.Header, n int, channel string) []*websocket.Conn {
	conns := make([]*websocket.Conn, n)
	errs := make(chan error, n)
	sem := make(chan struct{}, 64)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			c, _, err := websocket.Dial(ctx, wsURL, &websocket.DialOptions{HTTPHeader: hdr})
			if err != nil {
				errs <- fmt.Errorf("client %d: dial: %w", i, err)
				return
			}
			b, _ := json.Marshal(feed.Message{Type: "subscribe", Channel: channel})
			if err := c.Write(ctx, websocket.MessageText, b); err != nil {
				errs <- fmt.Errorf("client %d: subscribe: %w", i, err)
				return
			}
			for {
				_, data, err := c.Read(ctx)
				if err != nil {
					errs <- fmt.Errorf("client %d: waiting for subscribed: %w", i, err)
					return
				}
				var m feed.Message
				if json.Unmarshal(data, &m) == nil && m.Type == "subscribed" {
					break
				}
			}
			conns[i] = c
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
	return conns
}

// benchEvent is the payload the fan-out benchmark publishes.
type benchEvent struct {
	SentUnixNano int64 `json:"sent_unix_ns"`
}

// BenchmarkFeedFanOut connects FANOUT_CLIENTS (1000) authenticated WebSocket
// clients over loopback to a real server, subscribes them to the
// conjunctions channel, and publishes FANOUT_RATE (20) events per second
// for FANOUT_SECONDS (10) through the path the API's writes use: the event
// is appended in a committed store transaction (SQLite, fsynced), then the
// hub is notified. Each client checks that sequence numbers arrive without
// gaps and records the latency from just before the transaction began
// (p50/p99/max-ms) and from the Notify after the commit (notify-p99-ms);
// commit-p99-ms is the transaction alone; cpu-us/delivery is the process's
// CPU time (server and clients together) per delivered event, a figure that
// holds when other work shares the cores.
// Clients and server share the machine's cores.
//
//	go test -run '^$' -bench FeedFanOut -benchtime 1x ./server/api/
func BenchmarkFeedFanOut(b *testing.B) {
	clients := envInt("FANOUT_CLIENTS", 1000)
	rate := envInt("FANOUT_RATE", 20)
	seconds := envInt("FANOUT_SECONDS", 10)
	raiseFileLimit(b, uint64(2*clients+1024))
	e := newEnv(b)
	e.api.hub.Heartbeat = 15 * time.Second // the server's default; newEnv's 200 ms is for tests
	tok := e.login("viewer").AccessToken
	wsURL := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/api/v1/ws"
	for i := 0; i < b.N; i++ {
		conns := dialSubscribed(b, wsURL, http.Header{"Authorization": {"Bearer " + tok}}, clients, "conjunctions")
		head, err := e.db.FeedHead(context.Background(), "conjunctions")
		if err != nil {
			b.Fatal(err)
		}
		events := rate * seconds
		last := head + int64(events)
		lat := make([][]time.Duration, clients) // from just before the commit began
		recv := make([][]time.Time, clients)    // arrival, by event index
		notified := make([]time.Time, events)   // when the hub was notified, by event index
		var gaps, short, readErrs atomic.Int64
		var wg sync.WaitGroup
		// Reads run without a context deadline (which would cost the client
		// a timer per message); a watchdog closes clients still waiting
		// long after the last event.
		watchdog := time.AfterFunc(time.Duration(seconds)*time.Second+30*time.Second, func() {
			for _, c := range conns {
				c.CloseNow()
			}
		})
		for k, c := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				seen := head
				ds := make([]time.Duration, 0, events)
				at := make([]time.Time, events)
				var buf bytes.Buffer
				for seen < last {
					_, r, err := c.Reader(context.Background())
					if err == nil {
						buf.Reset()
						_, err = buf.ReadFrom(r)
					}
					if err != nil {
						readErrs.Add(1)
						break
					}
					data := buf.Bytes()
					now := time.Now()
					var m struct { // the fields of feed.Message the client needs, decoded in one pass
						Type string     `json:"type"`
						Seq  int64      `json:"seq"`
						Data benchEvent `json:"data"`
					}
					if err := json.Unmarshal(data, &m); err != nil || m.Type != "event" {
						continue
					}
					if m.Seq != seen+1 {
						gaps.Add(max(m.Seq-seen-1, 1))
					}
					seen = m.Seq
					ds = append(ds, now.Sub(time.Unix(0, m.Data.SentUnixNano)))
					if i := m.Seq - head - 1; i >= 0 && i < int64(events) {
						at[i] = now
					}
				}
				if seen < last {
					short.Add(last - seen)
				}
				lat[k], recv[k] = ds, at
			}()
		}
		var ru0 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
		b.ResetTimer()
		tick := time.NewTicker(time.Second / time.Duration(rate))
		var commits []time.Duration
		for i := range events {
			<-tick.C
			began := time.Now()
			payload, _ := json.Marshal(benchEvent{SentUnixNano: time.Now().UnixNano()})
			err := e.db.Update(context.Background(), func(tx store.Tx) error {
				_, err := tx.AppendFeed(context.Background(), store.FeedEvent{Channel: "conjunctions", Kind: "bench", Payload: payload})
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			notified[i] = time.Now()
			commits = append(commits, notified[i].Sub(began))
			e.api.hub.Notify()
		}
		tick.Stop()
		wg.Wait()
		b.StopTimer()
		var ru1 syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
		cpu := time.Duration(ru1.Utime.Nano() + ru1.Stime.Nano() - ru0.Utime.Nano() - ru0.Stime.Nano())
		watchdog.Stop()
		var all, fan []time.Duration
		for k, ds := range lat {
			all = append(all, ds...)
			for i, t := range recv[k] {
				if !t.IsZero() {
					fan = append(fan, t.Sub(notified[i]))
				}
			}
		}
		pct := func(ds []time.Duration, p float64) float64 {
			if len(ds) == 0 {
				return 0
			}
			slices.Sort(ds)
			return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))]) / 1e6
		}
		b.ReportMetric(pct(all, 0.50), "p50-ms")
		b.ReportMetric(pct(all, 0.99), "p99-ms")
		b.ReportMetric(pct(all, 1), "max-ms")
		b.ReportMetric(pct(fan, 0.99), "notify-p99-ms")
		b.ReportMetric(pct(commits, 0.99), "commit-p99-ms")
		b.ReportMetric(float64(len(all)), "delivered")
		b.ReportMetric(float64(cpu.Microseconds())/float64(max(len(all), 1)), "cpu-us/delivery")
		b.ReportMetric(float64(clients*events), "expected")
		b.ReportMetric(float64(gaps.Load()+short.Load()), "dropped")
		if n := readErrs.Load(); n > 0 {
			b.Errorf("%d clients lost their connection", n)
		}
		for _, c := range conns {
			c.Close(websocket.StatusNormalClosure, "")
		}
	}
}

// TestFeedServerProcess is the server side of BenchmarkFeedIdleConns, run
// in a child process so that its memory is the server's alone. It does
// nothing unless ASTROSHIELD_FEED_SERVER_PROCESS=1.
func TestFeedServerProcess(t *testing.T) {
	if os.Getenv("ASTROSHIELD_FEED_SERVER_PROCESS") != "1" {
		t.Skip("helper process for BenchmarkFeedIdleConns")
	}
	raiseFileLimit(t, uint64(envInt("IDLE_CLIENTS", 10000)+1024))
	e := newEnv(t)
	e.api.hub.Heartbeat = 15 * time.Second
	fmt.Printf("server %s %s\n", e.srv.URL, e.login("viewer").AccessToken)
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() { // "mem": report memory; end of input: stop
		fmt.Println(memLine(e.api.hub.Clients()))
	}
}

// memLine reports this process's memory after a GC, as
// "mem CLIENTS HEAP_INUSE STACK_INUSE RSS GOROUTINES" in bytes.
func memLine(clients int64) string {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return fmt.Sprintf("mem %d %d %d %d %d", clients, ms.HeapInuse, ms.StackInuse, rssBytes(), runtime.NumGoroutine())
}

// rssBytes is VmRSS from /proc/self/status (0 where unavailable).
func rssBytes() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkFeedIdleConns measures the server-side memory of IDLE_CLIENTS
// (10000) idle WebSocket connections, each authenticated and subscribed to
// one channel. The server runs in a child process (this test binary,
// TestFeedServerProcess); its Go heap in use, goroutine stacks and RSS are
// read before and after the clients connect, and the difference is divided
// by the number of connections.
//
//	go test -run '^$' -bench FeedIdleConns -benchtime 1x ./server/api/
func BenchmarkFeedIdleConns(b *testing.B) {
	n := envInt("IDLE_CLIENTS", 10000)
	raiseFileLimit(b, uint64(n+1024))
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestFeedServerProcess$", "-test.count", "1")
		cmd.Env = append(os.Environ(), "ASTROSHIELD_FEED_SERVER_PROCESS=1", "IDLE_CLIENTS="+strconv.Itoa(n))
		stdin, _ := cmd.StdinPipe()
		stdout, _ := cmd.StdoutPipe()
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		out := bufio.NewScanner(stdout)
		line := func(prefix string) []string {
			for out.Scan() {
				if f := strings.Fields(out.Text()); len(f) > 0 && f[0] == prefix {
					return f[1:]
				}
			}
			b.Fatalf("server process ended before printing %q", prefix)
			return nil
		}
		srv := line("server")
		mem := func() (clients, heap, stack, rss, gor int64) {
			io.WriteString(stdin, "mem\n")
			f := line("mem")
			v := make([]int64, len(f))
			for i, s := range f {
				v[i], _ = strconv.ParseInt(s, 10, 64)
			}
			return v[0], v[1], v[2], v[3], v[4]
		}
		_, heap0, stack0, rss0, gor0 := mem()
		b.ResetTimer()
		conns := dialSubscribed(b, "ws"+strings.TrimPrefix(srv[0], "http")+"/api/v1/ws", http.Header{"Authorization": {"Bearer " + srv[1]}}, n, "conjunctions")
		b.StopTimer()
		time.Sleep(time.Second)
		clients, heap1, stack1, rss1, gor1 := mem()
		if clients != int64(n) {
			b.Errorf("server counts %d clients, want %d", clients, n)
		}
		per := func(a, z int64) float64 { return float64(z-a) / float64(n) }
		b.ReportMetric(per(heap0, heap1), "heap-B/conn")
		b.ReportMetric(per(stack0, stack1), "stack-B/conn")
		b.ReportMetric(per(heap0+stack0, heap1+stack1), "go-B/conn")
		b.ReportMetric(per(rss0, rss1), "rss-B/conn")
		b.ReportMetric(per(gor0, gor1), "goroutines/conn")
		for _, c := range conns {
			c.CloseNow()
		}
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			b.Fatalf("server process: %v", err)
		}
	}
}
