package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/store/storetest"
)

func open(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func tables(t *testing.T, db *sql.DB) map[string]bool {
	t.Helper()
	rows, err := db.Query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]bool{}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		m[n] = true
	}
	return m
}

func TestMigrationsUpDown(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	want := []string{"users", "api_keys", "signing_keys", "refresh_tokens", "objects", "element_sets", "screening_jobs",
		"conjunctions", "conjunction_history", "cdms", "maneuvers", "indicators", "assessments", "models", "webhooks",
		"webhook_deliveries", "audit_log", "idempotency_keys", "feed_events",
		"conjunction_notes", "conjunction_acks"}
	got := tables(t, db.write)
	for _, n := range want {
		if !got[n] {
			t.Errorf("table %s missing after up", n)
		}
	}
	v, err := Migrate(ctx, db.write, 0, false)
	if err != nil || v != 0 {
		t.Fatalf("down: version %d, %v", v, err)
	}
	if got := tables(t, db.write); len(got) != 0 {
		t.Fatalf("tables left after down: %v", got)
	}
	v, err = Migrate(ctx, db.write, 0, true)
	if err != nil || v < 1 {
		t.Fatalf("up again: version %d, %v", v, err)
	}
	if len(tables(t, db.write)) != len(want) {
		t.Fatalf("up again: %d tables, want %d", len(tables(t, db.write)), len(want))
	}
}

func TestPragmas(t *testing.T) {
	db := open(t)
	for _, c := range []struct {
		pool   *sql.DB
		pragma string
		want   string
	}{
		{db.write, "journal_mode", "wal"},
		{db.write, "synchronous", "2"}, // FULL
		{db.read, "synchronous", "2"},
		{db.write, "busy_timeout", "10000"},
		{db.write, "foreign_keys", "1"},
	} {
		var got string
		if err := c.pool.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %s, want %s", c.pragma, got, c.want)
		}
	}
	if n := db.write.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer pool allows %d connections, want 1", n)
	}
}

func TestAuditChainAppendOnly(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	for i, a := range []string{"login", "login.failure", "apikey.create"} {
		err := db.Update(ctx, func(tx store.Tx) error {
			_, err := tx.AppendAudit(ctx, store.AuditEntry{Actor: "alice", Action: a, Target: "user:alice", Detail: string(rune('a' + i))})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	entries, err := db.Audit(ctx, 0, 0)
	if err != nil || len(entries) != 3 {
		t.Fatalf("%d entries, %v", len(entries), err)
	}
	if err := store.VerifyAudit(entries); err != nil {
		t.Fatalf("fresh chain does not verify: %v", err)
	}
	// The schema refuses edits and deletes.
	if _, err := db.write.Exec("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2"); err == nil {
		t.Fatal("UPDATE of audit_log succeeded")
	}
	if _, err := db.write.Exec("DELETE FROM audit_log WHERE seq = 3"); err == nil {
		t.Fatal("DELETE from audit_log succeeded")
	}
	// An altered entry (as if edited around the triggers) is detected.
	entries[1].Detail = "x"
	if err := store.VerifyAudit(entries); err == nil {
		t.Fatal("altered chain verified")
	}
	entries, _ = db.Audit(ctx, 0, 0)
	if err := store.VerifyAudit(append(entries[:1:1], entries[2])); err == nil {
		t.Fatal("chain with a removed entry verified")
	}
}

// TestConformance runs the shared store suite (server/store/storetest),
// which PostgreSQL runs too; it holds the feed, rollback, object and
// other behaviour tests that used to live here.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return open(t) })
}
