package api

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/astroshield/astroshield/engine/ccdm"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/onnx/registry"
	"github.com/astroshield/astroshield/engine/tle"
	"github.com/astroshield/astroshield/server/feed"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/webhook"
	"github.com/astroshield/astroshield/server/wire"
)

// startCCDM runs the env's CCDM worker until the test ends.
func (e *env) startCCDM(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		e.api.RunCCDM(ctx)
	}()
	t.Cleanup(func() { cancel(); wg.Wait() }) // runs before newEnv's cleanup closes the store
}

// historyTLE reads a benchmark history file (2-line TLEs) as its lines.
func historyTLE(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testdata(t), "catalog", "history", "maneuver_benchmark_shorten2023", name+".tle"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimRight(l, "\r"); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines)%2 != 0 {
		t.Fatalf("%s: odd number of TLE lines", name)
	}
	return lines
}

// groundTruth reads manoeuvres_<name>.yaml: the operators' manoeuvre times.
func groundTruth(t *testing.T, name string) []time.Time {
	t.Helper()
	f, err := os.Open(filepath.Join(testdata(t), "catalog", "history", "maneuver_benchmark_shorten2023", "manoeuvres_"+name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []time.Time
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "- ")
		if !ok {
			continue
		}
		ts, err := time.Parse(time.DateTime, strings.Trim(l, `'"`))
		if err != nil {
			t.Fatalf("manoeuvre timestamp %q: %v", l, err)
		}
		out = append(out, ts.UTC())
	}
	if len(out) == 0 {
		t.Fatal("no manoeuvre timestamps")
	}
	return out
}

// feedReader collects feed events from one WebSocket in the background.
type feedReader struct {
	mu     sync.Mutex
	events []feed.Message
	cond   chan struct{} // closed and replaced on each event
	err    error
}

func (e *env) subscribeFeed(t *testing.T, tok string, channels ...string) *feedReader {
	t.Helper()
	c, _, err := e.dial(t, http.Header{"Authorization": {"Bearer " + tok}})
	if err != nil {
		t.Fatal(err)
	}
	zero := int64(0)
	for _, ch := range channels {
		send(t, c, feed.Message{Type: "subscribe", Channel: ch, After: &zero})
		if m := next(t, c, "subscribed"); m.Channel != ch {
			t.Fatalf("subscribed to %q, want %q", m.Channel, ch)
		}
	}
	fr := &feedReader{cond: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { // owned by the test: ends when the connection closes
		defer close(done)
		for {
			_, b, err := c.Read(ctx)
			fr.mu.Lock()
			if err != nil {
				fr.err = err
				close(fr.cond)
				fr.mu.Unlock()
				return
			}
			var m feed.Message
			if json.Unmarshal(b, &m) == nil && m.Type == "event" {
				fr.events = append(fr.events, m)
				close(fr.cond)
				fr.cond = make(chan struct{})
			}
			fr.mu.Unlock()
		}
	}()
	t.Cleanup(func() { cancel(); c.Close(websocket.StatusNormalClosure, ""); <-done })
	return fr
}

// wait returns the events so far once match accepts one of them.
func (fr *feedReader) wait(t *testing.T, what string, match func(feed.Message) bool) []feed.Message {
	t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		fr.mu.Lock()
		evs, ch, err := slices.Clone(fr.events), fr.cond, fr.err
		fr.mu.Unlock()
		if slices.ContainsFunc(evs, match) {
			return evs
		}
		if err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		select {
		case <-ch:
		case <-deadline:
			for _, m := range evs {
				t.Logf("event %s %s %.300s", m.Channel, m.Kind, m.Data)
			}
			t.Fatalf("no %s on the feed within 30 s (%d events)", what, len(evs))
		}
	}
}

func assessmentEvent(norad int, epoch time.Time) func(feed.Message) bool {
	return func(m feed.Message) bool {
		if m.Channel != "ccdm" || m.Kind != "assessment.updated" {
			return false
		}
		var a wire.Assessment
		return json.Unmarshal(m.Data, &a) == nil && a.NORAD == norad && (epoch.IsZero() || a.At.Equal(epoch))
	}
}

