package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

// ccdmTx is tx's CCDM part; a store under test must provide it.
func ccdmTx(tx store.Tx) (store.CCDMTx, error) {
	c, ok := tx.(store.CCDMTx)
	if !ok {
		return nil, fmt.Errorf("transaction %T does not implement store.CCDMTx", tx)
	}
	return c, nil
}

// testCCDM covers indicators (de-duplicated by object, kind, pattern and
// epoch; paged by ID and filtered), assessments (one per object and
// epoch, replaced by a later analysis; the newest epoch is the object's
// assessment; insufficient data kept as such) and model metadata.
func testCCDM(t *testing.T, st store.Store) {
	ctx := context.Background()
	cs, ok := st.(store.CCDMStore)
	if !ok {
		t.Fatalf("%T does not implement store.CCDMStore", st)
	}
	if _, err := cs.Assessment(ctx, 36508); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("assessment of an object without one: %v, want ErrNotFound", err)
	}
	if is, err := cs.Indicators(ctx, store.IndicatorQuery{}); err != nil || len(is) != 0 {
		t.Fatalf("indicators of an empty store: %v, %v", is, err)
	}
	ws, we := epoch.Add(-150*24*time.Hour), epoch
	man := store.Indicator{NORAD: 36508, Kind: "maneuvers-detected", Pattern: "in-plane", Value: 0.8, Epoch: epoch.Add(-48 * time.Hour),
		WindowStart: ws, WindowEnd: we, Method: "maneuvers.mean-element-step", Detail: `{"evidence":[{"name":"delta-v","value":0.12,"unit":"m/s"}]}`, CreatedAt: epoch}
	oof := store.Indicator{NORAD: 36508, Kind: "orbit-oof", Value: 0.5, Epoch: epoch, WindowStart: ws, WindowEnd: we, Method: "orbit-oof.family-z", Detail: "{}", CreatedAt: epoch}
	other := store.Indicator{NORAD: 22076, Kind: "orbit-oof", Value: 1, Epoch: epoch, WindowStart: ws, WindowEnd: we, Method: "orbit-oof.family-z", Detail: "{}", CreatedAt: epoch}
	var ids []int64
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		c, err := ccdmTx(tx)
		if err != nil {
			return err
		}
		for _, i := range []store.Indicator{man, oof, other} {
			got, added, err := c.AddIndicator(ctx, i)
			if err != nil {
				return err
			}
			if !added || got.ID == 0 {
				return fmt.Errorf("AddIndicator %s: added %v id %d", i.Kind, added, got.ID)
			}
			ids = append(ids, got.ID)
		}
		// The same finding again (a re-analysis) is not added twice, and
		// the transaction stays usable.
		again := man
		again.Value, again.CreatedAt = 0.9, epoch.Add(time.Hour)
		got, added, err := c.AddIndicator(ctx, again)
		if err != nil {
			return err
		}
		if added || got.ID != ids[0] || got.Value != 0.8 {
			return fmt.Errorf("duplicate indicator: added %v, %+v; want the stored one (id %d)", added, got, ids[0])
		}
		// Another pattern at the same epoch is another indicator.
		p := man
		p.Pattern = "out-of-plane"
		if _, added, err := c.AddIndicator(ctx, p); err != nil || !added {
			return fmt.Errorf("other pattern: added %v, %v", added, err)
		}
		return nil
	})
	if !(ids[0] < ids[1] && ids[1] < ids[2]) {
		t.Fatalf("indicator ids not increasing: %v", ids)
	}
	all, err := cs.Indicators(ctx, store.IndicatorQuery{})
	if err != nil || len(all) != 4 {
		t.Fatalf("all indicators: %d, %v", len(all), err)
	}
	g := all[0]
	if g.NORAD != man.NORAD || g.Kind != man.Kind || g.Pattern != man.Pattern || g.Value != man.Value || !g.Epoch.Equal(man.Epoch) ||
		!g.WindowStart.Equal(ws) || !g.WindowEnd.Equal(we) || g.Method != man.Method || g.Detail != man.Detail || !g.CreatedAt.Equal(epoch) {
		t.Fatalf("indicator read back %+v, want %+v", g, man)
	}
	for _, c := range []struct {
		name string
		q    store.IndicatorQuery
		want []int64
	}{
		{"one object", store.IndicatorQuery{NORAD: 36508}, []int64{ids[0], ids[1], all[3].ID}},
		{"one kind", store.IndicatorQuery{Kind: "orbit-oof"}, []int64{ids[1], ids[2]}},
		{"object and kind", store.IndicatorQuery{NORAD: 22076, Kind: "orbit-oof"}, []int64{ids[2]}},
		{"after cursor", store.IndicatorQuery{After: ids[0], Limit: 2}, []int64{ids[1], ids[2]}},
		{"last page", store.IndicatorQuery{After: ids[2], Limit: 2}, []int64{all[3].ID}},
		{"unknown kind", store.IndicatorQuery{Kind: "rf-detected"}, nil},
	} {
		got, err := cs.Indicators(ctx, c.q)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var gotIDs []int64
		for _, i := range got {
			gotIDs = append(gotIDs, i.ID)
		}
		if !slices.Equal(gotIDs, c.want) {
			t.Errorf("%s: ids %v, want %v", c.name, gotIDs, c.want)
		}
	}

	// Assessments: two epochs of one object, one replaced.
	a1 := store.Assessment{NORAD: 36508, At: epoch.Add(-24 * time.Hour), Status: store.AssessmentAssessed, Level: "LOW", Score: 0.75,
		IndicatorIDs: []int64{ids[0]}, WindowStart: ws, WindowEnd: epoch.Add(-24 * time.Hour), SetsUsed: 400, Method: "score = Σ weight·confidence", Summary: `{"reasons":[]}`, CreatedAt: epoch}
	a2 := a1
	a2.At, a2.Level, a2.Score, a2.IndicatorIDs, a2.WindowEnd, a2.SetsUsed = epoch, "MEDIUM", 2.25, []int64{ids[0], ids[1]}, epoch, 401
	ins := store.Assessment{NORAD: 99999, At: epoch, Status: store.AssessmentInsufficient, WindowStart: epoch, WindowEnd: epoch, SetsUsed: 1,
		Method: "none", Summary: `{"reason":"insufficient data: one element set"}`, CreatedAt: epoch}
	var first store.Assessment
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		c, err := ccdmTx(tx)
		if err != nil {
			return err
		}
		if first, err = c.PutAssessment(ctx, a1); err != nil {
			return err
		}
		if _, err = c.PutAssessment(ctx, a2); err != nil {
			return err
		}
		_, err = c.PutAssessment(ctx, ins)
		return err
	})
	if first.ID == 0 {
		t.Fatal("PutAssessment gave no id")
	}
	got, err := cs.Assessment(ctx, 36508)
	if err != nil || got.Level != "MEDIUM" || got.Score != 2.25 || !got.At.Equal(epoch) || !slices.Equal(got.IndicatorIDs, a2.IndicatorIDs) ||
		got.SetsUsed != 401 || got.Status != store.AssessmentAssessed || got.Method != a2.Method || got.Summary != a2.Summary ||
		!got.WindowStart.Equal(ws) || !got.WindowEnd.Equal(epoch) || !got.CreatedAt.Equal(epoch) {
		t.Fatalf("newest assessment %+v, %v; want %+v", got, err, a2)
	}
	// A later analysis at the same epoch replaces the stored one.
	a3 := a2
	a3.Level, a3.Score, a3.IndicatorIDs, a3.CreatedAt = "NONE", 0, nil, epoch.Add(time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		c, err := ccdmTx(tx)
		if err != nil {
			return err
		}
		_, err = c.PutAssessment(ctx, a3)
		return err
	})
	if got, err := cs.Assessment(ctx, 36508); err != nil || got.Level != "NONE" || len(got.IndicatorIDs) != 0 || got.IndicatorIDs == nil || !got.CreatedAt.Equal(a3.CreatedAt) {
		t.Fatalf("replaced assessment %+v, %v", got, err)
	}
	if as, err := cs.Assessments(ctx, 36508, 0, 10); err != nil || len(as) != 2 || as[0].ID != first.ID || !as[0].At.Equal(a1.At) {
		t.Fatalf("assessments of 36508 (the replaced one kept once): %+v, %v", as, err)
	}
	if as, err := cs.Assessments(ctx, 0, first.ID, 10); err != nil || len(as) != 2 {
		t.Fatalf("assessments after %d: %d, %v", first.ID, len(as), err)
	}
	if as, err := cs.Assessments(ctx, 0, 0, 1); err != nil || len(as) != 1 || as[0].ID != first.ID {
		t.Fatalf("assessments limit 1: %+v, %v", as, err)
	}
	if got, err := cs.Assessment(ctx, 99999); err != nil || got.Status != store.AssessmentInsufficient || got.Level != "" || got.Summary != ins.Summary {
		t.Fatalf("insufficient-data assessment %+v, %v", got, err)
	}

	// Models: stored, replaced by ID, listed by ID.
	m1 := store.Model{ID: "maneuver-rescorer/v1", Name: "v1", Kind: "maneuver-rescorer", SHA256: "ab", Bytes: 1234, Active: true, Detail: `{"metrics":{"f1":0.5}}`, CreatedAt: epoch}
	m2 := store.Model{ID: "maneuver-rescorer/v2", Name: "v2", Kind: "maneuver-rescorer", SHA256: "cd", Bytes: 99, Detail: "{}", CreatedAt: epoch.Add(time.Hour)}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		c, err := ccdmTx(tx)
		if err != nil {
			return err
		}
		for _, m := range []store.Model{m2, m1} {
			if err := c.PutModel(ctx, m); err != nil {
				return err
			}
		}
		m1.Active, m2.Active = false, true
		if err := c.PutModel(ctx, m1); err != nil {
			return err
		}
		return c.PutModel(ctx, m2)
	})
	ms, err := cs.Models(ctx)
	if err != nil || len(ms) != 2 || ms[0] != m1 || ms[1] != m2 {
		t.Fatalf("models %+v, %v; want %+v %+v", ms, err, m1, m2)
	}

	// A rolled-back transaction leaves nothing.
	boom := errors.New("boom")
	err = st.Update(ctx, func(tx store.Tx) error {
		c, err := ccdmTx(tx)
		if err != nil {
			return err
		}
		x := oof
		x.Epoch = epoch.Add(time.Minute)
		if _, _, err := c.AddIndicator(ctx, x); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("rollback: %v", err)
	}
	if all, _ := cs.Indicators(ctx, store.IndicatorQuery{}); len(all) != 4 {
		t.Fatalf("after rollback %d indicators, want 4", len(all))
	}
}
