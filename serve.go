package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/astroshield/astroshield/server"
	"github.com/astroshield/astroshield/server/auth"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	data := fs.String("data", "", "data `DIR` (holds astroshield.db)")
	db := fs.String("db", "", "database `URL`: postgres://user@host/db (PostgreSQL) or sqlite:PATH; default DIR/astroshield.db")
	cost := fs.Int("bcrypt-cost", auth.DefaultCost, "bcrypt cost for new passwords (at least 12)")
	level := fs.String("log-level", "info", "log level: debug, info, warn, error")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *data == "" && *db == "" {
		return usagef("--data DIR is required (or --db postgres://... for PostgreSQL)")
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
	return server.Run(ctx, server.Options{Addr: *addr, DataDir: *data, DBURL: *db, Version: version, Log: log, Hasher: h})
}
