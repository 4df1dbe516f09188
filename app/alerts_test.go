package app

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	assync "github.com/astroshield/astroshield/sync"
)

func TestAlertFromEvent(t *testing.T) {
	for _, tc := range []struct {
		name    string
		e       assync.Event
		alert   bool
		inTitle string
	}{
		{"high Pc", assync.Event{Channel: "conjunctions", Payload: []byte(`{"id":1,"norad_1":25544,"norad_2":30337,"tca":"2026-01-01T00:00:00Z","miss_km":0.2,"pc":2.5e-3}`)}, true, "2.50e-03"},
		{"at threshold", assync.Event{Channel: "conjunctions", Payload: []byte(`{"id":2,"norad_1":1,"norad_2":2,"tca":"2026-01-01T00:00:00Z","pc":1e-4}`)}, true, "1.00e-04"},
		{"low Pc", assync.Event{Channel: "conjunctions", Payload: []byte(`{"id":3,"norad_1":1,"norad_2":2,"tca":"2026-01-01T00:00:00Z","pc":4.8e-5}`)}, false, ""},
		{"no Pc", assync.Event{Channel: "conjunctions", Payload: []byte(`{"id":4,"norad_1":1,"norad_2":2,"tca":"2026-01-01T00:00:00Z"}`)}, false, ""},
		{"malformed", assync.Event{Channel: "conjunctions", Payload: []byte(`{`)}, false, ""},
		{"manoeuvre", assync.Event{Channel: "maneuvers", Payload: []byte(`{"norad":25544,"epoch":"2021-06-01T00:00:00Z","delta_v_m_s":0.61,"kind":"in-plane","confidence":0.9}`)}, true, "25544"},
		{"ccdm indicator", assync.Event{Channel: "ccdm", Kind: "indicator.detected", Payload: []byte(`{"id":3,"norad":44713,"indicator":"maneuvers-detected","topic":"ss4.indicators.maneuvers-detected","confidence":0.87,"detail":{"rule":"z>=6"}}`)}, true, "maneuvers-detected, confidence 0.87"},
		{"ccdm malformed", assync.Event{Channel: "ccdm", Kind: "indicator.detected", Payload: []byte(`{"norad":"x"}`)}, false, ""},
		{"catalog", assync.Event{Channel: "catalog", Payload: []byte(`{"norad":1}`)}, false, ""},
		{"assessment insufficient data", assync.Event{Channel: "ccdm", Kind: "assessment.updated", Payload: []byte(`{"norad":44713,"status":"insufficient-data","summary":{}}`)}, false, ""},
		{"assessment none", assync.Event{Channel: "ccdm", Kind: "assessment.updated", Payload: []byte(`{"norad":44713,"level":"NONE","summary":{}}`)}, false, ""},
		{"assessment low", assync.Event{Channel: "ccdm", Kind: "assessment.updated", Payload: []byte(`{"norad":44713,"status":"assessed","level":"LOW","score":1.2,"summary":{"reasons":[]}}`)}, false, ""},
		{"assessment high", assync.Event{Channel: "ccdm", Kind: "assessment.updated", Payload: []byte(`{"norad":44713,"status":"assessed","level":"HIGH","score":3.4,"summary":{"reasons":[{"indicator":"maneuvers-detected","why":"4 burns in 30 d"},{"indicator":"proximity-events","why":"co-orbital with 44714"}]}}`)}, true, "HIGH: 44713"},
		{"assessment reasons", assync.Event{Channel: "ccdm", Kind: "assessment.updated", Payload: []byte(`{"norad":44713,"level":"CRITICAL","score":5,"summary":{"reasons":[{"indicator":"a","why":"x"},{"indicator":"b"},{"indicator":"c"},{"indicator":"d"}]}}`)}, true, "score 5.00; a: x; b; c; +1 more"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, ok := AlertFromEvent(tc.e, DefaultAlertPc, nil)
			if ok != tc.alert {
				t.Fatalf("alert = %v, want %v (%+v)", ok, tc.alert, a)
			}
			if ok && !strings.Contains(a.Title+a.Text, tc.inTitle) {
				t.Errorf("alert %q / %q lacks %q", a.Title, a.Text, tc.inTitle)
			}
		})
	}
}

