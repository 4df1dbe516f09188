// Package feed serves the live WebSocket feed: clients subscribe to
// channels and receive every event with its per-channel sequence number,
// resuming after a reconnect from the last one they saw, read back from
// storage so that nothing is missed or repeated.
package feed

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"

	"github.com/astroshield/astroshield/server/store"
)

// Channels are the feed's channel names.
var Channels = []string{"conjunctions", "maneuvers", "ccdm", "catalog", "jobs"}

// Close codes beyond RFC 6455's.
const (
	// StatusSlowConsumer closes a client that does not read fast enough.
	StatusSlowConsumer websocket.StatusCode = 4008
	// StatusShuttingDown closes clients when the server stops.
	StatusShuttingDown = websocket.StatusGoingAway
)

// Reader is the storage the hub reads events from.
type Reader interface {
	FeedEvents(ctx context.Context, channel string, after int64, limit int) ([]store.FeedEvent, error)
	FeedHead(ctx context.Context, channel string) (int64, error)
}

// Hub tracks connected clients and wakes them when events are stored.
type Hub struct {
	st        Reader
	log       *slog.Logger
	Heartbeat time.Duration // interval of heartbeat messages (default 15 s)
	// WriteTimeout is how long one write may block before the client counts
	// as a slow consumer (default 5 s).
	WriteTimeout time.Duration
	Page         int // events read from storage per query (default 256)

	mu      sync.Mutex
	clients map[*client]struct{}
	count   atomic.Int64
	closed  bool

	// notified counts Notify calls; a channel's tail is read from storage
	// again only when it has grown since the tail was last filled.
	notified atomic.Uint64
	tails    map[string]*tail
}

// NewHub returns a hub reading from st.
func NewHub(st Reader, log *slog.Logger) *Hub {
	h := &Hub{st: st, log: log, Heartbeat: 15 * time.Second, WriteTimeout: 5 * time.Second, Page: 256, clients: map[*client]struct{}{}, tails: map[string]*tail{}}
	for _, ch := range Channels {
		h.tails[ch] = &tail{}
	}
	return h
}

// tailKeep is how many of a channel's newest events the hub keeps encoded
// in memory. A client whose cursor is inside that window is served from it;
// one further behind (a resume after a long disconnect) reads storage.
const tailKeep = 1024

// tail is a channel's newest events, read from storage once per Notify and
// encoded once for every client, instead of one query and one encoding per
// client per event.
type tail struct {
	mu     sync.Mutex
	filled uint64 // Hub.notified when the tail was last read from storage
	base   int64  // sequence number just before msgs[0]; -1 before the first fill
	msgs   []tailMsg
	last   int64 // sequence number of the newest event held (base when empty)
	ready  bool  // base and last are set
}

type tailMsg struct {
	seq int64
	b   []byte // the encoded "event" message
}

// since returns the encoded events after seq, reading storage first if a
// Notify came since the last read. ok is false when seq is before what the
// tail holds (the caller then reads storage itself).
func (h *Hub) since(ctx context.Context, ch string, after int64) (msgs []tailMsg, ok bool, err error) {
	t := h.tails[ch]
	t.mu.Lock()
	defer t.mu.Unlock()
	if n := h.notified.Load(); !t.ready || n != t.filled {
		// The window starts at most tailKeep events before the head, so a
		// first read or a burst (a catalog import) costs at most tailKeep
		// events here; clients further behind read storage themselves.
		head, err := h.st.FeedHead(ctx, ch)
		if err != nil {
			return nil, false, err
		}
		if start := max(head-tailKeep, 0); !t.ready || start > t.last {
			t.msgs = nil // a new array: clients may still hold the old one
			t.base, t.last, t.ready = start, start, true
		}
		for {
			evs, err := h.st.FeedEvents(ctx, ch, t.last, h.Page)
			if err != nil {
				return nil, false, err
			}
			for _, e := range evs {
				at := e.At
				b, err := json.Marshal(Message{Type: "event", Channel: ch, Seq: e.Seq, Kind: e.Kind, At: &at, Data: e.Payload})
				if err != nil {
					return nil, false, err
				}
				t.msgs = append(t.msgs, tailMsg{e.Seq, b})
				t.last = e.Seq
			}
			if len(t.msgs) > 2*tailKeep { // drop the oldest, keeping the newest tailKeep
				drop := len(t.msgs) - tailKeep
				t.base = t.msgs[drop-1].seq
				t.msgs = slices.Clone(t.msgs[drop:]) // a new array: clients may still hold the old one
			}
			if len(evs) < h.Page {
				break
			}
		}
		t.filled = n
	}
	if after < t.base || after > t.last {
		return nil, false, nil
	}
	i, _ := slices.BinarySearchFunc(t.msgs, after+1, func(m tailMsg, seq int64) int { return cmp.Compare(m.seq, seq) })
	// The returned elements are never written again: appends go past its
	// length (it is clipped) and trimming copies into a new array.
	return slices.Clip(t.msgs[i:]), true, nil
}

type client struct {
	wake chan struct{}
	stop chan websocket.StatusCode
}

// Notify wakes every client after events were committed.
func (h *Hub) Notify() {
	h.notified.Add(1)
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
}

// Clients is the number of connected clients.
func (h *Hub) Clients() int64 { return h.count.Load() }

// Close disconnects every client with 1001 and refuses new ones.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		select {
		case c.stop <- StatusShuttingDown:
		default:
		}
	}
}

