package conjunction

import (
	"context"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/sgp4"
)

// refEvent is one close approach found by the brute-force reference.
type refEvent struct {
	n1, n2 int
	tcaS   float64 // seconds after the window start
	missKm float64
}

// subset returns up to n element sets whose name starts with prefix, taken
// in catalog order, that SGP4 propagates without error (and within 50,000
// km) every minute of the window.
func subset(tb testing.TB, sets []gp.ElementSet, prefix string, n int, start time.Time, spanS float64) []gp.ElementSet {
	tb.Helper()
	var out []gp.ElementSet
	for _, e := range sets {
		if len(out) == n {
			break
		}
		if !strings.HasPrefix(e.Name, prefix) {
			continue
		}
		sat, err := sgp4.New(e)
		if err != nil {
			continue
		}
		off := sgp4.TsinceMin(sat.Epoch(), start)
		good := true
		for t := 0.0; t <= spanS+60 && good; t += 60 {
			r, _, err := sat.Propagate(off + t/60)
			good = err == nil && norm(r) < 50000
		}
		if good {
			out = append(out, e)
		}
	}
	return out
}

// bruteForce is the reference the screener is held to: every pair, SGP4
// states every stepS seconds, and each sign change of the sampled range
// rate from negative to non-negative, where the samples allow the distance
// to reach thrKm, refined by bisection on SGP4 to 1e-7 s. It shares no code
// with the screener but the vector helpers.
func bruteForce(tb testing.TB, sets []gp.ElementSet, start time.Time, spanS, stepS, thrKm float64) []refEvent {
	tb.Helper()
	n := len(sets)
	sats := make([]*sgp4.Satellite, n)
	offs := make([]float64, n)
	for i, e := range sets {
		s, err := sgp4.New(e)
		if err != nil {
			tb.Fatalf("reference: %d: %v", e.CatalogNumber, err)
		}
		sats[i], offs[i] = s, sgp4.TsinceMin(s.Epoch(), start)
	}
	st := func(i int, t float64) (vec, vec) {
		r, v, err := sats[i].Propagate(offs[i] + t/60)
		if err != nil {
			tb.Fatalf("reference: %d at %g s: %v", sets[i].CatalogNumber, t, err)
		}
		return r, v
	}
	rangeRate := func(i, j int, t float64) float64 {
		ri, vi := st(i, t)
		rj, vj := st(j, t)
		return dot(sub(rj, ri), sub(vj, vi))
	}
	refine := func(i, j int, a, b float64) (refEvent, bool) {
		for b-a > 1e-7 {
			m := 0.5 * (a + b)
			if rangeRate(i, j, m) < 0 {
				a = m
			} else {
				b = m
			}
		}
		tca := b
		ri, _ := st(i, tca)
		rj, _ := st(j, tca)
		miss := norm(sub(rj, ri))
		if miss > thrKm || tca <= 0 {
			return refEvent{}, false
		}
		n1, n2 := sets[i].CatalogNumber, sets[j].CatalogNumber
		if n1 > n2 {
			n1, n2 = n2, n1
		}
		return refEvent{n1, n2, tca, miss}, true
	}

	nSteps := int(math.Ceil(spanS/stepS - 1e-9))
	// Per pair: the previous sample's range rate, squared distance and
	// squared relative speed.
	type prevSample struct{ f, d2, w2 float64 }
	prev := make([]prevSample, n*n)
	var out []refEvent
	const chunk = 720
	pos := make([][]vec, n)
	vel := make([][]vec, n)
	for i := range n {
		pos[i] = make([]vec, chunk)
		vel[i] = make([]vec, chunk)
	}
	for k0 := 0; k0 <= nSteps; k0 += chunk {
		k1 := min(k0+chunk, nSteps+1)
		m := k1 - k0
		for i := range n {
			for k := k0; k < k1; k++ {
				pos[i][k-k0], vel[i][k-k0] = st(i, math.Min(float64(k)*stepS, spanS))
			}
		}
		for i := range n {
			pi, vi := pos[i][:m], vel[i][:m]
			for j := i + 1; j < n; j++ {
				p := &prev[i*n+j]
				pj, vj := pos[j][:m], vel[j][:m]
				for kk := range m {
					dx, dy, dz := pj[kk][0]-pi[kk][0], pj[kk][1]-pi[kk][1], pj[kk][2]-pi[kk][2]
					ux, uy, uz := vj[kk][0]-vi[kk][0], vj[kk][1]-vi[kk][1], vj[kk][2]-vi[kk][2]
					f := dx*ux + dy*uy + dz*uz
					d2 := dx*dx + dy*dy + dz*dz
					w2 := ux*ux + uy*uy + uz*uz
					if k := k0 + kk; k > 0 && p.f < 0 && f >= 0 {
						reach := thrKm + math.Sqrt(max(p.w2, w2))*stepS + 1
						if min(p.d2, d2) <= reach*reach {
							if e, ok := refine(i, j, math.Min(float64(k-1)*stepS, spanS), math.Min(float64(k)*stepS, spanS)); ok {
								out = append(out, e)
							}
						}
					}
					*p = prevSample{f, d2, w2}
				}
			}
		}
	}
	return out
}

