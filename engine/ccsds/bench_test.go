package ccsds

import (
	"bytes"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/internal/refdata"
)

// catalogSize is about the size of CelesTrak's full active+debris GP catalog.
const catalogSize = 24_000

func syntheticCatalog(n int) []OMM {
	rng := rand.New(rand.NewPCG(1, 2))
	epoch := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	msgs := make([]OMM, n)
	for i := range msgs {
		e := gp.ElementSet{
			Name:                 "OBJECT " + itoa(i),
			CatalogNumber:        i + 1,
			IntlDesignator:       "98067A",
			Classification:       'U',
			Epoch:                epoch.Add(time.Duration(rng.Int64N(int64(72 * time.Hour))).Truncate(time.Microsecond)),
			MeanMotionRevPerDay:  float64(int64((1+rng.Float64()*15)*1e8)) / 1e8,
			Eccentricity:         float64(int64(rng.Float64()*0.2*1e7)) / 1e7,
			InclinationDeg:       float64(int64(rng.Float64()*180*1e4)) / 1e4,
			RAANDeg:              float64(int64(rng.Float64()*360*1e4)) / 1e4,
			ArgPerigeeDeg:        float64(int64(rng.Float64()*360*1e4)) / 1e4,
			MeanAnomalyDeg:       float64(int64(rng.Float64()*360*1e4)) / 1e4,
			MeanMotionDotRevDay2: float64(int64(rng.Float64()*1e4)) / 1e8,
			BStarPerEarthRadius:  float64(int64(rng.Float64()*1e5)) / 1e9,
			ElementSetNumber:     999,
			RevAtEpoch:           rng.IntN(99999),
		}
		msgs[i] = OMMFromElementSet(e)
	}
	return msgs
}

func benchmarkDecodeCatalog(b *testing.B, write func(*bytes.Buffer, []OMM) error) {
	msgs := syntheticCatalog(catalogSize)
	var buf bytes.Buffer
	if err := write(&buf, msgs); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, err := DecodeOMM(bytes.NewReader(data))
		if err != nil || len(got) != catalogSize {
			b.Fatalf("%d messages, %v", len(got), err)
		}
	}
}

func BenchmarkDecodeOMMJSON24k(b *testing.B) {
	benchmarkDecodeCatalog(b, func(w *bytes.Buffer, m []OMM) error { return WriteOMMJSON(w, m) })
}

func BenchmarkDecodeOMMCSV24k(b *testing.B) {
	benchmarkDecodeCatalog(b, func(w *bytes.Buffer, m []OMM) error { return WriteOMMCSV(w, m) })
}

func BenchmarkDecodeOMMXML24k(b *testing.B) {
	benchmarkDecodeCatalog(b, func(w *bytes.Buffer, m []OMM) error { return WriteOMMXML(w, m) })
}

func BenchmarkDecodeOMMKVN24k(b *testing.B) {
	benchmarkDecodeCatalog(b, func(w *bytes.Buffer, m []OMM) error { return WriteOMMKVN(w, m) })
}

func BenchmarkWriteOMMJSON24k(b *testing.B) {
	msgs := syntheticCatalog(catalogSize)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteOMMJSON(&buf, msgs); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

func BenchmarkParseCDMKVN(b *testing.B) {
	data, err := os.ReadFile(refdata.Path(b, "ccsds", "cdm", "valid", "CDMExample2.txt"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCDM(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCDMXML(b *testing.B) {
	data, err := os.ReadFile(refdata.Path(b, "ccsds", "cdm", "valid", "CDMExample_issue1319.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseCDM(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
