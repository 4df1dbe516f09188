package sync

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/api"
	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/feed"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/sqlite"
	"github.com/astroshield/astroshield/server/wire"
)

// catalogServer is a real server (SQLite file, auth, the API) on loopback.
type catalogServer struct {
	db  *sqlite.DB
	srv *httptest.Server
}

const catalogTestPassword = "catalog-Passw0rd!"

func newCatalogServer(tb testing.TB) *catalogServer {
	tb.Helper()
	db, srv := startAPIServer(tb, "viewer", store.RoleViewer, catalogTestPassword)
	return &catalogServer{db: db, srv: srv}
}

// startAPIServer runs the real API (SQLite store, auth, feed hub, no job
// runner) on loopback with one user.
func startAPIServer(tb testing.TB, username string, role store.Role, password string) (*sqlite.DB, *httptest.Server) {
	tb.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), sqlite.FileName))
	if err != nil {
		tb.Fatal(err)
	}
	hasher := auth.InsecureTestHasher(4)
	au, err := auth.New(ctx, db, auth.Config{Hasher: hasher})
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	hub := feed.NewHub(db, log)
	srv := httptest.NewServer(api.New(db, au, hub, nil, log, api.Config{Version: "test"}).Handler())
	tb.Cleanup(func() { hub.Close(); srv.Close(); db.Close() })
	hash, err := hasher.Hash(password)
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.Update(ctx, func(tx store.Tx) error {
		_, err := auth.CreateUser(ctx, tx, "test", username, role, hash, time.Now())
		return err
	}); err != nil {
		tb.Fatal(err)
	}
	return db, srv
}

// client logs a viewer in; rt, if set, wraps the transport.
func (s *catalogServer) client(tb testing.TB, rt func(http.RoundTripper) http.RoundTripper) *Client {
	tb.Helper()
	c := &Client{BaseURL: s.srv.URL, HTTP: &http.Client{Transport: s.srv.Client().Transport}}
	if rt != nil {
		c.HTTP.Transport = rt(c.HTTP.Transport)
	}
	if err := c.Login(context.Background(), "viewer", NewSecret(catalogTestPassword)); err != nil {
		tb.Fatal(err)
	}
	return c
}

// put stores days element sets for each of norads (bodies are labels: the
// transfer does not parse them).
func (s *catalogServer) put(tb testing.TB, norads []int, days int, from time.Time) {
	tb.Helper()
	ctx := context.Background()
	if err := s.db.Update(ctx, func(tx store.Tx) error {
		for d := range days {
			for _, n := range norads {
				ep := from.Add(time.Duration(d) * 24 * time.Hour)
				if _, err := tx.PutElementSet(ctx, fmt.Sprintf("OBJ %d", n), fmt.Sprintf("2020-%03dA", n%1000), store.ElementSet{
					NORAD: n, Epoch: ep, Format: "tle", Body: fmt.Sprintf("%d@%s", n, ep.Format(time.RFC3339)), Received: time.Now()}); err != nil {
					return err
				}
			}
		}
		return nil
	}); err != nil {
		tb.Fatal(err)
	}
}

func (s *catalogServer) count(tb testing.TB) int {
	n, err := s.db.CountElementSetChanges(context.Background(), 0)
	if err != nil {
		tb.Fatal(err)
	}
	return int(n)
}

