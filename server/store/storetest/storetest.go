// Package storetest is the conformance suite every store.Store
// implementation runs, so that SQLite and PostgreSQL cannot drift apart.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

// Run runs every conformance test as a subtest of t; open returns a new,
// empty, migrated store (closed by open's own cleanup).
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	for _, c := range []struct {
		name string
		fn   func(t *testing.T, st store.Store)
	}{
		{"Users", testUsers},
		{"ConflictKeepsTransaction", testConflictKeepsTransaction},
		{"APIKeys", testAPIKeys},
		{"SigningKeys", testSigningKeys},
		{"RefreshTokens", testRefreshTokens},
		{"RollbackAndObjects", testRollbackAndObjects},
		{"ElementSets", testElementSets},
		{"Jobs", testJobs},
		{"Conjunctions", testConjunctions},
		{"Annotations", testAnnotations},
		{"CDMsAndManeuvers", testCDMsAndManeuvers},
		{"AuditChain", testAuditChain},
		{"FeedSequencesPerChannel", testFeedSequences},
		{"Idempotency", testIdempotency},
		{"ConcurrentAuditAndFeed", testConcurrentAuditAndFeed},
		{"ConcurrentIdempotentRetries", testConcurrentIdempotent},
		{"Webhooks", testWebhooks},
		{"CatalogChanges", testCatalogChanges},
		{"CatalogCursorWithConcurrentWriters", testCatalogCursorConcurrent},
		{"CCDM", testCCDM},
	} {
		t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
	}
}

var epoch = time.Date(2022, 7, 15, 0, 0, 0, 0, time.UTC)

func update(t *testing.T, st store.Store, fn func(ctx context.Context, tx store.Tx) error) {
	t.Helper()
	ctx := context.Background()
	if err := st.Update(ctx, func(tx store.Tx) error { return fn(ctx, tx) }); err != nil {
		t.Fatal(err)
	}
}

func testUsers(t *testing.T, st store.Store) {
	ctx := context.Background()
	var alice store.User
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		alice, err = tx.CreateUser(ctx, store.User{Username: "alice", PasswordHash: []byte("h1"), Role: store.RoleAnalyst, CreatedAt: epoch})
		if err != nil {
			return err
		}
		_, err = tx.CreateUser(ctx, store.User{Username: "Bob", PasswordHash: []byte("h2"), Role: store.RoleViewer, CreatedAt: epoch})
		return err
	})
	if alice.ID == 0 {
		t.Fatal("CreateUser gave no id")
	}
	err := st.Update(ctx, func(tx store.Tx) error {
		_, err := tx.CreateUser(ctx, store.User{Username: "alice", PasswordHash: []byte("x"), Role: store.RoleAdmin})
		return err
	})
	if !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate user: %v, want ErrConflict", err)
	}
	u, err := st.UserByName(ctx, "alice")
	if err != nil || u.ID != alice.ID || u.Role != store.RoleAnalyst || !bytes.Equal(u.PasswordHash, []byte("h1")) || !u.CreatedAt.Equal(epoch) || u.Disabled {
		t.Fatalf("UserByName: %+v, %v", u, err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		u.Role, u.Disabled, u.PasswordHash = store.RoleOperator, true, []byte("h3")
		return tx.UpdateUser(ctx, u)
	})
	if u, err := st.UserByID(ctx, alice.ID); err != nil || u.Role != store.RoleOperator || !u.Disabled || string(u.PasswordHash) != "h3" {
		t.Fatalf("after UpdateUser: %+v, %v", u, err)
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.UpdateUser(ctx, store.User{ID: 9999}) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("UpdateUser of a missing user: %v", err)
	}
	if _, err := st.UserByName(ctx, "carol"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing user: %v", err)
	}
	if _, err := st.UserByID(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing user id: %v", err)
	}
	us, err := st.Users(ctx)
	if err != nil || len(us) != 2 || us[0].Username != "Bob" || us[1].Username != "alice" {
		t.Fatalf("Users (bytewise order, Bob < alice): %+v, %v", us, err)
	}
}

