package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/astroshield/astroshield/server/store"
)

var (
	_ store.CCDMStore = (*DB)(nil)
	_ store.CCDMTx    = (*tx)(nil)
)

const indicatorCols = "id, norad, kind, pattern, value, epoch, window_start, window_end, method, detail, created_at"

func scanIndicator(s scanner) (store.Indicator, error) {
	var i store.Indicator
	var ep, ws, we, c int64
	err := s.Scan(&i.ID, &i.NORAD, &i.Kind, &i.Pattern, &i.Value, &ep, &ws, &we, &i.Method, &i.Detail, &c)
	i.Epoch, i.WindowStart, i.WindowEnd, i.CreatedAt = unms(ep), unms(ws), unms(we), unms(c)
	return i, err
}

// Indicators pages indicators by ID, optionally of one object and kind.
func (r reader) Indicators(ctx context.Context, q store.IndicatorQuery) ([]store.Indicator, error) {
	query := "SELECT " + indicatorCols + " FROM indicators WHERE id > $1"
	args := []any{q.After}
	if q.NORAD != 0 {
		args = append(args, q.NORAD)
		query += " AND norad = $" + strconv.Itoa(len(args))
	}
	if q.Kind != "" {
		args = append(args, q.Kind)
		query += " AND kind = $" + strconv.Itoa(len(args))
	}
	args = append(args, limit(q.Limit))
	return list(ctx, r, scanIndicator, query+" ORDER BY id LIMIT $"+strconv.Itoa(len(args)), args...)
}

const assessmentCols = "id, norad, at, status, level, score, indicator_ids, window_start, window_end, sets_used, method, summary, created_at"

func scanAssessment(s scanner) (store.Assessment, error) {
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
	a, err := scanAssessment(r.q.QueryRow(ctx, "SELECT "+assessmentCols+" FROM assessments WHERE norad = $1 ORDER BY at DESC, id DESC LIMIT 1", norad))
	return a, r.wrap(err, fmt.Sprintf("assessment of %d", norad))
}

// Assessments pages assessments by ID.
func (r reader) Assessments(ctx context.Context, norad int, after int64, n int) ([]store.Assessment, error) {
	if norad != 0 {
		return list(ctx, r, scanAssessment, "SELECT "+assessmentCols+" FROM assessments WHERE id > $1 AND norad = $2 ORDER BY id LIMIT $3", after, norad, limit(n))
	}
	return list(ctx, r, scanAssessment, "SELECT "+assessmentCols+" FROM assessments WHERE id > $1 ORDER BY id LIMIT $2", after, limit(n))
}

// Models lists the registered models by ID.
func (r reader) Models(ctx context.Context) ([]store.Model, error) {
	return list(ctx, r, func(s scanner) (store.Model, error) {
		var m store.Model
		var c int64
		err := s.Scan(&m.ID, &m.Name, &m.Kind, &m.SHA256, &m.Bytes, &m.Active, &m.Detail, &c)
		m.CreatedAt = unms(c)
		return m, err
	}, "SELECT id, name, kind, sha256, bytes, active, detail, created_at FROM models ORDER BY id COLLATE \"C\"")
}

// AddIndicator inserts i unless the same (NORAD, kind, pattern, epoch) is
// stored, in which case it returns the stored one and false. ON CONFLICT
// keeps the transaction usable (a failed statement would abort it).
func (t *tx) AddIndicator(ctx context.Context, i store.Indicator) (store.Indicator, bool, error) {
	err := t.q.QueryRow(ctx, `INSERT INTO indicators (norad, kind, pattern, value, epoch, window_start, window_end, method, detail, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (norad, kind, pattern, epoch) DO NOTHING RETURNING id`,
		i.NORAD, i.Kind, i.Pattern, i.Value, ms(i.Epoch), ms(i.WindowStart), ms(i.WindowEnd), i.Method, i.Detail, ms(i.CreatedAt)).Scan(&i.ID)
	if err := t.wrap(err, "indicator"); errors.Is(err, store.ErrNotFound) {
		old, err := scanIndicator(t.q.QueryRow(ctx, "SELECT "+indicatorCols+" FROM indicators WHERE norad = $1 AND kind = $2 AND pattern = $3 AND epoch = $4",
			i.NORAD, i.Kind, i.Pattern, ms(i.Epoch)))
		return old, false, t.wrap(err, "stored indicator")
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
	err := t.q.QueryRow(ctx, `INSERT INTO assessments (norad, at, status, level, score, indicator_ids, window_start, window_end, sets_used, method, summary, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (norad, at) DO UPDATE SET status = excluded.status, level = excluded.level, score = excluded.score,
			indicator_ids = excluded.indicator_ids, window_start = excluded.window_start, window_end = excluded.window_end,
			sets_used = excluded.sets_used, method = excluded.method, summary = excluded.summary, created_at = excluded.created_at
		RETURNING id`,
		a.NORAD, ms(a.At), a.Status, a.Level, a.Score, string(b), ms(a.WindowStart), ms(a.WindowEnd), a.SetsUsed, a.Method, a.Summary, ms(a.CreatedAt)).Scan(&a.ID)
	a.IndicatorIDs = ids
	return a, t.wrap(err, "put assessment")
}

// PutModel inserts or replaces a model's metadata.
func (t *tx) PutModel(ctx context.Context, m store.Model) error {
	_, err := t.exec(ctx, "put model", `INSERT INTO models (id, name, kind, sha256, bytes, active, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, sha256 = excluded.sha256, bytes = excluded.bytes,
			active = excluded.active, detail = excluded.detail, created_at = excluded.created_at`,
		m.ID, m.Name, m.Kind, m.SHA256, m.Bytes, m.Active, m.Detail, ms(m.CreatedAt))
	return err
}
