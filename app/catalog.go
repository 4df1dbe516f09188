package app

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
	"github.com/astroshield/astroshield/engine/sgp4"
	"github.com/astroshield/astroshield/engine/tle"
	"github.com/astroshield/astroshield/render"
)

// Object is one catalogued object as the client shows it.
type Object struct {
	Set     gp.ElementSet
	Sat     *sgp4.Satellite // nil when SGP4 initialisation failed (InitErr)
	InitErr error
	Kind    render.Kind
	Regime  maneuver.Regime
}

// Label is the object's name and NORAD number, e.g. "ISS (ZARYA) 25544".
func (o *Object) Label() string {
	name := o.Set.Name
	if name == "" {
		name = "(unnamed)"
	}
	return fmt.Sprintf("%s %s", name, NoradString(o.Set.CatalogNumber))
}

// NoradString writes a catalog number the way TLEs do: Alpha-5 for
// 100000..339999, plain digits otherwise.
func NoradString(n int) string {
	if n >= 100000 && n <= 339999 {
		if s, err := tle.EncodeAlpha5(n); err == nil {
			return fmt.Sprintf("%s (%d)", s, n)
		}
	}
	return strconv.Itoa(n)
}

// Catalog is the set of objects loaded in the client, in file order (the
// order of the renderer's keyframes).
type Catalog struct {
	Objects    []Object
	Source     string    // file path or server URL
	LoadedAt   time.Time // wall clock
	RecordErrs error     // records of the source that could not be read
	byNorad    map[int]int
}

// NewCatalog initialises SGP4 for every element set (in parallel) and
// classifies each object.
func NewCatalog(sets []gp.ElementSet, source string) *Catalog {
	c := &Catalog{Objects: make([]Object, len(sets)), Source: source, LoadedAt: time.Now(), byNorad: make(map[int]int, len(sets))}
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; i < len(sets); i += workers {
				o := &c.Objects[i]
				o.Set = sets[i]
				o.Sat, o.InitErr = sgp4.New(sets[i])
				o.Kind = KindFromName(sets[i].Name)
				o.Regime = maneuver.ClassifyRegime(sets[i].MeanMotionRevPerDay, sets[i].Eccentricity)
			}
		}(w)
	}
	wg.Wait()
	for i := range c.Objects {
		c.byNorad[c.Objects[i].Set.CatalogNumber] = i
	}
	return c
}

// Len is the number of objects.
func (c *Catalog) Len() int {
	if c == nil {
		return 0
	}
	return len(c.Objects)
}

// ByNorad finds an object by catalog number.
func (c *Catalog) ByNorad(n int) (int, bool) {
	if c == nil {
		return 0, false
	}
	i, ok := c.byNorad[n]
	return i, ok
}

// NewestEpoch is the latest element-set epoch (zero for an empty catalog);
// data age is measured from it.
func (c *Catalog) NewestEpoch() time.Time {
	var t time.Time
	for i := range c.Objects {
		if c.Objects[i].Set.Epoch.After(t) {
			t = c.Objects[i].Set.Epoch
		}
	}
	return t
}

// MedianEpoch is the median element-set epoch: the natural time to show an
// old catalog at.
func (c *Catalog) MedianEpoch() time.Time {
	if c.Len() == 0 {
		return time.Time{}
	}
	ts := make([]int64, len(c.Objects))
	for i := range c.Objects {
		ts[i] = c.Objects[i].Set.Epoch.UnixNano()
	}
	sort.Slice(ts, func(a, b int) bool { return ts[a] < ts[b] })
	return time.Unix(0, ts[len(ts)/2]).UTC()
}

// KindFromName classifies an object from its catalog name the way SATCAT
// names encode it: "R/B" rocket bodies, "DEB" debris, "TBA"/"OBJECT x"/no
// name unknown, everything else a payload.
func KindFromName(name string) render.Kind {
	n := strings.ToUpper(strings.TrimSpace(name))
	switch {
	case n == "", strings.HasPrefix(n, "TBA"), strings.HasPrefix(n, "OBJECT "), n == "UNKNOWN":
		return render.KindUnknown
	case strings.Contains(n, "R/B") || strings.Contains(n, "ROCKET BODY") || strings.HasSuffix(n, " AKM") || strings.HasSuffix(n, " PKM"):
		return render.KindRocketBody
	case strings.Contains(n, " DEB") || strings.HasPrefix(n, "DEB") || strings.Contains(n, "DEBRIS") || strings.Contains(n, "COOLANT") || strings.Contains(n, "FRAGMENT"):
		return render.KindDebris
	}
	return render.KindPayload
}

