package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/postgres"
	"github.com/astroshield/astroshield/server/store/postgres/pgtest"
	"github.com/astroshield/astroshield/server/store/storetest"
)

func open(t *testing.T, c *pgtest.Cluster) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), c.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestConformance(t *testing.T) {
	c := pgtest.Start(t)
	storetest.Run(t, func(t *testing.T) store.Store { return open(t, c) })
}

func tables(t *testing.T, db *postgres.DB) map[string]bool {
	t.Helper()
	rows, err := db.Pool().Query(context.Background(), "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'goose_db_version'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		m[n] = true
	}
	return m
}

func TestMigrationsUpDown(t *testing.T) {
	ctx := context.Background()
	db := open(t, pgtest.Start(t))
	want := []string{"users", "api_keys", "signing_keys", "refresh_tokens", "objects", "element_sets", "screening_jobs",
		"conjunctions", "conjunction_history", "cdms", "maneuvers", "indicators", "assessments", "models", "webhooks",
		"webhook_deliveries", "audit_log", "idempotency_keys", "feed_events",
		"conjunction_notes", "conjunction_acks"}
	got := tables(t, db)
	for _, n := range want {
		if !got[n] {
			t.Errorf("table %s missing after up", n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d tables after up, want %d: %v", len(got), len(want), got)
	}
	v, err := postgres.Migrate(ctx, db.Pool(), 0, false)
	if err != nil || v != 0 {
		t.Fatalf("down: version %d, %v", v, err)
	}
	if got := tables(t, db); len(got) != 0 {
		t.Fatalf("tables left after down: %v", got)
	}
	var fns int
	if err := db.Pool().QueryRow(ctx, "SELECT count(*) FROM pg_proc WHERE proname = 'audit_log_append_only'").Scan(&fns); err != nil || fns != 0 {
		t.Fatalf("trigger function left after down: %d, %v", fns, err)
	}
	v, err = postgres.Migrate(ctx, db.Pool(), 0, true)
	if err != nil || v < 1 {
		t.Fatalf("up again: version %d, %v", v, err)
	}
	if len(tables(t, db)) != len(want) {
		t.Fatalf("up again: %d tables, want %d", len(tables(t, db)), len(want))
	}
	// Opening a migrated database again applies nothing and works.
	db2, err := postgres.Open(ctx, db.Pool().Config().ConnString())
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	db2.Close()
}

func TestAuditAppendOnly(t *testing.T) {
	ctx := context.Background()
	db := open(t, pgtest.Start(t))
	for _, a := range []string{"login", "logout"} {
		if err := db.Update(ctx, func(tx store.Tx) error {
			_, err := tx.AppendAudit(ctx, store.AuditEntry{Actor: "alice", Action: a})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{
		"UPDATE audit_log SET actor = 'mallory' WHERE seq = 2",
		"DELETE FROM audit_log WHERE seq = 2",
		"TRUNCATE audit_log",
	} {
		if _, err := db.Pool().Exec(ctx, q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	es, err := db.Audit(ctx, 0, 0)
	if err != nil || len(es) != 2 || es[1].Actor != "alice" {
		t.Fatalf("log after refused edits: %+v, %v", es, err)
	}
	if err := store.VerifyAudit(es); err != nil {
		t.Fatal(err)
	}
}

// Text PostgreSQL cannot hold is refused with ErrText, and the
// transaction can still be rolled back and the store used.
func TestBadText(t *testing.T) {
	ctx := context.Background()
	db := open(t, pgtest.Start(t))
	for _, name := range []string{"NUL\x00NAME", "BAD\xffNAME"} {
		err := db.Update(ctx, func(tx store.Tx) error {
			_, err := tx.PutElementSet(ctx, name, "", store.ElementSet{NORAD: 1, Epoch: time.Unix(0, 0), Format: "tle", Body: "x", Received: time.Unix(0, 0)})
			return err
		})
		if !errors.Is(err, postgres.ErrText) {
			t.Errorf("name %q: %v, want ErrText", name, err)
		}
	}
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Object(ctx, 1); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("refused object stored: %v", err)
	}
}

func TestOpenBadURL(t *testing.T) {
	ctx := context.Background()
	for _, u := range []string{"postgres://%zz", "postgres://127.0.0.1:1/none?connect_timeout=2&sslmode=disable"} {
		if db, err := postgres.Open(ctx, u); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", u)
		}
	}
}

// Two transactions read the same audit head; the one that commits second
// is aborted by PostgreSQL (40001) and Update runs it again, so the chain
// has two entries in order and fn ran twice.
func TestSerializationRetry(t *testing.T) {
	ctx := context.Background()
	db := open(t, pgtest.Start(t))
	read := make(chan struct{})
	resume := make(chan struct{})
	calls := 0
	done := make(chan error, 1)
	go func() {
		done <- db.Update(ctx, func(tx store.Tx) error {
			calls++
			if _, err := tx.Audit(ctx, 0, 0); err != nil { // takes the snapshot
				return err
			}
			if calls == 1 {
				close(read)
				<-resume
			}
			_, err := tx.AppendAudit(ctx, store.AuditEntry{Actor: "slow", Action: "write"})
			return err
		})
	}()
	<-read
	if err := db.Update(ctx, func(tx store.Tx) error {
		_, err := tx.AppendAudit(ctx, store.AuditEntry{Actor: "fast", Action: "write"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	close(resume)
	if err := <-done; err != nil {
		t.Fatalf("slow writer: %v", err)
	}
	if calls != 2 {
		t.Fatalf("slow writer's fn ran %d times, want 2 (one serialization failure, one retry)", calls)
	}
	es, err := db.Audit(ctx, 0, 0)
	if err != nil || len(es) != 2 || es[0].Actor != "fast" || es[1].Actor != "slow" {
		t.Fatalf("chain: %+v, %v", es, err)
	}
	if err := store.VerifyAudit(es); err != nil {
		t.Fatal(err)
	}
}

// A transaction that keeps conflicting gives up after MaxAttempts with
// the cause named, a cancelled context stops the retries, and no attempt
// leaves anything behind.
func TestRetryGivesUp(t *testing.T) {
	db := open(t, pgtest.Start(t))
	conflict := &pgconn.PgError{Code: "40001", Message: "could not serialize access"}
	for _, c := range []struct {
		name      string
		cancelAt  int
		wantCalls int
		wantErr   error
	}{
		{"exhausted", 0, postgres.MaxAttempts, conflict},
		{"cancelled", 3, 3, context.Canceled},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			calls := 0
			err := db.Update(ctx, func(tx store.Tx) error {
				calls++
				if calls == c.cancelAt {
					cancel()
				}
				if _, err := tx.AppendAudit(ctx, store.AuditEntry{Actor: "x", Action: "y"}); err != nil {
					return err
				}
				return fmt.Errorf("step: %w", conflict)
			})
			if !errors.Is(err, c.wantErr) || calls != c.wantCalls {
				t.Fatalf("calls %d, %v; want %d calls and %v", calls, err, c.wantCalls, c.wantErr)
			}
			if es, _ := db.Audit(context.Background(), 0, 0); len(es) != 0 {
				t.Fatalf("rolled-back attempts left %d entries", len(es))
			}
		})
	}
}