// A conflict reported inside a transaction leaves it usable, as SQLite's
// statement-level errors do: the caller may go on and commit.
func testConflictKeepsTransaction(t *testing.T, st store.Store) {
	ctx := context.Background()
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		_, err := tx.CreateUser(ctx, store.User{Username: "dup", PasswordHash: []byte("h"), Role: store.RoleViewer})
		return err
	})
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if _, err := tx.CreateUser(ctx, store.User{Username: "dup", PasswordHash: []byte("h"), Role: store.RoleViewer}); !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("duplicate user: %v, want ErrConflict", err)
		}
		if err := tx.CreateAPIKey(ctx, store.APIKey{ID: "k1", Name: "n", SecretHash: []byte("s"), Role: store.RoleViewer, CreatedBy: "dup", CreatedAt: epoch, ExpiresAt: epoch.Add(time.Hour)}); err != nil {
			return err
		}
		if err := tx.CreateAPIKey(ctx, store.APIKey{ID: "k1", Name: "again", SecretHash: []byte("s"), Role: store.RoleViewer, CreatedBy: "dup", CreatedAt: epoch, ExpiresAt: epoch}); !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("duplicate api key: %v, want ErrConflict", err)
		}
		_, err := tx.AppendAudit(ctx, store.AuditEntry{Actor: "dup", Action: "after.conflict"})
		return err
	})
	if k, err := st.APIKey(ctx, "k1"); err != nil || k.Name != "n" {
		t.Fatalf("key committed after conflicts: %+v, %v", k, err)
	}
	if es, err := st.Audit(ctx, 0, 0); err != nil || len(es) != 1 {
		t.Fatalf("audit committed after conflicts: %d entries, %v", len(es), err)
	}
}

func testAPIKeys(t *testing.T, st store.Store) {
	ctx := context.Background()
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for i, id := range []string{"kb", "ka"} {
			if err := tx.CreateAPIKey(ctx, store.APIKey{ID: id, Name: "key " + id, SecretHash: []byte{byte(i), 0, 1}, Role: store.RoleOperator,
				CreatedBy: "admin", CreatedAt: epoch.Add(time.Duration(i) * time.Second), ExpiresAt: epoch.Add(24 * time.Hour)}); err != nil {
				return err
			}
		}
		return nil
	})
	k, err := st.APIKey(ctx, "ka")
	if err != nil || k.Role != store.RoleOperator || !bytes.Equal(k.SecretHash, []byte{1, 0, 1}) || !k.ExpiresAt.Equal(epoch.Add(24*time.Hour)) || !k.RevokedAt.IsZero() {
		t.Fatalf("APIKey: %+v, %v", k, err)
	}
	at := epoch.Add(time.Hour)
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.RevokeAPIKey(ctx, "ka", at) })
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.RevokeAPIKey(ctx, "ka", at.Add(time.Hour)) }) // already revoked: kept
	if k, _ := st.APIKey(ctx, "ka"); !k.RevokedAt.Equal(at) {
		t.Fatalf("revoked at %v, want %v", k.RevokedAt, at)
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.RevokeAPIKey(ctx, "nope", at) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoke missing key: %v", err)
	}
	ks, err := st.APIKeys(ctx)
	if err != nil || len(ks) != 2 || ks[0].ID != "kb" || ks[1].ID != "ka" {
		t.Fatalf("APIKeys by creation: %+v, %v", ks, err)
	}
}

func testSigningKeys(t *testing.T, st store.Store) {
	ctx := context.Background()
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for _, kid := range []string{"z1", "a2", "m3"} { // same creation time: insertion order
			if err := tx.AddSigningKey(ctx, store.SigningKey{KID: kid, PrivateKey: []byte("priv-" + kid), PublicKey: []byte("pub-" + kid), CreatedAt: epoch}); err != nil {
				return err
			}
		}
		return tx.RetireSigningKeys(ctx, "m3", epoch.Add(time.Hour))
	})
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.AddSigningKey(ctx, store.SigningKey{KID: "z1", PrivateKey: []byte("p"), PublicKey: []byte("q"), CreatedAt: epoch})
	}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate kid: %v", err)
	}
	ks, err := st.SigningKeys(ctx)
	if err != nil || len(ks) != 3 {
		t.Fatalf("SigningKeys: %+v, %v", ks, err)
	}
	for i, want := range []string{"z1", "a2", "m3"} {
		if ks[i].KID != want {
			t.Errorf("key %d is %s, want %s (insertion order)", i, ks[i].KID, want)
		}
	}
	if !ks[0].RetireAt.Equal(epoch.Add(time.Hour)) || !ks[2].RetireAt.IsZero() || string(ks[2].PublicKey) != "pub-m3" {
		t.Fatalf("retire: %+v", ks)
	}
	// An earlier retirement is kept when asked for a later one.
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.RetireSigningKeys(ctx, "m3", epoch.Add(2*time.Hour))
	})
	if ks, _ := st.SigningKeys(ctx); !ks[0].RetireAt.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("retirement moved later: %v", ks[0].RetireAt)
	}
}

