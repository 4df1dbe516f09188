package api

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/tle"
)

// crossingTLE is a circular-ish LEO orbit through the ascending node at
// RAAN 0 at epoch: two of them with different inclinations meet at every
// node passage (drifting apart slowly through the J2 difference).
func crossingTLE(t *testing.T, norad int, inclDeg float64, epoch time.Time) string {
	t.Helper()
	l1, l2, err := tle.Format(gp.ElementSet{CatalogNumber: norad, IntlDesignator: "26001A", Classification: 'U', Epoch: epoch,
		MeanMotionRevPerDay: 15.2, Eccentricity: 0.0005, InclinationDeg: inclDeg, RAANDeg: 0, ArgPerigeeDeg: 0, MeanAnomalyDeg: 0,
		BStarPerEarthRadius: 1e-5, ElementSetNumber: 999})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("CROSSING %d\n%s\n%s\n", norad, l1, l2)
}

type jobView struct {
	ID     string `json:"id"`
	Owner  string `json:"owner"`
	State  string `json:"state"`
	Events int    `json:"events"`
	Params struct {
		Start       time.Time `json:"start"`
		Hours       float64   `json:"hours"`
		ThresholdKm float64   `json:"threshold_km"`
		Primaries   []int     `json:"primaries"`
	} `json:"params"`
}

func (e *env) jobs(tok string) []jobView {
	e.t.Helper()
	r := e.do("GET", "/api/v1/screenings", nil, bearer(tok)...)
	if r.status != 200 {
		e.t.Fatalf("screenings: %d %s", r.status, r.body)
	}
	var out struct {
		Jobs []jobView `json:"screenings"`
	}
	r.json(e.t, &out)
	return out.Jobs
}

// Imports close together become one screening job of their affected
// objects, from the newest imported epoch; its events are stored with Pc
// like any job's; without the option imports start no job.
func TestScreenOnImport(t *testing.T) {
	e := newEnvAPI(t, func(c *Config) {
		c.ScreenOnImport = ScreenOnImport{Hours: 2, ThresholdKm: 10, Debounce: 300 * time.Millisecond}
	})
	admin := e.login("admin").AccessToken
	analyst := e.login("analyst").AccessToken
	t0 := time.Date(2026, 3, 1, 12, 0, 30, 0, time.UTC)
	far := strings.Replace(tleText(t, 70003, t0.Add(-time.Hour)), "TEST 70003", "FAR 70003", 1)
	// The far object first, alone: screened too (no partner within 10 km).
	for i, body := range []string{far, crossingTLE(t, 70001, 50, t0), crossingTLE(t, 70002, 60, t0)} {
		if r := e.do("POST", "/api/v1/elements", body, bearer(analyst)...); r.status != 200 {
			t.Fatalf("import %d: %d %s", i, r.status, r.body)
		}
	}
	var js []jobView
	deadline := time.Now().Add(60 * time.Second)
	for {
		js = e.jobs(admin)
		if len(js) == 1 && (js[0].State == "done" || js[0].State == "failed") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no finished screening job after the imports: %+v", js)
		}
		time.Sleep(50 * time.Millisecond)
	}
	j := js[0]
	if j.Owner != AutoScreenOwner || j.State != "done" {
		t.Fatalf("job %+v: want done, owned by %s", j, AutoScreenOwner)
	}
	if fmt.Sprint(j.Params.Primaries) != "[70001 70002 70003]" || !j.Params.Start.Equal(t0.Truncate(time.Minute)) ||
		j.Params.Hours != 2 || j.Params.ThresholdKm != 10 {
		t.Errorf("job params %+v: want the three imports' objects from %s for 2 h at 10 km", j.Params, t0.Truncate(time.Minute))
	}
	if j.Events == 0 {
		t.Fatal("the crossing pair gave no conjunction")
	}
	r := e.do("GET", "/api/v1/conjunctions?limit=100", nil, bearer(analyst)...)
	var conj struct {
		Conjunctions []struct {
			Norad1 int      `json:"norad_1"`
			Norad2 int      `json:"norad_2"`
			MissKm float64  `json:"miss_km"`
			Pc     *float64 `json:"pc"`
		} `json:"conjunctions"`
	}
	r.json(t, &conj)
	if len(conj.Conjunctions) != j.Events {
		t.Fatalf("%d conjunctions stored, job says %d: %s", len(conj.Conjunctions), j.Events, r.body)
	}
	for _, c := range conj.Conjunctions {
		if c.Norad1 != 70001 || c.Norad2 != 70002 || !(c.MissKm < 10) || c.Pc == nil {
			t.Errorf("conjunction %+v: want 70001 × 70002 under 10 km with a Pc", c)
		}
	}
	// A duplicate import adds nothing and starts nothing.
	if r := e.do("POST", "/api/v1/elements", crossingTLE(t, 70002, 60, t0), bearer(analyst)...); r.status != 200 {
		t.Fatalf("re-import: %d %s", r.status, r.body)
	}
	time.Sleep(600 * time.Millisecond)
	if js := e.jobs(admin); len(js) != 1 {
		t.Errorf("%d jobs after a duplicate import, want still 1", len(js))
	}

	// Live data (newest epoch within LiveWindow of the clock): from now.
	live := newEnvAPI(t, func(c *Config) {
		c.ScreenOnImport = ScreenOnImport{Hours: 1, Debounce: 50 * time.Millisecond}
	})
	liveTok := live.login("analyst").AccessToken
	recent := live.clock().Add(-5 * time.Hour)
	if r := live.do("POST", "/api/v1/elements", crossingTLE(t, 70001, 50, recent)+crossingTLE(t, 70002, 60, recent), bearer(liveTok)...); r.status != 200 {
		t.Fatalf("live import: %d %s", r.status, r.body)
	}
	liveAdmin := live.login("admin").AccessToken
	deadline = time.Now().Add(30 * time.Second)
	for js = live.jobs(liveAdmin); len(js) == 0 && time.Now().Before(deadline); js = live.jobs(liveAdmin) {
		time.Sleep(20 * time.Millisecond)
	}
	if len(js) != 1 || !js[0].Params.Start.Equal(live.clock().Truncate(time.Minute)) || js[0].Params.ThresholdKm != 5 {
		t.Errorf("live import's job %+v: want one from now (%s), 5 km by default", js, live.clock().Truncate(time.Minute))
	}

	off := newEnv(t)
	offTok := off.login("analyst").AccessToken
	if r := off.do("POST", "/api/v1/elements", crossingTLE(t, 70001, 50, t0)+crossingTLE(t, 70002, 60, t0), bearer(offTok)...); r.status != 200 {
		t.Fatalf("import with screening off: %d %s", r.status, r.body)
	}
	time.Sleep(300 * time.Millisecond)
	if js := off.jobs(off.login("admin").AccessToken); len(js) != 0 {
		t.Errorf("screening off, yet the import started %+v", js)
	}
}
