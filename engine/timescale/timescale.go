// Package timescale relates UTC to the uniform time scales TAI and TT through the IERS leap-second table.
package timescale

// UTC labels skip or repeat a second at each leap second, so the elapsed
// (SI) time between two UTC instants is their label difference plus the
// leap seconds inserted between them. Go's time.Time counts labels: across
// 1995-12-31T23:59:60 it is one second short, which is 7.5 km along-track
// for a satellite in low orbit. Anything that propagates an orbit from one
// UTC instant to another (SGP4's tsince) uses Elapsed.
//
// The table is IERS Bulletin C's history of TAI − UTC from 1972-01-01
// (10 s) to 2017-01-01 (37 s); the Bulletins up to July 2025 announced no
// leap second after 2016-12-31. One announced later must be added to
// leapSeconds; until it is, spans across it are one second short. Before 1972 UTC was steered by fractional steps and rate offsets,
// which are not modelled: TAIMinusUTC returns 10 s for those dates, so
// Elapsed there is the label difference.

import (
	"sort"
	"time"
)

// TTMinusTAI is the fixed offset of Terrestrial Time from TAI.
const TTMinusTAI = 32184 * time.Millisecond

// leapSeconds lists, for each date from which TAI − UTC changed, its new
// value in seconds (IERS Bulletin C).
var leapSeconds = [...]struct {
	year       int
	month      time.Month
	taiMinusUT int
}{
	{1972, time.January, 10}, {1972, time.July, 11}, {1973, time.January, 12}, {1974, time.January, 13},
	{1975, time.January, 14}, {1976, time.January, 15}, {1977, time.January, 16}, {1978, time.January, 17},
	{1979, time.January, 18}, {1980, time.January, 19}, {1981, time.July, 20}, {1982, time.July, 21},
	{1983, time.July, 22}, {1985, time.July, 23}, {1988, time.January, 24}, {1990, time.January, 25},
	{1991, time.January, 26}, {1992, time.July, 27}, {1993, time.July, 28}, {1994, time.July, 29},
	{1996, time.January, 30}, {1997, time.July, 31}, {1999, time.January, 32}, {2006, time.January, 33},
	{2009, time.January, 34}, {2012, time.July, 35}, {2015, time.July, 36}, {2017, time.January, 37},
}

// steps holds the table's dates as Unix seconds, for the search.
var steps = func() []int64 {
	s := make([]int64, len(leapSeconds))
	for i, l := range leapSeconds {
		s[i] = time.Date(l.year, l.month, 1, 0, 0, 0, 0, time.UTC).Unix()
	}
	return s
}()

// lastStep is the date of the last leap second in the table: later
// instants take the fast path.
var lastStep = steps[len(steps)-1]

// TAIMinusUTC returns TAI − UTC at the UTC instant t (10 s before 1972).
func TAIMinusUTC(t time.Time) time.Duration {
	u := t.Unix()
	if u >= lastStep {
		return time.Duration(leapSeconds[len(leapSeconds)-1].taiMinusUT) * time.Second
	}
	// The first step at or after u; the value in force is the one before.
	i := sort.Search(len(steps), func(k int) bool { return steps[k] > u })
	if i == 0 {
		return time.Duration(leapSeconds[0].taiMinusUT) * time.Second
	}
	return time.Duration(leapSeconds[i-1].taiMinusUT) * time.Second
}

// TTMinusUTC returns TT − UTC at the UTC instant t (69.184 s since 2017).
func TTMinusUTC(t time.Time) time.Duration { return TAIMinusUTC(t) + TTMinusTAI }

// Elapsed returns the SI time from the UTC instant from to the UTC instant
// to: to.Sub(from) plus the leap seconds inserted between them (negative
// when to is earlier).
func Elapsed(from, to time.Time) time.Duration {
	d := to.Sub(from)
	if from.Unix() >= lastStep && to.Unix() >= lastStep {
		return d
	}
	return d + TAIMinusUTC(to) - TAIMinusUTC(from)
}