func testRefreshTokens(t *testing.T, st store.Store) {
	ctx := context.Background()
	var u store.User
	h1, h2 := []byte("hash-1"), []byte("hash-2")
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		if u, err = tx.CreateUser(ctx, store.User{Username: "rt", PasswordHash: []byte("h"), Role: store.RoleViewer}); err != nil {
			return err
		}
		if err := tx.AddRefreshToken(ctx, store.RefreshToken{Hash: h1, FamilyID: "f", UserID: u.ID, ExpiresAt: epoch.Add(time.Hour)}); err != nil {
			return err
		}
		return tx.AddRefreshToken(ctx, store.RefreshToken{Hash: h2, FamilyID: "f", UserID: u.ID, ExpiresAt: epoch.Add(time.Hour)})
	})
	for i, want := range []bool{true, false} {
		var ok bool
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			var err error
			ok, err = tx.UseRefreshToken(ctx, h1, epoch)
			return err
		})
		if ok != want {
			t.Fatalf("use %d: %v, want %v", i, ok, want)
		}
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		return tx.RevokeRefreshFamily(ctx, "f", epoch.Add(time.Minute))
	})
	rt, err := st.RefreshToken(ctx, h2)
	if err != nil || rt.UserID != u.ID || rt.FamilyID != "f" || !rt.RevokedAt.Equal(epoch.Add(time.Minute)) || !rt.UsedAt.IsZero() {
		t.Fatalf("revoked token: %+v, %v", rt, err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		if ok, err := tx.UseRefreshToken(ctx, h2, epoch); ok || err != nil {
			return fmt.Errorf("revoked token used: %v %v", ok, err)
		}
		return nil
	})
	if _, err := st.RefreshToken(ctx, []byte("none")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing token: %v", err)
	}
}

