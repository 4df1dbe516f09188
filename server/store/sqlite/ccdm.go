package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/astroshield/astroshield/server/store"
)

var (
	_ store.CCDMStore = (*DB)(nil)
	_ store.CCDMTx    = (*tx)(nil)
)

const indicatorCols = "id, norad, kind, pattern, value, epoch, window_start, window_end, method, detail, created_at"

func scanIndicator(s interface{ Scan(...any) error }) (store.Indicator, error) {
	var i store.Indicator
	var ep, ws, we, c int64
	err := s.Scan(&i.ID, &i.NORAD, &i.Kind, &i.Pattern, &i.Value, &ep, &ws, &we, &i.Method, &i.Detail, &c)
	i.Epoch, i.WindowStart, i.WindowEnd, i.CreatedAt = unms(ep), unms(ws), unms(we), unms(c)
	return i, err
}

// Indicators pages indicators by ID, optionally of one object and kind.
func (r reader) Indicators(ctx context.Context, q store.IndicatorQuery) ([]store.Indicator, error) {
	query := "SELECT " + indicatorCols + " FROM indicators WHERE id > ?"
	args := []any{q.After}
	if q.NORAD != 0 {
		query += " AND norad = ?"
		args = append(args, q.NORAD)
	}
	if q.Kind != "" {
		query += " AND kind = ?"
		args = append(args, q.Kind)
	}
	return list(ctx, r.q, scanIndicator, query+" ORDER BY id LIMIT ?", append(args, limit(q.Limit))...)
}

const assessmentCols = "id, norad, at, status, level, score, indicator_ids, window_start, window_end, sets_used, method, summary, created_at"

func scanAssessment(s interface{ Scan(...any) error }) (store.Assessment, error) {
	var a store.Assessment
	var at, ws, we, c int64
	var ids string
	err := s.Scan(&a.ID, &a.NORAD, &at, &a.Status, &a.Level, &a.Score, &ids, &ws, &we, &a.SetsUsed, &a.Method, &a.Summary, &c)
	if err != nil {
		return a, err
	}
	a.At, a.WindowStart, a.WindowEnd, a.CreatedAt = unms(at), unms(ws), unms(we), unms(c)
	if err := json.Unmarshal([]byte(ids), &a.IndicatorIDs); err != nil {
		return a, fmt.Errorf("assessment %d: indicator ids: %w", a.ID, err)
	}
	return a, nil
}

// Assessment is the object's assessment with the latest epoch.
func (r reader) Assessment(ctx context.Context, norad int) (store.Assessment, error) {
	a, err := scanAssessment(r.q.QueryRowContext(ctx, "SELECT "+assessmentCols+" FROM assessments WHERE norad = ? ORDER BY at DESC, id DESC LIMIT 1", norad))
	return a, notFound(err, fmt.Sprintf("assessment of %d", norad))
}

// Assessments pages assessments by ID.
func (r reader) Assessments(ctx context.Context, norad int, after int64, n int) ([]store.Assessment, error) {
	if norad != 0 {
		return list(ctx, r.q, scanAssessment, "SELECT "+assessmentCols+" FROM assessments WHERE id > ? AND norad = ? ORDER BY id LIMIT ?", after, norad, limit(n))
	}
	return list(ctx, r.q, scanAssessment, "SELECT "+assessmentCols+" FROM assessments WHERE id > ? ORDER BY id LIMIT ?", after, limit(n))
}

// Models lists the registered models by ID.
func (r reader) Models(ctx context.Context) ([]store.Model, error) {
	return list(ctx, r.q, func(s interface{ Scan(...any) error }) (store.Model, error) {
		var m store.Model
		var c int64
		err := s.Scan(&m.ID, &m.Name, &m.Kind, &m.SHA256, &m.Bytes, &m.Active, &m.Detail, &c)
		m.CreatedAt = unms(c)
		return m, err
	}, "SELECT id, name, kind, sha256, bytes, active, detail, created_at FROM models ORDER BY id")
}

// AddIndicator inserts i unless the same (NORAD, kind, pattern, epoch) is
// stored, in which case it returns the stored one and false.
func (t *tx) AddIndicator(ctx context.Context, i store.Indicator) (store.Indicator, bool, error) {
	err := t.q.QueryRowContext(ctx, `INSERT INTO indicators (norad, kind, pattern, value, epoch, window_start, window_end, method, detail, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (norad, kind, pattern, epoch) DO NOTHING RETURNING id`,
		i.NORAD, i.Kind, i.Pattern, i.Value, ms(i.Epoch), ms(i.WindowStart), ms(i.WindowEnd), i.Method, i.Detail, ms(i.CreatedAt)).Scan(&i.ID)
	if err := notFound(err, "indicator"); errors.Is(err, store.ErrNotFound) {
		old, err := scanIndicator(t.q.QueryRowContext(ctx, "SELECT "+indicatorCols+" FROM indicators WHERE norad = ? AND kind = ? AND pattern = ? AND epoch = ?",
			i.NORAD, i.Kind, i.Pattern, ms(i.Epoch)))
		return old, false, notFound(err, "stored indicator")
	} else if err != nil {
		return i, false, err
	}
	return i, true, nil
}

// PutAssessment inserts a or replaces the assessment of the same (NORAD, at).
func (t *tx) PutAssessment(ctx context.Context, a store.Assessment) (store.Assessment, error) {
	ids := a.IndicatorIDs
	if ids == nil {
		ids = []int64{}
	}
	b, _ := json.Marshal(ids)
	err := t.q.QueryRowContext(ctx, `INSERT INTO assessments (norad, at, status, level, score, indicator_ids, window_start, window_end, sets_used, method, summary, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (norad, at) DO UPDATE SET status = excluded.status, level = excluded.level, score = excluded.score,
			indicator_ids = excluded.indicator_ids, window_start = excluded.window_start, window_end = excluded.window_end,
			sets_used = excluded.sets_used, method = excluded.method, summary = excluded.summary, created_at = excluded.created_at
		RETURNING id`,
		a.NORAD, ms(a.At), a.Status, a.Level, a.Score, string(b), ms(a.WindowStart), ms(a.WindowEnd), a.SetsUsed, a.Method, a.Summary, ms(a.CreatedAt)).Scan(&a.ID)
	if err != nil {
		return a, fmt.Errorf("sqlite: put assessment: %w", err)
	}
	a.IndicatorIDs = ids
	return a, nil
}

// PutModel inserts or replaces a model's metadata.
func (t *tx) PutModel(ctx context.Context, m store.Model) error {
	_, err := exec(ctx, t.q, "put model", `INSERT INTO models (id, name, kind, sha256, bytes, active, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, sha256 = excluded.sha256, bytes = excluded.bytes,
			active = excluded.active, detail = excluded.detail, created_at = excluded.created_at`,
		m.ID, m.Name, m.Kind, m.SHA256, m.Bytes, m.Active, m.Detail, ms(m.CreatedAt))
	return err
}
