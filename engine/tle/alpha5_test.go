package tle

import (
	"errors"
	"testing"
)

func TestAlpha5(t *testing.T) {
	tests := []struct {
		name    string
		text    string // canonical five characters
		n       int
		decodes []string // other spellings that decode to n
	}{
		{"zero", "00000", 0, []string{"    0", "0"}},
		{"Vanguard", "00005", 5, []string{"    5", "5"}},
		{"ISS", "25544", 25544, nil},
		{"largest plain", "99999", 99999, nil},
		{"A0000", "A0000", 100000, nil},
		{"H9999 before the gap", "H9999", 179999, nil},
		{"J0000 after I", "J0000", 180000, nil},
		{"N9999 before O", "N9999", 229999, nil},
		{"P0000 after O", "P0000", 230000, nil},
		{"T0000 (2022 catalog)", "T0000", 270000, nil},
		{"T0288 (2022 catalog)", "T0288", 270288, nil},
		{"Z9999 largest", "Z9999", 339999, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := EncodeAlpha5(tc.n)
			if err != nil || s != tc.text {
				t.Errorf("EncodeAlpha5(%d) = %q, %v; want %q", tc.n, s, err, tc.text)
			}
			for _, in := range append([]string{tc.text}, tc.decodes...) {
				n, err := DecodeAlpha5(in)
				if err != nil || n != tc.n {
					t.Errorf("DecodeAlpha5(%q) = %d, %v; want %d", in, n, err, tc.n)
				}
			}
		})
	}
	for _, in := range []string{"", "     ", "I0000", "O0000", "t0000", "T000", "T00000", "123456", "T 000",
		"1 234", "-1234", "T-123", "TT000", "0x123"} {
		if n, err := DecodeAlpha5(in); !errors.Is(err, ErrCatalogNumber) {
			t.Errorf("DecodeAlpha5(%q) = %d, %v; want ErrCatalogNumber", in, n, err)
		}
	}
	for _, n := range []int{-1, 340000, 1 << 40} {
		if s, err := EncodeAlpha5(n); !errors.Is(err, ErrFormat) {
			t.Errorf("EncodeAlpha5(%d) = %q, %v; want ErrFormat", n, s, err)
		}
	}
	// every number survives the trip
	for n := 0; n <= MaxCatalogNumber; n += 7 {
		s, err := EncodeAlpha5(n)
		if err != nil {
			t.Fatal(err)
		}
		if back, err := DecodeAlpha5(s); err != nil || back != n {
			t.Fatalf("%d -> %q -> %d, %v", n, s, back, err)
		}
	}
}

func TestChecksum(t *testing.T) {
	tests := []struct {
		name string
		line string
		want int
	}{
		{"ISS line 1", issL1, 2},
		{"ISS line 2", issL2, 3},
		{"minus counts one", "1 00005U 58002B   00179.78495062 -.00000023  00000-0  28098-4 0  475", 4},
		{"letters and plus count zero", "ABC+", 0},
		{"ignores column 69 and beyond", issL1[:68] + "7 999", 2},
		{"empty", "", 0},
		// SGP4-VER.TLE 33333: written 4, computes 2
		{"Vallado 33333 line 1", "1 33333U 05037B   05333.02012661  .25992681  00000-0  24476-3 0  1534", 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Checksum(tc.line); got != tc.want {
				t.Errorf("Checksum = %d, want %d", got, tc.want)
			}
		})
	}
}
