package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	assync "github.com/astroshield/astroshield/sync"

	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/tle"
)

// RemoteChannels are the feed channels the desktop follows.
var RemoteChannels = []string{"conjunctions", "maneuvers", "ccdm", "catalog"}

// OfflineAfterAttempts is how many failed reconnects the indicator shows as
// "reconnecting" before it says "offline" (the feed keeps retrying).
const OfflineAfterAttempts = 3

// CatalogSyncer brings the local cache's catalog up to date with the
// server. progress gets element sets done and the total known so far.
// ProtobufCatalogSync (sync.Client.SyncCatalog) is the default; tests or
// a JSON-only setup may put another behind it.
type CatalogSyncer interface {
	SyncCatalog(ctx context.Context, c *assync.Client, st *assync.Store, progress func(done, total int)) (int, error)
}

// RemoteConfig says where and how the Remote connects.
type RemoteConfig struct {
	URL string // server base URL, e.g. http://127.0.0.1:8080
	// CacheDir holds the local store (cache.db); "" uses
	// os.UserCacheDir()/astroshield.
	CacheDir string
	// Tokens stores the refresh token when "remember me" is on; zero Path
	// uses sync.DefaultTokenFile.
	Tokens    assync.TokenFile
	Backoff   assync.Backoff // zero: sync.DefaultBackoff
	Heartbeat time.Duration  // zero: 15 s
	HTTP      *http.Client
	Syncer    CatalogSyncer // nil: ProtobufCatalogSync{}
}

// LinkStatus is what the connection indicator shows.
type LinkStatus struct {
	State     string    // sync.LinkOnline, LinkConnecting, LinkReconnecting, LinkOffline
	Attempt   int       // failed reconnects in a row
	NextRetry time.Time // when the next reconnect starts (reconnecting)
	Queued    int       // outbox actions waiting
	Err       error     // why the link went down, if known
	Syncing   bool
	SyncDone  int
	SyncTotal int
}

// Text is the indicator's wording, e.g. "online", "reconnecting (attempt 2,
// next retry in 1.3 s)", "offline · 3 queued".
func (s LinkStatus) Text(now time.Time) string {
	var t string
	switch {
	case s.State == assync.LinkOnline:
		t = "online"
	case s.State == assync.LinkReconnecting && s.Attempt <= OfflineAfterAttempts:
		wait := s.NextRetry.Sub(now)
		if wait < 0 {
			wait = 0
		}
		t = fmt.Sprintf("reconnecting (attempt %d, next retry in %.1f s)", s.Attempt, wait.Seconds())
	case s.State == assync.LinkReconnecting:
		wait := max(s.NextRetry.Sub(now), 0)
		t = fmt.Sprintf("offline (retrying in %.1f s)", wait.Seconds())
	case s.State == assync.LinkConnecting:
		t = "connecting"
	case errors.Is(s.Err, assync.ErrAuth):
		t = "signed out (the server refused the session)"
	default:
		t = "offline"
	}
	if s.Queued > 0 {
		t += fmt.Sprintf(" · %d queued", s.Queued)
	}
	if s.Syncing {
		t += fmt.Sprintf(" · syncing catalog %d/%d", s.SyncDone, s.SyncTotal)
	}
	return t
}

// Remote owns the desktop's connection to a server: credentials, the local
// cache, the catalog sync, the live feed and the outbox. Its callbacks run
// on its own goroutines (UI code wraps widget updates in fyne.Do). Start
// starts the goroutines; Disconnect or Close stop them.
type Remote struct {
	// OnStatus is called on every indicator change.
	OnStatus func(LinkStatus)
	// OnEvent is called with every new feed event (after it is stored).
	OnEvent func(assync.Event)
	// OnCatalog is called after a catalog sync changed the cache.
	OnCatalog func()
	// OnFlush reports what a flush of the outbox did.
	OnFlush func(assync.FlushResult, error)
	// OnAuthLost is called once when the server refuses the session while
	// connected (refresh token refused, user disabled, API key revoked).
	// The Remote has stopped by then (no retries; sign in and Start again);
	// queued actions stay in the outbox.
	OnAuthLost func(error)

	cfg    RemoteConfig
	client *assync.Client
	store  *assync.Store
	syncer CatalogSyncer

	mu      sync.Mutex
	status  LinkStatus
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	kick    chan struct{} // sync now
	flushCh chan struct{}
	running bool
}

