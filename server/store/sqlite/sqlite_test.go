package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
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
		"webhook_deliveries", "audit_log", "idempotency_keys", "feed_events"}
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

func TestFeedSequencesPerChannel(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	for _, ch := range []string{"catalog", "jobs", "catalog", "catalog", "jobs"} {
		if err := db.Update(ctx, func(tx store.Tx) error {
			_, err := tx.AppendFeed(ctx, store.FeedEvent{Channel: ch, Kind: "k", Payload: []byte(`{}`)})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	evs, _ := db.FeedEvents(ctx, "catalog", 1, 10)
	if len(evs) != 2 || evs[0].Seq != 2 || evs[1].Seq != 3 {
		t.Fatalf("catalog after 1: %+v", evs)
	}
	if h, _ := db.FeedHead(ctx, "jobs"); h != 2 {
		t.Fatalf("jobs head %d, want 2", h)
	}
}

func TestRollbackAndObjects(t *testing.T) {
	ctx := context.Background()
	db := open(t)
	epoch := time.Date(2022, 7, 15, 0, 0, 0, 0, time.UTC)
	boom := errors.New("boom")
	err := db.Update(ctx, func(tx store.Tx) error {
		tx.PutElementSet(ctx, "ISS (ZARYA)", "98067A", store.ElementSet{NORAD: 25544, Epoch: epoch, Format: "tle", Body: "x", Received: epoch})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if _, err := db.Object(ctx, 25544); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("rolled-back object visible: %v", err)
	}
	for i, name := range []string{"ISS (ZARYA)", "ISS", "ISS"} {
		err := db.Update(ctx, func(tx store.Tx) error {
			added, err := tx.PutElementSet(ctx, name, "98067A", store.ElementSet{NORAD: 25544, Epoch: epoch.Add(time.Duration(i%2) * time.Hour), Format: "tle", Body: "x", Received: epoch})
			if want := i < 2; added != want {
				t.Errorf("set %d added=%v want %v", i, added, want)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	o, err := db.Object(ctx, 25544)
	if err != nil || o.Sets != 2 || o.Name != "ISS" || !o.Epoch.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("object %+v, %v", o, err)
	}
	for _, q := range []store.ObjectQuery{{Name: "iss"}, {NORAD: 25544}, {COSPAR: "98067"}} {
		if objs, _ := db.Objects(ctx, q); len(objs) != 1 {
			t.Errorf("query %+v found %d", q, len(objs))
		}
	}
	if objs, _ := db.Objects(ctx, store.ObjectQuery{Name: "%"}); len(objs) != 0 {
		t.Errorf("LIKE wildcard not escaped")
	}
}