func openCache(tb testing.TB) *Store {
	st, err := OpenStore(filepath.Join(tb.TempDir(), "cache.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

func seq(from, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = from + i
	}
	return out
}

// TestSyncCatalogResume: a sync cancelled mid-way keeps the pages it
// stored; the next sync (after more sets arrive) ends with exactly the
// server's sets, in both encodings.
func TestSyncCatalogResume(t *testing.T) {
	for _, enc := range []string{EncodingProtobuf, EncodingJSON} {
		t.Run(enc, func(t *testing.T) {
			ctx := context.Background()
			s := newCatalogServer(t)
			from := time.Date(2022, 6, 15, 0, 0, 0, 0, time.UTC)
			s.put(t, seq(1, 100), 30, from)
			c, st := s.client(t, nil), openCache(t)

			cctx, cancel := context.WithCancel(ctx)
			var calls []int
			res, err := c.SyncCatalog(cctx, st, CatalogSyncOptions{Encoding: enc, PageSize: 250, Progress: func(done, total int) {
				calls = append(calls, done)
				if total != 3000 {
					t.Errorf("progress total %d, want 3000", total)
				}
				if done == 750 {
					cancel()
				}
			}})
			if !errors.Is(err, context.Canceled) || res.Pages != 3 || res.ElementSets != 750 {
				t.Fatalf("cancelled sync: %+v, %v", res, err)
			}
			if n, _ := st.ElementSetCount(ctx); n != 750 {
				t.Fatalf("%d sets cached after the cut, want the 3 pages stored (750)", n)
			}
			cur, _ := st.CatalogCursor(ctx)
			if cur != res.Cursor || cur == 0 {
				t.Fatalf("stored cursor %d, result %d", cur, res.Cursor)
			}

			s.put(t, seq(1, 120), 31, from) // 20 new objects and a 31st day; old days are duplicates the server ignores
			res, err = c.SyncCatalog(ctx, st, CatalogSyncOptions{Encoding: enc, PageSize: 250})
			if err != nil {
				t.Fatal(err)
			}
			want := s.count(t)
			if want != 120*31 || res.ElementSets != want-750 {
				t.Fatalf("resumed sync got %d sets, server has %d (want %d)", res.ElementSets, want, 120*31)
			}
			if n, _ := st.ElementSetCount(ctx); n != want {
				t.Fatalf("%d sets cached, server has %d", n, want)
			}
			head, _ := s.db.ElementSetHead(ctx)
			if res.Cursor != head || res.Bytes <= 0 || res.Pages != (want-750+249)/250 {
				t.Fatalf("result %+v, head %d", res, head)
			}
			// Nothing new: one empty page, nothing stored.
			again, err := c.SyncCatalog(ctx, st, CatalogSyncOptions{Encoding: enc})
			if err != nil || again.ElementSets != 0 || again.Pages != 1 || again.Cursor != head {
				t.Fatalf("sync with nothing new: %+v, %v", again, err)
			}
			// The cache holds the server's content, per object newest first.
			hist, err := st.ElementSetHistory(ctx, 7, 0)
			if err != nil || len(hist) != 31 {
				t.Fatalf("history of 7: %d sets, %v", len(hist), err)
			}
			var newest wire.CatalogElementSet
			if err := json.Unmarshal(hist[0], &newest); err != nil {
				t.Fatal(err)
			}
			last := from.Add(30 * 24 * time.Hour)
			if newest.NORAD != 7 || newest.Name != "OBJ 7" || newest.COSPAR != "2020-007A" || !newest.Epoch.Equal(last) ||
				newest.Body != fmt.Sprintf("7@%s", last.Format(time.RFC3339)) || newest.Seq <= 0 {
				t.Fatalf("newest cached set of 7: %+v", newest)
			}
			latest, err := st.LatestElementSets(ctx)
			if err != nil || len(latest) != 120 {
				t.Fatalf("latest: %d, %v", len(latest), err)
			}
		})
	}
}

// flakyTransport fails every n-th request after sending it (the server
// answered, the client lost the answer: the worst place to be cut).
type flakyTransport struct {
	rt    http.RoundTripper
	n     int64
	count atomic.Int64
}

func (f *flakyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := f.rt.RoundTrip(r)
	if err == nil && f.count.Add(1)%f.n == 0 {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return nil, errors.New("connection reset (test)")
	}
	return resp, err
}

// TestSyncCatalogCutConnection: answers lost in flight; retrying until done
// ends with every set exactly once.
func TestSyncCatalogCutConnection(t *testing.T) {
	ctx := context.Background()
	s := newCatalogServer(t)
	s.put(t, seq(100, 50), 20, time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC))
	flaky := &flakyTransport{n: 3}
	c := s.client(t, func(rt http.RoundTripper) http.RoundTripper { flaky.rt = rt; return flaky })
	st := openCache(t)
	got, failures := 0, 0
	for try := 0; try < 50; try++ {
		res, err := c.SyncCatalog(ctx, st, CatalogSyncOptions{PageSize: 70})
		got += res.ElementSets
		if err == nil {
			break
		}
		if !errors.Is(err, ErrOffline) {
			t.Fatalf("try %d: %v", try, err)
		}
		failures++
	}
	n, _ := st.ElementSetCount(ctx)
	if failures == 0 || got != 1000 || n != 1000 {
		t.Fatalf("%d failures, %d sets received in all, %d cached; want 1000 exactly once", failures, got, n)
	}
}

func TestSyncCatalogEncodingsAgree(t *testing.T) {
	ctx := context.Background()
	s := newCatalogServer(t)
	s.put(t, seq(40000, 30), 5, time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC))
	c := s.client(t, nil)
	var bodies [2][][]byte
	var sizes [2]int64
	for i, enc := range []string{EncodingProtobuf, EncodingJSON} {
		st := openCache(t)
		res, err := c.SyncCatalog(ctx, st, CatalogSyncOptions{Encoding: enc, PageSize: 40, NoGzip: true})
		if err != nil || res.ElementSets != 150 {
			t.Fatalf("%s: %+v, %v", enc, res, err)
		}
		sizes[i] = res.Bytes
		for n := 40000; n < 40030; n++ {
			h, err := st.ElementSetHistory(ctx, n, 0)
			if err != nil {
				t.Fatal(err)
			}
			bodies[i] = append(bodies[i], h...)
		}
	}
	if len(bodies[0]) != 150 || len(bodies[1]) != 150 {
		t.Fatalf("%d and %d sets", len(bodies[0]), len(bodies[1]))
	}
	for i := range bodies[0] {
		if !bytes.Equal(bodies[0][i], bodies[1][i]) {
			t.Fatalf("protobuf and JSON caches differ:\n%s\n%s", bodies[0][i], bodies[1][i])
		}
	}
	if sizes[0] >= sizes[1] {
		t.Errorf("protobuf %d bytes, JSON %d", sizes[0], sizes[1])
	}
	if _, err := c.SyncCatalog(ctx, openCache(t), CatalogSyncOptions{Encoding: "xml"}); !errors.Is(err, ErrCatalogEncoding) {
		t.Fatalf("unknown encoding: %v", err)
	}
}
