// Package refresh runs the server's periodic catalog refreshes from CelesTrak
// GP and Space-Track, within each service's published usage rules.
package refresh

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/astroshield/astroshield/server/telemetry"
	"go.opentelemetry.io/otel/attribute"
)

// Defaults from the services' rules.
const (
	CelesTrakURL      = "https://celestrak.org"
	CelesTrakCadence  = 2 * time.Hour // GP data is updated about every 2 h; don't refetch a group sooner
	SpaceTrackURL     = "https://www.space-track.org"
	SpaceTrackPerMin  = 30
	SpaceTrackPerHour = 300
	// SpaceTrackQuery is the GP class query Space-Track recommends for a
	// full current catalog (on-orbit objects, recent epochs).
	SpaceTrackQuery = "/basicspacedata/query/class/gp/decay_date/null-val/epoch/%3Enow-30/orderby/norad_cat_id/format/json"
	maxBody         = 256 << 20
)

// Errors.
var (
	ErrLoginFailed = errors.New("refresh: Space-Track login refused (check --spacetrack-user and the password)")
	ErrNoImporter  = errors.New("refresh: no importer configured")
)

// Importer imports an element-set file as subject (api.Server.ImportElements).
type Importer func(ctx context.Context, data []byte, subject string) (added, duplicates, rejected int, err error)

// Config configures a Scheduler. A source is on only when configured.
type Config struct {
	CelesTrakGroups []string // e.g. "active"; empty: CelesTrak off
	CelesTrakURL    string   // default CelesTrakURL
	// CelesTrakMinInterval is the least time between fetches of one group
	// (default CelesTrakCadence; tests shorten it).
	CelesTrakMinInterval time.Duration

	SpaceTrackUser     string // empty: Space-Track off
	SpaceTrackPassword string // never logged
	SpaceTrackURL      string // default SpaceTrackURL
	SpaceTrackQuery    string // default SpaceTrackQuery
	SpaceTrackPerMin   int    // default 30
	SpaceTrackPerHour  int    // default 300

	Every     time.Duration // time between refreshes (default 2 h)
	RetryBase time.Duration // first backoff after an error (default 1 min), doubling up to Every
	HTTP      *http.Client  // default: 2 min timeout
	Import    Importer
	// Observe, if set, gets each refresh's source, result (ok,
	// not_modified, error), duration and element sets added.
	Observe func(source, result string, seconds float64, added int)
	Log     *slog.Logger
	Agent   string // User-Agent
}

// Scheduler owns the refresh loops.
type Scheduler struct {
	cfg    Config
	log    *slog.Logger
	client *http.Client
	ct     map[string]*groupState
	st     *spaceTrack
}

type groupState struct {
	etag, lastModified string
	fetched            time.Time
}

// New checks cfg and builds a scheduler (nil if no source is configured).
func New(cfg Config) (*Scheduler, error) {
	if len(cfg.CelesTrakGroups) == 0 && cfg.SpaceTrackUser == "" {
		return nil, nil
	}
	if cfg.Import == nil {
		return nil, ErrNoImporter
	}
	if cfg.SpaceTrackUser != "" && cfg.SpaceTrackPassword == "" {
		return nil, errors.New("refresh: Space-Track user given without a password (set $ASTROSHIELD_SPACETRACK_PASSWORD or --spacetrack-password-file)")
	}
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&cfg.CelesTrakURL, CelesTrakURL)
	def(&cfg.SpaceTrackURL, SpaceTrackURL)
	def(&cfg.SpaceTrackQuery, SpaceTrackQuery)
	def(&cfg.Agent, "astroshield")
	for _, u := range []string{cfg.CelesTrakURL, cfg.SpaceTrackURL} {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return nil, fmt.Errorf("refresh: base URL %q: want http(s)://host", u)
		}
	}
	if cfg.CelesTrakMinInterval <= 0 {
		cfg.CelesTrakMinInterval = CelesTrakCadence
	}
	if cfg.Every <= 0 {
		cfg.Every = 2 * time.Hour
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = time.Minute
	}
	if cfg.SpaceTrackPerMin <= 0 {
		cfg.SpaceTrackPerMin = SpaceTrackPerMin
	}
	if cfg.SpaceTrackPerHour <= 0 {
		cfg.SpaceTrackPerHour = SpaceTrackPerHour
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	client := cfg.HTTP
	if client == nil {
		client = &http.Client{Timeout: 2 * time.Minute}
	}
	s := &Scheduler{cfg: cfg, log: cfg.Log, client: client, ct: map[string]*groupState{}}
	for _, g := range cfg.CelesTrakGroups {
		if g == "" || strings.ContainsAny(g, "&?#/ ") {
			return nil, fmt.Errorf("refresh: CelesTrak group %q is not a group name", g)
		}
		s.ct[g] = &groupState{}
	}
	if cfg.SpaceTrackUser != "" {
		jar, _ := cookiejar.New(nil)
		c := *client
		c.Jar = jar
		s.st = &spaceTrack{client: &c, lim: &limiter{perMin: cfg.SpaceTrackPerMin, perHour: cfg.SpaceTrackPerHour}}
	}
	return s, nil
}

