// Package server assembles the headless server: storage, authentication,
// the API, the live feed and the job runner, under one owner that starts
// and stops them.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/astroshield/astroshield/server/api"
	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/feed"
	"github.com/astroshield/astroshield/server/jobs"
	"github.com/astroshield/astroshield/server/refresh"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/postgres"
	"github.com/astroshield/astroshield/server/store/sqlite"
	"github.com/astroshield/astroshield/server/telemetry"
	"github.com/astroshield/astroshield/server/webhook"
)

// Options configure Run.
type Options struct {
	Addr    string // listen address, e.g. 127.0.0.1:8080 (port 0 picks one)
	DataDir string // holds astroshield.db
	DBURL   string // optional: sqlite:PATH or postgres://... (PostgreSQL instead of DataDir's SQLite file)
	Version string
	Log     *slog.Logger
	Hasher  *auth.Hasher // nil: bcrypt at auth.DefaultCost
	Auth    auth.Config  // Hasher and Now are filled in
	// Listening, if set, is called with the bound address once serving.
	Listening func(addr string)
	// Telemetry configures OpenTelemetry tracing (off with no endpoint).
	Telemetry telemetry.Config
	// Refresh configures periodic catalog refreshes (off with no source);
	// Run fills in Import, Observe and Log.
	Refresh refresh.Config
	// ModelsDir, if set, is a model registry (engine/onnx/registry) whose
	// versions are stored at start for GET /api/v1/models.
	ModelsDir string
	// ScreenOnImport, with Hours > 0, screens the objects each import adds
	// sets to (api.ScreenOnImport); off by default.
	ScreenOnImport api.ScreenOnImport
}

// OpenStore opens the store named by dataDir and dbURL.
func OpenStore(ctx context.Context, dataDir, dbURL string) (*sqlite.DB, error) {
	path := ""
	switch {
	case dbURL == "":
		if dataDir == "" {
			return nil, errors.New("server: --data DIR is required")
		}
		path = filepath.Join(dataDir, sqlite.FileName)
	case strings.HasPrefix(dbURL, "sqlite:"):
		path = strings.TrimPrefix(strings.TrimPrefix(dbURL, "sqlite:"), "//")
	case isPostgres(dbURL):
		return nil, errors.New("server: this command opens SQLite only (--data DIR); astroshield serve --db postgres://... opens PostgreSQL")
	default:
		return nil, fmt.Errorf("server: --db %q: want sqlite:PATH", dbURL)
	}
	return sqlite.Open(ctx, path)
}

// Backend is the storage Run needs: the Store and its webhook part.
type Backend interface {
	store.Store
	store.WebhookStore
}

func isPostgres(dbURL string) bool {
	return strings.HasPrefix(dbURL, "postgres:") || strings.HasPrefix(dbURL, "postgresql:")
}

// OpenBackend opens PostgreSQL for a postgres:// (or postgresql://) URL,
// and otherwise the SQLite store OpenStore opens.
func OpenBackend(ctx context.Context, dataDir, dbURL string) (Backend, error) {
	if isPostgres(dbURL) {
		db, err := postgres.Open(ctx, dbURL)
		if err != nil {
			return nil, err
		}
		return db, nil
	}
	db, err := OpenStore(ctx, dataDir, dbURL)
	if err != nil {
		return nil, err
	}
	return db, nil
}

// Run serves until ctx ends, then shuts down in order.
func Run(ctx context.Context, o Options) error {
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	if o.Telemetry.Version == "" {
		o.Telemetry.Version = o.Version
	}
	tp, err := telemetry.Start(ctx, o.Telemetry)
	if err != nil {
		return err
	}
	defer func() { // after everything else has stopped: flush the last spans
		fctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := tp.Shutdown(fctx); err != nil {
			log.Warn("tracing shutdown", "err", err)
		}
	}()
	db, err := OpenBackend(ctx, o.DataDir, o.DBURL)
	if err != nil {
		return err
	}
	defer db.Close()
	var st store.Store = db
	if o.Hasher == nil {
		if o.Hasher, err = auth.NewHasher(auth.DefaultCost); err != nil {
			return err
		}
	}
	cfg := o.Auth
	cfg.Hasher = o.Hasher
	au, err := auth.New(ctx, st, cfg)
	if err != nil {
		return err
	}
	hub := feed.NewHub(st, log)
	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	var hooks *webhook.Deliverer
	runner := jobs.NewRunner(st, log, func() {
		hub.Notify()
		if hooks != nil {
			hooks.Notify()
		}
	})
	if err := runner.Start(runCtx); err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		au.RunRotation(runCtx, time.Minute, func(err error) { log.Error("signing-key rotation", "err", err) })
	}()
	hooks = webhook.New(db, log)
	wg.Add(1)
	go func() {
		defer wg.Done()
		hooks.Run(runCtx)
	}()
	a := api.New(st, au, hub, runner, log, api.Config{Version: o.Version, OnEvents: hooks.Notify, Trace: tp.RequestHook(), ScreenOnImport: o.ScreenOnImport})
	if o.ModelsDir != "" {
		n, err := a.SyncModels(ctx, o.ModelsDir)
		if err != nil {
			stop()
			runner.Wait()
			wg.Wait()
			return err
		}
		log.Info("models registered", "dir", o.ModelsDir, "versions", n)
	}
	wg.Add(1)
	go func() { // CCDM analysis of the objects each import adds sets to
		defer wg.Done()
		a.RunCCDM(runCtx)
	}()
	wg.Add(1)
	go func() { // screening jobs for the objects imports add sets to (when on)
		defer wg.Done()
		a.RunScreenOnImport(runCtx)
	}()
	rc := o.Refresh
	rc.Import = func(ctx context.Context, data []byte, subject string) (int, int, int, error) {
		r, err := a.ImportElements(ctx, data, subject)
		return r.Added, r.Duplicates, len(r.Rejected), err
	}
	rc.Observe, rc.Log = a.ObserveRefresh, log
	if rc.Agent == "" {
		rc.Agent = "astroshield/" + o.Version
	}
	sched, err := refresh.New(rc)
	if err != nil {
		stop()
		runner.Wait()
		wg.Wait()
		return err
	}
	if sched != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sched.Run(runCtx)
		}()
	}

	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		stop()
		runner.Wait()
		wg.Wait()
		return err
	}
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return runCtx },
	}
	log.Info("listening", "addr", ln.Addr().String(), "data", o.DataDir, "bcrypt_cost", o.Hasher.Cost(), "kid", au.CurrentKID(), "tracing", tp != nil)
	if o.Listening != nil {
		o.Listening(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
	case err = <-errc:
	}
	log.Info("shutting down")
	hub.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	serr := srv.Shutdown(sctx)
	stop()
	runner.Wait()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return errors.Join(err, serr)
}
