package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/astroshield/astroshield/engine/ccdm"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/onnx/registry"
	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/catalog"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/wire"
)

// CCDM analysis on the server (engine/ccdm): after an element-set import
// the objects that got new sets are queued; RunCCDM analyses each one's
// stored history (up to ccdmHistorySets newest sets) and stores, in one
// transaction, the indicators that fired (new ones only), the manoeuvres
// the analysis detected, and the assessment at the newest epoch, with
// events on the "ccdm" channel (indicator.detected for each new indicator,
// assessment.updated when the threat level changes or a level above NONE
// rests on other indicators: see newsworthy) and on "maneuvers"
// (maneuver.detected), which webhooks subscribed to them receive. The automatic analysis uses the object's
// history only; POST /api/v1/objects/{norad}/ccdm runs it on request and
// can add the stored catalog for the indicators that need other objects
// (proximity, orbit density, launch siblings). An indicator that cannot be
// judged is not stored: the assessment lists it with the reason, and an
// object whose history supports none is assessed "insufficient-data".

const (
	// ccdmHistorySets bounds the history one analysis reads: the rules
	// look back 150 days (30 d recent + 120 d baseline), a few hundred sets
	// for most objects.
	ccdmHistorySets = 1000
	// ccdmQueueMax bounds the objects waiting for analysis.
	ccdmQueueMax = 1 << 20
	// ccdmMaxCatalog bounds the catalog snapshot of an on-request analysis.
	ccdmMaxCatalog = 100_000
)

// errNoCCDMStore answers when the storage has no CCDM tables.
var errNoCCDMStore = &Error{http.StatusNotImplemented, "not_implemented", "this server's storage keeps no CCDM indicators"}

// ccdmQueue holds the objects waiting for analysis, each once, in arrival
// order. The zero value is ready.
type ccdmQueue struct {
	mu      sync.Mutex
	pending map[int]bool
	order   []int
	wake    chan struct{}
	dropped int
}

func (q *ccdmQueue) wakeChan() chan struct{} {
	if q.wake == nil {
		q.wake = make(chan struct{}, 1)
	}
	return q.wake
}

// add queues norads (those already waiting keep their place) and returns
// how many were queued.
func (q *ccdmQueue) add(norads []int) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.pending == nil {
		q.pending = map[int]bool{}
	}
	n := 0
	for _, id := range norads {
		if q.pending[id] {
			continue
		}
		if len(q.order) >= ccdmQueueMax {
			q.dropped++
			continue
		}
		q.pending[id] = true
		q.order = append(q.order, id)
		n++
	}
	if n > 0 {
		select {
		case q.wakeChan() <- struct{}{}:
		default:
		}
	}
	return n
}

// take removes and returns the next object, or false when none waits.
func (q *ccdmQueue) take() (int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.order) == 0 {
		return 0, false
	}
	id := q.order[0]
	q.order = q.order[1:]
	delete(q.pending, id)
	return id, true
}

func (q *ccdmQueue) droppedCount() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.dropped
}

func (q *ccdmQueue) depth() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.order)
}

func (q *ccdmQueue) waitChan() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.wakeChan()
}

// QueueCCDM queues objects for CCDM analysis by RunCCDM.
func (s *Server) QueueCCDM(norads []int) int {
	if _, ok := s.st.(store.CCDMStore); !ok || len(norads) == 0 {
		return 0
	}
	n := s.ccdm.add(norads)
	if n < len(norads) {
		if d := s.ccdm.droppedCount(); d > 0 {
			s.log.Warn("ccdm queue full: objects left for their next import", "dropped_total", d, "queue_max", ccdmQueueMax)
		}
	}
	return n
}

