package tle

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// Vanguard 1 and 2 from the 2022 catalog (blank- and zero-padded numbers).
const (
	van1L1 = "1     5U 58002B   22196.28486465  .00000351  00000-0  43722-3 0  9993"
	van1L2 = "2     5  34.2492  53.6414 1847265 162.8155 204.4542 10.84977341287669"
	van2L1 = "1 00011U 59001A   22195.36779704  .00000269  00000-0  12518-3 0  9996"
	van2L2 = "2 00011  32.8733  92.8727 1466615 205.5865 146.4415 11.86151810364858"
)

type wantRec struct {
	num  int    // catalog number of a good record, or 0
	name string // its name
	line int    // file line of an error, or 0
	err  error  // sentinel of that error
}

func TestReader(t *testing.T) {
	badN := put(issL2, 53, "       1x.2")
	tests := []struct {
		name string
		in   string
		opt  Options
		want []wantRec
	}{
		{
			name: "3-line with 0 prefix, 2-line, bare name, comments, blanks, CRLF",
			in: "# catalog\r\n0 VANGUARD 1\r\n" + van1L1 + "\r\n" + van1L2 + "\r\n\r\n" +
				van2L1 + "\n" + van2L2 + "\n   \n# comment\nISS (ZARYA)   \n" + issL1 + "\n" + issL2, // no final newline
			want: []wantRec{{num: 5, name: "VANGUARD 1"}, {num: 11}, {num: 25544, name: "ISS (ZARYA)"}},
		},
		{
			name: "bad field then resynchronise",
			in:   "0 BAD\n" + issL1 + "\n" + badN + "\n0 VANGUARD 2\n" + van2L1 + "\n" + van2L2 + "\n",
			want: []wantRec{{line: 3, err: ErrNumber}, {num: 11, name: "VANGUARD 2"}},
		},
		{
			name: "line 1 without line 2",
			in:   issL1 + "\n" + van2L1 + "\n" + van2L2 + "\n",
			want: []wantRec{{line: 2, err: ErrMissingLine}, {num: 11}},
		},
		{
			name: "line 2 without line 1",
			in:   issL2 + "\n" + van2L1 + "\n" + van2L2 + "\n",
			want: []wantRec{{line: 1, err: ErrMissingLine}, {num: 11}},
		},
		{
			name: "name without line 1",
			in:   "0 LOST\n0 VANGUARD 2\n" + van2L1 + "\n" + van2L2 + "\n",
			want: []wantRec{{line: 1, err: ErrMissingLine}, {num: 11, name: "VANGUARD 2"}},
		},
		{
			name: "name then line 2",
			in:   "0 LOST\n" + issL2 + "\n" + van2L1 + "\n" + van2L2 + "\n",
			want: []wantRec{{line: 1, err: ErrMissingLine}, {line: 2, err: ErrMissingLine}, {num: 11}},
		},
		{
			name: "file ends after line 1",
			in:   van2L1 + "\n" + van2L2 + "\n" + issL1 + "\n\n",
			want: []wantRec{{num: 11}, {line: 3, err: ErrMissingLine}},
		},
		{
			name: "file ends after a name",
			in:   van2L1 + "\n" + van2L2 + "\n0 ISS\n",
			want: []wantRec{{num: 11}, {line: 3, err: ErrMissingLine}},
		},
		{
			name: "checksum error names the line",
			in:   "\n\n" + van2L1 + "\n" + van2L2[:68] + "0\n" + issL1 + "\n" + issL2 + "\n",
			want: []wantRec{{line: 4, err: ErrChecksum}, {num: 25544}},
		},
		{
			name: "too long a line is skipped",
			in:   "0 " + strings.Repeat("X", 10000) + "\n" + van2L1 + "\n" + van2L2 + "\n",
			want: []wantRec{{line: 1, err: ErrLength}, {num: 11}},
		},
		{
			name: "trailing text allowed",
			in:   van2L1 + "\n" + van2L2 + "      0.0   1440.0   360.00\n",
			opt:  Options{AllowTrailing: true},
			want: []wantRec{{num: 11}},
		},
		{name: "empty", in: "", want: nil},
		{name: "only comments", in: "# a\n\n#b\r\n", want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, wrap := range []struct {
				name string
				r    func(io.Reader) io.Reader
			}{{"plain", func(r io.Reader) io.Reader { return r }}, {"one byte at a time", iotest.OneByteReader}} {
				rd := NewReader(wrap.r(strings.NewReader(tc.in)), tc.opt)
				for i, w := range tc.want {
					e, err := rd.Next()
					if w.err == nil {
						if err != nil || e.CatalogNumber != w.num || e.Name != w.name {
							t.Fatalf("%s: record %d: got %d %q, %v; want %d %q", wrap.name, i, e.CatalogNumber, e.Name, err, w.num, w.name)
						}
						continue
					}
					var pe *ParseError
					if !errors.As(err, &pe) || !errors.Is(err, w.err) || pe.Line != w.line {
						t.Fatalf("%s: record %d: got %v; want %v at file line %d", wrap.name, i, err, w.err, w.line)
					}
				}
				for range 2 { // io.EOF, and it stays
					if e, err := rd.Next(); err != io.EOF {
						t.Fatalf("%s: after the records got %+v, %v; want io.EOF", wrap.name, e, err)
					}
				}
			}
		})
	}
}

func TestReadAllKeepsGoodRecords(t *testing.T) {
	in := van1L1 + "\n" + van1L2[:68] + "0\n" + van2L1 + "\n" + van2L2 + "\n" + issL1 + "\n" + put(issL2, 9, "181.0000") + "\n"
	sets, err := ReadAll(strings.NewReader(in), Options{})
	if len(sets) != 1 || sets[0].CatalogNumber != 11 {
		t.Fatalf("got %d sets, want Vanguard 2 only", len(sets))
	}
	var pe *ParseError
	if !errors.Is(err, ErrChecksum) || !errors.Is(err, ErrRange) || !errors.As(err, &pe) || pe.Line != 2 {
		t.Fatalf("got %v; want a checksum error at line 2 and a range error", err)
	}
	if n := len(err.(interface{ Unwrap() []error }).Unwrap()); n != 2 {
		t.Errorf("%d errors joined, want 2", n)
	}
}

func TestReadAllReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader(van2L1+"\n"+van2L2+"\n"), iotest.ErrReader(boom))
	sets, err := ReadAll(r, Options{})
	if len(sets) != 1 || !errors.Is(err, boom) {
		t.Fatalf("got %d sets, %v; want 1 and the read error", len(sets), err)
	}
	rd := NewReader(iotest.ErrReader(boom), Options{})
	for range 2 {
		if _, err := rd.Next(); !errors.Is(err, boom) {
			t.Fatalf("got %v, want the read error, sticky", err)
		}
	}
}
