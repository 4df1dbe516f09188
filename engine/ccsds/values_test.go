package ccsds

import (
	"math/rand/v2"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	cases := []struct {
		name, in string
		want     time.Time
		ok       bool
	}{
		{"calendar ms", "2010-03-13T22:37:52.618", time.Date(2010, 3, 13, 22, 37, 52, 618e6, time.UTC), true},
		{"calendar µs", "2024-02-25T17:50:59.816000", time.Date(2024, 2, 25, 17, 50, 59, 816e6, time.UTC), true},
		{"day of year", "2007-064T10:34:41.4264", time.Date(2007, 3, 5, 10, 34, 41, 426400000, time.UTC), true},
		{"day 366 of a leap year", "2012-366T00:00:00", time.Date(2012, 12, 31, 0, 0, 0, 0, time.UTC), true},
		{"Z suffix", "2021-03-22T13:21:09.224928Z", time.Date(2021, 3, 22, 13, 21, 9, 224928000, time.UTC), true},
		{"no fraction", "2007-065T16:00:00", time.Date(2007, 3, 6, 16, 0, 0, 0, time.UTC), true},
		{"date only", "2020-01-01", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"12 fraction digits truncated to ns", "2020-01-01T00:00:00.123456789999", time.Date(2020, 1, 1, 0, 0, 0, 123456789, time.UTC), true},
		{"leap second rolls over", "2016-12-31T23:59:60.5", time.Date(2017, 1, 1, 0, 0, 0, 5e8, time.UTC), true},
		{"24:00:00 is next midnight", "2020-01-01T24:00:00", time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), true},
		{"April 31", "2010-04-31T22:37:52.618", time.Time{}, false},
		{"Feb 29 of a common year", "2021-02-29T00:00:00", time.Time{}, false},
		{"day 366 of a common year", "2021-366T00:00:00", time.Time{}, false},
		{"day 000", "2021-000T00:00:00", time.Time{}, false},
		{"month 13", "2021-13-01T00:00:00", time.Time{}, false},
		{"hour 25", "2021-01-01T25:00:00", time.Time{}, false},
		{"minute 60", "2021-01-01T00:60:00", time.Time{}, false},
		{"24:00:01", "2021-01-01T24:00:01", time.Time{}, false},
		{"space separator", "2021-01-01 00:00:00", time.Time{}, false},
		{"short month", "2021-1-01T00:00:00", time.Time{}, false},
		{"dangling point", "2021-01-01T00:00:00.", time.Time{}, false},
		{"letters in fraction", "2021-01-01T00:00:00.1a", time.Time{}, false},
		{"short clock", "2021-01-01T00:00", time.Time{}, false},
		{"two-digit year", "21-01-01T00:00:00", time.Time{}, false},
		{"empty", "", time.Time{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := parseTime(tc.in)
			if ok != tc.ok || !got.Equal(tc.want) {
				t.Errorf("parseTime(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
			}
		})
	}
}

func TestFormatTimeRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		in := time.Unix(rng.Int64N(4e9)-1e9, rng.Int64N(1e9)).UTC()
		s := formatTime(in)
		back, ok := parseTime(s)
		if !ok || !back.Equal(in) {
			t.Fatalf("%v -> %q -> %v, %v", in, s, back, ok)
		}
	}
	cases := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2010, 3, 13, 22, 37, 52, 618e6, time.UTC), "2010-03-13T22:37:52.618"},
		{time.Date(2007, 3, 5, 10, 34, 41, 426400000, time.UTC), "2007-03-05T10:34:41.4264"},
		{time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), "2020-01-01T00:00:00.000"},
		{time.Date(2020, 1, 1, 0, 0, 0, 1, time.UTC), "2020-01-01T00:00:00.000000001"},
		{time.Date(2020, 1, 1, 1, 0, 0, 0, time.FixedZone("X", 3600)), "2020-01-01T00:00:00.000"},
	}
	for _, tc := range cases {
		if got := formatTime(tc.in); got != tc.want {
			t.Errorf("formatTime(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	cases := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"715", 715, true},
		{".0205751", 0.0205751, true},
		{"-.47102E-5", -0.47102e-5, true},
		{"5.", 5, true},
		{"+1.5e+03", 1500, true},
		{"4.835E-05", 4.835e-05, true},
		{"8.493829353826458752e+07", 8.493829353826458752e+07, true},
		{"", 0, false},
		{"-", 0, false},
		{".", 0, false},
		{"1e", 0, false},
		{"e5", 0, false},
		{"1.2.3", 0, false},
		{"0x1p3", 0, false},
		{"1_000", 0, false},
		{"Inf", 0, false},
		{"NaN", 0, false},
		{"1e400", 0, false},
		{"-4.152E-02 this-is-not-a-number", 0, false},
		{" 1", 0, false},
	}
	for _, tc := range cases {
		got, ok := parseNumber(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseNumber(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
	ints := []struct {
		in   string
		want int
		ok   bool
	}{
		{"0925", 925, true},
		{"-3", -3, true},
		{"+7", 7, true},
		{"999999999", 999999999, true},
		{"1.0", 0, false},
		{"", 0, false},
		{"+", 0, false},
		{"12345678901234567890", 0, false},
	}
	for _, tc := range ints {
		got, ok := parseInteger(tc.in)
		if ok != tc.ok || got != tc.want {
			t.Errorf("parseInteger(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
