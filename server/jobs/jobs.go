// Package jobs runs screening jobs in the background: one worker goroutine
// owned by the Runner, progress and results written to the store, events
// published to the jobs and conjunctions feeds.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/astroshield/astroshield/engine/collision"
	"github.com/astroshield/astroshield/engine/conjunction"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/server/catalog"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/telemetry"
	"go.opentelemetry.io/otel/attribute"
)

// Params are a screening job's inputs.
type Params struct {
	Start       time.Time `json:"start"`
	Hours       float64   `json:"hours"`
	ThresholdKm float64   `json:"threshold_km"`
	Primaries   []int     `json:"primaries,omitempty"`
	HBRM        float64   `json:"hbr_m,omitempty"` // combined hard-body radius for Pc (default 10 m)
}

// MaxPrimaries is the most primaries a job may list (more: screen all vs all).
const MaxPrimaries = 1000

// ErrParams is wrapped by Validate errors.
var ErrParams = errors.New("jobs: invalid screening parameters")

// Validate checks p.
func (p *Params) Validate() error {
	switch {
	case p.Start.IsZero():
		return fmt.Errorf("%w: start is required (RFC3339)", ErrParams)
	case !(p.Hours > 0) || p.Hours > conjunction.MaxSpan.Hours():
		return fmt.Errorf("%w: hours must be in (0, %g]", ErrParams, conjunction.MaxSpan.Hours())
	case !(p.ThresholdKm > 0) || p.ThresholdKm > 100:
		return fmt.Errorf("%w: threshold_km must be in (0, 100]", ErrParams)
	case p.HBRM < 0 || p.HBRM > 1000:
		return fmt.Errorf("%w: hbr_m must be in [0, 1000]", ErrParams)
	case len(p.Primaries) > MaxPrimaries:
		return fmt.Errorf("%w: at most %d primaries", ErrParams, MaxPrimaries)
	}
	return nil
}

// Runner owns the worker goroutine that executes jobs in order.
type Runner struct {
	st      store.Store
	log     *slog.Logger
	publish func() // called after events are committed

	queue chan string
	mu    sync.Mutex
	live  map[string]context.CancelFunc
	wg    sync.WaitGroup

	// Durations holds the seconds each finished job took (for metrics).
	Durations func(seconds float64, state string)
}

// NewRunner returns a runner; Start begins work.
func NewRunner(st store.Store, log *slog.Logger, publish func()) *Runner {
	return &Runner{st: st, log: log, publish: publish, queue: make(chan string, 1024), live: map[string]context.CancelFunc{}}
}

// QueueDepth is the number of jobs waiting.
func (r *Runner) QueueDepth() int { return len(r.queue) }

// Start marks jobs interrupted by a previous stop as failed, requeues queued
// ones and runs the worker until ctx ends; Wait waits for it.
func (r *Runner) Start(ctx context.Context) error {
	old, err := r.st.Jobs(ctx, "", 1000)
	if err != nil {
		return err
	}
	for i := len(old) - 1; i >= 0; i-- {
		j := old[i]
		switch j.State {
		case store.JobRunning:
			j.State, j.Error, j.UpdatedAt, j.FinishedAt = store.JobFailed, "interrupted by a server restart", time.Now().UTC(), time.Now().UTC()
			if err := r.finish(ctx, j, nil); err != nil {
				return err
			}
		case store.JobQueued:
			r.queue <- j.ID
		}
	}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case id := <-r.queue:
				r.run(ctx, id)
			}
		}
	}()
	return nil
}

// Wait blocks until the worker has stopped.
func (r *Runner) Wait() { r.wg.Wait() }

// Submit queues a job that the caller has stored.
func (r *Runner) Submit(id string) error {
	select {
	case r.queue <- id:
		return nil
	default:
		return errors.New("jobs: queue full")
	}
}

// Cancel stops a running job or marks a queued one cancelled.
func (r *Runner) Cancel(ctx context.Context, id string) error {
	r.mu.Lock()
	cancel := r.live[id]
	r.mu.Unlock()
	if cancel != nil {
		cancel()
		return nil
	}
	return r.st.Update(ctx, func(tx store.Tx) error {
		j, err := tx.Job(ctx, id)
		if err != nil {
			return err
		}
		if j.State != store.JobQueued {
			return nil
		}
		j.State, j.UpdatedAt, j.FinishedAt = store.JobCancelled, time.Now().UTC(), time.Now().UTC()
		if err := tx.UpdateJob(ctx, j); err != nil {
			return err
		}
		return jobEvent(ctx, tx, j)
	})
}

func jobEvent(ctx context.Context, tx store.Tx, j store.Job) error {
	b, _ := json.Marshal(map[string]any{"id": j.ID, "state": j.State, "progress": j.Progress, "events": j.Events, "error": j.Error})
	_, err := tx.AppendFeed(ctx, store.FeedEvent{Channel: "jobs", Kind: "job." + j.State, Payload: b})
	return err
}

