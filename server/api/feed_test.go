package api

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/astroshield/astroshield/server/feed"
)

func (e *env) dial(t *testing.T, hdr http.Header) (*websocket.Conn, *http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.srv.URL, "http")+"/api/v1/ws", &websocket.DialOptions{HTTPHeader: hdr})
}

func send(t *testing.T, c *websocket.Conn, m any) {
	t.Helper()
	b, _ := json.Marshal(m)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, b); err != nil {
		t.Fatal(err)
	}
}

// next reads messages until one of type typ (heartbeats are skipped).
func next(t *testing.T, c *websocket.Conn, typ string) feed.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", typ, err)
		}
		var m feed.Message
		json.Unmarshal(b, &m)
		if m.Type == typ {
			return m
		}
		if m.Type != "heartbeat" {
			t.Fatalf("got %s (%s), want %s", m.Type, b, typ)
		}
	}
}

func TestFeedResumeNoGapsNoDuplicates(t *testing.T) {
	e := newEnv(t)
	tok := e.login("analyst").AccessToken
	if _, res, err := e.dial(t, nil); err == nil || res == nil || res.StatusCode != 401 {
		t.Fatalf("upgrade without credentials: %v %v", err, res)
	}
	if _, res, err := e.dial(t, http.Header{"Authorization": {"Bearer nope"}}); err == nil || res.StatusCode != 401 {
		t.Fatalf("upgrade with a bad token: %v", err)
	}
	import1 := func(norad, day int) {
		r := e.do("POST", "/api/v1/elements", tleText(t, norad, time.Date(2026, 1, day, 0, 0, 0, 0, time.UTC)), bearer(tok)...)
		if r.status != 200 {
			t.Fatalf("import: %d %s", r.status, r.body)
		}
	}
	import1(90001, 1) // before anyone subscribes: seq 1
	c, _, err := e.dial(t, http.Header{"Authorization": {"Bearer " + tok}})
	if err != nil {
		t.Fatal(err)
	}
	zero := int64(0)
	send(t, c, feed.Message{Type: "subscribe", Channel: "catalog", After: &zero})
	sub := next(t, c, "subscribed")
	if *sub.Head != 1 || sub.Seq != 0 {
		t.Fatalf("subscribed %+v", sub)
	}
	if m := next(t, c, "event"); m.Seq != 1 || m.Kind != "elements.added" {
		t.Fatalf("backlog event %+v", m)
	}
	for d := 2; d <= 4; d++ {
		import1(90001, d)
	}
	var last int64 = 1
	for range 3 {
		m := next(t, c, "event")
		if m.Seq != last+1 {
			t.Fatalf("seq %d after %d", m.Seq, last)
		}
		last = m.Seq
	}
	next(t, c, "heartbeat")
	c.Close(websocket.StatusNormalClosure, "")
	// Missed while away: 5..8.
	for d := 5; d <= 8; d++ {
		import1(90002, d)
	}
	c, _, err = e.dial(t, http.Header{"X-Api-Key": {}, "Authorization": {"Bearer " + tok}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	send(t, c, feed.Message{Type: "subscribe", Channel: "catalog", After: &last})
	next(t, c, "subscribed")
	import1(90003, 9) // live while resuming
	var got []int64
	for len(got) < 5 {
		got = append(got, next(t, c, "event").Seq)
	}
	for i, s := range got {
		if s != last+1+int64(i) {
			t.Fatalf("resumed sequence %v after %d: gap or duplicate", got, last)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			break
		}
		if strings.Contains(string(b), `"event"`) {
			t.Fatalf("extra event after the resume: %s", b)
		}
	}
}

func TestFeedInvalidUTF8Closes1007(t *testing.T) {
	e := newEnv(t)
	c, _, err := e.dial(t, http.Header{"Authorization": {"Bearer " + e.login("viewer").AccessToken}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c.Write(ctx, websocket.MessageText, []byte{'{', 0xff, 0xfe, '}'})
	for {
		if _, _, err = c.Read(ctx); err != nil {
			break
		}
	}
	if s := websocket.CloseStatus(err); s != websocket.StatusInvalidFramePayloadData {
		t.Fatalf("close status %d (%v), want 1007", s, err)
	}
}

func TestFeedSlowConsumerClosed(t *testing.T) {
	smallSocketBuffers = true
	e := newEnv(t)
	smallSocketBuffers = false
	tok := e.login("analyst").AccessToken
	// A backlog far larger than the socket buffers.
	var body strings.Builder
	for i := range 5000 {
		body.WriteString(tleText(t, 100000+i, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	}
	if r := e.do("POST", "/api/v1/elements", body.String(), bearer(tok)...); r.status != 200 {
		t.Fatalf("import: %d", r.status)
	}
	e.api.hub.WriteTimeout = 300 * time.Millisecond
	// A client with a tiny receive buffer that never reads.
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		if err == nil {
			c.(*net.TCPConn).SetReadBuffer(4096)
		}
		return c, err
	}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(e.srv.URL, "http")+"/api/v1/ws",
		&websocket.DialOptions{HTTPClient: &http.Client{Transport: tr}, HTTPHeader: http.Header{"Authorization": {"Bearer " + tok}}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	zero := int64(0)
	send(t, c, feed.Message{Type: "subscribe", Channel: "catalog", After: &zero})
	for !strings.Contains(e.logs.String(), `"code":4008`) {
		if ctx.Err() != nil {
			l := e.logs.String()
			t.Fatalf("slow consumer not disconnected; clients=%d; log tail %s", e.api.hub.Clients(), l[max(0, len(l)-1500):])
		}
		time.Sleep(50 * time.Millisecond)
	}
	for e.api.hub.Clients() != 0 && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	if n := e.api.hub.Clients(); n != 0 {
		t.Fatalf("%d clients still connected", n)
	}
	// The client sees its connection end once it reads again.
	for {
		if _, _, err = c.Read(ctx); err != nil {
			break
		}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Fatal("client connection still open")
	}
}

func TestScreeningJobOwnedAndRun(t *testing.T) {
	dir := testdata(t)
	e := newEnv(t)
	e.addUser("analyst2", 2)
	tok := e.login("analyst").AccessToken
	data, err := os.ReadFile(filepath.Join(dir, "catalog", "leo_payloads_3le_2026-06-10.txt"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	sub := strings.Join(lines[:3*300], "")
	if r := e.do("POST", "/api/v1/elements", sub, bearer(tok)...); r.status != 200 {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	r := e.do("POST", "/api/v1/screenings", map[string]any{"start": "2026-06-10T00:00:00Z", "hours": 6, "threshold_km": 50}, bearer(tok)...)
	if r.status != 202 {
		t.Fatalf("start: %d %s", r.status, r.body)
	}
	var j jobJSON
	r.json(t, &j)
	if r := e.do("GET", "/api/v1/screenings/"+j.ID, nil, bearer(e.login("analyst2").AccessToken)...); r.status != 404 {
		t.Fatalf("another analyst sees the job: %d", r.status)
	}
	if r := e.do("GET", "/api/v1/screenings/"+j.ID, nil, bearer(e.login("admin").AccessToken)...); r.status != 200 {
		t.Fatalf("admin: %d", r.status)
	}
	deadline := time.Now().Add(60 * time.Second)
	for j.State != "done" && j.State != "failed" {
		if time.Now().After(deadline) {
			t.Fatalf("job still %s", j.State)
		}
		time.Sleep(100 * time.Millisecond)
		e.do("GET", "/api/v1/screenings/"+j.ID, nil, bearer(tok)...).json(t, &j)
	}
	if j.State != "done" || j.Progress != 1 {
		t.Fatalf("job %+v", j)
	}
	var cs struct{ Conjunctions []conjunctionJSON }
	e.do("GET", "/api/v1/conjunctions?limit=1000", nil, bearer(tok)...).json(t, &cs)
	if len(cs.Conjunctions) != j.Events {
		t.Fatalf("%d conjunctions stored, job reports %d", len(cs.Conjunctions), j.Events)
	}
	for _, c := range cs.Conjunctions {
		if c.MissDistanceKm > 50 || c.Pc < 0 || c.Pc > 1 || c.JobID != j.ID {
			t.Fatalf("conjunction %+v", c)
		}
	}
	t.Logf("300 LEO payloads, 6 h, 50 km: %d conjunctions", j.Events)
}