func testRollbackAndObjects(t *testing.T, st store.Store) {
	ctx := context.Background()
	boom := errors.New("boom")
	err := st.Update(ctx, func(tx store.Tx) error {
		tx.PutElementSet(ctx, "ISS (ZARYA)", "98067A", store.ElementSet{NORAD: 25544, Epoch: epoch, Format: "tle", Body: "x", Received: epoch})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if _, err := st.Object(ctx, 25544); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("rolled-back object visible: %v", err)
	}
	for i, name := range []string{"ISS (ZARYA)", "ISS", "ISS"} {
		err := st.Update(ctx, func(tx store.Tx) error {
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
	o, err := st.Object(ctx, 25544)
	if err != nil || o.Sets != 2 || o.Name != "ISS" || !o.Epoch.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("object %+v, %v", o, err)
	}
	for _, q := range []store.ObjectQuery{{Name: "iss"}, {NORAD: 25544}, {COSPAR: "98067"}, {COSPAR: "98067a"}} {
		if objs, _ := st.Objects(ctx, q); len(objs) != 1 {
			t.Errorf("query %+v found %d", q, len(objs))
		}
	}
	if objs, _ := st.Objects(ctx, store.ObjectQuery{Name: "%"}); len(objs) != 0 {
		t.Errorf("LIKE wildcard not escaped")
	}
	if objs, _ := st.Objects(ctx, store.ObjectQuery{Name: "IS_"}); len(objs) != 0 {
		t.Errorf("LIKE _ not escaped")
	}
}

func testElementSets(t *testing.T, st store.Store) {
	ctx := context.Background()
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for norad := 1; norad <= 5; norad++ {
			for k := 0; k < 3; k++ {
				e := store.ElementSet{NORAD: norad, Epoch: epoch.Add(time.Duration(k) * time.Hour), Format: "tle", Body: fmt.Sprintf("%d/%d", norad, k), Received: epoch.Add(time.Minute)}
				// An older set arriving after a newer one keeps the newer name.
				name := fmt.Sprintf("OBJ %d v%d", norad, k)
				if k == 2 {
					e.Epoch = epoch.Add(-time.Hour)
					name = "STALE"
				}
				if _, err := tx.PutElementSet(ctx, name, fmt.Sprintf("2022-%03dA", norad), e); err != nil {
					return err
				}
			}
		}
		return nil
	})
	o, err := st.Object(ctx, 3)
	if err != nil || o.Name != "OBJ 3 v1" || o.Sets != 3 || !o.Epoch.Equal(epoch.Add(time.Hour)) || !o.UpdatedAt.Equal(epoch.Add(time.Minute)) || o.COSPAR != "2022-003A" {
		t.Fatalf("object 3: %+v, %v", o, err)
	}
	sets, err := st.ElementSets(ctx, 3, 2)
	if err != nil || len(sets) != 2 || sets[0].Body != "3/1" || sets[1].Body != "3/0" || sets[0].NORAD != 3 || sets[0].ID == 0 || sets[0].Format != "tle" {
		t.Fatalf("ElementSets newest first, limit 2: %+v, %v", sets, err)
	}
	latest, err := st.LatestElementSets(ctx, []int{4, 2, 99})
	if err != nil || len(latest) != 2 || latest[0].NORAD != 2 || latest[1].NORAD != 4 || latest[1].Body != "4/1" {
		t.Fatalf("LatestElementSets(4,2,99): %+v, %v", latest, err)
	}
	all, err := st.LatestElementSets(ctx, nil)
	if err != nil || len(all) != 5 {
		t.Fatalf("LatestElementSets(all): %d, %v", len(all), err)
	}
	page, err := st.Objects(ctx, store.ObjectQuery{After: 2, Limit: 2})
	if err != nil || len(page) != 2 || page[0].NORAD != 3 || page[1].NORAD != 4 {
		t.Fatalf("Objects after 2 limit 2: %+v, %v", page, err)
	}
	if objs, _ := st.Objects(ctx, store.ObjectQuery{Name: "obj 5"}); len(objs) != 1 || objs[0].NORAD != 5 {
		t.Fatalf("name search: %+v", objs)
	}
}

func testJobs(t *testing.T, st store.Store) {
	ctx := context.Background()
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for i, owner := range []string{"alice", "bob", "alice"} {
			if err := tx.CreateJob(ctx, store.Job{ID: fmt.Sprintf("job-%d", i), Owner: owner, State: store.JobQueued, Params: `{"hours":1}`,
				CreatedAt: epoch.Add(time.Duration(i) * time.Minute), UpdatedAt: epoch}); err != nil {
				return err
			}
		}
		return nil
	})
	if err := st.Update(ctx, func(tx store.Tx) error {
		return tx.CreateJob(ctx, store.Job{ID: "job-0", Owner: "x", State: store.JobQueued, Params: "{}"})
	}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate job: %v", err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		j, err := tx.Job(ctx, "job-2")
		if err != nil {
			return err
		}
		j.State, j.Progress, j.Stage, j.Events, j.Error = store.JobDone, 1, "pc", 7, ""
		j.UpdatedAt, j.FinishedAt = epoch.Add(time.Hour), epoch.Add(time.Hour)
		return tx.UpdateJob(ctx, j)
	})
	j, err := st.Job(ctx, "job-2")
	if err != nil || j.State != store.JobDone || j.Progress != 1 || j.Events != 7 || j.Stage != "pc" || !j.FinishedAt.Equal(epoch.Add(time.Hour)) || j.Params != `{"hours":1}` {
		t.Fatalf("Job: %+v, %v", j, err)
	}
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.UpdateJob(ctx, store.Job{ID: "nope"}) }); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("UpdateJob missing: %v", err)
	}
	js, err := st.Jobs(ctx, "alice", 10)
	if err != nil || len(js) != 2 || js[0].ID != "job-2" || js[1].ID != "job-0" {
		t.Fatalf("Jobs(alice) newest first: %+v, %v", js, err)
	}
	if js, _ := st.Jobs(ctx, "", 2); len(js) != 2 || js[0].ID != "job-2" {
		t.Fatalf("Jobs(all, 2): %+v", js)
	}
	if _, err := st.Job(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing job: %v", err)
	}
}

