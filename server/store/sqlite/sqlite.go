// Package sqlite implements store.Store on a SQLite file through the pure-Go
// modernc.org/sqlite driver: WAL journal, synchronous=FULL so that a
// committed write survives power loss, one writer connection, embedded goose
// migrations applied at open.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/astroshield/astroshield/server/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// FileName is the database file created under the data directory.
const FileName = "astroshield.db"

// DB is a store.Store on one SQLite file.
type DB struct {
	write *sql.DB // exactly one connection: SQLite has one writer
	read  *sql.DB
	prep  *preparedPool // the read pool with prepared statements
	objs  *objectCache  // DB.Object's cache, emptied by every Update
	reader
}

var _ store.Store = (*DB)(nil)

// Open opens (creating if needed) the database at path and applies every
// pending migration.
func Open(ctx context.Context, path string) (*DB, error) {
	if err := ensureDir(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if _, err := Migrate(ctx, w, 0, true); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4) // keep the connections, and the statements prepared on them
	db := &DB{write: w, read: r, prep: newPreparedPool(r), objs: newObjectCache()}
	db.reader = reader{q: db.prep}
	return db, nil
}

func ensureDir(path string) error {
	return mkdirAll(filepath.Dir(path))
}

// dsn builds the driver's connection string. Every connection gets WAL,
// synchronous=FULL, a busy timeout and foreign keys; writer transactions
// begin IMMEDIATE so that they never fail upgrading a read lock.
func dsn(path string, writer bool) string {
	v := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(10000)", "foreign_keys(1)"} {
		v.Add("_pragma", p)
	}
	if writer {
		v.Set("_txlock", "immediate")
	} else {
		v.Add("_pragma", "query_only(1)")
	}
	return "file:" + filepath.ToSlash(path) + "?" + v.Encode()
}

// Migrate moves the schema up to the newest version (up) or down to
// version (down) and returns the version reached.
func Migrate(ctx context.Context, db *sql.DB, version int64, up bool) (int64, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return 0, err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, sub)
	if err != nil {
		return 0, fmt.Errorf("sqlite: migrations: %w", err)
	}
	if up {
		_, err = p.Up(ctx)
	} else {
		_, err = p.DownTo(ctx, version)
	}
	if err != nil {
		return 0, fmt.Errorf("sqlite: migrate: %w", err)
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("sqlite: migrate: %w", err)
	}
	return v, nil
}

// Update runs fn in one IMMEDIATE transaction on the writer connection and
// commits it (fsynced, synchronous=FULL) before returning nil.
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	t := &tx{}
	defer func() { // after the commit (or rollback) has finished
		if t.objects {
			db.objs.invalidate()
		}
	}()
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	t.reader = reader{q: sqlTx}
	if err := fn(t); err != nil {
		sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// IntegrityCheck runs PRAGMA integrity_check and returns its answer ("ok").
func (db *DB) IntegrityCheck(ctx context.Context) (string, error) {
	rows, err := db.read.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		out = append(out, s)
	}
	return strings.Join(out, "; "), rows.Err()
}

// Close closes both connection pools.
func (db *DB) Close() error {
	return errors.Join(db.prep.close(), db.read.Close(), db.write.Close())
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}
