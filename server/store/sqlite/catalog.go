package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

var _ store.CatalogStore = (*DB)(nil)

// maxChanges bounds one ElementSetChanges call.
const maxChanges = 10_000

// ElementSetChanges pages element sets by ID. With one writer, IDs commit in
// increasing order, so a reader never passes a set that commits later.
func (r reader) ElementSetChanges(ctx context.Context, after int64, n int) ([]store.ElementSetChange, error) {
	if n <= 0 || n > maxChanges {
		n = maxChanges
	}
	return list(ctx, r.q, func(s interface{ Scan(...any) error }) (store.ElementSetChange, error) {
		var c store.ElementSetChange
		var ep, rc int64
		err := s.Scan(&c.ID, &c.NORAD, &c.Name, &c.COSPAR, &ep, &c.Format, &c.Body, &rc)
		c.Epoch, c.Received = unms(ep), unms(rc)
		return c, err
	}, `SELECT e.id, e.norad, o.name, o.cospar, e.epoch, e.format, e.body, e.received
		FROM element_sets e JOIN objects o ON o.norad = e.norad
		WHERE e.id > ? ORDER BY e.id LIMIT ?`, after, n)
}

// ElementSetHead is the highest element-set ID.
func (r reader) ElementSetHead(ctx context.Context) (int64, error) {
	var id int64
	if err := r.q.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM element_sets").Scan(&id); err != nil {
		return 0, fmt.Errorf("sqlite: element-set head: %w", err)
	}
	return id, nil
}

// CountElementSetChanges counts element sets with ID > after.
func (r reader) CountElementSetChanges(ctx context.Context, after int64) (int64, error) {
	var n int64
	if err := r.q.QueryRowContext(ctx, "SELECT COUNT(*) FROM element_sets WHERE id > ?", after).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count element-set changes: %w", err)
	}
	return n, nil
}

// ElementSetsBefore pages an object's history by epoch (unique per object).
func (r reader) ElementSetsBefore(ctx context.Context, norad int, before time.Time, n int) ([]store.ElementSet, error) {
	bound := int64(1<<63 - 1)
	if !before.IsZero() {
		bound = ms(before)
	}
	return list(ctx, r.q, scanSet, "SELECT id, norad, epoch, format, body, received FROM element_sets WHERE norad = ? AND epoch < ? ORDER BY epoch DESC LIMIT ?",
		norad, bound, limit(n))
}