func TestServerConjunctionEventNoPc(t *testing.T) {
	ev, err := ServerConjunctionEvent([]byte(`{"id":9,"norad_1":1,"norad_2":2,"tca":"2026-01-01T00:00:00Z","miss_km":1.5}`), nil)
	if err != nil || !math.IsNaN(ev.Pc) || ev.Source != "server" || ev.ServerID != 9 || ev.A != -1 {
		t.Fatalf("%+v %v", ev, err)
	}
	if _, err := ServerConjunctionEvent([]byte(`{"id":9}`), nil); err == nil {
		t.Error("a conjunction without objects was accepted")
	}
}

func TestAlertsBadge(t *testing.T) {
	test.NewTempApp(t)
	p := NewAlertsPanel()
	var badge []int
	p.OnBadge = func(n int) { badge = append(badge, n) }
	p.Add(Alert{Title: "a"})
	p.Add(Alert{Title: "b"})
	if p.Unseen() != 2 || BadgeTitle(AlertsTabTitle, p.Unseen()) != "Alerts (2)" || p.Alerts()[0].Title != "b" {
		t.Fatalf("unseen %d, alerts %+v", p.Unseen(), p.Alerts())
	}
	p.MarkSeen()
	if p.Unseen() != 0 || BadgeTitle(AlertsTabTitle, 0) != "Alerts" || len(badge) != 3 || badge[2] != 0 {
		t.Errorf("after viewing: %d, badge calls %v", p.Unseen(), badge)
	}
}

func TestAlertPcPreference(t *testing.T) {
	a := test.NewTempApp(t)
	p := a.Preferences()
	if LoadAlertPc(p) != DefaultAlertPc {
		t.Fatalf("default %v", LoadAlertPc(p))
	}
	if err := SaveAlertPc(p, 1e-3); err != nil || LoadAlertPc(p) != 1e-3 {
		t.Fatalf("saved %v %v", LoadAlertPc(p), err)
	}
	for _, bad := range []float64{0, -1, 2, math.NaN()} {
		if err := SaveAlertPc(p, bad); err == nil {
			t.Errorf("threshold %v accepted", bad)
		}
	}
}

// A burst of high-Pc conjunctions (a screening job's results) gives one
// notification at once and one summary for the rest, every alert in the
// tab, and the table rebuilt once with every row.
func TestAlertBurstCoalesced(t *testing.T) {
	a := test.NewTempApp(t)
	w, s := newTestWorkstationOn(t, a, nil, nil, newWSWall())
	r, err := OpenRemote(RemoteConfig{URL: "http://127.0.0.1:1", CacheDir: t.TempDir(), Tokens: assync.TokenFile{Path: t.TempDir() + "/rt"}})
	if err != nil {
		t.Fatal(err)
	}
	conj := NewConjunctionsPanel(s)
	w.AddTab("Conjunctions", conj.Object()) // selected: the alerts tab is not in view
	u := AttachRemote(w, s, conj, r)
	defer u.Stop()
	var mu sync.Mutex
	var ns []*fyne.Notification
	u.Notify = func(n *fyne.Notification) { mu.Lock(); ns = append(ns, n); mu.Unlock() }
	const n = 40
	for i := 1; i <= n; i++ {
		u.event(assync.Event{Channel: "conjunctions", Seq: int64(i), Payload: []byte(fmt.Sprintf(
			`{"id":%d,"norad_1":%d,"norad_2":%d,"tca":"2022-07-15T12:00:00Z","miss_km":0.1,"pc":2e-3,"updated_at":"2026-12-06T00:00:00Z"}`, i, 1000+i, 2000+i))})
	}
	if u.Alerts.Unseen() != n {
		t.Errorf("%d alerts in the tab, want %d", u.Alerts.Unseen(), n)
	}
	mu.Lock()
	if len(ns) != 1 {
		t.Errorf("%d notifications at once, want 1", len(ns))
	}
	mu.Unlock()
	deadline := time.Now().Add(alertBurstWindow + 5*time.Second)
	for {
		mu.Lock()
		got := len(ns)
		mu.Unlock()
		if got == 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(ns) != 2 || ns[1].Title != fmt.Sprintf("%d more alerts", n-1) {
		t.Fatalf("notifications %d, last %+v: want the summary of %d more", len(ns), ns[len(ns)-1], n-1)
	}
	if rows := conj.Events(); len(rows) != n {
		t.Errorf("%d table rows, want %d", len(rows), n)
	}
}
