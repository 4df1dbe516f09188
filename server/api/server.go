// Package api is the server's HTTP surface: the REST API under /api/v1,
// built from one route table that also drives authorisation, the OpenAPI
// document and the role tests.
//
// Conflict rule for notes and acknowledgements of conjunction events (sent
// from a client's offline outbox, possibly long after the user acted): the
// client sends the event's updated_at as it showed it (seen_updated_at). If
// the event changed on the server since, a note is still stored and the
// answer says conflict=true with the current event; an ack is not applied
// and answers 409 event_changed with the current event, for the user to
// look at the new estimate and acknowledge again (annotations.go).
package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/feed"
	"github.com/astroshield/astroshield/server/jobs"
	"github.com/astroshield/astroshield/server/store"
)

// Config holds the API's limits.
type Config struct {
	MaxBodyBytes   int64 // JSON bodies (default 1 MiB)
	MaxUploadBytes int64 // element-set and CDM uploads (default 64 MiB)
	Version        string
	// OnEvents, if set, is called with the feed hub after a write that
	// stored feed events commits (the webhook deliverer's wake-up).
	OnEvents func()
	// Trace, if set, starts a span for each request (server/telemetry's
	// RequestHook): it returns the request's context and an end function
	// given the route pattern, status and caller's role, which returns
	// extra attributes for the request log line (trace_id, span_id).
	Trace func(r *http.Request) (context.Context, func(route string, status int, role string) []any)
	// ScreenOnImport, with Hours > 0, screens the objects each import
	// adds sets to (RunScreenOnImport runs the jobs).
	ScreenOnImport ScreenOnImport
}

// Server serves the API.
type Server struct {
	st     store.Store
	auth   *auth.Service
	hasher *auth.Hasher
	hub    *feed.Hub
	jobs   *jobs.Runner
	log    *slog.Logger
	cfg    Config
	m      *metrics
	routes []Route
	mux    *http.ServeMux
	now    func() time.Time
	ccdm   ccdmQueue  // objects waiting for CCDM analysis (RunCCDM)
	screen autoScreen // objects waiting for screening after imports (RunScreenOnImport)
}

// handler is an endpoint; p is the authenticated caller (zero for public routes).
type handler func(w http.ResponseWriter, r *http.Request, p auth.Principal) error

// Route is one endpoint of the route table.
type Route struct {
	Method  string
	Path    string     // ServeMux pattern path, e.g. /api/v1/objects/{norad}
	Role    store.Role // lowest role allowed; RoleNone = public
	Summary string
	// Write routes read their body up front (MaxBody), honour
	// Idempotency-Key and commit through Server.commit.
	Write   bool
	Upload  bool   // body limit MaxUploadBytes instead of MaxBodyBytes
	Request string // request content description for the OpenAPI document
	h       handler
}

// New builds the server. runner may be nil (no screening jobs).
func New(st store.Store, au *auth.Service, hub *feed.Hub, runner *jobs.Runner, log *slog.Logger, cfg Config) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	if cfg.MaxUploadBytes <= 0 {
		cfg.MaxUploadBytes = 64 << 20
	}
	s := &Server{st: st, auth: au, hasher: au.Config().Hasher, hub: hub, jobs: runner, log: log, cfg: cfg, m: newMetrics(), mux: http.NewServeMux(), now: au.Config().Now}
	s.screen.fire = make(chan struct{}, 1)
	s.m.gauges = append(s.m.gauges,
		gauge{"astroshield_ws_clients", "Connected WebSocket clients.", func() float64 { return float64(hub.Clients()) }},
		gauge{"astroshield_job_queue_depth", "Screening jobs waiting to run.", func() float64 {
			if runner == nil {
				return 0
			}
			return float64(runner.QueueDepth())
		}},
		gauge{"astroshield_ccdm_queue_depth", "Objects waiting for CCDM analysis.", func() float64 { return float64(s.ccdm.depth()) }})
	if runner != nil {
		runner.Durations = s.m.job
	}
	s.routes = s.routeTable()
	for _, rt := range s.routes {
		s.mux.Handle(rt.Method+" "+rt.Path, s.wrap(rt))
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &Error{http.StatusNotFound, "not_found", "no such endpoint; see /api/v1/openapi.json"})
	})
	return s
}

// Routes returns the route table.
func (s *Server) Routes() []Route { return s.routes }

