// Package catalog reads files of element sets whatever their encoding: TLEs
// (2- or 3-line, Alpha-5) or OMMs (CCSDS KVN/XML, CelesTrak JSON/CSV), told
// apart by content. It is what the command line and the desktop client share
// to open a user's file.
package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/tle"
)

// ReadFile reads every element set in path. Records that fail are returned
// joined in recordErrs while the good ones are kept; err is for a file that
// cannot be used at all.
func ReadFile(path string) (sets []gp.ElementSet, recordErrs, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return Parse(data, path)
}

// Parse is ReadFile on bytes already read; name labels errors.
func Parse(data []byte, name string) (sets []gp.ElementSet, recordErrs, err error) {
	if LooksLikeOMM(data) {
		omms, err := ccsds.DecodeOMM(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		var errs []error
		for i := range omms {
			e, err := omms[i].ElementSet()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: OMM %d (%s): %w", name, i+1, omms[i].Metadata.ObjectName, err))
				continue
			}
			sets = append(sets, e)
		}
		return sets, errors.Join(errs...), nil
	}
	sets, recordErrs = tle.ReadAll(bytes.NewReader(data), tle.Options{})
	if recordErrs != nil {
		recordErrs = fmt.Errorf("%s: %w", name, recordErrs)
	}
	if len(sets) == 0 && recordErrs == nil {
		return nil, nil, fmt.Errorf("%s: no element sets found (expected TLE or OMM)", name)
	}
	return sets, recordErrs, nil
}

// LooksLikeOMM tells OMM encodings from TLE text by their first bytes.
func LooksLikeOMM(data []byte) bool {
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(t) == 0 {
		return false
	}
	switch t[0] {
	case '{', '[', '<':
		return true
	}
	first, _, _ := bytes.Cut(t, []byte("\n"))
	return bytes.HasPrefix(t, []byte("CCSDS_OMM_VERS")) || bytes.Contains(first, []byte("NORAD_CAT_ID"))
}
