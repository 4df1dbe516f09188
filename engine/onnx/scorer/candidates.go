package scorer

import (
	"errors"
	"math"
	"slices"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
)

// candidates are the statistical detector's events at a low threshold,
// with one feature row each.
type candidates struct {
	s   Series
	res maneuver.Result
	X   []float32 // row-major [len(res.Events)][NumFeatures]
}

func (c *candidates) row(i int) []float32 { return c.X[i*NumFeatures : (i+1)*NumFeatures] }

// findCandidates runs maneuver.Detect with Threshold z and builds the
// feature row of every event: the boundary features of the boundary the
// event's jump lies on (the one ending at its AfterEpoch) and features of
// the event itself.
func findCandidates(history []gp.ElementSet, z float64) (candidates, error) {
	var c candidates
	cfg := maneuver.DefaultConfig()
	cfg.Threshold = z
	res, err := maneuver.Detect(history, cfg)
	if err != nil {
		return c, err
	}
	c.res = res
	s, err := Features(history)
	c.s = s
	if errors.Is(err, ErrInsufficientData) {
		c.res.Events = nil
		if res.Status == maneuver.StatusOK {
			c.res.Status = maneuver.StatusInsufficientData
			c.res.Notes = append(c.res.Notes, err.Error())
		}
		return c, nil
	}
	if err != nil {
		return c, err
	}
	c.X = make([]float32, 0, len(res.Events)*NumFeatures)
	for _, e := range res.Events {
		b := boundaryAt(s.Boundaries, e.AfterEpoch)
		c.X = append(c.X, s.Row(b)...)
		best := 0.0
		for _, ev := range e.Evidence {
			if !math.IsInf(ev.Score, 0) && !math.IsNaN(ev.Score) {
				best = math.Max(best, ev.Score)
			}
		}
		span := e.AfterEpoch.Sub(e.BeforeEpoch)
		absorb := e.FullEpoch.Sub(e.BeforeEpoch)
		ratio := 0.0
		if span > 0 && absorb > 0 {
			ratio = math.Log(float64(absorb) / float64(span))
		}
		c.X = append(c.X,
			float32(math.Log1p(best)),
			float32(math.Log10(1e-4+math.Abs(e.DeltaVMS))),
			float32(e.Confidence),
			float32(len(e.Evidence)),
			float32(math.Log10(1+1000*math.Abs(e.DeltaSMAKm))),
			float32(ratio))
	}
	return c, nil
}

// boundaryAt is the index of the boundary whose After epoch is closest to t.
func boundaryAt(bs []Boundary, t time.Time) int {
	i, _ := slices.BinarySearchFunc(bs, t, func(b Boundary, t time.Time) int { return b.After.Compare(t) })
	switch {
	case i >= len(bs):
		return len(bs) - 1
	case i > 0 && t.Sub(bs[i-1].After) < bs[i].After.Sub(t):
		return i - 1
	}
	return i
}
