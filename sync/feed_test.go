package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	gosync "sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/astroshield/astroshield/server/wire"
)

// feedPeer is a WebSocket peer speaking the feed protocol over a growing
// in-memory log per channel. dropAfter makes it cut the connection after
// that many events; skip makes it leave one sequence number out once.
type feedPeer struct {
	mu        gosync.Mutex
	log       map[string][]string // channel -> payloads; seq = index+1
	grew      chan struct{}
	dropAfter []int
	skipOnce  int64
	conns     int
}

func (p *feedPeer) add(ch, payload string) {
	p.mu.Lock()
	p.log[ch] = append(p.log[ch], payload)
	close(p.grew)
	p.grew = make(chan struct{})
	p.mu.Unlock()
}

func (p *feedPeer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("X-API-Key") != "k" {
		w.WriteHeader(401)
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer c.CloseNow()
	ctx := r.Context()
	var sub wire.Message
	_, b, err := c.Read(ctx)
	if err != nil || json.Unmarshal(b, &sub) != nil {
		return
	}
	go func() { // keep reading so pings are answered
		for {
			if _, _, err := c.Read(ctx); err != nil {
				return
			}
		}
	}()
	p.mu.Lock()
	p.conns++
	limit := -1
	if len(p.dropAfter) > 0 {
		limit, p.dropAfter = p.dropAfter[0], p.dropAfter[1:]
	}
	p.mu.Unlock()
	next, sent := *sub.After+1, 0
	for {
		p.mu.Lock()
		evs, grew := p.log[sub.Channel], p.grew
		skip := p.skipOnce
		p.mu.Unlock()
		for ; next <= int64(len(evs)); next++ {
			if limit >= 0 && sent == limit {
				return // connection cut mid-stream
			}
			if next == skip {
				p.mu.Lock()
				p.skipOnce = 0
				p.mu.Unlock()
				continue
			}
			m, _ := json.Marshal(wire.Message{Type: "event", Channel: sub.Channel, Seq: next, Kind: "conjunction", Data: json.RawMessage(evs[next-1])})
			if c.Write(ctx, websocket.MessageText, m) != nil {
				return
			}
			sent++
		}
		select {
		case <-ctx.Done():
			return
		case <-grew:
		}
	}
}

func TestFeedResumesWithoutGapOrDuplicate(t *testing.T) {
	peer := &feedPeer{log: map[string][]string{}, grew: make(chan struct{}), dropAfter: []int{7, 0, 13, 3}, skipOnce: 30}
	for i := 1; i <= 20; i++ {
		peer.add("conjunctions", fmt.Sprintf(`{"n":%d}`, i))
	}
	srv := httptest.NewServer(peer)
	defer srv.Close()
	store, _ := openTestStore(t)
	var mu gosync.Mutex
	var got []int64
	var states []string
	f := &Feed{
		Client:   &Client{BaseURL: srv.URL, APIKey: NewSecret("k")},
		Store:    store,
		Channels: []string{"conjunctions"},
		Backoff:  Backoff{Base: 5 * time.Millisecond, Max: 50 * time.Millisecond},
		OnEvent: func(e Event) {
			mu.Lock()
			got = append(got, e.Seq)
			mu.Unlock()
		},
		OnState: func(s string, _ error) {
			mu.Lock()
			states = append(states, s)
			mu.Unlock()
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	for i := 21; i <= 60; i++ { // live events while the link flaps
		peer.add("conjunctions", fmt.Sprintf(`{"n":%d}`, i))
		time.Sleep(2 * time.Millisecond)
	}
	for {
		if cur, _ := store.Cursor(ctx, "conjunctions"); cur == 60 {
			break
		}
		if ctx.Err() != nil {
			t.Fatal("timed out before receiving all 60 events")
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 60 {
		t.Fatalf("OnEvent saw %d events, want 60", len(got))
	}
	for i, s := range got {
		if s != int64(i+1) {
			t.Fatalf("event %d has seq %d: out of order, duplicated or missing", i, s)
		}
	}
	evs, _ := store.Events(context.Background(), "conjunctions", 0)
	if len(evs) != 60 || string(evs[59].Payload) != `{"n":60}` {
		t.Errorf("stored %d events", len(evs))
	}
	if peer.conns < 5 {
		t.Errorf("only %d connections: the drops and the gap did not force reconnects", peer.conns)
	}
	reconnecting := 0
	for _, s := range states {
		if s == LinkReconnecting {
			reconnecting++
		}
	}
	if reconnecting < 4 || states[len(states)-1] != LinkOffline {
		t.Errorf("link states %v", states)
	}
}

func TestFeedRefusedCredentials(t *testing.T) {
	peer := &feedPeer{log: map[string][]string{}, grew: make(chan struct{})}
	srv := httptest.NewServer(peer)
	defer srv.Close()
	store, _ := openTestStore(t)
	f := &Feed{Client: &Client{BaseURL: srv.URL, APIKey: NewSecret("wrong")}, Store: store, Channels: []string{"c"}}
	if err := f.session(context.Background()); !errors.Is(err, ErrAuth) {
		t.Fatalf("session with a refused key: %v, want ErrAuth", err)
	}
}

// Run stops, rather than retrying forever, when the server refuses the
// credentials: it reports offline with the error and returns ErrAuth.
func TestFeedRunStopsOnRefusedCredentials(t *testing.T) {
	peer := &feedPeer{log: map[string][]string{}, grew: make(chan struct{})}
	srv := httptest.NewServer(peer)
	defer srv.Close()
	store, _ := openTestStore(t)
	var states []string
	var lastErr error
	f := &Feed{Client: &Client{BaseURL: srv.URL, APIKey: NewSecret("wrong")}, Store: store, Channels: []string{"c"},
		Backoff: Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond},
		OnState: func(s string, err error) { states = append(states, s); lastErr = err }}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := f.Run(ctx)
	if !errors.Is(err, ErrAuth) || ctx.Err() != nil {
		t.Fatalf("Run with a refused key: %v (ctx %v), want ErrAuth before the deadline", err, ctx.Err())
	}
	if len(states) == 0 || states[len(states)-1] != LinkOffline || !errors.Is(lastErr, ErrAuth) {
		t.Errorf("states %v, last error %v: want offline with ErrAuth", states, lastErr)
	}
}

// An access token refused on the upgrade before it expired (a retired
// signing key, say) is refreshed once and the feed goes online with the new
// one; only a refused refresh is final.
func TestFeedRefreshesARefusedAccessToken(t *testing.T) {
	peer := &feedPeer{log: map[string][]string{}, grew: make(chan struct{})}
	var refreshes int
	var mu gosync.Mutex
	mux := http.NewServeMux()
	mux.HandleFunc("POST /api/v1/auth/login", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"access_token":"old","refresh_token":"r1","expires_in":3600}`))
	})
	mux.HandleFunc("POST /api/v1/auth/refresh", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		refreshes++
		mu.Unlock()
		w.Write([]byte(`{"access_token":"new","refresh_token":"r2","expires_in":3600}`))
	})
	mux.HandleFunc("GET /api/v1/ws", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer new" {
			w.WriteHeader(401)
			return
		}
		r.Header.Set("X-API-Key", "k")
		peer.ServeHTTP(w, r)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	store, _ := openTestStore(t)
	c := &Client{BaseURL: srv.URL}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Login(ctx, "u", NewSecret("p")); err != nil {
		t.Fatal(err)
	}
	online := make(chan struct{}, 1)
	f := &Feed{Client: c, Store: store, Channels: []string{"c"}, Backoff: Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond},
		OnState: func(s string, err error) {
			if s == LinkOnline {
				select {
				case online <- struct{}{}:
				default:
				}
			}
		}}
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	select {
	case <-online:
	case err := <-done:
		t.Fatalf("Run ended before going online: %v", err)
	case <-ctx.Done():
		t.Fatal("not online within 10 s")
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if refreshes != 1 {
		t.Errorf("%d refreshes, want 1", refreshes)
	}
}