func lastEpoch(t *testing.T, lines []string) time.Time {
	t.Helper()
	sets, err := tle.ReadAll(strings.NewReader(strings.Join(lines[len(lines)-2:], "\n")), tle.Options{})
	if err != nil || len(sets) != 1 {
		t.Fatalf("last TLE: %v", err)
	}
	return sets[0].Epoch.UTC().Truncate(time.Millisecond)
}

// TestCCDMPipelineCryoSat2 imports CryoSat-2's real history (its first
// quarter, to 2013-05, with a manoeuvre campaign in the recent window;
// then the rest, to 2022-09) and checks what the pipeline stores and
// publishes against the operators' manoeuvre list and against engine/ccdm
// run directly on the same sets.
func TestCCDMPipelineCryoSat2(t *testing.T) {
	const norad = 36508
	lines := historyTLE(t, "CryoSat-2")
	truth := groundTruth(t, "CryoSat-2")
	e := newEnv(t)
	e.startCCDM(t)
	analyst, viewer, operator := e.login("analyst").AccessToken, e.login("viewer").AccessToken, e.login("operator").AccessToken

	// A webhook subscribed to ccdm, delivered by a real deliverer.
	var hookMu sync.Mutex
	var hookBodies [][]byte
	var hookSigOK = true
	var secret []byte
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		hookMu.Lock()
		defer hookMu.Unlock()
		if webhook.Verify(secret, b, r.Header.Get(webhook.SignatureHeader), time.Now(), time.Minute) != nil {
			hookSigOK = false
		}
		hookBodies = append(hookBodies, b)
	}))
	defer recv.Close()
	r := e.do("POST", "/api/v1/webhooks", map[string]any{"url": recv.URL + "/ccdm", "channels": []string{"ccdm"}}, bearer(operator)...)
	var h webhookJSON
	r.json(t, &h)
	if r.status != 201 {
		t.Fatalf("create webhook: %d %s", r.status, r.body)
	}
	hookMu.Lock()
	secret = []byte(h.Secret)
	hookMu.Unlock()
	hooks := webhook.New(e.db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	hooks.Poll, hooks.Backoff = 50*time.Millisecond, 10*time.Millisecond
	hctx, hcancel := context.WithCancel(context.Background())
	hdone := make(chan struct{})
	go func() { defer close(hdone); hooks.Run(hctx) }()
	defer func() { hcancel(); <-hdone }()

	fr := e.subscribeFeed(t, viewer, "ccdm", "maneuvers")

	// Stage 1: the first quarter of the history.
	half := lines[:2*(len(lines)/8)]
	at1 := lastEpoch(t, half)
	if r := e.do("POST", "/api/v1/elements", strings.Join(half, "\n")+"\n", bearer(analyst)...); r.status != 200 {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	evs := fr.wait(t, "assessment of CryoSat-2", assessmentEvent(norad, at1))

	// The server's assessment equals engine/ccdm on the same stored sets.
	var got wire.Assessment
	if r := e.do("GET", "/api/v1/objects/36508/assessment", nil, bearer(viewer)...); r.status != 200 {
		t.Fatalf("assessment: %d %s", r.status, r.body)
	} else {
		r.json(t, &got)
	}
	sets, _ := tle.ReadAll(strings.NewReader(strings.Join(half, "\n")), tle.Options{})
	want := engineReport(t, sets)
	if got.Status != "assessed" || got.Level == nil || *got.Level != string(want.Threat.Level) || got.Score != want.Threat.Score ||
		!got.At.Equal(at1) || got.SetsUsed != want.SetsUsed {
		t.Fatalf("assessment %+v (level %v), want level %s score %g sets %d at %s", got, got.Level, want.Threat.Level, want.Threat.Score, want.SetsUsed, at1)
	}
	if want.Threat.Level == ccdm.LevelNone || len(got.IndicatorIDs) == 0 {
		t.Fatalf("CryoSat-2 to %s assessed %s with indicators %v; its recent manoeuvres should count", at1.Format(time.DateOnly), want.Threat.Level, got.IndicatorIDs)
	}
	var summary wire.CCDMSummary
	if err := json.Unmarshal(got.Summary, &summary); err != nil {
		t.Fatal(err)
	}
	if len(summary.NotAssessed) != len(ccdm.Unsupported) || len(summary.Insufficient) == 0 {
		t.Fatalf("summary lists %d not assessed, %d insufficient", len(summary.NotAssessed), len(summary.Insufficient))
	}
	for _, in := range summary.Insufficient {
		if !strings.HasPrefix(in.Reason, "insufficient data: ") || strings.Contains(in.Reason, "--catalog") {
			t.Errorf("insufficient %s: reason %q", in.Indicator, in.Reason)
		}
	}

	// Indicators: every detected finding once, manoeuvres near the
	// operators' list, paging by id.
	var page struct {
		Indicators []wire.Indicator `json:"indicators"`
		NextAfter  int64            `json:"next_after"`
	}
	e.do("GET", "/api/v1/objects/36508/indicators?limit=1000", nil, bearer(viewer)...).json(t, &page)
	all := page.Indicators
	nDetected := 0
	for _, f := range want.Findings {
		if f.Status == ccdm.StatusDetected {
			nDetected++
		}
	}
	if len(all) != nDetected {
		t.Fatalf("%d indicators stored, engine detected %d", len(all), nDetected)
	}
	var mans []wire.Indicator
	for _, i := range all {
		if i.Indicator == string(ccdm.ManeuversDetected) {
			mans = append(mans, i)
		}
		if i.Topic != "ss4.indicators."+i.Indicator || i.Method == "" || !i.WindowEnd.Equal(at1) || i.WindowStart.After(i.WindowEnd) || len(i.Detail) == 0 {
			t.Errorf("indicator %+v", i)
		}
	}
	near := 0
	for _, m := range mans {
		if slices.ContainsFunc(truth, func(tt time.Time) bool { d := m.Epoch.Sub(tt); return d > -24*time.Hour && d < 24*time.Hour }) {
			near++
		}
	}
	t.Logf("CryoSat-2 to %s: %d indicators, %d manoeuvres (%d within 1 day of an operator manoeuvre), level %s score %g",
		at1.Format(time.DateOnly), len(all), len(mans), near, *got.Level, got.Score)
	if len(mans) < 3 || 2*near < len(mans) {
		t.Fatalf("%d manoeuvre indicators, %d near the operators' manoeuvres", len(mans), near)
	}
	for _, id := range got.IndicatorIDs {
		if !slices.ContainsFunc(all, func(i wire.Indicator) bool { return i.ID == id }) {
			t.Fatalf("assessment rests on indicator %d, not stored for the object", id)
		}
	}
	var p1, p2 struct {
		Indicators []wire.Indicator `json:"indicators"`
		NextAfter  int64            `json:"next_after"`
	}
	e.do("GET", "/api/v1/indicators?norad=36508&limit=2", nil, bearer(viewer)...).json(t, &p1)
	if len(p1.Indicators) != 2 || p1.NextAfter != p1.Indicators[1].ID {
		t.Fatalf("first page %+v", p1)
	}
	e.do("GET", "/api/v1/indicators?limit=1000&after="+itoa(int(p1.NextAfter)), nil, bearer(viewer)...).json(t, &p2)
	if len(p2.Indicators) != len(all)-2 || p2.Indicators[0].ID <= p1.NextAfter {
		t.Fatalf("second page: %d indicators after %d, want %d", len(p2.Indicators), p1.NextAfter, len(all)-2)
	}
	var byKind struct{ Indicators []wire.Indicator }
	e.do("GET", "/api/v1/indicators?kind=maneuvers-detected&limit=1000", nil, bearer(viewer)...).json(t, &byKind)
	if len(byKind.Indicators) != len(mans) {
		t.Fatalf("kind filter: %d, want %d", len(byKind.Indicators), len(mans))
	}
	// The manoeuvres the analysis detected are stored as manoeuvres too.
	var ml struct{ Maneuvers []maneuverJSON }
	e.do("GET", "/api/v1/maneuvers?norad=36508&limit=1000", nil, bearer(viewer)...).json(t, &ml)
	if len(ml.Maneuvers) != len(mans) {
		t.Fatalf("%d manoeuvres stored, %d manoeuvre indicators", len(ml.Maneuvers), len(mans))
	}
	// The feed carried each new indicator and manoeuvre once, then the assessment.
	count := map[string]int{}
	for _, m := range evs {
		count[m.Channel+"/"+m.Kind]++
	}
	if count["ccdm/indicator.detected"] != len(all) || count["maneuvers/maneuver.detected"] != len(mans) || count["ccdm/assessment.updated"] != 1 {
		t.Fatalf("feed events %v, want %d indicators, %d manoeuvres, 1 assessment", count, len(all), len(mans))
	}

	// Roles: a viewer reads but cannot run the analysis.
	if r := e.do("POST", "/api/v1/objects/36508/ccdm", nil, bearer(viewer)...); r.status != 403 || r.errCode(t) != "forbidden" {
		t.Fatalf("viewer POST: %d %s", r.status, r.body)
	}
	// On request, the same history adds nothing new and publishes nothing.
	var run struct {
		Assessment wire.Assessment  `json:"assessment"`
		NewIDs     []int64          `json:"new_indicator_ids"`
		Indicators []wire.Indicator `json:"indicators"`
		Catalog    int              `json:"catalog_objects"`
	}
	r = e.do("POST", "/api/v1/objects/36508/ccdm", nil, bearer(analyst)...)
	r.json(t, &run)
	if r.status != 200 || len(run.NewIDs) != 0 || run.Assessment.ID != got.ID || len(run.Indicators) != len(all) {
		t.Fatalf("re-run: %d %s", r.status, r.body)
	}
	// With the stored catalog (CryoSat-2 alone).
	r = e.do("POST", "/api/v1/objects/36508/ccdm", `{"catalog": true}`, bearer(analyst)...)
	r.json(t, &run)
	if r.status != 200 || run.Catalog != 1 {
		t.Fatalf("with catalog: %d %s", r.status, r.body)
	}
	if err := json.Unmarshal(run.Assessment.Summary, &summary); err != nil {
		t.Fatal(err)
	}
	// The catalog indicators are judged against it now (proximity says why
	// it cannot screen a catalog of one object, rather than that no
	// catalog was used).
	if slices.ContainsFunc(summary.Insufficient, func(i wire.NotJudged) bool {
		return strings.Contains(i.Reason, "no catalog snapshot") || i.Indicator == string(ccdm.ObjectInUnoccupiedOrbit)
	}) {
		t.Fatalf("with a catalog: %+v", summary.Insufficient)
	}
	for _, bad := range []struct{ body, code string }{{`{"catalog": "yes"}`, "invalid_argument"}, {`{"nope": 1}`, "invalid_argument"}} {
		if r := e.do("POST", "/api/v1/objects/36508/ccdm", bad.body, bearer(analyst)...); r.status != 400 || r.errCode(t) != bad.code {
			t.Errorf("body %s: %d %s", bad.body, r.status, r.body)
		}
	}

	// Stage 2: the rest of the history; a new assessment at the new epoch.
	rest := lines[len(half):]
	at2 := lastEpoch(t, rest)
	if r := e.do("POST", "/api/v1/elements", strings.Join(rest, "\n")+"\n", bearer(analyst)...); r.status != 200 {
		t.Fatalf("import rest: %d %s", r.status, r.body)
	}
	fr.wait(t, "second assessment", assessmentEvent(norad, at2))
	e.do("GET", "/api/v1/objects/36508/assessment", nil, bearer(viewer)...).json(t, &got)
	all2, _ := tle.ReadAll(strings.NewReader(strings.Join(lines, "\n")), tle.Options{})
	want = engineReport(t, all2)
	if !got.At.Equal(at2) || got.Level == nil || *got.Level != string(want.Threat.Level) || got.Score != want.Threat.Score {
		t.Fatalf("after the rest: %+v, want level %s score %g at %s", got, want.Threat.Level, want.Threat.Score, at2)
	}
	var as struct {
		Assessments []wire.Assessment `json:"assessments"`
	}
	e.do("GET", "/api/v1/assessments?norad=36508", nil, bearer(viewer)...).json(t, &as)
	if len(as.Assessments) != 2 || !as.Assessments[0].At.Equal(at1) || !as.Assessments[1].At.Equal(at2) {
		t.Fatalf("assessments: %+v", as.Assessments)
	}

	// GraphQL: object → indicators and assessment → the indicators it rests on.
	r = e.do("POST", "/api/v1/graphql", map[string]any{"query": `{ object(norad: 36508) { norad
		indicators(limit: 3) { id indicator topic confidence epoch windowStart windowEnd method detail object { norad } }
		assessment { status level score assessmentEpoch elementSetsUsed indicators(limit: 50) { id indicator } } } }`}, bearer(viewer)...)
	var gq struct {
		Data struct {
			Object struct {
				Norad      int
				Indicators []struct {
					ID, Indicator, Topic, Method, Detail string
					Confidence                           float64
					Object                               struct{ Norad int }
				}
				Assessment *struct {
					Status, Level   string
					Score           float64
					AssessmentEpoch time.Time
					ElementSetsUsed int
					Indicators      []struct{ ID, Indicator string }
				}
			}
		}
		Errors []any
	}
	r.json(t, &gq)
	o := gq.Data.Object
	if r.status != 200 || len(gq.Errors) != 0 || len(o.Indicators) != 3 || o.Indicators[0].Object.Norad != norad || o.Assessment == nil ||
		o.Assessment.Level != *got.Level || !o.Assessment.AssessmentEpoch.Equal(at2) || len(o.Assessment.Indicators) != len(got.IndicatorIDs) {
		t.Fatalf("graphql: %d %s", r.status, r.body)
	}
	if !json.Valid([]byte(o.Indicators[0].Detail)) || o.Indicators[0].Topic != "ss4.indicators."+o.Indicators[0].Indicator {
		t.Fatalf("graphql indicator %+v", o.Indicators[0])
	}

	// The webhook got the ccdm events, signed.
	deadline := time.Now().Add(20 * time.Second)
	for {
		hookMu.Lock()
		n, ok := len(hookBodies), hookSigOK
		hookMu.Unlock()
		head, _ := e.db.FeedHead(context.Background(), "ccdm")
		if int64(n) >= head && head > 0 {
			if !ok {
				t.Fatal("webhook delivery with a bad signature")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("webhook got %d of %d ccdm events", n, head)
		}
		time.Sleep(50 * time.Millisecond)
	}
	hookMu.Lock()
	var first struct{ Channel, Kind string }
	json.Unmarshal(hookBodies[0], &first)
	hookMu.Unlock()
	if first.Channel != "ccdm" || first.Kind != "indicator.detected" {
		t.Fatalf("first webhook delivery %+v", first)
	}
}

// engineReport runs engine/ccdm on what the server analyses: the newest
// ccdmHistorySets distinct epochs of the history, no catalog.
func engineReport(t *testing.T, sets []gp.ElementSet) ccdm.Report {
	t.Helper()
	byEpoch := map[int64]gp.ElementSet{}
	for _, s := range sets {
		byEpoch[s.Epoch.UnixMilli()] = s
	}
	keys := make([]int64, 0, len(byEpoch))
	for k := range byEpoch {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) > ccdmHistorySets {
		keys = keys[len(keys)-ccdmHistorySets:]
	}
	hist := make([]gp.ElementSet, len(keys))
	for i, k := range keys {
		hist[i] = byEpoch[k]
	}
	rep, err := ccdm.Analyze(context.Background(), hist, nil, ccdm.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestCCDMInsufficientData: one element set supports no indicator; the
// object is assessed insufficient-data, nothing is stored as an indicator
// and nothing is published.
func TestCCDMInsufficientData(t *testing.T) {
	e := newEnv(t)
	e.startCCDM(t)
	analyst, viewer := e.login("analyst").AccessToken, e.login("viewer").AccessToken
	if r := e.do("GET", "/api/v1/objects/90001/assessment", nil, bearer(viewer)...); r.status != 404 || r.errCode(t) != "not_found" {
		t.Fatalf("unknown object: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/elements", tleText(t, 90001, time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)), bearer(analyst)...); r.status != 200 {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	r := e.do("GET", "/api/v1/objects/90001/assessment", nil, bearer(viewer)...)
	for deadline := time.Now().Add(30 * time.Second); r.status == 404 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		r = e.do("GET", "/api/v1/objects/90001/assessment", nil, bearer(viewer)...)
	}
	var a wire.Assessment
	r.json(t, &a)
	var raw map[string]any
	r.json(t, &raw)
	if a.Status != "insufficient-data" || a.Level != nil || raw["level"] != nil || a.SetsUsed != 1 || len(a.IndicatorIDs) != 0 {
		t.Fatalf("assessment %s", r.body)
	}
	var sum wire.CCDMSummary
	json.Unmarshal(a.Summary, &sum)
	if !strings.HasPrefix(sum.Reason, "insufficient data") || len(sum.Detected) != 0 || len(sum.Insufficient) == 0 {
		t.Fatalf("summary %s", a.Summary)
	}
	var page struct{ Indicators []wire.Indicator }
	e.do("GET", "/api/v1/objects/90001/indicators", nil, bearer(viewer)...).json(t, &page)
	if len(page.Indicators) != 0 {
		t.Fatalf("indicators from one element set: %+v", page.Indicators)
	}
	// Nothing judged, nothing announced: the feed stays quiet (a catalog
	// import would otherwise send one event per object).
	if head, err := e.db.FeedHead(context.Background(), "ccdm"); err != nil || head != 0 {
		t.Fatalf("ccdm feed head %d, %v: want no events", head, err)
	}

	// Bad input: stable 4xx codes.
	for _, c := range []struct {
		method, path string
		status       int
		code         string
	}{
		{"GET", "/api/v1/objects/abc/indicators", 400, "invalid_argument"},
		{"GET", "/api/v1/objects/0/assessment", 400, "invalid_argument"},
		{"GET", "/api/v1/objects/90001/indicators?limit=0", 400, "invalid_argument"},
		{"GET", "/api/v1/indicators?limit=1001", 400, "invalid_argument"},
		{"GET", "/api/v1/indicators?after=-1", 400, "invalid_argument"},
		{"GET", "/api/v1/indicators?kind=rf-detected", 400, "invalid_argument"},
		{"GET", "/api/v1/indicators?norad=x", 400, "invalid_argument"},
		{"GET", "/api/v1/assessments?limit=x", 400, "invalid_argument"},
		{"GET", "/api/v1/objects/90002/indicators", 404, "not_found"},
		{"POST", "/api/v1/objects/90002/ccdm", 404, "not_found"},
		{"POST", "/api/v1/objects/-5/ccdm", 400, "invalid_argument"},
	} {
		r := e.do(c.method, c.path, nil, bearer(analyst)...)
		if r.status != c.status || r.errCode(t) != c.code {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.path, r.status, r.body, c.status, c.code)
		}
	}
}

// TestModelsFromRegistry stores a registry's versions and lists them.
func TestModelsFromRegistry(t *testing.T) {
	e := newEnv(t)
	viewer := e.login("viewer").AccessToken
	var empty struct{ Models []wire.Model }
	if r := e.do("GET", "/api/v1/models", nil, bearer(viewer)...); r.status != 200 {
		t.Fatalf("models: %d %s", r.status, r.body)
	} else if r.json(t, &empty); len(empty.Models) != 0 {
		t.Fatalf("models before any registry: %+v", empty.Models)
	}
	dir := t.TempDir()
	reg, err := registry.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	v1, err := reg.Add([]byte("model one"), "maneuver-rescorer", map[string]string{"train_cases": "CryoSat-2"}, map[string]float64{"heldout_mean_f1": 0.61}, now)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := reg.Add([]byte("model two"), "maneuver-rescorer", nil, nil, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := reg.SetActive(v2.Name); err != nil {
		t.Fatal(err)
	}
	if n, err := e.api.SyncModels(context.Background(), dir); err != nil || n != 2 {
		t.Fatalf("SyncModels: %d, %v", n, err)
	}
	var list struct{ Models []wire.Model }
	e.do("GET", "/api/v1/models", nil, bearer(viewer)...).json(t, &list)
	if len(list.Models) != 2 {
		t.Fatalf("models %+v", list.Models)
	}
	m1, m2 := list.Models[0], list.Models[1]
	var d1 struct{ Metrics map[string]float64 }
	json.Unmarshal(m1.Detail, &d1)
	if m1.ID != "maneuver-rescorer/v1" || m1.SHA256 != v1.SHA256 || m1.Bytes != int64(len("model one")) || m1.Active || d1.Metrics["heldout_mean_f1"] != 0.61 ||
		m2.ID != "maneuver-rescorer/v2" || !m2.Active || !m2.CreatedAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("models %+v", list.Models)
	}
	// Syncing again after the active version changes updates the flags.
	if err := reg.SetActive(v1.Name); err != nil {
		t.Fatal(err)
	}
	if _, err := e.api.SyncModels(context.Background(), dir); err != nil {
		t.Fatal(err)
	}
	e.do("GET", "/api/v1/models", nil, bearer(viewer)...).json(t, &list)
	if !list.Models[0].Active || list.Models[1].Active {
		t.Fatalf("after SetActive v1: %+v", list.Models)
	}
	// A manifest that is not JSON is an error, not a panic.
	bad := t.TempDir()
	os.WriteFile(filepath.Join(bad, registry.ManifestName), []byte("{"), 0o644)
	if _, err := e.api.SyncModels(context.Background(), bad); err == nil {
		t.Fatal("SyncModels of a broken manifest: no error")
	}
}

func TestCCDMNewsworthy(t *testing.T) {
	a := func(level string, ids ...int64) store.Assessment {
		return store.Assessment{Level: level, IndicatorIDs: ids}
	}
	for _, c := range []struct {
		name      string
		prev, now store.Assessment
		want      bool
	}{
		{"first, insufficient data", store.Assessment{}, a(""), false},
		{"first, NONE", store.Assessment{}, a("NONE", 1), false},
		{"first, LOW", store.Assessment{}, a("LOW", 1), true},
		{"insufficient to NONE", a(""), a("NONE"), false},
		{"NONE again, other indicators", a("NONE", 1), a("NONE", 2), false},
		{"LOW again, same indicators", a("LOW", 1), a("LOW", 1), false},
		{"LOW again, other indicators", a("LOW", 1), a("LOW", 1, 2), true},
		{"LOW to NONE", a("LOW", 1), a("NONE"), true},
		{"HIGH to insufficient", a("HIGH", 1), a(""), true},
		{"MEDIUM to CRITICAL", a("MEDIUM", 1), a("CRITICAL", 1), true},
	} {
		if got := newsworthy(c.prev, c.now); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestCCDMCatchUpAfterRestart: objects imported while no worker ran (the
// queue is in memory) are analysed when a new server's worker starts.
func TestCCDMCatchUpAfterRestart(t *testing.T) {
	e := newEnv(t) // its worker never runs: the import's queue is lost with it
	analyst := e.login("analyst").AccessToken
	if r := e.do("POST", "/api/v1/elements", strings.Join(historyTLE(t, "Sentinel-6A"), "\n")+"\n", bearer(analyst)...); r.status != 200 {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	if r := e.do("POST", "/api/v1/elements", tleText(t, 90001, time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)), bearer(analyst)...); r.status != 200 {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	if e.api.CCDMQueueDepth() != 2 {
		t.Fatalf("queue depth %d, want 2", e.api.CCDMQueueDepth())
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hub := feed.NewHub(e.db, log)
	defer hub.Close()
	s2 := New(e.db, e.auth, hub, nil, log, Config{Version: "test"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); s2.RunCCDM(ctx) }()
	defer func() { cancel(); <-done }()
	for _, norad := range []int{46984, 90001} {
		deadline := time.Now().Add(30 * time.Second)
		for {
			a, err := e.db.Assessment(context.Background(), norad)
			if err == nil {
				if o, _ := e.db.Object(context.Background(), norad); !a.At.Equal(o.Epoch) {
					t.Fatalf("object %d assessed at %s, newest set %s", norad, a.At, o.Epoch)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("object %d not assessed after the restart: %v", norad, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if n, err := s2.catchUpCCDM(context.Background()); err != nil || n != 0 {
		t.Fatalf("catch-up with everything assessed: %d, %v", n, err)
	}
}
