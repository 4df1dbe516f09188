package postgres

import (
	"context"
	"math"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

var _ store.CatalogStore = (*DB)(nil)

// maxChanges bounds one ElementSetChanges call (as in the SQLite store).
const maxChanges = 10_000

// ElementSetChanges pages element sets by ID. PutElementSet holds
// catalogLock from before it draws an ID until its transaction ends, so IDs
// become visible in increasing order and a reader never passes a set that
// commits later.
func (r reader) ElementSetChanges(ctx context.Context, after int64, n int) ([]store.ElementSetChange, error) {
	if n <= 0 || n > maxChanges {
		n = maxChanges
	}
	return list(ctx, r, func(s scanner) (store.ElementSetChange, error) {
		var c store.ElementSetChange
		var ep, rc int64
		err := s.Scan(&c.ID, &c.NORAD, &c.Name, &c.COSPAR, &ep, &c.Format, &c.Body, &rc)
		c.Epoch, c.Received = unms(ep), unms(rc)
		return c, err
	}, `SELECT e.id, e.norad, o.name, o.cospar, e.epoch, e.format, e.body, e.received
		FROM element_sets e JOIN objects o ON o.norad = e.norad
		WHERE e.id > $1 ORDER BY e.id LIMIT $2`, after, n)
}

// ElementSetHead is the highest element-set ID.
func (r reader) ElementSetHead(ctx context.Context) (int64, error) {
	var id int64
	err := r.q.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) FROM element_sets").Scan(&id)
	return id, r.wrap(err, "element-set head")
}

// CountElementSetChanges counts element sets with ID > after.
func (r reader) CountElementSetChanges(ctx context.Context, after int64) (int64, error) {
	var n int64
	err := r.q.QueryRow(ctx, "SELECT COUNT(*) FROM element_sets WHERE id > $1", after).Scan(&n)
	return n, r.wrap(err, "count element-set changes")
}

// ElementSetsBefore pages an object's history by epoch (unique per object).
func (r reader) ElementSetsBefore(ctx context.Context, norad int, before time.Time, n int) ([]store.ElementSet, error) {
	bound := int64(math.MaxInt64)
	if !before.IsZero() {
		bound = ms(before)
	}
	return list(ctx, r, scanSet, "SELECT "+setCols+" FROM element_sets WHERE norad = $1 AND epoch < $2 ORDER BY epoch DESC LIMIT $3",
		norad, bound, limit(n))
}
