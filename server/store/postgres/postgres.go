// Package postgres implements store.Store on PostgreSQL through pgx
// (pgxpool): the SQLite store's schema and semantics, with every write
// transaction SERIALIZABLE (retried on serialization failure) where the
// SQLite store relies on its single writer, and embedded goose migrations
// applied at open.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"github.com/astroshield/astroshield/server/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// MaxAttempts is how many times Update runs a transaction that PostgreSQL
// aborts with a serialization failure or a deadlock before giving up.
const MaxAttempts = 50

// DB is a store.Store on one PostgreSQL database.
type DB struct {
	pool *pgxpool.Pool
	reader
}

var (
	_ store.Store        = (*DB)(nil)
	_ store.WebhookStore = (*DB)(nil)
)

// Open connects to the database at url (postgres://user@host/db?...) and
// applies every pending migration.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: --db URL: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect to %s/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	if _, err := Migrate(ctx, pool, 0, true); err != nil {
		pool.Close()
		return nil, err
	}
	return &DB{pool: pool, reader: reader{q: pool}}, nil
}

// Pool is the connection pool (for tests and tools that need raw SQL).
func (db *DB) Pool() *pgxpool.Pool { return db.pool }

// Migrate moves the schema up to the newest version (up) or down to
// version (down) and returns the version reached.
func Migrate(ctx context.Context, pool *pgxpool.Pool, version int64, up bool) (int64, error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return 0, err
	}
	sqlDB := stdlib.OpenDBFromPool(pool)
	defer sqlDB.Close()
	return migrate(ctx, sqlDB, sub, version, up)
}

func migrate(ctx context.Context, db *sql.DB, sub fs.FS, version int64, up bool) (int64, error) {
	p, err := goose.NewProvider(goose.DialectPostgres, db, sub)
	if err != nil {
		return 0, fmt.Errorf("postgres: migrations: %w", err)
	}
	if up {
		_, err = p.Up(ctx)
	} else {
		_, err = p.DownTo(ctx, version)
	}
	if err != nil {
		return 0, fmt.Errorf("postgres: migrate: %w", err)
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("postgres: migrate: %w", err)
	}
	return v, nil
}

// Update runs fn in one SERIALIZABLE transaction and commits it before
// returning nil. PostgreSQL runs transactions concurrently, so where the
// SQLite store's single writer makes a read-then-write safe (the audit
// chain head, feed sequences, claiming a job, an idempotency key checked
// and then stored) serializable isolation makes it safe here: a transaction
// that would see another's effect out of order is aborted (SQLSTATE 40001,
// or 40P01 for a deadlock) and Update runs fn again on a fresh snapshot, up
// to MaxAttempts times. fn must therefore do nothing but storage work that
// can be repeated (what it computes is recomputed on each attempt).
func (db *DB) Update(ctx context.Context, fn func(store.Tx) error) error {
	var err error
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		var retry bool
		retry, err = db.attempt(ctx, fn)
		if !retry {
			return err
		}
		// Back off a little longer each time so that contending writers
		// spread out; the order of attempts decides nothing stored.
		wait := time.Duration(attempt) * time.Millisecond
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres: transaction: %w (after %d attempts: %v)", ctx.Err(), attempt, err)
		case <-time.After(wait):
		}
	}
	return fmt.Errorf("postgres: transaction still conflicting after %d attempts: %w", MaxAttempts, err)
}

// attempt runs fn once; retry reports a serialization failure or deadlock.
func (db *DB) attempt(ctx context.Context, fn func(store.Tx) error) (retry bool, err error) {
	pgTx, err := db.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.Serializable})
	if err != nil {
		return false, fmt.Errorf("postgres: begin: %w", err)
	}
	st := &attemptState{}
	t := &tx{reader: reader{q: pgTx, st: st}}
	if err := fn(t); err != nil {
		pgTx.Rollback(context.WithoutCancel(ctx))
		return st.retry || retryable(err), err
	}
	if err := pgTx.Commit(ctx); err != nil {
		return st.retry || retryable(err), fmt.Errorf("postgres: commit: %w", err)
	}
	return false, nil
}

// attemptState collects what the statements of one attempt ran into: a
// statement aborted by a serialization failure leaves the transaction
// unusable even if fn goes on, so the attempt is retried however fn
// handled the error.
type attemptState struct {
	retry         bool
	catalogLocked bool // the attempt holds catalogLock
}

// SQLSTATE codes the store maps.
const (
	codeUniqueViolation      = "23505"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeBadText              = "22021" // character_not_in_repertoire: NUL or invalid UTF-8
)

// ErrText is returned for text PostgreSQL cannot store (a NUL byte or
// invalid UTF-8), which SQLite would have kept as given.
// It wraps store.ErrInvalid, so the API answers 400.
var ErrText = fmt.Errorf("postgres: text holds a NUL byte or invalid UTF-8, which PostgreSQL text cannot store: %w", store.ErrInvalid)

func badText(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == codeBadText
}

func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == codeSerializationFailure || pe.Code == codeDeadlockDetected)
}

func uniqueViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == codeUniqueViolation
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.pool.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// Close closes the connection pool.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// querier is what *pgxpool.Pool and pgx.Tx have in common.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}
