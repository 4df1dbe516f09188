package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/astroshield/astroshield/engine/conjunction"
	"github.com/astroshield/astroshield/server"
	"github.com/astroshield/astroshield/server/api"
	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/refresh"
	"github.com/astroshield/astroshield/server/telemetry"
)

// envSpaceTrackPassword names the variable holding the Space-Track password
// (a flag value would show in ps).
const envSpaceTrackPassword = "ASTROSHIELD_SPACETRACK_PASSWORD"

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	data := fs.String("data", "", "data `DIR` (holds astroshield.db)")
	db := fs.String("db", "", "database `URL`: postgres://user@host/db (PostgreSQL) or sqlite:PATH; default DIR/astroshield.db")
	cost := fs.Int("bcrypt-cost", auth.DefaultCost, "bcrypt cost for new passwords (at least 12)")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	otlp := fs.String("otlp-endpoint", "", "OpenTelemetry OTLP/HTTP `URL` to export traces to, e.g. http://127.0.0.1:4318 (default $"+telemetry.EnvEndpoint+"; none: tracing off)")
	ctGroups := fs.String("celestrak-group", "", "refresh these CelesTrak GP `GROUPS` (comma-separated, e.g. active) periodically")
	ctURL := fs.String("celestrak-url", refresh.CelesTrakURL, "CelesTrak base `URL`")
	every := fs.Duration("refresh-every", 2*time.Hour, "time between catalog refreshes (CelesTrak groups are never fetched more often than every 2h)")
	stUser := fs.String("spacetrack-user", "", "refresh from Space-Track as this `user` (password from $"+envSpaceTrackPassword+" or --spacetrack-password-file)")
	stPassFile := fs.String("spacetrack-password-file", "", "`FILE` holding the Space-Track password")
	stURL := fs.String("spacetrack-url", refresh.SpaceTrackURL, "Space-Track base `URL`")
	stQuery := fs.String("spacetrack-query", refresh.SpaceTrackQuery, "Space-Track GP query `path` (ending format/json)")
	models := fs.String("models", "", "model registry `DIR` (engine/onnx/registry manifest) whose versions GET /api/v1/models lists")
	screenFor := fs.Duration("screen-on-import", 0, "screen the objects each import adds sets to against the catalog for this `span` from the newest imported epoch, e.g. 24h (0: off)")
	screenKm := fs.Float64("screen-threshold-km", 5, "miss-distance `threshold` (km) of --screen-on-import")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rc := refresh.Config{CelesTrakURL: *ctURL, SpaceTrackURL: *stURL, SpaceTrackQuery: *stQuery, SpaceTrackUser: *stUser, Every: *every}
	for _, g := range strings.Split(*ctGroups, ",") {
		if g = strings.TrimSpace(g); g != "" {
			rc.CelesTrakGroups = append(rc.CelesTrakGroups, g)
		}
	}
	if *every < time.Minute {
		return usagef("--refresh-every %s: at least 1m", *every)
	}
	if *stUser != "" {
		rc.SpaceTrackPassword = os.Getenv(envSpaceTrackPassword)
		if *stPassFile != "" {
			b, err := os.ReadFile(*stPassFile)
			if err != nil {
				return usagef("--spacetrack-password-file: %v", err)
			}
			rc.SpaceTrackPassword = strings.TrimRight(string(b), "\r\n")
		}
		if rc.SpaceTrackPassword == "" {
			return usagef("--spacetrack-user needs a password: set $%s or --spacetrack-password-file FILE", envSpaceTrackPassword)
		}
	}
	if *data == "" && *db == "" {
		return usagef("--data DIR is required (or --db postgres://... for PostgreSQL)")
	}
	if *screenFor < 0 || *screenFor > conjunction.MaxSpan {
		return usagef("--screen-on-import %s: want 0 (off) up to %s", *screenFor, conjunction.MaxSpan)
	}
	if *screenFor > 0 && *screenFor < time.Minute {
		return usagef("--screen-on-import %s: at least 1m (or 0: off)", *screenFor)
	}
	if !(*screenKm > 0) || *screenKm > 100 {
		return usagef("--screen-threshold-km %g: want a value in (0, 100]", *screenKm)
	}
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(*level)); err != nil {
		return usagef("--log-level %q: want debug, info, warn or error", *level)
	}
	h, err := auth.NewHasher(*cost)
	if err != nil {
		return usagef("--bcrypt-cost: %v", err)
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: lv}))
	return server.Run(ctx, server.Options{Addr: *addr, DataDir: *data, DBURL: *db, Version: version, Log: log, Hasher: h,
		Telemetry: telemetry.Config{Endpoint: telemetry.Endpoint(*otlp)}, Refresh: rc, ModelsDir: *models,
		ScreenOnImport: api.ScreenOnImport{Hours: screenFor.Hours(), ThresholdKm: *screenKm}})
}
