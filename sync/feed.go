package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	gosync "sync"
	"time"

	"github.com/coder/websocket"

	"github.com/astroshield/astroshield/server/wire"
)

// Link states shown by the desktop's connection indicator.
const (
	LinkOffline      = "offline"
	LinkConnecting   = "connecting"
	LinkOnline       = "online"
	LinkReconnecting = "reconnecting"
)

// Feed keeps a WebSocket subscription to a server's channels alive and
// applies every event to the Store exactly once: on connect (and every
// reconnect) it subscribes from each channel's stored cursor, so the server
// replays what was missed; a duplicate is ignored, a gap forces a
// reconnect from the cursor. Run owns the connection goroutine and returns
// when ctx ends.
type Feed struct {
	Client   *Client
	Store    *Store
	Channels []string
	Backoff  Backoff
	// Heartbeat is the ping interval; a link that does not answer a ping
	// within it is treated as dead. Zero means 15 s.
	Heartbeat time.Duration
	// OnEvent, when set, is called after an event is stored (the desktop
	// raises alerts from it). It runs on the feed goroutine.
	OnEvent func(Event)
	// OnState, when set, is called with each link state change.
	OnState func(state string, err error)
	Log     *slog.Logger

	mu    gosync.Mutex
	state string
}

// State is the current link state.
func (f *Feed) State() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state == "" {
		return LinkOffline
	}
	return f.state
}

func (f *Feed) setState(s string, err error) {
	f.mu.Lock()
	changed := f.state != s
	f.state = s
	f.mu.Unlock()
	if changed && f.OnState != nil {
		f.OnState(s, err)
	}
}

// Run connects and reconnects until ctx ends, or until the server refuses
// the session (a refused refresh token or API key), when it reports
// LinkOffline with the error and returns an error that wraps ErrAuth:
// retrying cannot help, so the user signs in again and Run starts anew.
func (f *Feed) Run(ctx context.Context) error {
	log := f.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	f.setState(LinkConnecting, nil)
	for {
		err := f.session(ctx)
		if ctx.Err() != nil {
			f.setState(LinkOffline, nil)
			return ctx.Err()
		}
		if errors.Is(err, ErrAuth) {
			// The server refused the session (refresh token or API key):
			// retrying cannot help; the user has to sign in again.
			log.Info("feed stopped: credentials refused", "err", err)
			f.setState(LinkOffline, err)
			return err
		}
		wait := f.Backoff.Next()
		log.Info("feed link lost", "err", err, "retry_in", wait)
		f.setState(LinkReconnecting, err)
		select {
		case <-ctx.Done():
			f.setState(LinkOffline, nil)
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// errTokenRefreshed: the upgrade was refused and a refresh gave a new
// token; reconnect.
var errTokenRefreshed = errors.New("sync: access token refused and refreshed, reconnecting")

// errResync: a gap was seen; reconnect and resubscribe from the cursors.
var errResync = errors.New("sync: feed gap, resubscribing")

// session is one connection: subscribe, then read until it fails.
func (f *Feed) session(ctx context.Context) error {
	h, err := f.Client.AuthHeader(ctx)
	if err != nil {
		return err
	}
	url := "ws" + strings.TrimPrefix(strings.TrimRight(f.Client.BaseURL, "/"), "http") + "/api/v1/ws"
	dialCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	conn, resp, err := websocket.Dial(dialCtx, url, &websocket.DialOptions{HTTPHeader: h, HTTPClient: f.Client.HTTP})
	cancel()
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusUnauthorized {
			if !f.Client.APIKey.IsZero() {
				return fmt.Errorf("%w: feed upgrade refused the API key", ErrAuth)
			}
			// The access token was refused before it expired (a retired
			// signing key, a disabled user): one refresh decides. A refused
			// refresh is final; with a new pair the feed reconnects.
			if err := f.Client.Refresh(ctx); err != nil {
				return fmt.Errorf("sync: feed upgrade refused, refreshing: %w", err)
			}
			return errTokenRefreshed
		}
		return fmt.Errorf("sync: connecting the feed: %w", err)
	}
	defer conn.CloseNow()
	conn.SetReadLimit(16 << 20)

	sctx, stop := context.WithCancel(ctx)
	defer stop()
	for _, ch := range f.Channels {
		since, err := f.Store.Cursor(sctx, ch)
		if err != nil {
			return err
		}
		b, _ := json.Marshal(wire.Message{Type: wire.TypeSubscribe, Channel: ch, After: &since})
		if err := conn.Write(sctx, websocket.MessageText, b); err != nil {
			return fmt.Errorf("sync: subscribing to %s: %w", ch, err)
		}
	}
	f.Backoff.Reset()
	f.setState(LinkOnline, nil)

	// Heartbeat: a ping that gets no pong within the interval ends the
	// session (Ping needs the read loop below to be running).
	hb := f.Heartbeat
	if hb <= 0 {
		hb = 15 * time.Second
	}
	dead := make(chan error, 1)
	go func() {
		t := time.NewTicker(hb)
		defer t.Stop()
		for {
			select {
			case <-sctx.Done():
				return
			case <-t.C:
				pctx, cancel := context.WithTimeout(sctx, hb)
				err := conn.Ping(pctx)
				cancel()
				if err != nil {
					dead <- fmt.Errorf("sync: feed heartbeat: %w", err)
					stop()
					return
				}
			}
		}
	}()

	for {
		_, data, err := conn.Read(sctx)
		if err != nil {
			select {
			case herr := <-dead:
				return herr
			default:
			}
			return fmt.Errorf("sync: reading the feed: %w", err)
		}
		var m wire.Message
		if err := json.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("sync: malformed feed message: %w", err)
		}
		switch m.Type {
		case wire.TypeEvent:
			applied, err := f.Store.ApplyEvent(sctx, m.Channel, m.Seq, m.Kind, m.Data)
			if errors.Is(err, ErrGap) {
				conn.Close(websocket.StatusNormalClosure, "resync")
				return fmt.Errorf("%w: %v", errResync, err)
			}
			if err != nil {
				return err
			}
			if applied && f.OnEvent != nil {
				f.OnEvent(Event{Channel: m.Channel, Seq: m.Seq, Kind: m.Kind, Payload: m.Data})
			}
		case wire.TypeError:
			return fmt.Errorf("sync: the feed refused %s: %s", m.Channel, m.Message)
		}
	}
}
