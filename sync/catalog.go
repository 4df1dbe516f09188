package sync

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/astroshield/astroshield/server/wire"
	"github.com/astroshield/astroshield/server/wire/catalogpb"
)

// Bulk catalog sync (issues 5 and 7): the client pulls element-set deltas
// from GET /api/v1/catalog/changes page by page, starting at the cursor it
// stored last time, and applies each page and its next cursor in one local
// transaction, so a sync cut at any point resumes without loss or
// duplication.

// Catalog sync encodings.
const (
	EncodingProtobuf = "protobuf" // application/x-protobuf (the default)
	EncodingJSON     = "json"     // application/json
)

// catalogCursor is the cursors-table key of the bulk catalog cursor (the
// feed channels use their own names).
const catalogCursor = "bulk:catalog"

// Page sizes of SyncCatalog (the server allows at most 10,000).
const (
	DefaultCatalogPageSize = 5000
	MaxCatalogPageSize     = 10_000
)

// CatalogSyncOptions configures SyncCatalog.
type CatalogSyncOptions struct {
	Encoding string // EncodingProtobuf (default, "") or EncodingJSON
	PageSize int    // element sets per request; 0: DefaultCatalogPageSize
	// Progress, if set, is called after each page is stored with the sets
	// stored so far in this call and the total expected (known from the
	// first page; it grows if sets arrive meanwhile).
	Progress func(done, total int)
	// NoGzip asks the server for uncompressed answers (measurement).
	NoGzip bool
}

// CatalogSyncResult reports one SyncCatalog call.
type CatalogSyncResult struct {
	ElementSets int           // element sets received and stored
	Bytes       int64         // response body bytes as received (compressed when gzip)
	Pages       int           // pages stored
	Cursor      int64         // the stored cursor afterwards
	Duration    time.Duration // wall time of the call
}

// ErrCatalogEncoding: an unknown CatalogSyncOptions.Encoding.
var ErrCatalogEncoding = errors.New("sync: unknown catalog encoding")

// SyncCatalog pulls every element set stored on the server after st's
// catalog cursor into st. Each page is written with its cursor in one
// transaction; on error (a cut connection, a cancelled ctx) the pages
// stored so far are kept and the next call resumes after them.
func (c *Client) SyncCatalog(ctx context.Context, st *Store, opt CatalogSyncOptions) (CatalogSyncResult, error) {
	began := time.Now()
	var res CatalogSyncResult
	accept := wire.ContentTypeProtobuf
	switch opt.Encoding {
	case "", EncodingProtobuf:
	case EncodingJSON:
		accept = wire.ContentTypeJSON
	default:
		return res, fmt.Errorf("%w %q (want %q or %q)", ErrCatalogEncoding, opt.Encoding, EncodingProtobuf, EncodingJSON)
	}
	size := opt.PageSize
	if size <= 0 {
		size = DefaultCatalogPageSize
	}
	size = min(size, MaxCatalogPageSize)
	cursor, err := st.CatalogCursor(ctx)
	if err != nil {
		return res, err
	}
	res.Cursor = cursor
	// One goroutine fetches page k+1 while this one stores page k (the
	// next cursor is known before a page is stored). Pages are still
	// stored strictly in order, each with its cursor, so a cut loses at
	// most fetched-but-unstored pages, which the next call fetches again.
	fctx, stop := context.WithCancel(ctx)
	fetched := make(chan fetchedPage, 1)
	go func() {
		defer close(fetched)
		next, first := cursor, true
		for {
			path := fmt.Sprintf("/api/v1/catalog/changes?cursor=%d&limit=%d", next, size)
			if first && opt.Progress != nil {
				path += "&total=1"
			}
			first = false
			page, n, err := c.catalogPage(fctx, path, accept, !opt.NoGzip)
			if err == nil && page.NextCursor < next {
				err = fmt.Errorf("sync: catalog changes: server cursor went back from %d to %d", next, page.NextCursor)
			}
			select {
			case fetched <- fetchedPage{page, n, err}:
			case <-fctx.Done():
				return
			}
			if err != nil || !page.More || len(page.ElementSets) == 0 {
				return
			}
			next = page.NextCursor
		}
	}()
	defer func() {
		stop()
		for range fetched { // let the fetcher finish before returning
		}
	}()
	total := 0
	for f := range fetched {
		res.Bytes += f.bytes
		if f.err == nil {
			f.err = ctx.Err()
		}
		if f.err == nil {
			f.err = st.applyCatalogPage(ctx, cursor, f.page)
		}
		if f.err != nil {
			res.Duration = time.Since(began)
			return res, f.err
		}
		page := f.page
		res.Pages++
		cursor = page.NextCursor
		res.Cursor = cursor
		res.ElementSets += len(page.ElementSets)
		if page.Remaining != nil && res.Pages == 1 {
			total = len(page.ElementSets) + int(*page.Remaining)
		}
		if opt.Progress != nil {
			total = max(total, res.ElementSets)
			opt.Progress(res.ElementSets, total)
		}
	}
	if err := ctx.Err(); err != nil { // cancelled while the fetcher waited
		res.Duration = time.Since(began)
		return res, err
	}
	res.Duration = time.Since(began)
	return res, nil
}