// catchUpCCDM queues the objects whose newest element set is newer than
// their assessment (or that have none): what a stopped server left
// unanalysed, since the queue lives in memory.
func (s *Server) catchUpCCDM(ctx context.Context) (int, error) {
	cs, ok := s.st.(store.CCDMStore)
	if !ok {
		return 0, nil
	}
	assessed := map[int]time.Time{}
	for after := int64(0); ; {
		as, err := cs.Assessments(ctx, 0, after, 1000)
		if err != nil {
			return 0, err
		}
		for _, a := range as {
			if a.At.After(assessed[a.NORAD]) {
				assessed[a.NORAD] = a.At
			}
		}
		if len(as) < 1000 {
			break
		}
		after = as[len(as)-1].ID
	}
	var stale []int
	for after := 0; ; {
		objs, err := s.st.Objects(ctx, store.ObjectQuery{After: after, Limit: 1000})
		if err != nil {
			return 0, err
		}
		for _, o := range objs {
			if at, ok := assessed[o.NORAD]; !ok || o.Epoch.After(at) {
				stale = append(stale, o.NORAD)
			}
		}
		if len(objs) < 1000 {
			break
		}
		after = objs[len(objs)-1].NORAD
	}
	return s.QueueCCDM(stale), nil
}

// CCDMQueueDepth is the number of objects waiting for CCDM analysis.
func (s *Server) CCDMQueueDepth() int { return s.ccdm.depth() }

// RunCCDM analyses queued objects one at a time until ctx ends; its caller
// owns it (runs it in a goroutine and waits for it to return). It starts
// by queueing the objects a previous run left unanalysed. A failed
// analysis is logged and the worker goes on.
func (s *Server) RunCCDM(ctx context.Context) {
	if n, err := s.catchUpCCDM(ctx); err != nil {
		if ctx.Err() == nil {
			s.log.Error("ccdm catch-up", "err", err)
		}
	} else if n > 0 {
		s.log.Info("ccdm catch-up: objects queued", "objects", n)
	}
	for {
		norad, ok := s.ccdm.take()
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-s.ccdm.waitChan():
				continue
			}
		}
		if ctx.Err() != nil {
			return
		}
		res, err := s.analyzeAndStore(ctx, norad, false, nil)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("ccdm analysis", "norad", norad, "err", err)
			}
			continue
		}
		s.log.Debug("ccdm analysis", "norad", norad, "status", res.Assessment.Status, "level", res.Assessment.Level,
			"new_indicators", len(res.New), "new_maneuvers", len(res.NewManeuvers))
	}
}

// ccdmRun is one computed analysis, not yet stored.
type ccdmRun struct {
	NORAD   int
	Report  ccdm.Report
	Catalog bool   // the stored catalog was used
	Failed  string // set when the engine could not analyse at all (insufficient data)
}

// ccdmResult is what storing an analysis did.
type ccdmResult struct {
	Assessment   store.Assessment
	Indicators   []store.Indicator // every indicator of this analysis (new or stored before)
	New          []store.Indicator
	NewManeuvers []store.Maneuver
	Published    bool // an assessment event was appended
}

// computeCCDM reads an object's history (and, with withCatalog, the stored
// catalog) and runs engine/ccdm on it. A history the engine cannot use at
// all is a run with Failed set, not an error.
func (s *Server) computeCCDM(ctx context.Context, norad int, withCatalog bool) (ccdmRun, error) {
	o, err := s.st.Object(ctx, norad)
	if err != nil {
		return ccdmRun{}, err
	}
	recs, err := s.st.ElementSets(ctx, norad, ccdmHistorySets)
	if err != nil {
		return ccdmRun{}, err
	}
	hist := make([]gp.ElementSet, 0, len(recs))
	bad := 0
	for i := len(recs) - 1; i >= 0; i-- { // oldest first
		e, err := catalog.Parse(recs[i], o.Name)
		if err != nil {
			bad++
			continue
		}
		if e.IntlDesignator == "" {
			e.IntlDesignator = o.COSPAR
		}
		hist = append(hist, e)
	}
	run := ccdmRun{NORAD: norad, Catalog: withCatalog}
	var cat []gp.ElementSet
	if withCatalog {
		if cat, err = s.catalogSnapshot(ctx); err != nil {
			return ccdmRun{}, err
		}
	}
	rep, err := ccdm.Analyze(ctx, hist, cat, ccdm.DefaultConfig())
	if errors.Is(err, ccdm.ErrInput) {
		run.Failed = "insufficient data: " + strings.TrimPrefix(err.Error(), ccdm.ErrInput.Error()+": ")
		if len(hist) > 0 {
			run.Report.HistoryStart, run.Report.HistoryEnd, run.Report.At = hist[0].Epoch, hist[len(hist)-1].Epoch, hist[len(hist)-1].Epoch
		} else {
			run.Report.At = o.Epoch
		}
		run.Report.SetsUsed = len(hist)
		return run, nil
	}
	if err != nil {
		return ccdmRun{}, fmt.Errorf("api: ccdm %d: %w", norad, err)
	}
	if bad > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%d stored element sets could not be read and were left out", bad))
	}
	if !withCatalog {
		for i := range rep.Findings {
			f := &rep.Findings[i]
			if f.Status == ccdm.StatusInsufficient && strings.Contains(f.Reason, "(--catalog)") {
				f.Reason = "insufficient data: no catalog snapshot used (the analysis after imports uses the object's history only; POST /api/v1/objects/{norad}/ccdm with {\"catalog\": true} adds the stored catalog)"
			}
		}
	}
	run.Report = rep
	return run, nil
}

