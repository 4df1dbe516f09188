package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/astroshield/astroshield/server/store"
)

var _ store.WebhookStore = (*DB)(nil)

func scanWebhook(s interface{ Scan(...any) error }) (store.Webhook, error) {
	var w store.Webhook
	var ch string
	var c int64
	err := s.Scan(&w.ID, &w.Owner, &w.URL, &ch, &w.Secret, &c, &w.Disabled)
	w.Channels, w.CreatedAt = strings.Split(ch, ","), unms(c)
	return w, err
}

const hookCols = "id, owner, url, event_types, secret, created_at, disabled"

// Webhooks lists enabled webhooks, of owner or all when owner is "".
func (db *DB) Webhooks(ctx context.Context, owner string) ([]store.Webhook, error) {
	if owner == "" {
		return list(ctx, db.read, scanWebhook, "SELECT "+hookCols+" FROM webhooks WHERE disabled = 0 ORDER BY created_at, id")
	}
	return list(ctx, db.read, scanWebhook, "SELECT "+hookCols+" FROM webhooks WHERE disabled = 0 AND owner = ? ORDER BY created_at, id", owner)
}

// Webhook reads one webhook.
func (db *DB) Webhook(ctx context.Context, id string) (store.Webhook, error) {
	w, err := scanWebhook(db.read.QueryRowContext(ctx, "SELECT "+hookCols+" FROM webhooks WHERE id = ?", id))
	return w, notFound(err, "webhook")
}

// Delivered is the highest finished sequence of channel for the webhook.
func (db *DB) Delivered(ctx context.Context, id, channel string, maxAttempts int) (int64, error) {
	var seq int64
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM webhook_deliveries
		WHERE webhook_id = ? AND channel = ? AND ((status BETWEEN 200 AND 299) OR attempt >= ?)`, id, channel, maxAttempts).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("sqlite: delivered: %w", err)
	}
	return seq, nil
}

// Deliveries lists a webhook's latest delivery attempts, newest first.
func (db *DB) Deliveries(ctx context.Context, id string, n int) ([]store.Delivery, error) {
	return list(ctx, db.read, func(s interface{ Scan(...any) error }) (store.Delivery, error) {
		var d store.Delivery
		var at int64
		err := s.Scan(&d.WebhookID, &d.Channel, &d.Seq, &d.Attempt, &d.Status, &d.Error, &at)
		d.At = unms(at)
		return d, err
	}, "SELECT webhook_id, channel, seq, attempt, status, error, at FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?", id, limit(n))
}

// CreateWebhook stores a webhook.
func (db *DB) CreateWebhook(ctx context.Context, w store.Webhook) error {
	_, err := exec(ctx, db.write, "create webhook", "INSERT INTO webhooks ("+hookCols+") VALUES (?, ?, ?, ?, ?, ?, 0)",
		w.ID, w.Owner, w.URL, strings.Join(w.Channels, ","), w.Secret, ms(w.CreatedAt))
	return err
}

// DisableWebhook stops deliveries to a webhook (its log is kept).
func (db *DB) DisableWebhook(ctx context.Context, id string) error {
	n, err := exec(ctx, db.write, "disable webhook", "UPDATE webhooks SET disabled = 1 WHERE id = ?", id)
	if err == nil && n == 0 {
		err = fmt.Errorf("webhook %s: %w", id, store.ErrNotFound)
	}
	return err
}

// AddDelivery records one delivery attempt.
func (db *DB) AddDelivery(ctx context.Context, d store.Delivery) error {
	_, err := exec(ctx, db.write, "add delivery", "INSERT INTO webhook_deliveries (webhook_id, channel, seq, attempt, status, error, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		d.WebhookID, d.Channel, d.Seq, d.Attempt, d.Status, d.Error, ms(d.At))
	return err
}
