package api

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/catalog"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/telemetry"
	"go.opentelemetry.io/otel/attribute"
)

// ImportResult is what an element-set import did.
type ImportResult struct {
	Added, Duplicates int
	Rejected          []string // first 100 record errors
	// Affected are the objects that got new element sets (queued for
	// CCDM analysis once the import commits).
	Affected []int
	// NewestEpoch and MedianEpoch summarise the added sets' epochs (where
	// screening after the import starts).
	NewestEpoch, MedianEpoch time.Time
}

// importTx stores decoded element sets (history kept, duplicates counted),
// a catalog feed event per new set and the import's audit record: the one
// write path of POST /api/v1/elements and the scheduled refresh.
func importTx(ctx context.Context, tx store.Tx, decoded []catalog.Decoded, res *ImportResult, subject string, now time.Time) error {
	res.Added, res.Duplicates, res.Affected, res.NewestEpoch, res.MedianEpoch = 0, 0, nil, time.Time{}, time.Time{}
	seen := map[int]bool{}
	var epochs []time.Time
	for _, d := range decoded {
		ok, err := tx.PutElementSet(ctx, d.Set.Name, d.Set.IntlDesignator, d.Record)
		if err != nil {
			return err
		}
		if !ok {
			res.Duplicates++
			continue
		}
		res.Added++
		epochs = append(epochs, d.Record.Epoch)
		if !seen[d.Record.NORAD] {
			seen[d.Record.NORAD] = true
			res.Affected = append(res.Affected, d.Record.NORAD)
		}
		if err := catalogEvent(ctx, tx, "elements.added", map[string]any{"norad": d.Record.NORAD, "epoch": d.Record.Epoch, "name": d.Set.Name}); err != nil {
			return err
		}
	}
	if len(epochs) > 0 {
		slices.SortFunc(epochs, time.Time.Compare)
		res.NewestEpoch, res.MedianEpoch = epochs[len(epochs)-1], epochs[len(epochs)/2]
	}
	return auth.Audit(ctx, tx, now, subject, "elements.import", "catalog", fmt.Sprintf("added=%d duplicates=%d rejected=%d", res.Added, res.Duplicates, len(res.Rejected)))
}

// ImportElements imports an element-set file (TLE or OMM) as subject, the
// way POST /api/v1/elements does: element history, catalog feed events and
// an audit record in one transaction, then the feed and webhooks are woken.
// The scheduler's catalog refresh (server/refresh) calls it.
func (s *Server) ImportElements(ctx context.Context, data []byte, subject string) (ImportResult, error) {
	ctx, span := telemetry.StartSpan(ctx, "import.decode", attribute.Int("bytes", len(data)))
	now := s.now().UTC()
	decoded, recordErrs, err := catalog.Decode(data, now)
	telemetry.End(span, err)
	if err != nil {
		return ImportResult{}, fmt.Errorf("api: import: %w", err)
	}
	var res ImportResult
	if recordErrs != nil {
		for _, l := range strings.Split(recordErrs.Error(), "\n") {
			if len(res.Rejected) < 100 {
				res.Rejected = append(res.Rejected, l)
			}
		}
	}
	if len(decoded) == 0 {
		return res, fmt.Errorf("api: import: no usable element sets: %s", strings.Join(res.Rejected, "; "))
	}
	ctx, span = telemetry.StartSpan(ctx, "import.store", attribute.Int("element_sets", len(decoded)))
	err = s.st.Update(ctx, func(tx store.Tx) error { return importTx(ctx, tx, decoded, &res, subject, now) })
	span.SetAttributes(attribute.Int("added", res.Added), attribute.Int("duplicates", res.Duplicates))
	telemetry.End(span, err)
	if err != nil {
		return ImportResult{}, fmt.Errorf("api: import: %w", err)
	}
	_, span = telemetry.StartSpan(ctx, "import.notify")
	s.hub.Notify()
	if s.cfg.OnEvents != nil {
		s.cfg.OnEvents()
	}
	s.QueueCCDM(res.Affected)
	s.queueScreening(res)
	span.End()
	return res, nil
}
