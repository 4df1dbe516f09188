// Package pgtest gives tests a throwaway PostgreSQL database.
//
// With ASTROSHIELD_PG_URL set, databases are created on that server (its
// role needs CREATEDB). Otherwise Start runs a private cluster: initdb into
// a temporary directory, then pg_ctl start with fsync off (-F, unless
// ASTROSHIELD_PG_FSYNC=on), listening only on a Unix socket in that
// directory (listen_addresses set empty), on a free port number (which
// names the socket). The binaries are looked up on
// PATH, in /usr/local/bin and in /usr/lib/postgresql/*/bin; without them
// the test is skipped with a message saying so.
//
// initdb and postgres refuse to run as root: when the test runs as root,
// the cluster runs as the "postgres" user (or "nobody" where there is
// none) through os/exec with SysProcAttr.Credential, in a temporary
// directory chowned to that user; the test process (root) connects
// through the socket with trust authentication.
package pgtest

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable that points tests at an existing server.
const EnvURL = "ASTROSHIELD_PG_URL"

// EnvFsync set to "on" keeps fsync on in a private cluster (for
// benchmarks that compare durable commits); by default it is off (-F).
const EnvFsync = "ASTROSHIELD_PG_FSYNC"

// Cluster is a PostgreSQL server that tests create databases on.
type Cluster struct {
	admin string // URL of a database to run CREATE/DROP DATABASE on
	dir   string // data directory of a private cluster ("" for EnvURL)
	bin   string
	cred  *credential
}

var databases atomic.Int64

// Start returns the server named by ASTROSHIELD_PG_URL, or starts a private
// cluster that t's cleanup stops and removes; it skips t when neither can
// be had.
func Start(t testing.TB) *Cluster {
	t.Helper()
	if u := os.Getenv(EnvURL); u != "" {
		return &Cluster{admin: u}
	}
	bin, err := findBin()
	if err != nil {
		t.Skipf("pgtest: %v; install PostgreSQL (initdb, pg_ctl, postgres) or set %s=postgres://...", err, EnvURL)
	}
	cred, err := runAs()
	if err != nil {
		t.Skipf("pgtest: running as root and %v; set %s to use an existing server", err, EnvURL)
	}
	parent := os.TempDir()
	if st, err := os.Stat(parent); cred != nil && (err != nil || st.Mode().Perm()&0o001 == 0) {
		parent = "/tmp" // the cluster's user must be able to reach its directory
	}
	root, err := os.MkdirTemp(parent, "astroshield-pg-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(root) })
	if err := cred.chown(root); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	c := &Cluster{dir: filepath.Join(root, "data"), bin: bin, cred: cred}
	if out, err := c.run("initdb", "-D", c.dir, "-U", "astroshield", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"); err != nil {
		t.Fatalf("pgtest: initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	opts := fmt.Sprintf("-k %s -p %d -c listen_addresses=''", root, port)
	if os.Getenv(EnvFsync) != "on" {
		opts = "-F " + opts
	}
	if out, err := c.run("pg_ctl", "start", "-w", "-t", "60", "-D", c.dir, "-l", filepath.Join(root, "postgres.log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(root, "postgres.log"))
		t.Fatalf("pgtest: pg_ctl start: %v\n%s\n%s", err, out, log)
	}
	t.Cleanup(func() {
		if out, err := c.run("pg_ctl", "stop", "-w", "-m", "fast", "-D", c.dir); err != nil {
			t.Errorf("pgtest: pg_ctl stop: %v\n%s", err, out)
		}
	})
	c.admin = (&url.URL{Scheme: "postgres", User: url.User("astroshield"), Path: "/postgres",
		RawQuery: url.Values{"host": {root}, "port": {strconv.Itoa(port)}, "sslmode": {"disable"}}.Encode()}).String()
	return c
}

// NewDatabase creates an empty database, dropped at t's cleanup, and
// returns its URL.
func (c *Cluster) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("astroshield_test_%d_%d", os.Getpid(), databases.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, c.admin)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: create database (the role needs CREATEDB): %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, c.admin)
		if err != nil {
			t.Errorf("pgtest: connect: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(c.admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

func (c *Cluster) run(name string, args ...string) ([]byte, error) {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	c.cred.apply(cmd)
	err := cmd.Run()
	return out.Bytes(), err
}

// findBin is the directory holding initdb, pg_ctl and postgres.
func findBin() (string, error) {
	var dirs []string
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	dirs = append(dirs, "/usr/local/bin")
	more, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	dirs = append(dirs, more...)
	for _, d := range dirs {
		ok := true
		for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
			if st, err := os.Stat(filepath.Join(d, b)); err != nil || st.IsDir() {
				ok = false
			}
		}
		if ok {
			return d, nil
		}
	}
	return "", fmt.Errorf("no initdb/pg_ctl/postgres on PATH, in /usr/local/bin or /usr/lib/postgresql/*/bin")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