// catalogSnapshot is the newest element set of every stored object, named.
func (s *Server) catalogSnapshot(ctx context.Context) ([]gp.ElementSet, error) {
	names := map[int]string{}
	for after := 0; ; {
		objs, err := s.st.Objects(ctx, store.ObjectQuery{After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			names[o.NORAD] = o.Name
		}
		if len(objs) < 1000 || len(names) > ccdmMaxCatalog {
			break
		}
		after = objs[len(objs)-1].NORAD
	}
	if len(names) > ccdmMaxCatalog {
		return nil, &Error{http.StatusUnprocessableEntity, "catalog_too_large", fmt.Sprintf("the stored catalog holds more than %d objects; analyse without the catalog", ccdmMaxCatalog)}
	}
	recs, err := s.st.LatestElementSets(ctx, nil)
	if err != nil {
		return nil, err
	}
	out := make([]gp.ElementSet, 0, len(recs))
	for _, r := range recs {
		if e, err := catalog.Parse(r, names[r.NORAD]); err == nil {
			out = append(out, e)
		}
	}
	return out, nil
}

// stored is t at the store's precision (UTC milliseconds), so that what
// is published equals what is read back.
func stored(t time.Time) time.Time { return store.FromUnixMilli(store.UnixMilli(t)) }

func epochKey(kind, pattern string, t time.Time) string {
	return kind + "\x00" + pattern + "\x00" + fmt.Sprint(store.UnixMilli(t))
}

// storeCCDM stores a computed analysis in tx and appends its feed events.
func storeCCDM(ctx context.Context, tx store.Tx, run ccdmRun, now time.Time) (ccdmResult, error) {
	ct, ok := tx.(store.CCDMTx)
	if !ok {
		return ccdmResult{}, errNoCCDMStore
	}
	rep := run.Report
	sum := wire.CCDMSummary{Regime: rep.Regime, Reasons: []wire.ThreatReason{}, CCDMTypes: []string{}, Detected: []string{}, NotDetected: []string{},
		Insufficient: []wire.NotJudged{}, NotAssessed: []wire.NotJudged{}, Catalog: rep.CatalogObjects, Notes: rep.Notes}
	for _, n := range rep.NotAssessed {
		sum.NotAssessed = append(sum.NotAssessed, wire.NotJudged{Indicator: string(n.Indicator), Reason: n.Reason})
	}
	var res ccdmResult
	ids := map[string]int64{}
	judged := 0
	for _, f := range rep.Findings {
		switch f.Status {
		case ccdm.StatusInsufficient:
			sum.Insufficient = append(sum.Insufficient, wire.NotJudged{Indicator: string(f.Indicator), Reason: f.Reason})
			continue
		case ccdm.StatusNotDetected:
			judged++
			if !slices.Contains(sum.NotDetected, string(f.Indicator)) {
				sum.NotDetected = append(sum.NotDetected, string(f.Indicator))
			}
			continue
		}
		judged++
		if !slices.Contains(sum.Detected, string(f.Indicator)) {
			sum.Detected = append(sum.Detected, string(f.Indicator))
		}
		detail, err := json.Marshal(f)
		if err != nil {
			return res, fmt.Errorf("api: ccdm finding: %w", err)
		}
		ind, added, err := ct.AddIndicator(ctx, store.Indicator{NORAD: run.NORAD, Kind: string(f.Indicator), Pattern: f.Pattern, Value: f.Confidence,
			Epoch: stored(f.Time), WindowStart: stored(rep.HistoryStart), WindowEnd: stored(rep.HistoryEnd), Method: f.RuleID, Detail: string(detail), CreatedAt: now})
		if err != nil {
			return res, err
		}
		ids[epochKey(ind.Kind, ind.Pattern, ind.Epoch)] = ind.ID
		res.Indicators = append(res.Indicators, ind)
		if added {
			res.New = append(res.New, ind)
			if err := feedEvent(ctx, tx, "ccdm", wire.KindIndicatorDetected, toIndicatorJSON(ind)); err != nil {
				return res, err
			}
		}
		if f.Indicator == ccdm.ManeuversDetected {
			m, added, err := tx.AddManeuver(ctx, store.Maneuver{NORAD: run.NORAD, Epoch: stored(f.Time), DeltaVMS: quantity(f.Evidence, "delta-v"),
				Kind: f.Pattern, Confidence: f.Confidence, DetectedAt: now})
			if err != nil {
				return res, err
			}
			if added {
				res.NewManeuvers = append(res.NewManeuvers, m)
				if err := feedEvent(ctx, tx, "maneuvers", "maneuver.detected", toManeuverJSON(m)); err != nil {
					return res, err
				}
			}
		}
	}
	a := store.Assessment{NORAD: run.NORAD, At: stored(rep.At), WindowStart: stored(rep.HistoryStart), WindowEnd: stored(rep.HistoryEnd),
		SetsUsed: rep.SetsUsed, IndicatorIDs: []int64{}, CreatedAt: now}
	switch {
	case run.Failed != "":
		a.Status, a.Method, sum.Reason = store.AssessmentInsufficient, "none: the engine could not analyse the history", run.Failed
	case judged == 0:
		a.Status, a.Method, sum.Reason = store.AssessmentInsufficient, rep.Threat.Method, "insufficient data: no indicator could be judged from this history (each is listed with its reason)"
	default:
		a.Status, a.Level, a.Score, a.Method = store.AssessmentAssessed, string(rep.Threat.Level), rep.Threat.Score, rep.Threat.Method
		sum.CCDMTypes = rep.Threat.CCDMTypes
		for _, r := range rep.Threat.Reasons {
			sum.Reasons = append(sum.Reasons, wire.ThreatReason{Indicator: string(r.Indicator), Pattern: r.Pattern, Weight: r.Weight,
				Confidence: r.Confidence, Contribution: r.Contribution, Why: r.Why, Time: r.Time, Objects: r.Objects})
			if id, ok := ids[epochKey(string(r.Indicator), r.Pattern, r.Time)]; ok && !slices.Contains(a.IndicatorIDs, id) {
				a.IndicatorIDs = append(a.IndicatorIDs, id)
			}
		}
	}
	b, err := json.Marshal(sum)
	if err != nil {
		return res, fmt.Errorf("api: ccdm summary: %w", err)
	}
	a.Summary = string(b)
	prev, err := ct.Assessment(ctx, run.NORAD)
	if errors.Is(err, store.ErrNotFound) {
		prev = store.Assessment{} // first assessment: compared with nothing
	} else if err != nil {
		return res, err
	}
	if res.Assessment, err = ct.PutAssessment(ctx, a); err != nil {
		return res, err
	}
	if newsworthy(prev, a) {
		res.Published = true
		if err := feedEvent(ctx, tx, "ccdm", wire.KindAssessmentUpdated, toAssessmentJSON(res.Assessment)); err != nil {
			return res, err
		}
	}
	return res, nil
}

// newsworthy says whether an assessment goes on the feed: when its level
// differs from the previous one and either is above NONE, or when it is
// above NONE and rests on other indicators. Objects that stay at NONE or
// without enough data (every object of a catalog import at first) are
// stored and readable but not announced one by one; a new epoch alone
// changes nothing a subscriber acts on.
func newsworthy(prev, a store.Assessment) bool {
	rank := func(level string) int {
		switch ccdm.Level(level) {
		case ccdm.LevelLow:
			return 1
		case ccdm.LevelMedium:
			return 2
		case ccdm.LevelHigh:
			return 3
		case ccdm.LevelCritical:
			return 4
		}
		return 0 // NONE, or insufficient data ("")
	}
	was, is := rank(prev.Level), rank(a.Level)
	if was != is {
		return true
	}
	return is > 0 && !slices.Equal(prev.IndicatorIDs, a.IndicatorIDs)
}

func quantity(qs []ccdm.Quantity, name string) float64 {
	for _, q := range qs {
		if q.Name == name {
			return q.Value
		}
	}
	return 0
}

// feedEvent appends one event to a feed channel inside tx.
func feedEvent(ctx context.Context, tx store.Tx, channel, kind string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = tx.AppendFeed(ctx, store.FeedEvent{Channel: channel, Kind: kind, Payload: b})
	return err
}

// analyzeAndStore computes and stores one object's analysis in its own
// transaction (the worker's path), then wakes the feed and webhooks. audit,
// if set, adds an audit record in the same transaction.
func (s *Server) analyzeAndStore(ctx context.Context, norad int, withCatalog bool, audit func(context.Context, store.Tx) error) (ccdmResult, error) {
	run, err := s.computeCCDM(ctx, norad, withCatalog)
	if err != nil {
		return ccdmResult{}, err
	}
	now := stored(s.now())
	var res ccdmResult
	err = s.st.Update(ctx, func(tx store.Tx) error {
		var err error
		if res, err = storeCCDM(ctx, tx, run, now); err != nil {
			return err
		}
		if audit != nil {
			return audit(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return ccdmResult{}, err
	}
	if res.Published || len(res.New) > 0 || len(res.NewManeuvers) > 0 {
		s.hub.Notify()
		if s.cfg.OnEvents != nil {
			s.cfg.OnEvents()
		}
	}
	return res, nil
}

func rawJSON(s string) json.RawMessage {
	if !json.Valid([]byte(s)) {
		b, _ := json.Marshal(s)
		return b
	}
	return json.RawMessage(s)
}

func toIndicatorJSON(i store.Indicator) wire.Indicator {
	return wire.Indicator{ID: i.ID, NORAD: i.NORAD, Indicator: i.Kind, Topic: ccdm.Indicator(i.Kind).Topic(), Pattern: i.Pattern, Confidence: i.Value,
		Epoch: i.Epoch, WindowStart: i.WindowStart, WindowEnd: i.WindowEnd, Method: i.Method, Detail: rawJSON(i.Detail), CreatedAt: i.CreatedAt}
}

// toAssessmentJSON is a as the API shows it; level is null with
// insufficient data.
func toAssessmentJSON(a store.Assessment) wire.Assessment {
	out := wire.Assessment{ID: a.ID, NORAD: a.NORAD, At: a.At, Status: a.Status, Score: a.Score, IndicatorIDs: a.IndicatorIDs, WindowStart: a.WindowStart,
		WindowEnd: a.WindowEnd, SetsUsed: a.SetsUsed, Method: a.Method, Summary: rawJSON(a.Summary), CreatedAt: a.CreatedAt}
	if a.Level != "" {
		out.Level = &a.Level
	}
	if out.IndicatorIDs == nil {
		out.IndicatorIDs = []int64{}
	}
	return out
}

// ccdmKinds are the indicators the server computes (the kind filter).
var ccdmKinds = []ccdm.Indicator{ccdm.ManeuversDetected, ccdm.OrbitOOF, ccdm.StabilityChanged, ccdm.AMRChanges, ccdm.AMROOF,
	ccdm.ProximityEvents, ccdm.ObjectInUnoccupiedOrbit, ccdm.SubSatsDeployed, ccdm.UnknownDebrisSMAHigherThanParent}

func (s *Server) ccdmStore() (store.CCDMStore, error) {
	cs, ok := s.st.(store.CCDMStore)
	if !ok {
		return nil, errNoCCDMStore
	}
	return cs, nil
}

// indicatorQuery reads kind, after and limit.
func indicatorQuery(r *http.Request, norad int) (store.IndicatorQuery, error) {
	q := store.IndicatorQuery{NORAD: norad}
	after, err := intParam(r, "after", 0, 0, 1<<62)
	if err != nil {
		return q, err
	}
	if q.Limit, err = intParam(r, "limit", 100, 1, 1000); err != nil {
		return q, err
	}
	q.After = int64(after)
	if k := r.URL.Query().Get("kind"); k != "" {
		if !slices.Contains(ccdmKinds, ccdm.Indicator(k)) {
			names := make([]string, len(ccdmKinds))
			for i, c := range ccdmKinds {
				names[i] = string(c)
			}
			return q, badRequest("kind=%q: want one of %s", clipText(k), strings.Join(names, ", "))
		}
		q.Kind = k
	}
	return q, nil
}

func (s *Server) writeIndicators(w http.ResponseWriter, r *http.Request, q store.IndicatorQuery) error {
	cs, err := s.ccdmStore()
	if err != nil {
		return err
	}
	is, err := cs.Indicators(r.Context(), q)
	if err != nil {
		return err
	}
	page := wire.IndicatorPage{NORAD: q.NORAD, Indicators: make([]wire.Indicator, len(is))}
	for i, x := range is {
		page.Indicators[i] = toIndicatorJSON(x)
	}
	if len(is) == q.Limit {
		page.NextAfter = is[len(is)-1].ID
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// indicators is GET /api/v1/indicators.
func (s *Server) indicators(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	norad, err := intParam(r, "norad", 0, 0, 999_999_999)
	if err != nil {
		return err
	}
	q, err := indicatorQuery(r, norad)
	if err != nil {
		return err
	}
	return s.writeIndicators(w, r, q)
}

// objectIndicators is GET /api/v1/objects/{norad}/indicators.
func (s *Server) objectIndicators(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	norad, err := pathInt(r, "norad")
	if err != nil {
		return err
	}
	q, err := indicatorQuery(r, int(norad))
	if err != nil {
		return err
	}
	if _, err := s.st.Object(r.Context(), int(norad)); err != nil {
		return err
	}
	return s.writeIndicators(w, r, q)
}

// objectAssessment is GET /api/v1/objects/{norad}/assessment.
func (s *Server) objectAssessment(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	norad, err := pathInt(r, "norad")
	if err != nil {
		return err
	}
	cs, err := s.ccdmStore()
	if err != nil {
		return err
	}
	if _, err := s.st.Object(r.Context(), int(norad)); err != nil {
		return err
	}
	a, err := cs.Assessment(r.Context(), int(norad))
	if errors.Is(err, store.ErrNotFound) {
		return &Error{http.StatusNotFound, "not_found", fmt.Sprintf("object %d has no CCDM assessment yet (it is made after an element-set import, or by POST /api/v1/objects/%d/ccdm)", norad, norad)}
	} else if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toAssessmentJSON(a))
	return nil
}

// assessments is GET /api/v1/assessments.
func (s *Server) assessments(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	norad, after, lim, err := listParams(r)
	if err != nil {
		return err
	}
	cs, err := s.ccdmStore()
	if err != nil {
		return err
	}
	as, err := cs.Assessments(r.Context(), norad, after, lim)
	if err != nil {
		return err
	}
	page := wire.AssessmentPage{Assessments: make([]wire.Assessment, len(as))}
	for i, a := range as {
		page.Assessments[i] = toAssessmentJSON(a)
	}
	if len(as) == lim {
		page.NextAfter = as[len(as)-1].ID
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// analyzeCCDM is POST /api/v1/objects/{norad}/ccdm: the analysis on
// request, stored like the automatic one, with an audit record.
func (s *Server) analyzeCCDM(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	norad, err := pathInt(r, "norad")
	if err != nil {
		return err
	}
	var req wire.CCDMRequest
	if err := decodeOptional(r, &req); err != nil {
		return err
	}
	if _, err := s.ccdmStore(); err != nil {
		return err
	}
	run, err := s.computeCCDM(r.Context(), int(norad), req.Catalog)
	if err != nil {
		return err
	}
	now := stored(s.now())
	var published bool
	return s.commit(w, r, http.StatusOK, func(tx store.Tx) (any, error) {
		res, err := storeCCDM(r.Context(), tx, run, now)
		if err != nil {
			return nil, err
		}
		published = res.Published || len(res.New) > 0 || len(res.NewManeuvers) > 0
		body := wire.CCDMAnswer{NORAD: int(norad), Catalog: req.Catalog, CatalogObjects: run.Report.CatalogObjects, Assessment: toAssessmentJSON(res.Assessment),
			Indicators: make([]wire.Indicator, len(res.Indicators)), NewIndicatorIDs: make([]int64, len(res.New)), NewManeuvers: len(res.NewManeuvers)}
		for i, x := range res.Indicators {
			body.Indicators[i] = toIndicatorJSON(x)
		}
		for i, x := range res.New {
			body.NewIndicatorIDs[i] = x.ID
		}
		return body, auth.Audit(r.Context(), tx, now, p.Subject, "ccdm.analyze", fmt.Sprint("object:", norad),
			fmt.Sprintf("status=%s level=%s new_indicators=%d catalog=%v", res.Assessment.Status, res.Assessment.Level, len(res.New), req.Catalog))
	}, func() {
		if published {
			s.hub.Notify()
		}
	})
}

// decodeOptional decodes a JSON body that may be empty.
func decodeOptional(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	return decode(r, v)
}

// models is GET /api/v1/models.
func (s *Server) models(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	cs, err := s.ccdmStore()
	if err != nil {
		return err
	}
	ms, err := cs.Models(r.Context())
	if err != nil {
		return err
	}
	out := wire.ModelList{Models: make([]wire.Model, len(ms))}
	for i, m := range ms {
		out.Models[i] = wire.Model{ID: m.ID, Name: m.Name, Kind: m.Kind, SHA256: m.SHA256, Bytes: m.Bytes, Active: m.Active, Detail: rawJSON(m.Detail), CreatedAt: m.CreatedAt}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// SyncModels stores the metadata of every version in the model registry
// at dir (engine/onnx/registry) and returns how many; the active version
// (the one Assign gives objects outside an A/B test) is marked active.
func (s *Server) SyncModels(ctx context.Context, dir string) (int, error) {
	reg, err := registry.Open(dir)
	if err != nil {
		return 0, err
	}
	m, err := reg.Manifest()
	if err != nil {
		return 0, err
	}
	now := s.now().UTC()
	err = s.st.Update(ctx, func(tx store.Tx) error {
		ct, ok := tx.(store.CCDMTx)
		if !ok {
			return errNoCCDMStore
		}
		for _, v := range m.Versions {
			detail, err := json.Marshal(map[string]any{"file": v.File, "training": v.Training, "metrics": v.Metrics, "outcomes": v.Outcomes,
				"precision": v.Outcomes.Precision(), "recall": v.Outcomes.Recall(), "ab": m.AB})
			if err != nil {
				return err
			}
			if err := ct.PutModel(ctx, store.Model{ID: v.Kind + "/" + v.Name, Name: v.Name, Kind: v.Kind, SHA256: v.SHA256, Bytes: int64(v.Bytes),
				Active: v.Name == m.Active, Detail: string(detail), CreatedAt: v.CreatedAt}); err != nil {
				return err
			}
		}
		return auth.Audit(ctx, tx, now, "system", "models.sync", "models", fmt.Sprintf("dir=%s versions=%d active=%s", clipText(dir), len(m.Versions), m.Active))
	})
	if err != nil {
		return 0, fmt.Errorf("api: models from %s: %w", dir, err)
	}
	return len(m.Versions), nil
}