func testConjunctions(t *testing.T, st store.Store) {
	ctx := context.Background()
	tca := epoch.Add(3*time.Hour + 20*time.Second)
	var first, second, other store.Conjunction
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		// The pair is stored smaller NORAD first; the same pair and TCA
		// minute is the same conjunction.
		if first, err = tx.UpsertConjunction(ctx, store.Conjunction{Norad1: 200, Norad2: 100, TCA: tca, MissDistanceKm: 1.5, RelativeSpeedKmS: 10, Pc: 1e-5, JobID: "j1", UpdatedAt: epoch}, "job:j1"); err != nil {
			return err
		}
		if second, err = tx.UpsertConjunction(ctx, store.Conjunction{Norad1: 100, Norad2: 200, TCA: tca.Add(10 * time.Second), MissDistanceKm: 0.9, RelativeSpeedKmS: 10.5, Pc: 3e-4, JobID: "j2", UpdatedAt: epoch.Add(time.Hour)}, "job:j2"); err != nil {
			return err
		}
		other, err = tx.UpsertConjunction(ctx, store.Conjunction{Norad1: 100, Norad2: 300, TCA: tca, MissDistanceKm: 4, RelativeSpeedKmS: 1, UpdatedAt: epoch}, "cdm")
		return err
	})
	if first.ID == 0 || first.ID != second.ID || other.ID == first.ID || first.Norad1 != 100 {
		t.Fatalf("upsert ids: %d %d %d (norad1 %d)", first.ID, second.ID, other.ID, first.Norad1)
	}
	c, err := st.Conjunction(ctx, first.ID)
	if err != nil || c.Norad1 != 100 || c.Norad2 != 200 || c.Pc != 3e-4 || c.JobID != "j2" || !c.TCA.Equal(tca.Add(10*time.Second)) || len(c.History) != 2 {
		t.Fatalf("Conjunction: %+v, %v", c, err)
	}
	if h := c.History; h[0].Source != "job:j1" || h[0].MissDistanceKm != 1.5 || h[1].Pc != 3e-4 || !h[1].At.Equal(epoch.Add(time.Hour)) {
		t.Fatalf("history: %+v", h)
	}
	if cs, _ := st.Conjunctions(ctx, 300, 0, 10); len(cs) != 1 || cs[0].ID != other.ID {
		t.Fatalf("Conjunctions(300): %+v", cs)
	}
	if cs, _ := st.Conjunctions(ctx, 0, first.ID, 10); len(cs) != 1 || cs[0].ID != other.ID {
		t.Fatalf("Conjunctions after %d: %+v", first.ID, cs)
	}
	if _, err := st.Conjunction(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing conjunction: %v", err)
	}
}

func testCDMsAndManeuvers(t *testing.T, st store.Store) {
	ctx := context.Background()
	var c1 store.CDM
	var added []bool
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		var err error
		if c1, err = tx.AddCDM(ctx, store.CDM{MessageID: "m1", Norad1: 1, Norad2: 2, TCA: epoch, MissDistanceKm: 0.3, Body: "CCSDS_CDM_VERS = 1.0", CreatedAt: epoch}); err != nil {
			return err
		}
		if _, err = tx.AddCDM(ctx, store.CDM{MessageID: "m2", Norad1: 3, Norad2: 4, TCA: epoch, Body: "b", CreatedAt: epoch}); err != nil {
			return err
		}
		for _, m := range []store.Maneuver{
			{NORAD: 7, Epoch: epoch, DeltaVMS: 1.2, Kind: "in-track", Confidence: 0.9, DetectedAt: epoch},
			{NORAD: 7, Epoch: epoch, DeltaVMS: 9, Kind: "dup", Confidence: 1, DetectedAt: epoch},
			{NORAD: 8, Epoch: epoch, DeltaVMS: 0.4, Kind: "radial", Confidence: 0.5, DetectedAt: epoch},
		} {
			_, ok, err := tx.AddManeuver(ctx, m)
			if err != nil {
				return err
			}
			added = append(added, ok)
		}
		return nil
	})
	if fmt.Sprint(added) != "[true false true]" {
		t.Fatalf("AddManeuver added %v, want [true false true]", added)
	}
	c, err := st.CDM(ctx, c1.ID)
	if err != nil || c.MessageID != "m1" || c.Body != "CCSDS_CDM_VERS = 1.0" || c.MissDistanceKm != 0.3 {
		t.Fatalf("CDM: %+v, %v", c, err)
	}
	if cs, _ := st.CDMs(ctx, 2, 0, 10); len(cs) != 1 || cs[0].ID != c1.ID {
		t.Fatalf("CDMs(2): %+v", cs)
	}
	if cs, _ := st.CDMs(ctx, 0, c1.ID, 10); len(cs) != 1 || cs[0].MessageID != "m2" {
		t.Fatalf("CDMs after: %+v", cs)
	}
	ms, err := st.Maneuvers(ctx, 7, 0, 10)
	if err != nil || len(ms) != 1 || ms[0].DeltaVMS != 1.2 || ms[0].Kind != "in-track" {
		t.Fatalf("Maneuvers(7): %+v, %v", ms, err)
	}
	if ms, _ := st.Maneuvers(ctx, 0, 0, 1); len(ms) != 1 {
		t.Fatalf("Maneuvers limit 1: %+v", ms)
	}
	if _, err := st.CDM(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing cdm: %v", err)
	}
}