// fetchedPage is one answer of the fetch goroutine.
type fetchedPage struct {
	page  wire.CatalogChanges
	bytes int64
	err   error
}

// catalogPage fetches and decodes one page; n is the body bytes received.
func (c *Client) catalogPage(ctx context.Context, path, accept string, gz bool) (wire.CatalogChanges, int64, error) {
	var page wire.CatalogChanges
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(c.BaseURL, "/")+path, nil)
		if err != nil {
			return page, 0, fmt.Errorf("sync: catalog changes: %w", err)
		}
		req.Header.Set("Accept", accept)
		// Asked explicitly either way: with gzip the transport then leaves
		// the body compressed, so the bytes counted are the bytes on the
		// wire; without, "identity" stops the transport from asking for
		// gzip on its own (and decompressing out of sight).
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		} else {
			req.Header.Set("Accept-Encoding", "identity")
		}
		if err := c.authorize(ctx, req.Header); err != nil {
			return page, 0, err
		}
		resp, err := c.httpClient().Do(req)
		if err != nil {
			return page, 0, fmt.Errorf("sync: catalog changes: %w", errors.Join(ErrOffline, err))
		}
		raw, err := io.ReadAll(io.LimitReader(resp.Body, 512<<20))
		resp.Body.Close()
		n := int64(len(raw))
		if err != nil {
			return page, n, fmt.Errorf("sync: catalog changes: %w", errors.Join(ErrOffline, err))
		}
		if resp.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(bytes.NewReader(raw))
			if err == nil {
				raw, err = io.ReadAll(zr)
			}
			if err != nil {
				return page, n, fmt.Errorf("sync: catalog changes: bad gzip body: %w", err)
			}
		}
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 && c.APIKey.IsZero() {
			if err := c.Refresh(ctx); err != nil {
				return page, n, err
			}
			continue
		}
		if resp.StatusCode != http.StatusOK {
			return page, n, fmt.Errorf("sync: catalog changes: %w", apiError(resp.StatusCode, raw))
		}
		switch ct := resp.Header.Get("Content-Type"); {
		case strings.HasPrefix(ct, wire.ContentTypeProtobuf):
			var pb catalogpb.CatalogChanges
			if err := proto.Unmarshal(raw, &pb); err != nil {
				return page, n, fmt.Errorf("sync: catalog changes: bad protobuf body: %w", err)
			}
			page = catalogFromPB(&pb)
		case strings.HasPrefix(ct, wire.ContentTypeJSON):
			if err := json.Unmarshal(raw, &page); err != nil {
				return page, n, fmt.Errorf("sync: catalog changes: bad JSON body: %w", err)
			}
		default:
			return page, n, fmt.Errorf("sync: catalog changes: unexpected content type %q", ct)
		}
		return page, n, nil
	}
}