// OpenRemote opens (creating) the local cache for cfg.URL. It needs no
// network.
func OpenRemote(cfg RemoteConfig) (*Remote, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("app: server URL %q: want http(s)://host[:port]", cfg.URL)
	}
	cfg.URL = strings.TrimRight(cfg.URL, "/")
	if cfg.CacheDir == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return nil, fmt.Errorf("app: locating the cache directory: %w", err)
		}
		cfg.CacheDir = filepath.Join(d, "astroshield")
	}
	if cfg.Tokens.Path == "" {
		if cfg.Tokens, err = assync.DefaultTokenFile(); err != nil {
			return nil, err
		}
	}
	if cfg.Backoff.Base == 0 {
		cfg.Backoff = assync.DefaultBackoff()
	}
	if err := os.MkdirAll(cfg.CacheDir, 0o700); err != nil {
		return nil, fmt.Errorf("app: cache directory: %w", err)
	}
	st, err := assync.OpenStore(filepath.Join(cfg.CacheDir, "cache.db"))
	if err != nil {
		return nil, err
	}
	r := &Remote{cfg: cfg, store: st, syncer: cfg.Syncer,
		client: &assync.Client{BaseURL: cfg.URL, HTTP: cfg.HTTP},
		kick:   make(chan struct{}, 1), flushCh: make(chan struct{}, 1)}
	if r.syncer == nil {
		r.syncer = ProtobufCatalogSync{}
	}
	r.status.State = assync.LinkOffline
	r.status.Queued, _ = st.QueuedCount(context.Background())
	return r, nil
}

// URL is the server's base URL.
func (r *Remote) URL() string { return r.cfg.URL }

// Store is the local cache.
func (r *Remote) Store() *assync.Store { return r.store }

// Client is the REST client (for requests the UI makes directly).
func (r *Remote) Client() *assync.Client { return r.client }

// Status is the indicator's current state.
func (r *Remote) Status() LinkStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status
}

func (r *Remote) update(f func(*LinkStatus)) {
	r.mu.Lock()
	f(&r.status)
	s := r.status
	r.mu.Unlock()
	if r.OnStatus != nil {
		r.OnStatus(s)
	}
}

// Login logs in with a username and password. remember stores the refresh
// token (only it) in the 0600 token file; otherwise it stays in memory and
// any stored token is removed.
func (r *Remote) Login(ctx context.Context, username string, password assync.Secret, remember bool) error {
	r.client.APIKey = assync.Secret{}
	if remember {
		r.client.Tokens = r.cfg.Tokens
	} else {
		r.client.Tokens = assync.TokenFile{}
		if err := r.cfg.Tokens.Clear(); err != nil {
			return err
		}
	}
	if err := r.client.Login(ctx, username, password); err != nil {
		return fmt.Errorf("logging in to %s as %s: %w", r.cfg.URL, username, err)
	}
	return nil
}

// UseAPIKey authenticates every request with key (X-API-Key); it is never
// stored.
func (r *Remote) UseAPIKey(ctx context.Context, key assync.Secret) error {
	r.client.APIKey = key
	r.client.Tokens = assync.TokenFile{}
	st, body, err := r.client.Do(ctx, http.MethodGet, "/api/v1/me", nil, nil)
	if err != nil {
		return fmt.Errorf("checking the API key with %s: %w", r.cfg.URL, err)
	}
	if st != http.StatusOK {
		r.client.APIKey = assync.Secret{}
		return fmt.Errorf("checking the API key with %s: %w (%d %.200s)", r.cfg.URL, assync.ErrAuth, st, body)
	}
	return nil
}