// Handler is the server's root handler (request IDs, logging, metrics,
// panic recovery around the mux).
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if !validRequestID(id) {
			id = newRequestID()
		}
		ctx := r.Context()
		var endSpan func(route string, status int, role string) []any
		if s.cfg.Trace != nil {
			ctx, endSpan = s.cfg.Trace(r)
		}
		ctx = context.WithValue(ctx, ctxRequestID, id)
		r = r.WithContext(ctx)
		w.Header().Set("X-Request-ID", id)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Cache-Control", "no-store")
		rec := &recorder{ResponseWriter: w, status: 200}
		began := time.Now()
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "request_id", id, "panic", fmt.Sprint(v))
				if !rec.wrote {
					s.writeError(rec, r, errors.New("panic"))
				}
			}
			d := time.Since(began)
			route := r.Pattern
			if route == "" || route == "/" {
				route = "unmatched"
			}
			s.m.request(route, rec.status, d.Seconds())
			if endSpan != nil {
				s.log.Info("request", append([]any{"request_id", id, "method", r.Method, "route", route, "status", rec.status,
					"duration_ms", float64(d.Microseconds()) / 1000, "remote", clientAddr(r), "subject", rec.subject},
					endSpan(route, rec.status, rec.role)...)...)
				return
			}
			// Typed attributes: the same line as Info's key-value form,
			// without boxing each value on the hottest path.
			s.log.LogAttrs(context.Background(), slog.LevelInfo, "request", slog.String("request_id", id), slog.String("method", r.Method),
				slog.String("route", route), slog.Int("status", rec.status), slog.Float64("duration_ms", float64(d.Microseconds())/1000),
				slog.String("remote", clientAddr(r)), slog.String("subject", rec.subject))
		}()
		s.mux.ServeHTTP(rec, r)
	})
}

type ctxKey int

const ctxRequestID ctxKey = iota

func requestID(ctx context.Context) string { s, _ := ctx.Value(ctxRequestID).(string); return s }

func validRequestID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// recorder captures the status for logs and metrics.
type recorder struct {
	http.ResponseWriter
	status  int
	wrote   bool
	subject string
	role    string // caller's role, for the trace span
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type ctxBody struct{}

// wrap applies a route's authentication, role check, body limit and
// idempotency replay.
func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p auth.Principal
		if rt.Role != store.RoleNone {
			var err error
			p, err = s.authenticate(r)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			if rec, ok := w.(*recorder); ok {
				rec.subject = p.Subject
				rec.role = p.Role.String()
			}
			if !auth.Allowed(p.Role, rt.Role) {
				s.writeError(w, r, auth.ErrForbidden)
				return
			}
		}
		limit := s.cfg.MaxBodyBytes
		if rt.Upload {
			limit = s.cfg.MaxUploadBytes
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if rt.Write {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				s.writeError(w, r, err)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			key := r.Header.Get("Idempotency-Key")
			if key != "" {
				if len(key) > 128 {
					s.writeError(w, r, badRequest("Idempotency-Key longer than 128 characters"))
					return
				}
				h := sha256.New()
				fmt.Fprintf(h, "%s\n%s\n", r.Method, r.URL.RequestURI())
				h.Write(body)
				ik := idemKey{scope: p.Subject, key: key, hash: h.Sum(nil)}
				if done, err := s.replay(w, r, ik); done || err != nil {
					if err != nil {
						s.writeError(w, r, err)
					}
					return
				}
				r = r.WithContext(context.WithValue(r.Context(), ctxBody{}, ik))
			}
		}
		if err := rt.h(w, r, p); err != nil {
			s.writeError(w, r, err)
		}
	})
}

type idemKey struct {
	scope, key string
	hash       []byte
}

// replay answers a retried write from its stored response.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, ik idemKey) (bool, error) {
	rec, err := s.st.Idempotent(r.Context(), ik.scope, ik.key)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	if !bytes.Equal(rec.RequestHash, ik.hash) {
		return false, errIdempotencyMismatch
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Idempotent-Replayed", "true")
	w.WriteHeader(rec.Status)
	w.Write(rec.Body)
	return true, nil
}

// commit runs fn in one transaction, stores the response under the
// request's Idempotency-Key in the same transaction, and answers only after
// the commit is durable. after runs once the commit succeeded.
func (s *Server) commit(w http.ResponseWriter, r *http.Request, status int, fn func(tx store.Tx) (any, error), after func()) error {
	ik, hasKey := r.Context().Value(ctxBody{}).(idemKey)
	var body []byte
	var replayed *store.Idempotent
	err := s.st.Update(r.Context(), func(tx store.Tx) error {
		if hasKey { // a concurrent retry may have committed first
			rec, err := tx.Idempotent(r.Context(), ik.scope, ik.key)
			if err == nil {
				replayed = &rec
				return nil
			} else if !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		v, err := fn(tx)
		if err != nil {
			return err
		}
		if body, err = jsonBody(v); err != nil {
			return err
		}
		if hasKey {
			return tx.PutIdempotent(r.Context(), store.Idempotent{Scope: ik.scope, Key: ik.key, RequestHash: ik.hash, Status: status, Body: body, CreatedAt: s.now().UTC()})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if replayed != nil {
		if !bytes.Equal(replayed.RequestHash, ik.hash) {
			return errIdempotencyMismatch
		}
		status, body = replayed.Status, replayed.Body
		w.Header().Set("Idempotent-Replayed", "true")
	} else {
		if after != nil {
			after()
		}
		if s.cfg.OnEvents != nil {
			s.cfg.OnEvents()
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err = w.Write(body)
	return err
}

func (s *Server) authenticate(r *http.Request) (auth.Principal, error) {
	if key := r.Header.Get("X-API-Key"); key != "" {
		return s.auth.AuthenticateAPIKey(r.Context(), key)
	}
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return auth.Principal{}, auth.ErrUnauthenticated
	}
	return s.auth.VerifyAccess(r.Context(), tok)
}
