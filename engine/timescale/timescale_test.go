package timescale

import (
	"testing"
	"time"
)

func utc(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, time.UTC)
}

func TestTAIMinusUTC(t *testing.T) {
	for _, tt := range []struct {
		t    time.Time
		want time.Duration
	}{
		{utc(1960, 1, 1, 0, 0, 0), 10 * time.Second}, // before the table: its first value
		{utc(1972, 1, 1, 0, 0, 0), 10 * time.Second},
		{utc(1972, 6, 30, 23, 59, 59), 10 * time.Second},
		{utc(1972, 7, 1, 0, 0, 0), 11 * time.Second},
		{utc(1995, 12, 31, 23, 59, 59), 29 * time.Second},
		{utc(1996, 1, 1, 0, 0, 0), 30 * time.Second},
		{utc(2008, 12, 31, 12, 0, 0), 33 * time.Second},
		{utc(2016, 12, 31, 23, 59, 59), 36 * time.Second},
		{utc(2017, 1, 1, 0, 0, 0), 37 * time.Second},
		{utc(2026, 12, 7, 0, 0, 0), 37 * time.Second},
	} {
		if got := TAIMinusUTC(tt.t); got != tt.want {
			t.Errorf("TAIMinusUTC(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
	if got := TTMinusUTC(utc(2022, 1, 1, 0, 0, 0)); got != 69184*time.Millisecond {
		t.Errorf("TTMinusUTC(2022) = %v, want 69.184 s", got)
	}
}

// TestTableIsOrdered checks that each entry adds exactly one second, in
// date order: a typing error in the table would break both.
func TestTableIsOrdered(t *testing.T) {
	for i := 1; i < len(leapSeconds); i++ {
		if steps[i] <= steps[i-1] {
			t.Errorf("entry %d (%d-%v) not after the previous", i, leapSeconds[i].year, leapSeconds[i].month)
		}
		if d := leapSeconds[i].taiMinusUT - leapSeconds[i-1].taiMinusUT; d != 1 {
			t.Errorf("entry %d (%d-%v) steps by %d s", i, leapSeconds[i].year, leapSeconds[i].month, d)
		}
	}
	if n := len(leapSeconds); n != 28 || leapSeconds[n-1].taiMinusUT != 37 {
		t.Errorf("%d entries ending at %d s, want 28 ending at 37 s", n, leapSeconds[n-1].taiMinusUT)
	}
}

func TestElapsed(t *testing.T) {
	for _, tt := range []struct {
		name     string
		from, to time.Time
		want     time.Duration
	}{
		{"across 1995-12-31", utc(1995, 12, 31, 12, 0, 0), utc(1996, 1, 1, 12, 0, 0), 24*time.Hour + time.Second},
		{"backwards across it", utc(1996, 1, 1, 12, 0, 0), utc(1995, 12, 31, 12, 0, 0), -24*time.Hour - time.Second},
		{"across 2016-12-31", utc(2016, 12, 31, 23, 0, 0), utc(2017, 1, 1, 1, 0, 0), 2*time.Hour + time.Second},
		{"1992 to 2002, six leap seconds", utc(1992, 1, 1, 0, 0, 0), utc(2002, 1, 1, 0, 0, 0), utc(2002, 1, 1, 0, 0, 0).Sub(utc(1992, 1, 1, 0, 0, 0)) + 6*time.Second},
		{"within a year without one", utc(2003, 2, 1, 0, 0, 0), utc(2003, 9, 1, 0, 0, 0), utc(2003, 9, 1, 0, 0, 0).Sub(utc(2003, 2, 1, 0, 0, 0))},
		{"after 2017", utc(2022, 3, 1, 0, 0, 0), utc(2022, 3, 2, 0, 0, 0), 24 * time.Hour},
	} {
		if got := Elapsed(tt.from, tt.to); got != tt.want {
			t.Errorf("%s: Elapsed = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func BenchmarkElapsed(b *testing.B) {
	from, to := utc(2022, 3, 1, 0, 0, 0), utc(2022, 3, 2, 0, 0, 0)
	old := utc(1995, 12, 31, 0, 0, 0)
	b.Run("after-2017", func(b *testing.B) {
		for b.Loop() {
			_ = Elapsed(from, to)
		}
	})
	b.Run("historical", func(b *testing.B) {
		for b.Loop() {
			_ = Elapsed(old, to)
		}
	})
}
