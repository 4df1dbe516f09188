package tle

import (
	"errors"
	"testing"
	"time"
)

func TestParseEpoch(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		{"1957 is 19xx", "57001.00000000", time.Date(1957, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"99 is 1999", "99365.50000000", time.Date(1999, 12, 31, 12, 0, 0, 0, time.UTC)},
		{"00 is 2000", "00001.00000000", time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"56 is 2056", "56001.00000000", time.Date(2056, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"leap day 366", "24366.99999999", time.Date(2024, 12, 31, 23, 59, 59, 999136000, time.UTC)},
		{"1e-8 day is 864 µs", "21001.00000001", time.Date(2021, 1, 1, 0, 0, 0, 864000, time.UTC)},
		{"ISS 2021", "21001.22196045", time.Date(2021, 1, 1, 5, 19, 37, 382880000, time.UTC)},
		{"Vallado 23333 end of day", "94305.49999999", time.Date(1994, 11, 1, 11, 59, 59, 999136000, time.UTC)},
		{"fewer decimals", "21032.5       ", time.Date(2021, 2, 1, 12, 0, 0, 0, time.UTC)},
		{"no fraction", "21032         ", time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC)},
		{"blank-padded day", "21  1.25000000", time.Date(2021, 1, 1, 6, 0, 0, 0, time.UTC)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseEpoch(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(tc.want) || got.Location() != time.UTC {
				t.Errorf("parseEpoch(%q) = %v, want %v (exact)", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseEpochErrors(t *testing.T) {
	for _, in := range []string{
		"", "2100100000000", "x1001.00000000", "21000.50000000", "21366.00000000",
		"24367.00000000", "21-01.00000000", "21001.0000000x", "21001..0000000", "211001.0000000",
		"21 .1234567890", "       .000000",
	} {
		if _, err := parseEpoch(in); !errors.Is(err, ErrEpoch) {
			t.Errorf("parseEpoch(%q) error %v, want ErrEpoch", in, err)
		}
	}
}

func TestAppendEpoch(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
		err  bool
	}{
		{"exact", time.Date(2021, 1, 1, 5, 19, 37, 382880000, time.UTC), "21001.22196045", false},
		{"rounds down", time.Date(2021, 1, 1, 0, 0, 0, 431999, time.UTC), "21001.00000000", false},
		{"rounds up", time.Date(2021, 1, 1, 0, 0, 0, 432000, time.UTC), "21001.00000001", false},
		{"carries into the next year", time.Date(2021, 12, 31, 23, 59, 59, 999999999, time.UTC), "22001.00000000", false},
		{"leap day 366", time.Date(2024, 12, 31, 12, 0, 0, 0, time.UTC), "24366.50000000", false},
		{"non-UTC zone", time.Date(2021, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600)), "21001.00000000", false},
		{"1957", time.Date(1957, 10, 4, 19, 28, 34, 0, time.UTC), "57277.81150463", false},
		{"1956 too early", time.Date(1956, 12, 31, 0, 0, 0, 0, time.UTC), "", true},
		{"2057 too late", time.Date(2057, 1, 1, 0, 0, 0, 0, time.UTC), "", true},
		{"zero time", time.Time{}, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := appendEpoch(nil, tc.in)
			if (err != nil) != tc.err || string(got) != tc.want {
				t.Errorf("appendEpoch(%v) = %q, %v; want %q (error %v)", tc.in, got, err, tc.want, tc.err)
			}
			if err != nil && !errors.Is(err, ErrFormat) {
				t.Errorf("error %v is not ErrFormat", err)
			}
		})
	}
}
