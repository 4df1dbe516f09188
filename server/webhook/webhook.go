// Package webhook delivers feed events to subscribers' URLs: one POST per
// event, signed with HMAC-SHA256 over a timestamp and the body, retried with
// exponential backoff, every attempt written to the delivery log.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

// SignatureHeader carries "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>".
const SignatureHeader = "X-AstroShield-Signature"

// Sign returns the signature header value for body at t.
func Sign(secret, body []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts + "."))
	m.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(m.Sum(nil))
}

// ErrSignature is returned by Verify for a bad, stale or missing signature.
var ErrSignature = errors.New("webhook: invalid signature")

// Verify checks a signature header as a receiver should: the HMAC matches
// and the timestamp is within window of now (replay protection).
func Verify(secret, body []byte, header string, now time.Time, window time.Duration) error {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sig == "" {
		return ErrSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > window || d < -window {
		return fmt.Errorf("%w: timestamp outside the %s window", ErrSignature, window)
	}
	want := Sign(secret, body, time.Unix(sec, 0))
	if !hmac.Equal([]byte(want), []byte("t="+ts+",v1="+sig)) {
		return ErrSignature
	}
	return nil
}

// Source is the storage the deliverer needs.
type Source interface {
	store.WebhookStore
	FeedEvents(ctx context.Context, channel string, after int64, limit int) ([]store.FeedEvent, error)
}

// Deliverer owns the delivery goroutine.
type Deliverer struct {
	st          Source
	log         *slog.Logger
	Client      *http.Client
	MaxAttempts int           // per event (default 5)
	Backoff     time.Duration // first retry delay, doubling (default 1 s)
	Poll        time.Duration // how often to look for new events without a wake-up (default 2 s)
	wake        chan struct{}
}

// New returns a deliverer; Run starts it.
func New(st Source, log *slog.Logger) *Deliverer {
	return &Deliverer{st: st, log: log, Client: &http.Client{Timeout: 10 * time.Second}, MaxAttempts: 5, Backoff: time.Second, Poll: 2 * time.Second, wake: make(chan struct{}, 1)}
}

// Notify wakes the deliverer after events were committed.
func (d *Deliverer) Notify() {
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx ends.
func (d *Deliverer) Run(ctx context.Context) {
	t := time.NewTicker(d.Poll)
	defer t.Stop()
	for {
		if err := d.pass(ctx); err != nil && ctx.Err() == nil {
			d.log.Error("webhook pass", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-d.wake:
		case <-t.C:
		}
	}
}

// pass delivers every pending event of every webhook, in sequence order.
func (d *Deliverer) pass(ctx context.Context) error {
	hooks, err := d.st.Webhooks(ctx, "")
	if err != nil {
		return err
	}
	for _, h := range hooks {
		for _, ch := range h.Channels {
			after, err := d.st.Delivered(ctx, h.ID, ch, d.MaxAttempts)
			if err != nil {
				return err
			}
			evs, err := d.st.FeedEvents(ctx, ch, after, 100)
			if err != nil {
				return err
			}
			for _, e := range evs {
				if err := d.deliver(ctx, h, e); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// deliver makes up to MaxAttempts attempts for one event, recording each.
func (d *Deliverer) deliver(ctx context.Context, h store.Webhook, e store.FeedEvent) error {
	body, _ := json.Marshal(map[string]any{"channel": e.Channel, "seq": e.Seq, "kind": e.Kind, "at": e.At, "data": json.RawMessage(e.Payload)})
	wait := d.Backoff
	for attempt := 1; attempt <= d.MaxAttempts; attempt++ {
		status, derr := d.post(ctx, h, body)
		rec := store.Delivery{WebhookID: h.ID, Channel: e.Channel, Seq: e.Seq, Attempt: attempt, Status: status, At: time.Now().UTC()}
		if derr != nil {
			rec.Error = derr.Error()
		}
		if ctx.Err() != nil {
			return ctx.Err() // stopping: the attempt is retried next start
		}
		if err := d.st.AddDelivery(ctx, rec); err != nil {
			return err
		}
		if status >= 200 && status < 300 {
			return nil
		}
		if attempt == d.MaxAttempts {
			d.log.Warn("webhook gave up", "webhook", h.ID, "channel", e.Channel, "seq", e.Seq, "status", status)
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		wait *= 2
	}
	return nil
}

func (d *Deliverer) post(ctx context.Context, h store.Webhook, body []byte) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "AstroShield-Webhook/1")
	req.Header.Set(SignatureHeader, Sign(h.Secret, body, time.Now()))
	res, err := d.Client.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}