// catalogFromPB converts a protobuf page to the JSON types.
func catalogFromPB(pb *catalogpb.CatalogChanges) wire.CatalogChanges {
	out := wire.CatalogChanges{NextCursor: pb.NextCursor, More: pb.More, Head: pb.Head,
		ElementSets: make([]wire.CatalogElementSet, len(pb.ElementSets))}
	if pb.Remaining >= 0 {
		r := pb.Remaining
		out.Remaining = &r
	}
	for i, s := range pb.ElementSets {
		out.ElementSets[i] = wire.CatalogElementSet{Seq: s.Seq, NORAD: int(s.Norad), Name: s.Name, COSPAR: s.Cospar,
			Epoch: time.UnixMilli(s.EpochUnixMs).UTC(), Format: s.Format, Body: s.Body, Received: time.UnixMilli(s.ReceivedUnixMs).UTC()}
	}
	return out
}

// CatalogCursor is the server cursor the last catalog sync stored (0 before any).
func (s *Store) CatalogCursor(ctx context.Context) (int64, error) {
	return s.Cursor(ctx, catalogCursor)
}

// applyCatalogPage stores a page's element sets (each as the JSON of
// wire.CatalogElementSet, the same (NORAD, epoch) replacing an earlier copy)
// and advances the cursor from `from` to the page's next cursor, all in one
// transaction. A cursor that moved meanwhile (another sync of the same
// file) rolls it back.
func (s *Store) applyCatalogPage(ctx context.Context, from int64, page wire.CatalogChanges) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sync: storing catalog page after %d: %w", from, err)
	}
	defer tx.Rollback()
	var cur int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT seq FROM cursors WHERE channel = ?), 0)`, catalogCursor).Scan(&cur); err != nil {
		return fmt.Errorf("sync: storing catalog page after %d: %w", from, err)
	}
	if cur != from {
		return fmt.Errorf("sync: storing catalog page after %d: the stored cursor is now %d (another sync ran)", from, cur)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO element_sets (norad, epoch_ms, name, body) VALUES (?, ?, ?, ?)
		ON CONFLICT (norad, epoch_ms) DO UPDATE SET name = excluded.name, body = excluded.body`)
	if err != nil {
		return fmt.Errorf("sync: storing catalog page after %d: %w", from, err)
	}
	defer stmt.Close()
	for _, e := range page.ElementSets {
		body, err := json.Marshal(e)
		if err != nil {
			return fmt.Errorf("sync: storing catalog page after %d: %w", from, err)
		}
		if _, err := stmt.ExecContext(ctx, e.NORAD, e.Epoch.UTC().UnixMilli(), e.Name, body); err != nil {
			return fmt.Errorf("sync: storing %d at %s: %w", e.NORAD, e.Epoch.UTC().Format(time.RFC3339), err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO cursors (channel, seq) VALUES (?, ?)
		ON CONFLICT (channel) DO UPDATE SET seq = excluded.seq`, catalogCursor, page.NextCursor); err != nil {
		return fmt.Errorf("sync: storing catalog cursor %d: %w", page.NextCursor, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sync: storing catalog page after %d: %w", from, err)
	}
	return nil
}

// ElementSetHistory returns an object's cached element sets, newest first,
// at most limit (0: all). Sets stored by SyncCatalog are the JSON of
// wire.CatalogElementSet.
func (s *Store) ElementSetHistory(ctx context.Context, norad, limit int) ([][]byte, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := s.db.QueryContext(ctx, `SELECT body FROM element_sets WHERE norad = ? ORDER BY epoch_ms DESC LIMIT ?`, norad, limit)
	if err != nil {
		return nil, fmt.Errorf("sync: reading the history of %d: %w", norad, err)
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, fmt.Errorf("sync: reading the history of %d: %w", norad, err)
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// ElementSetCount is the number of cached element sets (every object, all history).
func (s *Store) ElementSetCount(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM element_sets`).Scan(&n); err != nil {
		return 0, fmt.Errorf("sync: counting cached element sets: %w", err)
	}
	return n, nil
}
