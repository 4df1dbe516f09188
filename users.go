package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/astroshield/astroshield/server"
	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/store"
)

// adminStdin is where --password-stdin reads; tests replace it.
var adminStdin io.Reader = os.Stdin

// openAdminStore opens a server's store for the admin subcommands: SQLite
// under --data, or PostgreSQL for a --db postgres:// URL.
func openAdminStore(ctx context.Context, data, db string) (server.Backend, error) {
	if data == "" && db == "" {
		return nil, usagef("--data DIR (or --db postgres://…) is required")
	}
	return server.OpenBackend(ctx, data, db)
}

func subcommand(name string, args []string, subs ...string) (string, []string, error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return "", nil, usagef("%s needs a subcommand: %s", name, strings.Join(subs, ", "))
	}
	for _, s := range subs {
		if args[0] == s {
			return s, args[1:], nil
		}
	}
	return "", nil, usagef("%s: unknown subcommand %q (want %s)", name, args[0], strings.Join(subs, ", "))
}

func runUsers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	sub, args, err := subcommand("users", args, "add", "list", "set-role", "disable", "enable")
	if err != nil {
		return err
	}
	fs := newFlagSet("users "+sub, stderr)
	data := fs.String("data", "", "server data `DIR`")
	db := fs.String("db", "", "database `URL` (sqlite:PATH or postgres://…)")
	username := fs.String("username", "", "user name")
	roleName := fs.String("role", "", "role: viewer, analyst, operator or admin")
	pwStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
	cost := fs.Int("bcrypt-cost", auth.DefaultCost, "bcrypt cost (at least 12)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if sub != "list" && *username == "" {
		return usagef("--username is required")
	}
	var role store.Role
	if sub == "add" || sub == "set-role" {
		var ok bool
		if role, ok = store.ParseRole(*roleName); !ok {
			return usagef("--role %q: want viewer, analyst, operator or admin", *roleName)
		}
	}
	var hash []byte
	if sub == "add" {
		if !*pwStdin {
			return usagef("give the password on standard input with --password-stdin (never as an argument)")
		}
		if err := auth.CheckNewUser(*username, role); err != nil {
			return usageError{err}
		}
		line, err := bufio.NewReader(adminStdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		h, err := auth.NewHasher(*cost)
		if err != nil {
			return usageError{err}
		}
		if hash, err = h.Hash(strings.TrimRight(line, "\r\n")); err != nil {
			return usageError{err}
		}
	}
	st, err := openAdminStore(ctx, *data, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	now := time.Now().UTC()
	const actor = "cli"
	switch sub {
	case "list":
		us, err := st.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USERNAME\tROLE\tDISABLED\tCREATED")
		for _, u := range us {
			fmt.Fprintf(tw, "%s\t%s\t%v\t%s\n", u.Username, u.Role, u.Disabled, u.CreatedAt.Format(time.RFC3339))
		}
		return tw.Flush()
	case "add":
		err = st.Update(ctx, func(tx store.Tx) error {
			_, err := auth.CreateUser(ctx, tx, actor, *username, role, hash, now)
			return err
		})
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("user %q already exists", *username)
		}
		if err == nil {
			fmt.Fprintf(stdout, "added %s (%s)\n", *username, role)
		}
		return err
	}
	var rp *store.Role
	var dis *bool
	switch sub {
	case "set-role":
		rp = &role
	case "disable", "enable":
		d := sub == "disable"
		dis = &d
	}
	err = st.Update(ctx, func(tx store.Tx) error {
		_, err := auth.UpdateUser(ctx, tx, actor, *username, rp, dis, now)
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user %q", *username)
	}
	if err == nil {
		fmt.Fprintf(stdout, "%s: %s done\n", *username, sub)
	}
	return err
}
