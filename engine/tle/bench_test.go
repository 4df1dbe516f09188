package tle

import (
	"bytes"
	"os"
	"testing"

	"github.com/astroshield/astroshield/engine/internal/refdata"
)

// BenchmarkReadAll reads the 24,132-object 2022 catalog.
func BenchmarkReadAll(b *testing.B) {
	data, err := os.ReadFile(refdata.Path(b, "catalog", catalog2022))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		sets, err := ReadAll(bytes.NewReader(data), Options{})
		if err != nil {
			b.Fatal(err)
		}
		n = len(sets)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/record")
}

// BenchmarkReaderNext counts the per-record cost without ReadAll's slice.
func BenchmarkReaderNext(b *testing.B) {
	data, err := os.ReadFile(refdata.Path(b, "catalog", catalog2022))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	records := 0
	for b.Loop() {
		rd := NewReader(bytes.NewReader(data), Options{})
		for {
			if _, err := rd.Next(); err != nil {
				break
			}
			records++
		}
	}
	b.ReportMetric(float64(records)/float64(b.N), "records/op")
}

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(issL1, issL2); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormat(b *testing.B) {
	e, err := Parse(issL1, issL2)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Format(e); err != nil {
			b.Fatal(err)
		}
	}
}
