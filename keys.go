package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/astroshield/astroshield/server/auth"
)

func runKeys(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub, args, err := subcommand("keys", args, "rotate", "list")
	if err != nil {
		return err
	}
	fs := newFlagSet("keys "+sub, stderr)
	data := fs.String("data", "", "server data `DIR`")
	db := fs.String("db", "", "database `URL` (sqlite:PATH or postgres://…)")
	grace := fs.Duration("grace", 11*time.Minute, "how long the replaced keys still verify tokens")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := openAdminStore(ctx, *data, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "rotate" {
		kid, err := auth.RotateKey(ctx, st, "cli", time.Now().UTC(), *grace)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "new signing key %s; previous keys verify for %s more\n", kid, *grace)
		return nil
	}
	keys, err := st.SigningKeys(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KID\tCREATED\tSTATE")
	now := time.Now()
	for _, k := range keys {
		state := "current"
		switch {
		case !k.RetireAt.IsZero() && now.After(k.RetireAt):
			state = "retired " + k.RetireAt.Format(time.RFC3339)
		case !k.RetireAt.IsZero():
			state = "grace until " + k.RetireAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", k.KID, k.CreatedAt.Format(time.RFC3339), state)
	}
	return tw.Flush()
}