func (r *Runner) run(parent context.Context, id string) {
	j, err := r.st.Job(parent, id)
	if err != nil || j.State != store.JobQueued {
		return
	}
	ctx, span := telemetry.StartSpan(parent, "screening job", attribute.String("job", id))
	defer span.End()
	ctx, cancel := context.WithCancel(ctx)
	r.mu.Lock()
	r.live[id] = cancel
	r.mu.Unlock()
	defer func() {
		r.mu.Lock()
		delete(r.live, id)
		r.mu.Unlock()
		cancel()
	}()
	began := time.Now()
	j.State, j.UpdatedAt = store.JobRunning, time.Now().UTC()
	if err := r.finish(parent, j, nil); err != nil {
		r.log.Error("job start", "job", id, "err", err)
		return
	}
	events, err := r.screen(ctx, &j)
	if err != nil {
		span.RecordError(err)
	}
	now := time.Now().UTC()
	j.UpdatedAt, j.FinishedAt = now, now
	switch {
	case err == nil:
		j.State, j.Progress, j.Events = store.JobDone, 1, len(events)
	case errors.Is(err, context.Canceled) && parent.Err() == nil:
		j.State, events = store.JobCancelled, nil
	case parent.Err() != nil:
		return // server stopping: Start marks it interrupted next time
	default:
		j.State, j.Error, events = store.JobFailed, err.Error(), nil
	}
	if err := r.finish(parent, j, events); err != nil {
		r.log.Error("job finish", "job", id, "err", err)
	}
	span.SetAttributes(attribute.String("state", j.State), attribute.Int("events", j.Events))
	if r.Durations != nil {
		r.Durations(time.Since(began).Seconds(), j.State)
	}
	r.log.Info("job finished", "job", id, "state", j.State, "events", j.Events, "seconds", time.Since(began).Seconds())
}

// finish stores the job's state and its conjunctions in one transaction.
func (r *Runner) finish(ctx context.Context, j store.Job, events []store.Conjunction) error {
	err := r.st.Update(ctx, func(tx store.Tx) error {
		if err := tx.UpdateJob(ctx, j); err != nil {
			return err
		}
		for _, c := range events {
			c, err := tx.UpsertConjunction(ctx, c, "job:"+j.ID)
			if err != nil {
				return err
			}
			b, _ := json.Marshal(map[string]any{"id": c.ID, "norad_1": c.Norad1, "norad_2": c.Norad2, "tca": c.TCA,
				"miss_km": c.MissDistanceKm, "rel_speed_km_s": c.RelativeSpeedKmS, "pc": c.Pc, "job_id": j.ID})
			if _, err := tx.AppendFeed(ctx, store.FeedEvent{Channel: "conjunctions", Kind: "conjunction.updated", Payload: b}); err != nil {
				return err
			}
		}
		return jobEvent(ctx, tx, j)
	})
	if err == nil && r.publish != nil {
		r.publish()
	}
	return err
}

func (r *Runner) screen(ctx context.Context, j *store.Job) ([]store.Conjunction, error) {
	var p Params
	if err := json.Unmarshal([]byte(j.Params), &p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrParams, err)
	}
	recs, err := r.st.LatestElementSets(ctx, nil)
	if err != nil {
		return nil, err
	}
	sets := make([]gp.ElementSet, 0, len(recs))
	for _, rec := range recs {
		o, err := r.st.Object(ctx, rec.NORAD)
		if err != nil {
			return nil, err
		}
		e, err := catalog.Parse(rec, o.Name)
		if err != nil {
			return nil, err
		}
		sets = append(sets, e)
	}
	if len(sets) < 2 {
		return nil, errors.New("jobs: fewer than two objects in the catalog: import element sets first")
	}
	var lastWrite time.Time
	opt := conjunction.Options{
		Start: p.Start.UTC(), Span: time.Duration(p.Hours * float64(time.Hour)), ThresholdKm: p.ThresholdKm, Primaries: p.Primaries,
		Workers: 1,
		Progress: func(stage string, done, total int) {
			if time.Since(lastWrite) < time.Second || total == 0 {
				return
			}
			lastWrite = time.Now()
			j.Stage, j.Progress, j.UpdatedAt = stage, float64(done)/float64(total), time.Now().UTC()
			jj := *j
			if err := r.st.Update(ctx, func(tx store.Tx) error { return tx.UpdateJob(ctx, jj) }); err != nil && ctx.Err() == nil {
				r.log.Warn("job progress", "job", j.ID, "err", err)
			}
		},
	}
	res, err := conjunction.Screen(ctx, sets, opt)
	if err != nil {
		return nil, err
	}
	hbr := p.HBRM
	if hbr == 0 {
		hbr = 10
	}
	now := time.Now().UTC()
	out := make([]store.Conjunction, 0, len(res.Events))
	for _, ev := range res.Events {
		c1, c2 := collision.DefaultCovarianceTLE(ev.ElementAge1), collision.DefaultCovarianceTLE(ev.ElementAge2)
		pc, err := collision.Compute(collision.Request{
			Primary:         collision.Object{PositionKm: ev.State1.RTEMEKm, VelocityKmS: ev.State1.VTEMEKmS, Covariance: &c1},
			Secondary:       collision.Object{PositionKm: ev.State2.RTEMEKm, VelocityKmS: ev.State2.VTEMEKmS, Covariance: &c2},
			HardBodyRadiusM: hbr,
			Methods:         []collision.Method{collision.MethodFoster},
		})
		if err != nil {
			return nil, fmt.Errorf("pc for %d × %d: %w", ev.Norad1, ev.Norad2, err)
		}
		out = append(out, store.Conjunction{Norad1: ev.Norad1, Norad2: ev.Norad2, TCA: ev.TCA, MissDistanceKm: ev.MissDistanceKm,
			RelativeSpeedKmS: ev.RelativeSpeedKmS, Pc: pc[0].Pc, JobID: j.ID, UpdatedAt: now})
	}
	return out, nil
}