// Run refreshes every configured source until ctx ends; each source has
// its own loop, waiting Every after a success and backing off (with
// jitter) after an error.
func (s *Scheduler) Run(ctx context.Context) {
	if s == nil {
		return
	}
	var wg sync.WaitGroup
	for _, g := range s.cfg.CelesTrakGroups {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.loop(ctx, "celestrak:"+g, func(ctx context.Context) (string, int, error) { return s.celesTrak(ctx, g) })
		}()
	}
	if s.st != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.loop(ctx, "spacetrack", s.spaceTrack)
		}()
	}
	wg.Wait()
}

// RetryAfterError asks the loop to wait at least After before trying again.
type RetryAfterError struct {
	Err   error
	After time.Duration
}

func (e *RetryAfterError) Error() string { return e.Err.Error() }
func (e *RetryAfterError) Unwrap() error { return e.Err }

func (s *Scheduler) loop(ctx context.Context, source string, once func(context.Context) (string, int, error)) {
	failures := 0
	for {
		wait := s.cfg.Every
		if _, err := s.Once(ctx, source, once); err != nil {
			if ctx.Err() != nil {
				return
			}
			wait = backoff(s.cfg.RetryBase, s.cfg.Every, failures)
			var ra *RetryAfterError
			if errors.As(err, &ra) && ra.After > wait {
				wait = ra.After
			}
			failures++
		} else {
			failures = 0
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// backoff is base·2^n capped at limit, with ±25 % jitter so that servers
// restarted together do not retry in step.
func backoff(base, limit time.Duration, n int) time.Duration {
	d := base
	for i := 0; i < n && d < limit; i++ {
		d *= 2
	}
	d = min(d, limit)
	return d - d/4 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// Once runs one refresh of source with its span, metrics and log line.
func (s *Scheduler) Once(ctx context.Context, source string, once func(context.Context) (string, int, error)) (string, error) {
	ctx, span := telemetry.StartSpan(ctx, "refresh "+source, attribute.String("source", source))
	began := time.Now()
	result, added, err := once(ctx)
	if err != nil {
		result = "error"
	}
	d := time.Since(began)
	span.SetAttributes(attribute.String("result", result), attribute.Int("added", added))
	telemetry.End(span, err)
	if s.cfg.Observe != nil {
		s.cfg.Observe(source, result, d.Seconds(), added)
	}
	if err != nil {
		s.log.Warn("catalog refresh", "source", source, "result", result, "seconds", d.Seconds(), "err", err.Error())
	} else {
		s.log.Info("catalog refresh", "source", source, "result", result, "added", added, "seconds", d.Seconds())
	}
	return result, err
}

// celesTrak fetches one GP group as OMM JSON, conditionally, no more often
// than the group's update cadence.
func (s *Scheduler) celesTrak(ctx context.Context, group string) (string, int, error) {
	gs := s.ct[group]
	if !gs.fetched.IsZero() && time.Since(gs.fetched) < s.cfg.CelesTrakMinInterval {
		return "skipped", 0, nil
	}
	u := strings.TrimRight(s.cfg.CelesTrakURL, "/") + "/NORAD/elements/gp.php?GROUP=" + url.QueryEscape(group) + "&FORMAT=json"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", 0, fmt.Errorf("refresh: celestrak: %w", err)
	}
	req.Header.Set("User-Agent", s.cfg.Agent)
	req.Header.Set("Accept", "application/json")
	if gs.etag != "" {
		req.Header.Set("If-None-Match", gs.etag)
	}
	if gs.lastModified != "" {
		req.Header.Set("If-Modified-Since", gs.lastModified)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return "", 0, fmt.Errorf("refresh: celestrak %s: %w", group, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		gs.fetched = time.Now()
		return "not_modified", 0, nil
	case resp.StatusCode != http.StatusOK:
		return "", 0, statusError("celestrak "+group, resp)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return "", 0, fmt.Errorf("refresh: celestrak %s: read: %w", group, err)
	}
	if t := strings.TrimSpace(string(body)); !strings.HasPrefix(t, "[") {
		// CelesTrak answers 200 with a plain-text message for an unknown group.
		return "", 0, fmt.Errorf("refresh: celestrak %s: not OMM JSON: %.120q", group, t)
	}
	gs.fetched = time.Now() // counts against the cadence even if the import fails
	added, err := s.importBody(ctx, body, "refresh:celestrak")
	if err != nil {
		return "", 0, fmt.Errorf("refresh: celestrak %s: %w", group, err)
	}
	gs.etag, gs.lastModified = resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	return "ok", added, nil
}

func (s *Scheduler) importBody(ctx context.Context, body []byte, subject string) (int, error) {
	added, dup, rej, err := s.cfg.Import(ctx, body, subject)
	if err != nil {
		return 0, err
	}
	s.log.Debug("catalog import", "subject", subject, "added", added, "duplicates", dup, "rejected", rej)
	return added, nil
}

// statusError describes a non-2xx answer, honouring Retry-After on 429/503.
func statusError(what string, resp *http.Response) error {
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	err := fmt.Errorf("refresh: %s: HTTP %s", what, resp.Status)
	if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable {
		if ra := retryAfter(resp.Header.Get("Retry-After")); ra > 0 {
			return &RetryAfterError{Err: err, After: ra}
		}
	}
	return err
}

func retryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return time.Until(t)
	}
	return 0
}

// spaceTrack is one Space-Track session: a cookie jar, whether it is logged
// in, and the request limiter.
type spaceTrack struct {
	client   *http.Client
	lim      *limiter
	loggedIn bool
}

func (s *Scheduler) spaceTrack(ctx context.Context) (string, int, error) {
	st := s.st
	if !st.loggedIn {
		if err := s.login(ctx); err != nil {
			return "", 0, err
		}
	}
	body, status, err := s.stGet(ctx)
	if err != nil {
		return "", 0, err
	}
	if status == http.StatusUnauthorized { // session expired: log in again once
		st.loggedIn = false
		if err := s.login(ctx); err != nil {
			return "", 0, err
		}
		if body, status, err = s.stGet(ctx); err != nil {
			return "", 0, err
		}
		if status == http.StatusUnauthorized {
			st.loggedIn = false
			return "", 0, errors.New("refresh: spacetrack: query unauthorised right after login")
		}
	}
	added, err := s.importBody(ctx, body, "refresh:spacetrack")
	if err != nil {
		return "", 0, fmt.Errorf("refresh: spacetrack: %w", err)
	}
	return "ok", added, nil
}

func (s *Scheduler) login(ctx context.Context) error {
	if err := s.st.lim.wait(ctx); err != nil {
		return err
	}
	form := url.Values{"identity": {s.cfg.SpaceTrackUser}, "password": {s.cfg.SpaceTrackPassword}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(s.cfg.SpaceTrackURL, "/")+"/ajaxauth/login", strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("refresh: spacetrack login: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", s.cfg.Agent)
	resp, err := s.st.client.Do(req)
	if err != nil {
		return fmt.Errorf("refresh: spacetrack login: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		if resp.StatusCode == http.StatusUnauthorized {
			return ErrLoginFailed
		}
		return statusError("spacetrack login", resp)
	}
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	// A refused login answers 200 with {"Login":"Failed"} and sets no session.
	if strings.Contains(string(b), `"Failed"`) {
		return ErrLoginFailed
	}
	s.st.loggedIn = true
	s.log.Info("spacetrack login")
	return nil
}

// stGet runs the GP query; a 401 is returned as a status for re-login.
func (s *Scheduler) stGet(ctx context.Context) ([]byte, int, error) {
	if err := s.st.lim.wait(ctx); err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(s.cfg.SpaceTrackURL, "/")+s.cfg.SpaceTrackQuery, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("refresh: spacetrack query: %w", err)
	}
	req.Header.Set("User-Agent", s.cfg.Agent)
	resp, err := s.st.client.Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("refresh: spacetrack query: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, resp.StatusCode, nil
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, statusError("spacetrack query", resp)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, 0, fmt.Errorf("refresh: spacetrack query: read: %w", err)
	}
	return b, resp.StatusCode, nil
}

// limiter keeps requests within perMin in any minute and perHour in any
// hour (sliding windows), waiting when a window is full.
type limiter struct {
	mu      sync.Mutex
	perMin  int
	perHour int
	sent    []time.Time // within the last hour, oldest first
	now     func() time.Time
}

func (l *limiter) wait(ctx context.Context) error {
	for {
		d := l.reserve()
		if d <= 0 {
			return nil
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// reserve records a request now and returns 0, or returns how long to wait.
func (l *limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if l.now != nil {
		now = l.now()
	}
	i := 0
	for i < len(l.sent) && now.Sub(l.sent[i]) >= time.Hour {
		i++
	}
	l.sent = l.sent[i:]
	if len(l.sent) >= l.perHour {
		return l.sent[len(l.sent)-l.perHour].Add(time.Hour).Sub(now)
	}
	inMin := 0
	for _, t := range l.sent {
		if now.Sub(t) < time.Minute {
			inMin++
		}
	}
	if inMin >= l.perMin {
		return l.sent[len(l.sent)-l.perMin].Add(time.Minute).Sub(now)
	}
	l.sent = append(l.sent, now)
	return 0
}
