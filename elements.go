package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/tle"
)

// loadElementSets reads every element set in path: TLEs (2- or 3-line) or
// OMMs (CCSDS KVN/XML, CelesTrak JSON/CSV), told apart by content. Records
// that fail are returned joined in recordErrs while the good ones are kept;
// err is for a file that cannot be used at all.
func loadElementSets(path string) (sets []gp.ElementSet, recordErrs, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	if looksLikeOMM(data) {
		omms, err := ccsds.DecodeOMM(bytes.NewReader(data))
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		var errs []error
		for i := range omms {
			e, err := omms[i].ElementSet()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: OMM %d (%s): %w", path, i+1, omms[i].Metadata.ObjectName, err))
				continue
			}
			sets = append(sets, e)
		}
		return sets, errors.Join(errs...), nil
	}
	sets, recordErrs = tle.ReadAll(bytes.NewReader(data), tle.Options{})
	if recordErrs != nil {
		recordErrs = fmt.Errorf("%s: %w", path, recordErrs)
	}
	if len(sets) == 0 && recordErrs == nil {
		return nil, nil, fmt.Errorf("%s: no element sets found (expected TLE or OMM)", path)
	}
	return sets, recordErrs, nil
}

// looksLikeOMM tells OMM encodings from TLE text by their first bytes.
func looksLikeOMM(data []byte) bool {
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