// Resume logs in from the stored refresh token. sync.ErrAuth means there
// is none (or it was refused): ask with the connect dialog.
func (r *Remote) Resume(ctx context.Context) error {
	r.client.Tokens = r.cfg.Tokens
	if err := r.client.Resume(ctx); err != nil {
		return fmt.Errorf("resuming the session with %s: %w", r.cfg.URL, err)
	}
	return nil
}

// HasStoredSession reports whether a refresh token is stored.
func (r *Remote) HasStoredSession() bool {
	tok, err := r.cfg.Tokens.Load()
	return err == nil && !tok.IsZero()
}

// CachedCatalog builds a Catalog from the newest cached element set of each
// object (no network). Bodies that cannot be read are counted in
// RecordErrs.
func (r *Remote) CachedCatalog(ctx context.Context) (*Catalog, error) {
	bodies, err := r.store.LatestElementSets(ctx)
	if err != nil {
		return nil, err
	}
	sets := make([]gp.ElementSet, 0, len(bodies))
	var errs []error
	for _, b := range bodies {
		e, err := decodeCachedSet(b)
		if err != nil {
			if len(errs) < 20 {
				errs = append(errs, err)
			}
			continue
		}
		sets = append(sets, e)
	}
	c := NewCatalog(sets, r.cfg.URL)
	c.RecordErrs = errors.Join(errs...)
	return c, nil
}

// cachedSet is the server's changes-page element set (server/wire's
// CatalogElementSet; app does not import server packages).
type cachedSet struct {
	Seq    int64     `json:"seq"`
	NORAD  int       `json:"norad"`
	Name   string    `json:"name"`
	COSPAR string    `json:"cospar"`
	Epoch  time.Time `json:"epoch"`
	Format string    `json:"format"` // "tle" (two lines) or "gp-json"
	Body   string    `json:"body"`
}

func decodeCachedSet(b []byte) (gp.ElementSet, error) {
	var c cachedSet
	if err := json.Unmarshal(b, &c); err != nil {
		return gp.ElementSet{}, fmt.Errorf("cached element set: %w", err)
	}
	switch c.Format {
	case "tle":
		sets, errs := tle.ReadAll(strings.NewReader(c.Name+"\n"+strings.TrimSpace(c.Body)+"\n"), tle.Options{})
		if len(sets) != 1 {
			return gp.ElementSet{}, fmt.Errorf("cached TLE of %d: %v", c.NORAD, errs)
		}
		return sets[0], nil
	case "gp-json":
		var e gp.ElementSet
		if err := json.Unmarshal([]byte(c.Body), &e); err != nil {
			return gp.ElementSet{}, fmt.Errorf("cached OMM of %d: %w", c.NORAD, err)
		}
		if e.Name == "" {
			e.Name = c.Name
		}
		return e, nil
	}
	return gp.ElementSet{}, fmt.Errorf("cached element set of %d: unknown format %q", c.NORAD, c.Format)
}