// Message is what travels in both directions; fields are used by type.
type Message struct {
	Type    string          `json:"type"` // subscribe, unsubscribe | subscribed, event, heartbeat, error
	Channel string          `json:"channel,omitempty"`
	After   *int64          `json:"after,omitempty"` // subscribe: resume after this sequence
	Seq     int64           `json:"seq,omitempty"`
	Head    *int64          `json:"head,omitempty"`
	Kind    string          `json:"kind,omitempty"`
	At      *time.Time      `json:"at,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
	Message string          `json:"message,omitempty"`
}

// Serve upgrades an already authenticated request and runs the client
// until it leaves, ctx ends or the hub closes.
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, subject string) {
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept has answered the request
	}
	conn.SetReadLimit(4096)
	c := &client{wake: make(chan struct{}, 1), stop: make(chan websocket.StatusCode, 1)}
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		conn.Close(StatusShuttingDown, "server shutting down")
		return
	}
	h.clients[c] = struct{}{}
	h.mu.Unlock()
	h.count.Add(1)
	defer func() {
		h.mu.Lock()
		delete(h.clients, c)
		h.mu.Unlock()
		h.count.Add(-1)
	}()
	code, reason := h.run(r.Context(), conn, c)
	h.log.Info("ws closed", "subject", subject, "code", int(code), "reason", reason)
	conn.Close(code, reason)
}

type closeErr struct {
	code   websocket.StatusCode
	reason string
}

func (e closeErr) Error() string { return e.reason }

func (h *Hub) run(ctx context.Context, conn *websocket.Conn, c *client) (websocket.StatusCode, string) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan Message)
	readErr := make(chan error, 1)
	go func() { // owned by run: ends when conn closes or ctx is cancelled
		for {
			typ, data, err := conn.Read(ctx)
			if err != nil {
				readErr <- err
				return
			}
			if typ == websocket.MessageText && !utf8.Valid(data) {
				readErr <- closeErr{websocket.StatusInvalidFramePayloadData, "invalid UTF-8 in text message"}
				return
			}
			var m Message
			if err := json.Unmarshal(data, &m); err != nil {
				readErr <- closeErr{websocket.StatusUnsupportedData, "messages must be JSON objects"}
				return
			}
			select {
			case in <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	cursors := map[string]int64{}
	var sendRaw func([]byte) error
	send := func(m Message) error {
		b, _ := json.Marshal(m)
		return sendRaw(b)
	}
	sendRaw = func(b []byte) error {
		wctx, wcancel := context.WithTimeout(ctx, h.WriteTimeout)
		defer wcancel()
		if err := conn.Write(wctx, websocket.MessageText, b); err != nil {
			if errors.Is(wctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
				return closeErr{StatusSlowConsumer, "slow consumer: writes blocked longer than " + h.WriteTimeout.String()}
			}
			return err
		}
		return nil
	}
	drain := func() error {
		for _, ch := range Channels {
			after, ok := cursors[ch]
			if !ok {
				continue
			}
			msgs, inTail, err := h.since(ctx, ch, after)
			if err != nil {
				return err
			}
			if inTail {
				for _, m := range msgs {
					if err := sendRaw(m.b); err != nil {
						return err
					}
					cursors[ch] = m.seq
				}
				continue
			}
			for {
				evs, err := h.st.FeedEvents(ctx, ch, after, h.Page)
				if err != nil {
					return err
				}
				for _, e := range evs {
					at := e.At
					if err := send(Message{Type: "event", Channel: ch, Seq: e.Seq, Kind: e.Kind, At: &at, Data: e.Payload}); err != nil {
						return err
					}
					after = e.Seq
					cursors[ch] = after
				}
				if len(evs) < h.Page {
					break
				}
			}
		}
		return nil
	}
	hb := time.NewTicker(h.Heartbeat)
	defer hb.Stop()
	for {
		var err error
		select {
		case <-ctx.Done():
			return websocket.StatusGoingAway, "request ended"
		case code := <-c.stop:
			return code, "server shutting down"
		case err = <-readErr:
		case <-c.wake:
			err = drain()
		case <-hb.C:
			now := time.Now().UTC()
			err = send(Message{Type: "heartbeat", At: &now})
		case m := <-in:
			err = h.handle(ctx, m, cursors, send)
			if err == nil {
				err = drain()
			}
		}
		if err != nil {
			var ce closeErr
			if errors.As(err, &ce) {
				return ce.code, ce.reason
			}
			if s := websocket.CloseStatus(err); s != -1 {
				return websocket.StatusNormalClosure, ""
			}
			return websocket.StatusInternalError, "internal error"
		}
	}
}

func (h *Hub) handle(ctx context.Context, m Message, cursors map[string]int64, send func(Message) error) error {
	if !slices.Contains(Channels, m.Channel) {
		return send(Message{Type: "error", Channel: m.Channel, Message: "unknown channel; want one of conjunctions, maneuvers, ccdm, catalog, jobs"})
	}
	switch m.Type {
	case "subscribe":
		head, err := h.st.FeedHead(ctx, m.Channel)
		if err != nil {
			return err
		}
		after := head
		if m.After != nil {
			after = min(max(*m.After, 0), head)
		}
		cursors[m.Channel] = after
		return send(Message{Type: "subscribed", Channel: m.Channel, Seq: after, Head: &head})
	case "unsubscribe":
		delete(cursors, m.Channel)
		return send(Message{Type: "unsubscribed", Channel: m.Channel})
	}
	return send(Message{Type: "error", Message: "unknown message type; want subscribe or unsubscribe"})
}
