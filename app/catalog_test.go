package app

import (
	"context"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/render"
)

func TestCatalogSearch(t *testing.T) {
	c := fullCatalog(t)
	if c.Len() != 24132 {
		t.Fatalf("%d objects", c.Len())
	}
	name := func(ix []int) []string {
		var s []string
		for _, i := range ix {
			s = append(s, c.Objects[i].Set.Name)
		}
		return s
	}
	if got := c.Search("25544", 0); len(got) != 1 || c.Objects[got[0]].Set.Name != "ISS (ZARYA)" {
		t.Errorf("NORAD 25544: %v", name(got))
	}
	if got := c.Search("t0001", 0); len(got) != 1 || c.Objects[got[0]].Set.CatalogNumber != 270001 {
		t.Errorf("Alpha-5 T0001: %v", got)
	}
	for _, q := range []string{"1998-067A", "98067A"} {
		if got := c.Search(q, 0); len(got) == 0 || c.Objects[got[0]].Set.CatalogNumber != 25544 {
			t.Errorf("COSPAR %s: %v", q, name(got))
		}
	}
	if got := c.Search("1998-067", 0); len(got) < 10 {
		t.Errorf("COSPAR launch 1998-067: only %d pieces", len(got))
	}
	got := c.Search("starlink", 5)
	if len(got) != 5 {
		t.Fatalf("starlink limit 5: %d", len(got))
	}
	for _, n := range name(got) {
		if len(n) < 8 || n[:8] != "STARLINK" {
			t.Errorf("starlink search gave %q first", n)
		}
	}
	if got := c.Search("no such object", 0); len(got) != 0 {
		t.Errorf("nonsense matched %v", name(got))
	}
}

func TestKindFromName(t *testing.T) {
	for name, want := range map[string]render.Kind{
		"VANGUARD R/B": render.KindRocketBody, "COSMOS 1408 DEB": render.KindDebris,
		"ISS (ZARYA)": render.KindPayload, "TBA - TO BE ASSIGNED": render.KindUnknown,
		"": render.KindUnknown, "OBJECT C": render.KindUnknown,
	} {
		if got := KindFromName(name); got != want {
			t.Errorf("%q: %v, want %v", name, got, want)
		}
	}
	c := fullCatalog(t)
	var counts [4]int
	for i := range c.Objects {
		counts[c.Objects[i].Kind]++
	}
	if counts[render.KindDebris] < 10000 || counts[render.KindRocketBody] < 2000 || counts[render.KindPayload] < 8000 {
		t.Errorf("kind counts %v", counts)
	}
}

func TestPropagateKeyframes(t *testing.T) {
	c := fullCatalog(t)
	ta := time.Date(2022, 7, 15, 12, 0, 0, 0, time.UTC)
	tb := ta.Add(time.Minute)
	var k render.Keyframes
	if err := PropagateKeyframes(context.Background(), c, ta, tb, &k, 0); err != nil {
		t.Fatal(err)
	}
	if k.Len() != c.Len() || len(k.PosAKm) != 3*c.Len() {
		t.Fatalf("len %d", k.Len())
	}
	i, _ := c.ByNorad(25544)
	r, v, err := c.Objects[i].Sat.At(ta)
	if err != nil {
		t.Fatal(err)
	}
	for j := 0; j < 3; j++ {
		if d := float64(k.PosAKm[3*i+j]) - r[j]; d > 1e-3 || d < -1e-3 {
			t.Errorf("ISS pos[%d] off by %g km", j, d)
		}
		if d := float64(k.VelAKmS[3*i+j]) - v[j]; d > 1e-6 || d < -1e-6 {
			t.Errorf("ISS vel[%d] off by %g km/s", j, d)
		}
	}
	hidden := 0
	for _, kd := range k.Kinds {
		if kd == render.KindHidden {
			hidden++
		}
	}
	if hidden == 0 || hidden > c.Len()/20 {
		t.Errorf("%d of %d hidden (decayed or failed objects should be a few)", hidden, c.Len())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := PropagateKeyframes(ctx, c, ta, tb, &k, 2); err == nil {
		t.Error("cancelled propagation reported no error")
	}
}

// Old data is shown at its own epochs: a catalog whose newest set is more
// than StaleDataAge before the clock moves the clock (paused) to its median
// epoch; a fresh one leaves it alone.
func TestShowAtEpochsIfStale(t *testing.T) {
	set := func(norad int, epoch time.Time) gp.ElementSet {
		return gp.ElementSet{CatalogNumber: norad, Epoch: epoch, MeanMotionRevPerDay: 15.2, Eccentricity: 0.001,
			InclinationDeg: 51.6, BStarPerEarthRadius: 1e-4}
	}
	e0 := time.Date(2022, 7, 14, 0, 0, 0, 0, time.UTC)
	old := NewCatalog([]gp.ElementSet{set(1, e0), set(2, e0.Add(12*time.Hour)), set(3, e0.Add(36*time.Hour))}, "old")
	wall := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	s := NewSession(NewClock(func() time.Time { return wall }), nil, nil)
	if !s.ShowAtEpochsIfStale(old) || !s.Clock.Now().Equal(e0.Add(12*time.Hour)) || !s.Clock.Paused() {
		t.Fatalf("old catalog: clock %s paused %v, want the median epoch %s, paused", s.Clock.Now(), s.Clock.Paused(), e0.Add(12*time.Hour))
	}
	fresh := NewCatalog([]gp.ElementSet{set(4, wall.Add(-2*24*time.Hour))}, "fresh")
	s2 := NewSession(NewClock(func() time.Time { return wall }), nil, nil)
	if s2.ShowAtEpochsIfStale(fresh) || !s2.Clock.Now().Equal(wall) {
		t.Errorf("a 2-day-old catalog moved the clock to %s", s2.Clock.Now())
	}
}

// A catalog that replaces another (a server sync) keeps the selected
// object, found by NORAD number at its new index; one without it clears.
func TestSetCatalogKeepsSelection(t *testing.T) {
	set := func(norad int) gp.ElementSet {
		return gp.ElementSet{CatalogNumber: norad, Epoch: time.Date(2022, 7, 14, 0, 0, 0, 0, time.UTC), MeanMotionRevPerDay: 15.2,
			Eccentricity: 0.001, InclinationDeg: 51.6, BStarPerEarthRadius: 1e-4}
	}
	s := NewSession(nil, nil, nil)
	var seen []int
	s.OnSelect(func(i int) { seen = append(seen, i) })
	s.SetCatalog(NewCatalog([]gp.ElementSet{set(10), set(20), set(30)}, "a"))
	s.Select(1) // 20
	s.SetCatalog(NewCatalog([]gp.ElementSet{set(5), set(10), set(15), set(20)}, "b"))
	if i := s.Selected(); i != 3 || s.Catalog().Objects[i].Set.CatalogNumber != 20 {
		t.Fatalf("after a sync the selection is %d, want 3 (NORAD 20)", i)
	}
	if seen[len(seen)-1] != 3 {
		t.Errorf("selection listeners saw %v, want the new index last", seen)
	}
	s.SetCatalog(NewCatalog([]gp.ElementSet{set(5)}, "c"))
	if s.Selected() != -1 {
		t.Errorf("a catalog without NORAD 20 kept selection %d", s.Selected())
	}
}
