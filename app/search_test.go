package app

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/astroshield/astroshield/engine/maneuver"
	"github.com/astroshield/astroshield/render"
)

func newTestSearch(t *testing.T) (*SearchPanel, *Session, *wsFakeScene) {
	t.Helper()
	a := test.NewTempApp(t)
	scene := newWSFakeScene()
	s := NewSession(NewClock(newWSWall().now), scene, a.Preferences())
	s.SetCatalog(fullCatalog(t))
	p := NewSearchPanel(s)
	test.NewWindow(p.CanvasObject())
	return p, s, scene
}

func TestSearchPanelQueries(t *testing.T) {
	p, s, _ := newTestSearch(t)
	c := s.Catalog()
	for _, tc := range []struct {
		name, query string
		norad       int
	}{
		{"NORAD digits", "25544", 25544},
		{"Alpha-5", "T0001", 270001},
		{"Alpha-5 lower case", "t0001", 270001},
		{"COSPAR", "1998-067A", 25544},
		{"COSPAR TLE form", "98067A", 25544},
		{"name", "ISS (ZARYA)", 25544},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p.Entry().SetText("")
			test.Type(p.Entry(), tc.query)
			res := p.Results()
			if len(res) == 0 {
				t.Fatalf("%q: no results (%s)", tc.query, p.count.Text)
			}
			if got := c.Objects[res[0]].Set.CatalogNumber; got != tc.norad {
				t.Errorf("%q: first result %d (%s), want %d", tc.query, got, c.Objects[res[0]].Label(), tc.norad)
			}
		})
	}
	p.SetQuery("25544")
	if got := c.Objects[p.Results()[0]].Label(); got != "ISS (ZARYA) 25544" {
		t.Errorf("label %q", got)
	}
	p.SetQuery("starlink")
	if n := len(p.Results()); n != SearchLimit {
		t.Errorf("starlink: %d results, want the limit %d", n, SearchLimit)
	}
	p.SetQuery("no such object")
	if n := len(p.Results()); n != 0 || p.count.Text != `No match for "no such object"` {
		t.Errorf("nonsense: %d results, %q", n, p.count.Text)
	}
}

func TestSearchPanelClickSelects(t *testing.T) {
	p, s, scene := newTestSearch(t)
	p.SetQuery("25544")
	p.list.Select(0)
	want := p.Results()[0]
	if s.Selected() != want || scene.selected != want {
		t.Errorf("click selected %d (scene %d), want %d", s.Selected(), scene.selected, want)
	}
	s.Select(-1)
	s.Select(want) // a selection made elsewhere is highlighted, not re-sent
	if s.Selected() != want {
		t.Errorf("selection %d", s.Selected())
	}
}

func TestSearchPanelFilters(t *testing.T) {
	p, s, scene := newTestSearch(t)
	c := s.Catalog()
	p.SetQuery("COSMOS")
	debris := func() int {
		n := 0
		for _, i := range p.Results() {
			if c.Objects[i].Kind == render.KindDebris {
				n++
			}
		}
		return n
	}
	if debris() == 0 {
		t.Fatal("COSMOS: no debris among the results to filter out")
	}
	deb := p.kinds[2]
	if deb.Text != "debris" {
		t.Fatalf("third check is %q", deb.Text)
	}
	test.Tap(deb)
	if deb.Checked {
		t.Fatal("tap did not uncheck debris")
	}
	if n := debris(); n != 0 {
		t.Errorf("%d debris results with debris unchecked", n)
	}
	if len(p.Results()) == 0 {
		t.Error("no COSMOS payloads/rocket bodies left")
	}
	wantMask := allKinds &^ (1 << render.KindDebris)
	if scene.mask != wantMask || p.KindMask() != wantMask {
		t.Errorf("kind mask: scene %#x panel %#x, want %#x", scene.mask, p.KindMask(), wantMask)
	}
	if got := LoadKindMask(s.Prefs); got != wantMask {
		t.Errorf("saved mask %#x", got)
	}

	p.regime.SetSelected("GEO")
	if len(p.Results()) == 0 {
		t.Fatal("no GEO COSMOS objects")
	}
	for _, i := range p.Results() {
		if o := &c.Objects[i]; o.Regime != maneuver.RegimeGEO || o.Kind == render.KindDebris {
			t.Errorf("%s: %v %v passes the GEO, no-debris filter", o.Label(), o.Regime, o.Kind)
		}
	}
	// Empty query browses the catalog through the filters.
	p.SetQuery("")
	if len(p.Results()) == 0 {
		t.Error("empty query lists nothing")
	}
	for _, i := range p.Results() {
		if c.Objects[i].Regime != maneuver.RegimeGEO {
			t.Fatalf("%s is not GEO", c.Objects[i].Label())
		}
	}
	if !hasText(labelTexts(p.CanvasObject()), "country: not in element-set data") {
		t.Error("no note that country is not in the element sets")
	}
}
