package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/store"
)

func runAPIKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub, args, err := subcommand("apikeys", args, "create", "revoke")
	if err != nil {
		return err
	}
	fs := newFlagSet("apikeys "+sub, stderr)
	data := fs.String("data", "", "server data `DIR`")
	db := fs.String("db", "", "database `URL` (sqlite:PATH or postgres://…)")
	name := fs.String("name", "", "what the key is for (create)")
	roleName := fs.String("role", "viewer", "role: viewer, analyst, operator or admin (create)")
	ttl := fs.Duration("ttl", 90*24*time.Hour, "lifetime (create)")
	id := fs.String("id", "", "key id (revoke)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	role, ok := store.ParseRole(*roleName)
	if sub == "create" && !ok {
		return usagef("--role %q: want viewer, analyst, operator or admin", *roleName)
	}
	if sub == "revoke" && *id == "" {
		return usagef("--id is required")
	}
	st, err := openAdminStore(ctx, *data, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now().UTC()
	if sub == "revoke" {
		err := st.Update(ctx, func(tx store.Tx) error { return auth.RevokeAPIKey(ctx, tx, "cli", *id, now) })
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("no API key %q", *id)
		}
		if err == nil {
			fmt.Fprintf(stdout, "revoked %s\n", *id)
		}
		return err
	}
	var text string
	var k store.APIKey
	err = st.Update(ctx, func(tx store.Tx) error {
		var err error
		text, k, err = auth.CreateAPIKey(ctx, tx, "cli", *name, role, *ttl, now)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "API key %s (%s) expires %s; it is shown only now:\n", k.ID, k.Role, k.ExpiresAt.Format(time.RFC3339))
	fmt.Fprintln(stdout, text)
	return nil
}