func testAuditChain(t *testing.T, st store.Store) {
	ctx := context.Background()
	for i, a := range []string{"login", "login.failure", "apikey.create"} {
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.AppendAudit(ctx, store.AuditEntry{Actor: "alice", Action: a, Target: "user:alice", Detail: string(rune('a' + i))})
			return err
		})
	}
	entries, err := st.Audit(ctx, 0, 0)
	if err != nil || len(entries) != 3 {
		t.Fatalf("%d entries, %v", len(entries), err)
	}
	if err := store.VerifyAudit(entries); err != nil {
		t.Fatalf("fresh chain does not verify: %v", err)
	}
	if entries[0].PrevHash != nil {
		t.Fatalf("first entry's previous hash %x, want none", entries[0].PrevHash)
	}
	if page, _ := st.Audit(ctx, 1, 1); len(page) != 1 || page[0].Seq != 2 {
		t.Fatalf("Audit(after 1, 1): %+v", page)
	}
	// An altered entry (as if edited around the schema's guard) is detected.
	entries[1].Detail = "x"
	if err := store.VerifyAudit(entries); err == nil {
		t.Fatal("altered chain verified")
	}
	entries, _ = st.Audit(ctx, 0, 0)
	if err := store.VerifyAudit(append(entries[:1:1], entries[2])); err == nil {
		t.Fatal("chain with a removed entry verified")
	}
}

func testFeedSequences(t *testing.T, st store.Store) {
	ctx := context.Background()
	for _, ch := range []string{"catalog", "jobs", "catalog", "catalog", "jobs"} {
		update(t, st, func(ctx context.Context, tx store.Tx) error {
			_, err := tx.AppendFeed(ctx, store.FeedEvent{Channel: ch, Kind: "k", Payload: []byte(`{}`)})
			return err
		})
	}
	evs, _ := st.FeedEvents(ctx, "catalog", 1, 10)
	if len(evs) != 2 || evs[0].Seq != 2 || evs[1].Seq != 3 || string(evs[0].Payload) != "{}" {
		t.Fatalf("catalog after 1: %+v", evs)
	}
	if h, _ := st.FeedHead(ctx, "jobs"); h != 2 {
		t.Fatalf("jobs head %d, want 2", h)
	}
	if h, err := st.FeedHead(ctx, "none"); h != 0 || err != nil {
		t.Fatalf("empty channel head %d, %v", h, err)
	}
}

func testIdempotency(t *testing.T, st store.Store) {
	ctx := context.Background()
	rec := store.Idempotent{Scope: "user:1", Key: "k-1", RequestHash: []byte{1, 2, 3}, Status: 201, Body: []byte(`{"ok":true}`), CreatedAt: epoch}
	update(t, st, func(ctx context.Context, tx store.Tx) error { return tx.PutIdempotent(ctx, rec) })
	if err := st.Update(ctx, func(tx store.Tx) error { return tx.PutIdempotent(ctx, rec) }); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("second PutIdempotent: %v, want ErrConflict", err)
	}
	got, err := st.Idempotent(ctx, "user:1", "k-1")
	if err != nil || got.Status != 201 || string(got.Body) != `{"ok":true}` || !bytes.Equal(got.RequestHash, rec.RequestHash) || !got.CreatedAt.Equal(epoch) {
		t.Fatalf("Idempotent: %+v, %v", got, err)
	}
	if _, err := st.Idempotent(ctx, "user:2", "k-1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("key of another scope: %v", err)
	}
}

