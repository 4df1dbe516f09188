package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/astroshield/astroshield/server/store"
)

func scanWebhook(s scanner) (store.Webhook, error) {
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
		return list(ctx, db.reader, scanWebhook, `SELECT `+hookCols+` FROM webhooks WHERE NOT disabled ORDER BY created_at, id COLLATE "C"`)
	}
	return list(ctx, db.reader, scanWebhook, `SELECT `+hookCols+` FROM webhooks WHERE NOT disabled AND owner = $1 ORDER BY created_at, id COLLATE "C"`, owner)
}

// Webhook reads one webhook.
func (db *DB) Webhook(ctx context.Context, id string) (store.Webhook, error) {
	w, err := scanWebhook(db.pool.QueryRow(ctx, "SELECT "+hookCols+" FROM webhooks WHERE id = $1", id))
	return w, db.wrap(err, "webhook")
}

// Delivered is the highest finished sequence of channel for the webhook.
func (db *DB) Delivered(ctx context.Context, id, channel string, maxAttempts int) (int64, error) {
	var seq int64
	err := db.pool.QueryRow(ctx, `SELECT COALESCE(MAX(seq), 0) FROM webhook_deliveries
		WHERE webhook_id = $1 AND channel = $2 AND ((status BETWEEN 200 AND 299) OR attempt >= $3)`, id, channel, maxAttempts).Scan(&seq)
	return seq, db.wrap(err, "delivered")
}

// Deliveries lists a webhook's latest delivery attempts, newest first.
func (db *DB) Deliveries(ctx context.Context, id string, n int) ([]store.Delivery, error) {
	return list(ctx, db.reader, func(s scanner) (store.Delivery, error) {
		var d store.Delivery
		var at int64
		err := s.Scan(&d.WebhookID, &d.Channel, &d.Seq, &d.Attempt, &d.Status, &d.Error, &at)
		d.At = unms(at)
		return d, err
	}, "SELECT webhook_id, channel, seq, attempt, status, error, at FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2", id, limit(n))
}

// CreateWebhook stores a webhook.
func (db *DB) CreateWebhook(ctx context.Context, w store.Webhook) error {
	tag, err := db.pool.Exec(ctx, "INSERT INTO webhooks ("+hookCols+") VALUES ($1, $2, $3, $4, $5, $6, FALSE) ON CONFLICT DO NOTHING",
		w.ID, w.Owner, w.URL, strings.Join(w.Channels, ","), nz(w.Secret), ms(w.CreatedAt))
	if err != nil {
		return db.wrap(err, "create webhook")
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("webhook %s: %w", w.ID, store.ErrConflict)
	}
	return nil
}

// DisableWebhook stops deliveries to a webhook (its log is kept).
func (db *DB) DisableWebhook(ctx context.Context, id string) error {
	tag, err := db.pool.Exec(ctx, "UPDATE webhooks SET disabled = TRUE WHERE id = $1", id)
	if err != nil {
		return db.wrap(err, "disable webhook")
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("webhook %s: %w", id, store.ErrNotFound)
	}
	return nil
}

// AddDelivery records one delivery attempt.
func (db *DB) AddDelivery(ctx context.Context, d store.Delivery) error {
	_, err := db.pool.Exec(ctx, "INSERT INTO webhook_deliveries (webhook_id, channel, seq, attempt, status, error, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		d.WebhookID, d.Channel, d.Seq, d.Attempt, d.Status, d.Error, ms(d.At))
	return db.wrap(err, "add delivery")
}
