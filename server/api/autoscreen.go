package api

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/astroshield/astroshield/server/jobs"
	"github.com/astroshield/astroshield/server/store"
)

// Screening after imports: the pipeline stage "new element sets →
// screening of the affected objects → Pc → conjunction events", on when
// Config.ScreenOnImport.Hours > 0 (serve --screen-on-import). Imports
// arriving within ScreenOnImport.Debounce of each other (a catalog refresh
// in pages, a burst of uploads) become one screening job: the union of their
// affected objects as primaries against the whole stored catalog (all vs
// all past jobs.MaxPrimaries objects), for Hours at ThresholdKm, starting
// (truncated to the minute)
//   - now, for live data: the newest imported epoch is within LiveWindow
//     of the server's clock;
//   - otherwise at the median epoch of the imported sets: a historical
//     import is screened where its data is (the median, so that one odd
//     epoch does not move the window).
// The job is an
// ordinary screening job owned by AutoScreenOwner: it shows in
// GET /api/v1/screenings for admins, reports progress on the jobs channel,
// and its events go to the conjunctions channel and webhooks.

// AutoScreenOwner owns the screening jobs that imports start.
const AutoScreenOwner = "system:screen-on-import"

// LiveWindow: an import whose newest epoch is this recent is live data,
// screened from now.
const LiveWindow = 3 * 24 * time.Hour

// ScreenOnImport configures screening after imports (zero Hours: off).
type ScreenOnImport struct {
	Hours       float64       // screening span from its start (the rule above)
	ThresholdKm float64       // miss-distance threshold (default 5 km)
	HBRM        float64       // combined hard-body radius for Pc (0: the jobs default)
	Debounce    time.Duration // imports closer than this share one job (default 2 s)
}

// autoScreen collects the objects imports affected until the debounce
// timer fires. Its timer goroutine is owned by the Server: RunScreenOnImport
// waits for and stops it.
type autoScreen struct {
	mu     sync.Mutex
	norads map[int]bool
	newest time.Time     // newest imported epoch of the batch
	median time.Time     // latest of the imports' median epochs
	fire   chan struct{} // one pending signal: the debounce elapsed (made by New)
	timer  *time.Timer
}

// queueScreening adds an import's affected objects and epochs.
func (s *Server) queueScreening(res ImportResult) {
	cfg := s.cfg.ScreenOnImport
	if cfg.Hours <= 0 || s.jobs == nil || len(res.Affected) == 0 {
		return
	}
	q := &s.screen
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.norads == nil {
		q.norads = map[int]bool{}
	}
	for _, n := range res.Affected {
		q.norads[n] = true
	}
	if res.NewestEpoch.After(q.newest) {
		q.newest = res.NewestEpoch
	}
	if res.MedianEpoch.After(q.median) {
		q.median = res.MedianEpoch
	}
	d := cfg.Debounce
	if d <= 0 {
		d = 2 * time.Second
	}
	if q.timer == nil {
		q.timer = time.AfterFunc(d, func() {
			select {
			case q.fire <- struct{}{}:
			default:
			}
		})
	} else {
		q.timer.Reset(d)
	}
}

// take empties the collected set: the sorted objects and the screening
// start (see the rule above).
func (q *autoScreen) take(now time.Time) ([]int, time.Time) {
	q.mu.Lock()
	defer q.mu.Unlock()
	norads := make([]int, 0, len(q.norads))
	for n := range q.norads {
		norads = append(norads, n)
	}
	slices.Sort(norads)
	start := q.median
	if now.Sub(q.newest) <= LiveWindow {
		start = now
	}
	q.norads, q.newest, q.median = nil, time.Time{}, time.Time{}
	return norads, start.UTC().Truncate(time.Minute)
}

// RunScreenOnImport starts the screening jobs imports ask for until ctx
// ends. It does nothing when screening on import is off.
func (s *Server) RunScreenOnImport(ctx context.Context) {
	if s.cfg.ScreenOnImport.Hours <= 0 || s.jobs == nil {
		return
	}
	defer func() {
		s.screen.mu.Lock()
		if s.screen.timer != nil {
			s.screen.timer.Stop()
		}
		s.screen.mu.Unlock()
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-s.screen.fire:
		}
		norads, start := s.screen.take(s.now())
		if len(norads) == 0 {
			continue
		}
		id, err := s.startImportScreening(ctx, norads, start)
		if err != nil {
			if ctx.Err() == nil {
				s.log.Error("screening after import", "objects", len(norads), "err", err)
			}
			continue
		}
		s.log.Info("screening after import queued", "job", id, "objects", len(norads), "start", start)
	}
}

// startImportScreening stores and submits the job for one batch.
func (s *Server) startImportScreening(ctx context.Context, norads []int, start time.Time) (string, error) {
	cfg := s.cfg.ScreenOnImport
	p := jobs.Params{Start: start, Hours: cfg.Hours, ThresholdKm: cfg.ThresholdKm, HBRM: cfg.HBRM}
	if p.ThresholdKm <= 0 {
		p.ThresholdKm = 5
	}
	if len(norads) <= jobs.MaxPrimaries {
		p.Primaries = norads
	}
	if err := p.Validate(); err != nil {
		return "", err
	}
	j := s.newScreeningJob(AutoScreenOwner, p)
	if err := s.st.Update(ctx, func(tx store.Tx) error { return createJobTx(ctx, tx, j) }); err != nil {
		return "", err
	}
	return j.ID, s.jobs.Submit(j.ID)
}