// Writers running at once still build one unbroken audit chain and
// gap-free feed sequences (SQLite by its single writer, PostgreSQL by
// serializable transactions).
func testConcurrentAuditAndFeed(t *testing.T, st store.Store) {
	ctx := context.Background()
	const writers, each = 6, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := st.Update(ctx, func(tx store.Tx) error {
					if _, err := tx.AppendAudit(ctx, store.AuditEntry{Actor: fmt.Sprintf("w%d", w), Action: "write", Detail: fmt.Sprint(i)}); err != nil {
						return err
					}
					_, err := tx.AppendFeed(ctx, store.FeedEvent{Channel: "catalog", Kind: "k", Payload: []byte(fmt.Sprintf(`{"w":%d,"i":%d}`, w, i))})
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	entries, err := st.Audit(ctx, 0, 0)
	if err != nil || len(entries) != writers*each {
		t.Fatalf("%d audit entries, want %d (%v)", len(entries), writers*each, err)
	}
	if err := store.VerifyAudit(entries); err != nil {
		t.Fatalf("chain after concurrent appends: %v", err)
	}
	var seen []store.FeedEvent
	for after := int64(0); ; {
		page, err := st.FeedEvents(ctx, "catalog", after, 25)
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		seen = append(seen, page...)
		after = page[len(page)-1].Seq
	}
	if len(seen) != writers*each {
		t.Fatalf("%d feed events, want %d", len(seen), writers*each)
	}
	for i, e := range seen {
		if e.Seq != int64(i+1) {
			t.Fatalf("feed event %d has sequence %d (gap or duplicate)", i+1, e.Seq)
		}
	}
}

// Concurrent retries of one write, each checking the key inside its
// transaction as the API does, apply the write once; the others see the
// stored response.
func testConcurrentIdempotent(t *testing.T, st store.Store) {
	ctx := context.Background()
	const tries = 8
	var wg sync.WaitGroup
	applied := make(chan bool, tries)
	errs := make(chan error, tries)
	for i := 0; i < tries; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var did bool
			err := st.Update(ctx, func(tx store.Tx) error {
				did = false
				if _, err := tx.Idempotent(ctx, "user:1", "retry"); err == nil {
					return nil
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				if _, err := tx.AppendAudit(ctx, store.AuditEntry{Actor: "user:1", Action: "import"}); err != nil {
					return err
				}
				did = true
				return tx.PutIdempotent(ctx, store.Idempotent{Scope: "user:1", Key: "retry", RequestHash: []byte("h"), Status: 200, Body: []byte("{}"), CreatedAt: epoch})
			})
			if err != nil {
				errs <- err
				return
			}
			applied <- did
		}()
	}
	wg.Wait()
	close(errs)
	close(applied)
	for err := range errs {
		t.Fatalf("a retry failed instead of replaying: %v", err)
	}
	n := 0
	for a := range applied {
		if a {
			n++
		}
	}
	if es, _ := st.Audit(ctx, 0, 0); n != 1 || len(es) != 1 {
		t.Fatalf("write applied %d times (%d audit entries), want once", n, len(es))
	}
}

func testWebhooks(t *testing.T, st store.Store) {
	ws, ok := st.(store.WebhookStore)
	if !ok {
		t.Skip("store does not implement store.WebhookStore")
	}
	ctx := context.Background()
	for i, id := range []string{"wh-b", "wh-a"} {
		if err := ws.CreateWebhook(ctx, store.Webhook{ID: id, Owner: "alice", URL: "http://127.0.0.1/" + id, Channels: []string{"catalog", "jobs"}, Secret: []byte("s3cret"), CreatedAt: epoch.Add(time.Duration(i) * time.Second)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ws.CreateWebhook(ctx, store.Webhook{ID: "wh-a", Owner: "bob", URL: "u", Channels: []string{"x"}, Secret: []byte("s")}); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate webhook: %v", err)
	}
	w, err := ws.Webhook(ctx, "wh-a")
	if err != nil || w.Owner != "alice" || fmt.Sprint(w.Channels) != "[catalog jobs]" || string(w.Secret) != "s3cret" || w.Disabled {
		t.Fatalf("Webhook: %+v, %v", w, err)
	}
	for _, d := range []store.Delivery{
		{WebhookID: "wh-a", Channel: "catalog", Seq: 1, Attempt: 1, Status: 200, At: epoch},
		{WebhookID: "wh-a", Channel: "catalog", Seq: 2, Attempt: 1, Status: 500, Error: "HTTP 500", At: epoch},
		{WebhookID: "wh-a", Channel: "catalog", Seq: 3, Attempt: 5, Status: 0, Error: "refused", At: epoch},
	} {
		if err := ws.AddDelivery(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	if seq, err := ws.Delivered(ctx, "wh-a", "catalog", 5); err != nil || seq != 3 {
		t.Fatalf("Delivered (max attempts 5): %d, %v", seq, err)
	}
	if seq, _ := ws.Delivered(ctx, "wh-a", "catalog", 6); seq != 1 {
		t.Fatalf("Delivered (max attempts 6): %d, want 1", seq)
	}
	if ds, _ := ws.Deliveries(ctx, "wh-a", 2); len(ds) != 2 || ds[0].Seq != 3 || ds[1].Error != "HTTP 500" {
		t.Fatalf("Deliveries newest first: %+v", ds)
	}
	if err := ws.DisableWebhook(ctx, "wh-b"); err != nil {
		t.Fatal(err)
	}
	if err := ws.DisableWebhook(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("disable missing: %v", err)
	}
	if hs, _ := ws.Webhooks(ctx, ""); len(hs) != 1 || hs[0].ID != "wh-a" {
		t.Fatalf("enabled webhooks: %+v", hs)
	}
	if hs, _ := ws.Webhooks(ctx, "bob"); len(hs) != 0 {
		t.Fatalf("bob's webhooks: %+v", hs)
	}
	if _, err := ws.Webhook(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing webhook: %v", err)
	}
}

func testCatalogChanges(t *testing.T, st store.Store) {
	cs, ok := st.(store.CatalogStore)
	if !ok {
		t.Skip("store does not implement store.CatalogStore")
	}
	ctx := context.Background()
	if h, err := cs.ElementSetHead(ctx); h != 0 || err != nil {
		t.Fatalf("empty head %d, %v", h, err)
	}
	update(t, st, func(ctx context.Context, tx store.Tx) error {
		for k := 0; k < 3; k++ {
			for norad := 10; norad <= 11; norad++ {
				if _, err := tx.PutElementSet(ctx, fmt.Sprintf("SAT %d", norad), "2026-001A", store.ElementSet{NORAD: norad, Epoch: epoch.Add(time.Duration(k) * time.Hour), Format: "tle", Body: fmt.Sprint(norad, "/", k), Received: epoch}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	head, err := cs.ElementSetHead(ctx)
	if err != nil || head == 0 {
		t.Fatalf("head %d, %v", head, err)
	}
	all, err := cs.ElementSetChanges(ctx, 0, 0)
	if err != nil || len(all) != 6 || all[5].ID != head || all[0].Name != "SAT 10" || all[0].COSPAR != "2026-001A" {
		t.Fatalf("all changes: %+v, %v", all, err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID <= all[i-1].ID {
			t.Fatalf("changes not in ascending ID order: %d after %d", all[i].ID, all[i-1].ID)
		}
	}
	page, err := cs.ElementSetChanges(ctx, all[1].ID, 2)
	if err != nil || len(page) != 2 || page[0].ID != all[2].ID || page[1].ID != all[3].ID {
		t.Fatalf("page after %d: %+v, %v", all[1].ID, page, err)
	}
	if n, err := cs.CountElementSetChanges(ctx, all[3].ID); n != 2 || err != nil {
		t.Fatalf("count after %d: %d, %v", all[3].ID, n, err)
	}
	hist, err := cs.ElementSetsBefore(ctx, 10, time.Time{}, 2)
	if err != nil || len(hist) != 2 || hist[0].Body != "10/2" || hist[1].Body != "10/1" {
		t.Fatalf("history, no bound: %+v, %v", hist, err)
	}
	hist, err = cs.ElementSetsBefore(ctx, 10, hist[1].Epoch, 10)
	if err != nil || len(hist) != 1 || hist[0].Body != "10/0" {
		t.Fatalf("history before %v: %+v, %v", epoch.Add(time.Hour), hist, err)
	}
}

// A reader paging the change cursor while writers import sees every
// element set exactly once: IDs become visible in increasing order.
func testCatalogCursorConcurrent(t *testing.T, st store.Store) {
	cs, ok := st.(store.CatalogStore)
	if !ok {
		t.Skip("store does not implement store.CatalogStore")
	}
	ctx := context.Background()
	const writers, txs, perTx = 4, 20, 3
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < txs; i++ {
				err := st.Update(ctx, func(tx store.Tx) error {
					for k := 0; k < perTx; k++ {
						e := store.ElementSet{NORAD: 100 + w, Epoch: epoch.Add(time.Duration(i*perTx+k) * time.Minute), Format: "tle", Body: "b", Received: epoch}
						if _, err := tx.PutElementSet(ctx, "W", "", e); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	writing := make(chan struct{})
	go func() { wg.Wait(); close(writing) }()
	seen := map[int64]bool{}
	var cursor int64
	for done := false; ; {
		select {
		case <-writing:
			done = true
		default:
		}
		page, err := cs.ElementSetChanges(ctx, cursor, 5)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			if seen[c.ID] {
				t.Fatalf("element set %d seen twice", c.ID)
			}
			seen[c.ID] = true
			cursor = c.ID
		}
		if done && len(page) == 0 {
			break
		}
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(seen) != writers*txs*perTx {
		t.Fatalf("the cursor saw %d element sets of %d: it passed some that committed later", len(seen), writers*txs*perTx)
	}
}
