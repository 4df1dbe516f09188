package sgp4

import (
	"context"
	"errors"
	"testing"
)

func batchFixture(t *testing.T) ([]*Satellite, []float64) {
	t.Helper()
	decaying := mustNew(t, [2]string{ // decays between 50 and 55 min
		"1 28872U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534",
		"2 28872  96.4736 157.9986 0303955 244.0492 110.6523 16.46015938 10708"})
	var sats []*Satellite
	for i := range 150 { // more than two chunks
		switch i % 5 {
		case 0:
			sats = append(sats, mustNew(t, vanguard))
		case 1:
			sats = append(sats, mustNew(t, molniya))
		case 2:
			sats = append(sats, mustNew(t, geo))
		case 3:
			sats = append(sats, decaying)
		case 4:
			sats = append(sats, nil)
		}
	}
	return sats, []float64{-60, 0, 30, 54, 60, 720.5, 1440, 3 * MaxTsinceMin}
}

func TestPropagateBatch(t *testing.T) {
	sats, times := batchFixture(t)
	for _, workers := range []int{1, 3, 0, 1000} {
		out := make([]State, len(sats)*len(times))
		for i := range out {
			out[i].RTEMEKm[0] = 99 // must be overwritten, also on error
		}
		if err := PropagateBatch(context.Background(), sats, times, out, workers); err != nil {
			t.Fatalf("workers %d: %v", workers, err)
		}
		errs := 0
		for i, s := range sats {
			for k, ts := range times {
				got := out[i*len(times)+k]
				var want State
				if s == nil {
					want.Err = CodeInvalid
				} else {
					r, v, err := s.Propagate(ts)
					want.RTEMEKm, want.VTEMEKmS = r, v
					var serr *Error
					if errors.As(err, &serr) {
						want.Err = serr.Code
					}
				}
				if got != want {
					t.Fatalf("workers %d sat %d t %g: %+v, want %+v", workers, i, ts, got, want)
				}
				if got.Err != 0 {
					errs++
				}
			}
		}
		// nil rows (30 x 8), the decaying one after 54 min (30 x 4), and 3*Max for the rest (90).
		if errs != 30*8+30*4+90 {
			t.Errorf("workers %d: %d error states, want %d", workers, errs, 30*8+30*4+90)
		}
	}
}

func TestPropagateBatchArgs(t *testing.T) {
	sats, times := batchFixture(t)
	if err := PropagateBatch(context.Background(), sats, times, make([]State, 5), 1); err == nil {
		t.Error("short out accepted")
	}
	if err := PropagateBatch(context.Background(), nil, times, nil, 0); err != nil {
		t.Errorf("empty batch: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, workers := range []int{1, 4} {
		out := make([]State, len(sats)*len(times))
		if err := PropagateBatch(ctx, sats, times, out, workers); !errors.Is(err, context.Canceled) {
			t.Errorf("workers %d: cancelled context gave %v", workers, err)
		}
	}
}

func TestPropagateBatchAllocs(t *testing.T) {
	sats, times := batchFixture(t)
	out := make([]State, len(sats)*len(times))
	row := out[:len(times)]
	if n := testing.AllocsPerRun(20, func() { propagateRow(sats[1], times[:7], row[:7]) }); n != 0 {
		t.Errorf("propagateRow allocates %v times per row", n)
	}
	if n := testing.AllocsPerRun(20, func() {
		_ = PropagateBatch(context.Background(), sats, times[:7], out[:len(sats)*7], 1)
	}); n > 2 {
		t.Errorf("PropagateBatch (1 worker) allocates %v times per call", n)
	}
	s := sats[0]
	if n := testing.AllocsPerRun(100, func() { _, _, _ = s.Propagate(720) }); n != 0 {
		t.Errorf("Propagate allocates %v times", n)
	}
	s = sats[1]
	if n := testing.AllocsPerRun(100, func() { _, _, _ = s.Propagate(5000) }); n != 0 {
		t.Errorf("Propagate (deep space) allocates %v times", n)
	}
}
