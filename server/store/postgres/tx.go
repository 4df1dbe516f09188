package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

// tx implements store.Tx inside one SERIALIZABLE transaction.
//
// A failed statement aborts a PostgreSQL transaction, where SQLite goes on;
// so inserts that may collide use ON CONFLICT DO NOTHING and report
// store.ErrConflict from the row count, leaving the transaction usable as
// the SQLite store does. A unique_violation (23505) that still happens is
// mapped to store.ErrConflict too.
type tx struct{ reader }

var _ store.Tx = (*tx)(nil)

// exec runs one statement and returns the rows it affected.
func (t *tx) exec(ctx context.Context, what, query string, args ...any) (int64, error) {
	tag, err := t.q.Exec(ctx, query, args...)
	if err != nil {
		return 0, t.wrap(err, what)
	}
	return tag.RowsAffected(), nil
}

// insert runs an INSERT ... ON CONFLICT DO NOTHING; no row inserted is a
// conflict.
func (t *tx) insert(ctx context.Context, what, query string, args ...any) error {
	n, err := t.exec(ctx, what, query+" ON CONFLICT DO NOTHING", args...)
	if err == nil && n == 0 {
		err = fmt.Errorf("%s: %w", what, store.ErrConflict)
	}
	return err
}

func (t *tx) CreateUser(ctx context.Context, u store.User) (store.User, error) {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	err := t.q.QueryRow(ctx, "INSERT INTO users (username, password_hash, role, disabled, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
		u.Username, nz(u.PasswordHash), int(u.Role), u.Disabled, ms(u.CreatedAt)).Scan(&u.ID)
	if err := t.wrap(err, "create user"); errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrConflict) {
		return u, fmt.Errorf("user %q: %w", u.Username, store.ErrConflict)
	} else if err != nil {
		return u, err
	}
	return u, nil
}

func (t *tx) UpdateUser(ctx context.Context, u store.User) error {
	n, err := t.exec(ctx, "update user", "UPDATE users SET password_hash = $1, role = $2, disabled = $3 WHERE id = $4",
		nz(u.PasswordHash), int(u.Role), u.Disabled, u.ID)
	if err == nil && n == 0 {
		err = fmt.Errorf("user %d: %w", u.ID, store.ErrNotFound)
	}
	return err
}

func (t *tx) CreateAPIKey(ctx context.Context, k store.APIKey) error {
	return t.insert(ctx, "create api key", "INSERT INTO api_keys ("+keyCols+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		k.ID, k.Name, nz(k.SecretHash), int(k.Role), k.CreatedBy, ms(k.CreatedAt), ms(k.ExpiresAt), ms(k.RevokedAt))
}

func (t *tx) RevokeAPIKey(ctx context.Context, id string, at time.Time) error {
	n, err := t.exec(ctx, "revoke api key", "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at = 0", ms(at), id)
	if err == nil && n == 0 {
		if _, err := t.APIKey(ctx, id); err != nil {
			return err
		}
	}
	return err
}

func (t *tx) AddSigningKey(ctx context.Context, k store.SigningKey) error {
	return t.insert(ctx, "add signing key", "INSERT INTO signing_keys (kid, private_key, public_key, created_at, retire_at) VALUES ($1, $2, $3, $4, $5)",
		k.KID, nz(k.PrivateKey), nz(k.PublicKey), ms(k.CreatedAt), ms(k.RetireAt))
}

func (t *tx) RetireSigningKeys(ctx context.Context, exceptKID string, at time.Time) error {
	_, err := t.exec(ctx, "retire signing keys", "UPDATE signing_keys SET retire_at = $1 WHERE kid <> $2 AND (retire_at = 0 OR retire_at > $1)", ms(at), exceptKID)
	return err
}

func (t *tx) AddRefreshToken(ctx context.Context, r store.RefreshToken) error {
	return t.insert(ctx, "add refresh token", "INSERT INTO refresh_tokens (hash, family_id, user_id, expires_at, used_at, revoked_at) VALUES ($1, $2, $3, $4, 0, 0)",
		nz(r.Hash), r.FamilyID, r.UserID, ms(r.ExpiresAt))
}

