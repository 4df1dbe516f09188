package tle

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/astroshield/astroshield/engine/gp"
)

// sameSet compares element sets, treating NaN as unequal and keeping the
// sign of zero out of it (−0 == 0).
func sameSet(a, b gp.ElementSet) bool { return a == b && a.Epoch.Equal(b.Epoch) }

var fuzzSeeds = [][2]string{
	{issL1, issL2},
	{van1L1, van1L2},
	{van2L1, van2L2},
	{"1 T0000U          22195.08758505  .00000457  00000-0  15958-2 0  9993",
		"2 T0000  90.2784 315.2879 0027987 282.4770  77.3219 12.95305893124393"},
	{"1 81036U          22194.91614752 +.00006643 +00000+0 +11572-1 0  9996",
		"2 81036  51.6464  88.5894 0001153 173.6665  39.5832 15.49246091262710"},
	{"1 11801U          80230.29629788  .01431103  00000-0  14311-1      13",
		"2 11801  46.7916 230.4354 7318036  47.4722  10.4117  2.28537848    13      0.0      1440.0        360.00"},
	{"1 16925U 86065D   06151.67415771  .02550794 -30915-6  18784-3 0  4486",
		"2 16925  62.0906 295.0239 5596327 245.1593  47.9690  4.88511875148616"},
	{"1 22076U 92052  A 92261.23748056  .00035466 +00000-0 +0153801 0  9991",
		"2 22076 066.0397 176.0874 0006971 272.2313 087.7878 12.80988404004784"},
}

// FuzzParse: nothing panics, and whatever Parse accepts survives
// Format then Parse unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s[0], s[1], false, false)
		f.Add(s[0], s[1], true, true)
	}
	f.Fuzz(func(t *testing.T, l1, l2 string, skip, trailing bool) {
		e, err := ParseWith("", l1, l2, Options{SkipChecksum: skip, AllowTrailing: trailing})
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Err == nil || (pe.RecordLine != 1 && pe.RecordLine != 2) {
				t.Fatalf("error %v is not a located *ParseError", err)
			}
			_ = err.Error()
			return
		}
		if err := e.Validate(); err != nil {
			t.Fatalf("accepted %+v that gp rejects: %v", e, err)
		}
		f1, f2, err := Format(e)
		if err != nil {
			t.Fatalf("Format of accepted %q / %q: %v", l1, l2, err)
		}
		back, err := Parse(f1, f2)
		if err != nil {
			t.Fatalf("Parse(Format) of %q / %q:\n%s\n%s\n%v", l1, l2, f1, f2, err)
		}
		if !sameSet(back, e) || math.Signbit(back.BStarPerEarthRadius) != math.Signbit(e.BStarPerEarthRadius) {
			t.Fatalf("round trip of %q / %q changed\n%+v\n%+v", l1, l2, e, back)
		}
	})
}

// FuzzReader: nothing panics, every error is located and Next always ends.
func FuzzReader(f *testing.F) {
	var all strings.Builder
	for _, s := range fuzzSeeds {
		f.Add(s[0]+"\n"+s[1]+"\n", false)
		all.WriteString("0 NAME\r\n" + s[0] + "\r\n" + s[1] + "\r\n# c\n\n")
	}
	f.Add(all.String(), true)
	f.Add("0 X\n1 \n2 \n1 ", false)
	f.Fuzz(func(t *testing.T, in string, lenient bool) {
		rd := NewReader(strings.NewReader(in), Options{SkipChecksum: lenient, AllowTrailing: lenient})
		lines := strings.Count(in, "\n") + 1
		for i := 0; ; i++ {
			if i > lines+1 {
				t.Fatalf("more than %d results from %d lines", i, lines)
			}
			e, err := rd.Next()
			if err == io.EOF {
				return
			}
			var pe *ParseError
			if err != nil {
				if !errors.As(err, &pe) || pe.Line < 1 || pe.Line > lines {
					t.Fatalf("error %v not located in the %d lines", err, lines)
				}
				continue
			}
			if err := e.Validate(); err != nil {
				t.Fatalf("read %+v that gp rejects: %v", e, err)
			}
		}
	})
}

// TestSingleCharacterEdits tries every printable character in every column
// of real lines (checksums skipped): no panic, and whatever Parse accepts
// survives Format then Parse.
func TestSingleCharacterEdits(t *testing.T) {
	accepted, rejected := 0, 0
	for _, s := range fuzzSeeds[:7] {
		for line := 0; line < 2; line++ {
			for col := 0; col < 69; col++ {
				for c := byte(' '); c <= '~'; c++ {
					l := [2]string{s[0][:69], s[1][:69]}
					l[line] = l[line][:col] + string(c) + l[line][col+1:]
					e, err := ParseWith("", l[0], l[1], Options{SkipChecksum: true})
					if err != nil {
						rejected++
						continue
					}
					accepted++
					f1, f2, err := Format(e)
					if err != nil {
						t.Fatalf("Format of accepted %q / %q: %v", l[0], l[1], err)
					}
					back, err := Parse(f1, f2)
					if err != nil || !sameSet(back, e) {
						t.Fatalf("round trip of %q / %q: %v\n%+v\n%+v", l[0], l[1], err, e, back)
					}
				}
			}
		}
	}
	t.Logf("%d edits accepted, %d rejected", accepted, rejected)
}