// Start runs the connection: a catalog sync, then the live feed (resumed
// from the cache's cursors) and the outbox flusher, until Disconnect or
// Close. Call after Login, UseAPIKey or Resume.
func (r *Remote) Start() {
	r.mu.Lock()
	if r.running {
		r.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.running = cancel, true
	r.mu.Unlock()

	bo := r.cfg.Backoff
	base, maxWait := bo.Base, bo.Max
	attempt := 0
	// The feed calls Rand once per failed attempt, just before it waits:
	// the indicator learns the attempt number and the retry time from it.
	bo.Rand = func() float64 {
		attempt++
		x := rand.Float64()
		ceil := maxWait
		if attempt-1 < 62 {
			if c := base << (attempt - 1); c > 0 && c < maxWait {
				ceil = c
			}
		}
		next := time.Now().Add(time.Duration(x * float64(ceil)))
		n, _ := r.store.QueuedCount(ctx)
		r.update(func(s *LinkStatus) {
			s.State, s.Attempt, s.NextRetry, s.Queued = assync.LinkReconnecting, attempt, next, n
		})
		return x
	}
	feed := &assync.Feed{Client: r.client, Store: r.store, Channels: RemoteChannels, Backoff: bo, Heartbeat: r.cfg.Heartbeat,
		OnEvent: func(e assync.Event) {
			if e.Channel == "catalog" {
				r.SyncNow()
			}
			if r.OnEvent != nil {
				r.OnEvent(e)
			}
		},
		OnState: func(state string, err error) {
			if state == assync.LinkOnline {
				attempt = 0
				r.kickFlush()
				r.SyncNow()
			}
			if state == assync.LinkReconnecting {
				return // reported by Rand with the attempt and retry time
			}
			r.update(func(s *LinkStatus) { s.State, s.Err = state, err })
		}}

	r.wg.Add(3)
	go func() {
		defer r.wg.Done()
		if err := feed.Run(ctx); errors.Is(err, assync.ErrAuth) && ctx.Err() == nil {
			r.authLost(err)
		}
	}()
	go func() { defer r.wg.Done(); r.syncLoop(ctx) }()
	go func() { defer r.wg.Done(); r.flushLoop(ctx) }()
	r.SyncNow()
}

// authLost stops the catalog sync and the outbox (the feed has stopped
// itself), shows "signed out" and tells OnAuthLost. It runs on the feed's
// goroutine, so it cancels rather than waits as Disconnect does.
func (r *Remote) authLost(err error) {
	r.mu.Lock()
	cancel := r.cancel
	r.running, r.cancel = false, nil
	r.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	n, _ := r.store.QueuedCount(context.Background())
	r.update(func(s *LinkStatus) { *s = LinkStatus{State: assync.LinkOffline, Queued: n, Err: err} })
	if r.OnAuthLost != nil {
		r.OnAuthLost(err)
	}
}

// SyncNow asks for a catalog sync and an outbox flush now.
func (r *Remote) SyncNow() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
	r.kickFlush()
}

func (r *Remote) kickFlush() {
	select {
	case r.flushCh <- struct{}{}:
	default:
	}
}

func (r *Remote) syncLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.kick:
		}
		r.update(func(s *LinkStatus) { s.Syncing, s.SyncDone, s.SyncTotal = true, 0, 0 })
		n, err := r.syncer.SyncCatalog(ctx, r.client, r.store, func(done, total int) {
			r.update(func(s *LinkStatus) { s.SyncDone, s.SyncTotal = done, total })
		})
		r.update(func(s *LinkStatus) {
			s.Syncing = false
			if err != nil && ctx.Err() == nil {
				s.Err = err
			}
		})
		if n > 0 && r.OnCatalog != nil {
			r.OnCatalog()
		}
	}
}

// flushLoop sends the outbox when asked (on reconnect, after Enqueue) and
// every few seconds while actions wait.
func (r *Remote) flushLoop(ctx context.Context) {
	tk := time.NewTicker(5 * time.Second)
	defer tk.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.flushCh:
		case <-tk.C:
			if n, _ := r.store.QueuedCount(ctx); n == 0 {
				continue
			}
		}
		res, err := r.store.Flush(ctx, r.client.Sender())
		n, _ := r.store.QueuedCount(ctx)
		r.update(func(s *LinkStatus) { s.Queued = n })
		if r.OnFlush != nil && (res.Sent+res.Conflicts+res.Rejected > 0 || err != nil) {
			r.OnFlush(res, err)
		}
	}
}

// Enqueue queues an action in the durable outbox and tries to send it at
// once; offline it waits for the reconnect. The server applies it once
// (Idempotency-Key).
func (r *Remote) Enqueue(ctx context.Context, method, path, contentType string, body []byte, summary string) (assync.Action, error) {
	a, err := r.store.Enqueue(ctx, method, path, contentType, body, summary)
	if err != nil {
		return a, err
	}
	n, _ := r.store.QueuedCount(ctx)
	r.update(func(s *LinkStatus) { s.Queued = n })
	r.kickFlush()
	return a, nil
}

// AddNote queues a note on server event eventID, written against the
// version seen (the event's updated_at as the user saw it). Should the
// event change before the note arrives, the server keeps it and flags a
// conflict (Store.Conflicts).
func (r *Remote) AddNote(ctx context.Context, eventID int64, seen time.Time, text string) (assync.Action, error) {
	a, err := r.store.EnqueueNote(ctx, eventID, seen, text)
	if err != nil {
		return a, err
	}
	r.queued(ctx)
	return a, nil
}