func (t *tx) UseRefreshToken(ctx context.Context, hash []byte, at time.Time) (bool, error) {
	n, err := t.exec(ctx, "use refresh token", "UPDATE refresh_tokens SET used_at = $1 WHERE hash = $2 AND used_at = 0 AND revoked_at = 0", ms(at), nz(hash))
	return n == 1, err
}

func (t *tx) RevokeRefreshFamily(ctx context.Context, family string, at time.Time) error {
	_, err := t.exec(ctx, "revoke refresh family", "UPDATE refresh_tokens SET revoked_at = $1 WHERE family_id = $2 AND revoked_at = 0", ms(at), family)
	return err
}

// catalogLock is the transaction-level advisory lock that element-set
// inserts hold until commit, so that element_sets ids become visible in
// the order they are drawn (as with SQLite's single writer) and a reader
// paging by id never passes one that commits later.
const catalogLock = 0x617374726f01 // "astro" + 1

func (t *tx) PutElementSet(ctx context.Context, name, cospar string, e store.ElementSet) (bool, error) {
	if !t.st.catalogLocked {
		if _, err := t.exec(ctx, "lock catalog", "SELECT pg_advisory_xact_lock($1)", int64(catalogLock)); err != nil {
			return false, err
		}
		t.st.catalogLocked = true
	}
	now := ms(e.Received)
	_, err := t.exec(ctx, "put object", `INSERT INTO objects (norad, name, cospar, epoch, sets, updated_at) VALUES ($1, $2, $3, $4, 0, $5)
		ON CONFLICT (norad) DO NOTHING`, e.NORAD, name, cospar, ms(e.Epoch), now)
	if err != nil {
		return false, err
	}
	n, err := t.exec(ctx, "put element set", "INSERT INTO element_sets (norad, epoch, format, body, received) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (norad, epoch) DO NOTHING",
		e.NORAD, ms(e.Epoch), e.Format, e.Body, now)
	if err != nil || n == 0 {
		return false, err
	}
	// The object's name, designator and epoch follow its newest element set.
	_, err = t.exec(ctx, "update object", `UPDATE objects SET sets = sets + 1, updated_at = $1,
		name   = CASE WHEN $2 >= epoch AND $3 <> '' THEN $3 ELSE name END,
		cospar = CASE WHEN $2 >= epoch AND $4 <> '' THEN $4 ELSE cospar END,
		epoch  = GREATEST(epoch, $2)
		WHERE norad = $5`, now, ms(e.Epoch), name, cospar, e.NORAD)
	return err == nil, err
}

func (t *tx) CreateJob(ctx context.Context, j store.Job) error {
	return t.insert(ctx, "create job", "INSERT INTO screening_jobs ("+jobCols+") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
		j.ID, j.Owner, j.State, j.Params, j.Progress, j.Stage, j.Error, j.Events, ms(j.CreatedAt), ms(j.UpdatedAt), ms(j.FinishedAt))
}

func (t *tx) UpdateJob(ctx context.Context, j store.Job) error {
	n, err := t.exec(ctx, "update job", "UPDATE screening_jobs SET state = $1, progress = $2, stage = $3, error = $4, events = $5, updated_at = $6, finished_at = $7 WHERE id = $8",
		j.State, j.Progress, j.Stage, j.Error, j.Events, ms(j.UpdatedAt), ms(j.FinishedAt), j.ID)
	if err == nil && n == 0 {
		err = fmt.Errorf("job %s: %w", j.ID, store.ErrNotFound)
	}
	return err
}

