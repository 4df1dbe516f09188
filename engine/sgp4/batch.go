package sgp4

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// State is one batch result: TEME position (km) and velocity (km/s), or a
// non-zero Err with zero vectors.
type State struct {
	RTEMEKm, VTEMEKmS [3]float64
	Err               ErrorCode
}

// batchChunk is how many satellites one goroutine takes at a time.
const batchChunk = 64

// PropagateBatch propagates every satellite to every time since its own epoch
// (minutes) and writes out row-major: out[i*len(tsinceMin)+k] is sats[i] at
// tsinceMin[k]. Satellites are handed out in chunks to workers goroutines
// (runtime.GOMAXPROCS(0) when workers <= 0) that the call owns and waits for;
// ctx is checked before each chunk, and its error is returned if it ends the
// work early (out is then partly written). A nil satellite gives CodeInvalid
// rows. It errors if len(out) != len(sats)*len(tsinceMin).
func PropagateBatch(ctx context.Context, sats []*Satellite, tsinceMin []float64, out []State, workers int) error {
	if ctx == nil {
		ctx = context.Background()
	}
	nt := len(tsinceMin)
	if len(out) != len(sats)*nt {
		return fmt.Errorf("sgp4: PropagateBatch: len(out) = %d, want len(sats)*len(tsinceMin) = %d*%d",
			len(out), len(sats), nt)
	}
	if len(out) == 0 {
		return ctx.Err()
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	nchunks := (len(sats) + batchChunk - 1) / batchChunk
	workers = min(workers, nchunks)

	run := func(chunk int) {
		lo := chunk * batchChunk
		hi := min(lo+batchChunk, len(sats))
		for i := lo; i < hi; i++ {
			propagateRow(sats[i], tsinceMin, out[i*nt:(i+1)*nt])
		}
	}
	if workers == 1 {
		for c := range nchunks {
			if err := ctx.Err(); err != nil {
				return err
			}
			run(c)
		}
		return nil
	}

	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		next int
	)
	take := func() (int, bool) {
		mu.Lock()
		defer mu.Unlock()
		if next >= nchunks || ctx.Err() != nil {
			return 0, false
		}
		c := next
		next++
		return c, true
	}
	for range workers {
		wg.Go(func() {
			for {
				c, ok := take()
				if !ok {
					return
				}
				run(c)
			}
		})
	}
	wg.Wait()
	if next < nchunks {
		return ctx.Err()
	}
	return nil
}

// propagateRow fills row with sat at each time; it allocates nothing.
func propagateRow(sat *Satellite, tsinceMin []float64, row []State) {
	for k, t := range tsinceMin {
		st := &row[k]
		if sat == nil {
			*st = State{Err: CodeInvalid}
			continue
		}
		code, _ := sat.propagate(t, &st.RTEMEKm, &st.VTEMEKmS)
		if code != CodeOK {
			st.RTEMEKm, st.VTEMEKmS = [3]float64{}, [3]float64{}
		}
		st.Err = code
	}
}