// TestScreenMatchesBruteForce is the completeness test: on dense subsets
// of the real 2022 catalog the screener must find every close approach the
// brute-force reference finds, each within 1 m and 1 ms.
func TestScreenMatchesBruteForce(t *testing.T) {
	if testing.Short() {
		t.Skip("brute-force reference takes tens of seconds")
	}
	sets := loadCatalog(t)
	const spanS = 86400.0
	cases := []struct {
		name      string
		prefix    string
		n         int
		thrKm     float64
		stepS     float64
		minEvents int
		tolMissKm float64
		tolTCAS   float64
	}{
		// A breakup cloud eight months on: crossing encounters at all speeds.
		{"cosmos-1408-cloud", "COSMOS 1408 DEB", 300, 20, 5, 50, 1e-3, 1e-3},
		// One constellation: many slow, nearly co-orbital encounters.
		{"starlink", "STARLINK", 300, 20, 5, 50, 1e-3, 1e-3},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sub := subset(t, sets, c.prefix, c.n, catalogStart, spanS)
			if len(sub) < c.n {
				t.Fatalf("only %d usable %q objects, want %d", len(sub), c.prefix, c.n)
			}
			t0 := time.Now()
			ref := bruteForce(t, sub, catalogStart, spanS, c.stepS, c.thrKm)
			tRef := time.Since(t0)
			t0 = time.Now()
			res, err := Screen(context.Background(), sub, Options{Start: catalogStart,
				Span: time.Duration(spanS) * time.Second, ThresholdKm: c.thrKm})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("reference %d events in %v; screener %d events in %v", len(ref), tRef, len(res.Events), time.Since(t0))
			if len(res.Failures) != 0 {
				t.Errorf("failures on a clean subset: %v", res.Failures)
			}
			if len(ref) < c.minEvents {
				t.Fatalf("reference found %d events, want at least %d: the comparison would be vacuous", len(ref), c.minEvents)
			}
			type key struct{ n1, n2 int }
			got := make(map[key][]Event)
			for _, e := range res.Events {
				k := key{e.Norad1, e.Norad2}
				got[k] = append(got[k], e)
			}
			type at struct {
				k key
				i int
			}
			matched := make(map[at]bool)
			worstT, worstM := 0.0, 0.0
			for _, r := range ref {
				k := key{r.n1, r.n2}
				best, bestDT := -1, math.Inf(1)
				for i, e := range got[k] {
					if dt := math.Abs(e.TCA.Sub(catalogStart).Seconds() - r.tcaS); dt < bestDT {
						best, bestDT = i, dt
					}
				}
				if best < 0 || bestDT > c.tolTCAS {
					t.Errorf("missed: %d-%d TCA %s miss %.4f km", r.n1, r.n2,
						catalogStart.Add(time.Duration(r.tcaS*1e9)).Format(time.RFC3339Nano), r.missKm)
					continue
				}
				matched[at{k, best}] = true
				e := got[k][best]
				dm := math.Abs(e.MissDistanceKm - r.missKm)
				worstT, worstM = max(worstT, bestDT), max(worstM, dm)
				if dm > c.tolMissKm {
					t.Errorf("%d-%d at %s: miss %.6f km, reference %.6f km", r.n1, r.n2, e.TCA, e.MissDistanceKm, r.missKm)
				}
			}
			t.Logf("compared %d events: worst |ΔTCA| %.3g s, worst |Δmiss| %.3g km", len(ref), worstT, worstM)
			var extra []Event
			for k, evs := range got {
				for i, e := range evs {
					if !matched[at{k, i}] {
						extra = append(extra, e)
					}
				}
			}
			sort.Slice(extra, func(a, b int) bool { return extra[a].TCA.Before(extra[b].TCA) })
			// Two minima within one reference step would be a legitimate
			// screener-only event; none occur on these subsets, so any
			// extra is a bug in one of the two.
			for _, e := range extra {
				t.Errorf("screener-only event: %d-%d %s miss %.4f km rel %.4f km/s", e.Norad1, e.Norad2,
					e.TCA.Format(time.RFC3339Nano), e.MissDistanceKm, e.RelativeSpeedKmS)
			}
		})
	}
}