func (t *tx) UpsertConjunction(ctx context.Context, c store.Conjunction, source string) (store.Conjunction, error) {
	if c.Norad1 > c.Norad2 {
		c.Norad1, c.Norad2 = c.Norad2, c.Norad1
	}
	minute := c.TCA.Truncate(time.Minute).Unix() / 60
	err := t.q.QueryRow(ctx, `INSERT INTO conjunctions (norad_1, norad_2, tca_minute, tca, miss_km, rel_speed_km_s, pc, job_id, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (norad_1, norad_2, tca_minute) DO UPDATE SET tca = excluded.tca, miss_km = excluded.miss_km,
		  rel_speed_km_s = excluded.rel_speed_km_s, pc = excluded.pc, job_id = excluded.job_id, updated_at = excluded.updated_at
		RETURNING id`, c.Norad1, c.Norad2, minute, ms(c.TCA), c.MissDistanceKm, c.RelativeSpeedKmS, c.Pc, c.JobID, ms(c.UpdatedAt)).Scan(&c.ID)
	if err != nil {
		return c, t.wrap(err, "upsert conjunction")
	}
	_, err = t.exec(ctx, "conjunction history", "INSERT INTO conjunction_history (conjunction_id, at, tca, miss_km, pc, source) VALUES ($1, $2, $3, $4, $5, $6)",
		c.ID, ms(c.UpdatedAt), ms(c.TCA), c.MissDistanceKm, c.Pc, source)
	return c, err
}

func (t *tx) AddCDM(ctx context.Context, c store.CDM) (store.CDM, error) {
	err := t.q.QueryRow(ctx, "INSERT INTO cdms (message_id, norad_1, norad_2, tca, miss_km, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
		c.MessageID, c.Norad1, c.Norad2, ms(c.TCA), c.MissDistanceKm, c.Body, ms(c.CreatedAt)).Scan(&c.ID)
	return c, t.wrap(err, "add cdm")
}

func (t *tx) AddManeuver(ctx context.Context, m store.Maneuver) (store.Maneuver, bool, error) {
	err := t.q.QueryRow(ctx, `INSERT INTO maneuvers (norad, epoch, delta_v_m_s, kind, confidence, detected_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (norad, epoch) DO NOTHING RETURNING id`,
		m.NORAD, ms(m.Epoch), m.DeltaVMS, m.Kind, m.Confidence, ms(m.DetectedAt)).Scan(&m.ID)
	if err := t.wrap(err, "maneuver"); errors.Is(err, store.ErrNotFound) {
		return m, false, nil
	} else if err != nil {
		return m, false, err
	}
	return m, true, nil
}

// AppendAudit reads the chain head and appends after it; two transactions
// reading the same head cannot both commit (serializable), so the chain has
// no forks or gaps.
func (t *tx) AppendAudit(ctx context.Context, e store.AuditEntry) (store.AuditEntry, error) {
	var prev []byte
	err := t.q.QueryRow(ctx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&e.Seq, &prev)
	if err := t.wrap(err, "audit head"); err != nil && !errors.Is(err, store.ErrNotFound) {
		return e, err
	}
	e.Seq++
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	e.At = unms(ms(e.At)) // the stored precision, so the hash verifies after reading back
	if len(prev) == 0 {
		prev = nil
	}
	e.PrevHash = prev
	e.Hash = store.AuditHash(prev, e)
	_, err = t.exec(ctx, "append audit", "INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		e.Seq, ms(e.At), e.Actor, e.Action, e.Target, e.Detail, nz(prev), e.Hash)
	return e, err
}

// AppendFeed assigns the channel's next sequence; as for the audit head,
// serializable isolation lets only one of two writers that read the same
// head commit, and the other retries after it, so sequences commit in
// order with no gaps.
func (t *tx) AppendFeed(ctx context.Context, e store.FeedEvent) (store.FeedEvent, error) {
	head, err := t.FeedHead(ctx, e.Channel)
	if err != nil {
		return e, err
	}
	e.Seq = head + 1
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	_, err = t.exec(ctx, "append feed", "INSERT INTO feed_events (channel, seq, kind, payload, at) VALUES ($1, $2, $3, $4, $5)",
		e.Channel, e.Seq, e.Kind, nz(e.Payload), ms(e.At))
	return e, err
}

func (t *tx) PutIdempotent(ctx context.Context, r store.Idempotent) error {
	return t.insert(ctx, "put idempotency key", "INSERT INTO idempotency_keys (scope, key, request_hash, status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
		r.Scope, r.Key, nz(r.RequestHash), r.Status, nz(r.Body), ms(r.CreatedAt))
}
