package ccsds

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/astroshield/astroshield/engine/internal/refdata"
)

func addSeeds(f *testing.F, dirs ...[]string) {
	for _, dir := range dirs {
		d := refdata.Dir()
		if d == "" {
			return
		}
		ents, _ := os.ReadDir(filepath.Join(append([]string{d}, dir...)...))
		for _, e := range ents {
			if data, err := os.ReadFile(filepath.Join(append(append([]string{d}, dir...), e.Name())...)); err == nil {
				f.Add(data)
			}
		}
	}
}

// FuzzParseCDM: no input panics, and whatever parses can be written in both
// syntaxes and read back.
func FuzzParseCDM(f *testing.F) {
	addSeeds(f, []string{"ccsds", "cdm", "valid"}, []string{"ccsds", "cdm", "invalid"}, []string{"pc", "cdm_samples"})
	f.Add([]byte("CCSDS_CDM_VERS = 1.0\nCOMMENT x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCDM(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, write := range []func(*bytes.Buffer, *CDM) error{
			func(b *bytes.Buffer, c *CDM) error { return WriteCDMKVN(b, c) },
			func(b *bytes.Buffer, c *CDM) error { return WriteCDMXML(b, c) },
		} {
			var buf bytes.Buffer
			if err := write(&buf, c); err != nil {
				t.Fatal(err)
			}
			if _, err := ParseCDM(&buf); err != nil {
				t.Fatalf("written CDM does not parse: %v\n%s", err, buf.String())
			}
		}
	})
}

// FuzzDecodeOMM: no input panics, and whatever decodes can be written in
// every syntax and decoded again.
func FuzzDecodeOMM(f *testing.F) {
	addSeeds(f, []string{"ccsds", "omm", "valid"}, []string{"ccsds", "omm", "invalid"}, []string{"ccsds", "omm", "celestrak_formats"})
	f.Add([]byte("OBJECT_NAME,EPOCH\nX,2020-01-01T00:00:00\n"))
	f.Add([]byte(`[{"EPOCH":"2020-001","MEAN_MOTION":"15","USER_DEFINED_A":1}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		msgs, err := DecodeOMM(bytes.NewReader(data))
		if err != nil || len(msgs) == 0 {
			return
		}
		for _, w := range ommWriters {
			var buf bytes.Buffer
			if err := w.write(&buf, msgs); err != nil {
				t.Fatal(err)
			}
			if _, err := DecodeOMM(&buf); err != nil {
				t.Fatalf("%s output does not decode: %v\n%s", w.name, err, buf.String())
			}
		}
		for i := range msgs {
			_, _ = msgs[i].ElementSet()
		}
	})
}