// Search finds objects by NORAD number (digits or Alpha-5, exact), COSPAR
// designator ("1998-067A" or TLE form "98067A", prefix) or name (case-
// insensitive substring; names starting with the query first). At most limit
// indices are returned (all when limit <= 0).
func (c *Catalog) Search(query string, limit int) []int {
	q := strings.ToUpper(strings.TrimSpace(query))
	if q == "" || c.Len() == 0 {
		return nil
	}
	var out []int
	add := func(i int) bool {
		out = append(out, i)
		return limit > 0 && len(out) >= limit
	}
	seen := map[int]bool{}
	if n, err := strconv.Atoi(q); err == nil {
		if i, ok := c.byNorad[n]; ok {
			seen[i] = true
			if add(i) {
				return out
			}
		}
	} else if len(q) == 5 && q[0] >= 'A' && q[0] <= 'Z' {
		if n, err := tle.DecodeAlpha5(q); err == nil {
			if i, ok := c.byNorad[n]; ok {
				seen[i] = true
				if add(i) {
					return out
				}
			}
		}
	}
	desig := q
	if d := ccsds.TLEDesignator(q); d != "" {
		desig = d
	} else if len(q) == 8 && q[4] == '-' { // "1998-067" with no piece letter
		desig = q[2:4] + q[5:]
	}
	if len(desig) >= 5 && desig[0] >= '0' && desig[0] <= '9' {
		for i := range c.Objects {
			if !seen[i] && strings.HasPrefix(c.Objects[i].Set.IntlDesignator, desig) {
				seen[i] = true
				if add(i) {
					return out
				}
			}
		}
	}
	var later []int
	for i := range c.Objects {
		if seen[i] {
			continue
		}
		name := strings.ToUpper(c.Objects[i].Set.Name)
		switch {
		case strings.HasPrefix(name, q):
			if add(i) {
				return out
			}
		case strings.Contains(name, q):
			later = append(later, i)
		}
	}
	for _, i := range later {
		if add(i) {
			return out
		}
	}
	return out
}

// PropagateKeyframes propagates every object at ta and tb (TEME) into k,
// reusing k's slices when they are large enough. Objects that fail at
// either time, or have no Satellite, become render.KindHidden. Work is split
// over workers goroutines (GOMAXPROCS when <= 0) that the call owns; ctx
// cancels between chunks.
func PropagateKeyframes(ctx context.Context, c *Catalog, ta, tb time.Time, k *render.Keyframes, workers int) error {
	n := c.Len()
	grow := func(s []float32) []float32 {
		if cap(s) < 3*n {
			return make([]float32, 3*n)
		}
		return s[:3*n]
	}
	k.PosAKm, k.VelAKmS, k.PosBKm, k.VelBKmS = grow(k.PosAKm), grow(k.VelAKmS), grow(k.PosBKm), grow(k.VelBKmS)
	if cap(k.Kinds) < n {
		k.Kinds = make([]render.Kind, n)
	}
	k.Kinds = k.Kinds[:n]
	k.TA, k.TB = ta, tb
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	const chunk = 256
	var next int64
	var mu sync.Mutex
	take := func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		lo := int(next)
		next += chunk
		return lo, min(lo+chunk, n)
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				lo, hi := take()
				if lo >= n || ctx.Err() != nil {
					return
				}
				for i := lo; i < hi; i++ {
					o := &c.Objects[i]
					kind := o.Kind
					if o.Sat == nil {
						kind = render.KindHidden
					} else {
						ra, va, errA := o.Sat.At(ta)
						rb, vb, errB := o.Sat.At(tb)
						if errA != nil || errB != nil {
							kind = render.KindHidden
						}
						for j := 0; j < 3; j++ {
							k.PosAKm[3*i+j], k.VelAKmS[3*i+j] = float32(ra[j]), float32(va[j])
							k.PosBKm[3*i+j], k.VelBKmS[3*i+j] = float32(rb[j]), float32(vb[j])
						}
					}
					k.Kinds[i] = kind
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