// Acknowledge queues an acknowledgement of server event eventID as of
// version seen. Should the event change before it arrives, the server
// refuses it and it is kept as a conflict for the user to redo.
func (r *Remote) Acknowledge(ctx context.Context, eventID int64, seen time.Time, comment string) (assync.Action, error) {
	a, err := r.store.EnqueueAck(ctx, eventID, seen, comment)
	if err != nil {
		return a, err
	}
	r.queued(ctx)
	return a, nil
}

// queued shows the new queue length and asks for a flush.
func (r *Remote) queued(ctx context.Context) {
	n, _ := r.store.QueuedCount(ctx)
	r.update(func(s *LinkStatus) { s.Queued = n })
	r.kickFlush()
}

// UploadElements queues an upload of element sets (TLE or OMM text) to
// POST /api/v1/elements.
func (r *Remote) UploadElements(ctx context.Context, body []byte, summary string) (assync.Action, error) {
	if len(body) == 0 {
		return assync.Action{}, errors.New("app: nothing to upload")
	}
	return r.Enqueue(ctx, http.MethodPost, "/api/v1/elements", "text/plain", body, summary)
}

// RequestScreening queues a server screening job (POST /api/v1/screenings).
func (r *Remote) RequestScreening(ctx context.Context, start time.Time, hours, thresholdKm float64, primaries []int) (assync.Action, error) {
	if hours <= 0 || thresholdKm <= 0 {
		return assync.Action{}, fmt.Errorf("app: screening request: want hours > 0 and threshold > 0, got %v h, %v km", hours, thresholdKm)
	}
	b, _ := json.Marshal(map[string]any{"start": start.UTC().Format(time.RFC3339), "hours": hours, "threshold_km": thresholdKm, "primaries": primaries})
	return r.Enqueue(ctx, http.MethodPost, "/api/v1/screenings", "application/json", b,
		fmt.Sprintf("screening %g h from %s, %g km", hours, start.UTC().Format(time.RFC3339), thresholdKm))
}

// Disconnect stops the feed, sync and flusher (the cache and the stored
// token stay; Start connects again).
func (r *Remote) Disconnect() {
	r.mu.Lock()
	cancel, running := r.cancel, r.running
	r.running, r.cancel = false, nil
	r.mu.Unlock()
	if !running {
		return
	}
	cancel()
	r.wg.Wait()
	n, _ := r.store.QueuedCount(context.Background())
	r.update(func(s *LinkStatus) { *s = LinkStatus{State: assync.LinkOffline, Queued: n} })
}

// Logout disconnects and forgets the stored refresh token.
func (r *Remote) Logout() error {
	r.Disconnect()
	return r.cfg.Tokens.Clear()
}

// Close disconnects and closes the cache.
func (r *Remote) Close() error {
	r.Disconnect()
	return r.store.Close()
}

// ProtobufCatalogSync is the default CatalogSyncer: sync.Client.SyncCatalog
// (protobuf delta pages from the cursor the cache keeps, gzip).
type ProtobufCatalogSync struct {
	Encoding string // sync.EncodingProtobuf ("") or sync.EncodingJSON
	PageSize int    // 0: sync.DefaultCatalogPageSize
}

// SyncCatalog implements CatalogSyncer.
func (p ProtobufCatalogSync) SyncCatalog(ctx context.Context, c *assync.Client, st *assync.Store, progress func(done, total int)) (int, error) {
	res, err := c.SyncCatalog(ctx, st, assync.CatalogSyncOptions{Encoding: p.Encoding, PageSize: p.PageSize, Progress: progress})
	if err != nil {
		return res.ElementSets, fmt.Errorf("catalog sync with %s: %w", c.BaseURL, err)
	}
	return res.ElementSets, nil
}

// CacheDir is where the local store lives.
func (r *Remote) CacheDir() string { return r.cfg.CacheDir }
