// Package catalog converts between uploaded element-set files (TLE, CCSDS
// OMM in KVN/XML, CelesTrak OMM JSON/CSV) and the records the store keeps.
package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	elfile "github.com/astroshield/astroshield/engine/catalog"
	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/tle"
	"github.com/astroshield/astroshield/server/store"
)

// ErrNoElementSets is returned for input that holds none.
var ErrNoElementSets = errors.New("catalog: no element sets found (expected TLE or OMM)")

// Stored record formats.
const (
	FormatTLE    = "tle"     // Body: the TLE's two lines (no name line)
	FormatGPJSON = "gp-json" // Body: gp.ElementSet as JSON (exact OMM values)
)

// Decoded is one element set read from an upload.
type Decoded struct {
	Set    gp.ElementSet
	Record store.ElementSet
}

// Decode reads every element set in data. Records that fail are returned
// joined in recordErrs; err is for input that cannot be used at all.
func Decode(data []byte, received time.Time) (out []Decoded, recordErrs, err error) {
	if elfile.LooksLikeOMM(data) {
		omms, err := ccsds.DecodeOMM(bytes.NewReader(data))
		if err != nil {
			return nil, nil, err
		}
		var errs []error
		for i := range omms {
			e, err := omms[i].ElementSet()
			if err != nil {
				errs = append(errs, fmt.Errorf("OMM %d (%s): %w", i+1, omms[i].Metadata.ObjectName, err))
				continue
			}
			body, _ := json.Marshal(e)
			out = append(out, Decoded{Set: e, Record: store.ElementSet{NORAD: e.CatalogNumber, Epoch: e.Epoch, Format: FormatGPJSON, Body: string(body), Received: received}})
		}
		if len(out) == 0 && len(errs) == 0 {
			return nil, nil, ErrNoElementSets
		}
		return out, errors.Join(errs...), nil
	}
	sets, recordErrs := tle.ReadAll(bytes.NewReader(data), tle.Options{})
	for _, e := range sets {
		l1, l2, err := tle.Format(e)
		var rec store.ElementSet
		if err == nil {
			rec = store.ElementSet{Format: FormatTLE, Body: l1 + "\n" + l2}
		} else { // not expressible as a TLE again (e.g. a 9-digit number): keep the values
			body, _ := json.Marshal(e)
			rec = store.ElementSet{Format: FormatGPJSON, Body: string(body)}
		}
		rec.NORAD, rec.Epoch, rec.Received = e.CatalogNumber, e.Epoch, received
		out = append(out, Decoded{Set: e, Record: rec})
	}
	if len(out) == 0 && recordErrs == nil {
		return nil, nil, ErrNoElementSets
	}
	return out, recordErrs, nil
}

// Parse turns a stored record back into an element set (name as given).
func Parse(r store.ElementSet, name string) (gp.ElementSet, error) {
	switch r.Format {
	case FormatTLE:
		sets, err := tle.ReadAll(strings.NewReader(r.Body), tle.Options{})
		if err != nil || len(sets) != 1 {
			return gp.ElementSet{}, fmt.Errorf("catalog: stored TLE %d: %v", r.NORAD, err)
		}
		sets[0].Name = name
		return sets[0], nil
	case FormatGPJSON:
		var e gp.ElementSet
		if err := json.Unmarshal([]byte(r.Body), &e); err != nil {
			return e, fmt.Errorf("catalog: stored element set %d: %w", r.NORAD, err)
		}
		e.Name = name
		return e, nil
	}
	return gp.ElementSet{}, fmt.Errorf("catalog: stored element set %d has unknown format %q", r.NORAD, r.Format)
}
