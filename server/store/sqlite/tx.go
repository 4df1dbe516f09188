package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/astroshield/astroshield/server/store"
)

// tx implements store.Tx inside one SQL transaction.
type tx struct {
	reader
	objects bool // the objects table was written: DB.Object's cache is emptied after the transaction
}

var _ store.Tx = (*tx)(nil)

func exec(ctx context.Context, q querier, what, query string, args ...any) (int64, error) {
	res, err := q.ExecContext(ctx, query, args...)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE constraint failed") {
			return 0, fmt.Errorf("%s: %w", what, store.ErrConflict)
		}
		return 0, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}

func (t *tx) CreateUser(ctx context.Context, u store.User) (store.User, error) {
	if u.CreatedAt.IsZero() {
		u.CreatedAt = time.Now().UTC()
	}
	err := t.q.QueryRowContext(ctx, "INSERT INTO users (username, password_hash, role, disabled, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
		u.Username, u.PasswordHash, int(u.Role), u.Disabled, ms(u.CreatedAt)).Scan(&u.ID)
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed") {
		return u, fmt.Errorf("user %q: %w", u.Username, store.ErrConflict)
	}
	if err != nil {
		return u, fmt.Errorf("sqlite: create user: %w", err)
	}
	return u, nil
}

func (t *tx) UpdateUser(ctx context.Context, u store.User) error {
	n, err := exec(ctx, t.q, "update user", "UPDATE users SET password_hash = ?, role = ?, disabled = ? WHERE id = ?",
		u.PasswordHash, int(u.Role), u.Disabled, u.ID)
	if err == nil && n == 0 {
		err = fmt.Errorf("user %d: %w", u.ID, store.ErrNotFound)
	}
	return err
}

func (t *tx) CreateAPIKey(ctx context.Context, k store.APIKey) error {
	_, err := exec(ctx, t.q, "create api key", "INSERT INTO api_keys ("+keyCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		k.ID, k.Name, k.SecretHash, int(k.Role), k.CreatedBy, ms(k.CreatedAt), ms(k.ExpiresAt), ms(k.RevokedAt))
	return err
}

func (t *tx) RevokeAPIKey(ctx context.Context, id string, at time.Time) error {
	n, err := exec(ctx, t.q, "revoke api key", "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at = 0", ms(at), id)
	if err == nil && n == 0 {
		if _, err := t.APIKey(ctx, id); err != nil {
			return err
		}
	}
	return err
}

func (t *tx) AddSigningKey(ctx context.Context, k store.SigningKey) error {
	_, err := exec(ctx, t.q, "add signing key", "INSERT INTO signing_keys (kid, private_key, public_key, created_at, retire_at) VALUES (?, ?, ?, ?, ?)",
		k.KID, k.PrivateKey, k.PublicKey, ms(k.CreatedAt), ms(k.RetireAt))
	return err
}

func (t *tx) RetireSigningKeys(ctx context.Context, exceptKID string, at time.Time) error {
	_, err := exec(ctx, t.q, "retire signing keys", "UPDATE signing_keys SET retire_at = ? WHERE kid <> ? AND (retire_at = 0 OR retire_at > ?)", ms(at), exceptKID, ms(at))
	return err
}

func (t *tx) AddRefreshToken(ctx context.Context, r store.RefreshToken) error {
	_, err := exec(ctx, t.q, "add refresh token", "INSERT INTO refresh_tokens (hash, family_id, user_id, expires_at, used_at, revoked_at) VALUES (?, ?, ?, ?, 0, 0)",
		r.Hash, r.FamilyID, r.UserID, ms(r.ExpiresAt))
	return err
}

func (t *tx) UseRefreshToken(ctx context.Context, hash []byte, at time.Time) (bool, error) {
	n, err := exec(ctx, t.q, "use refresh token", "UPDATE refresh_tokens SET used_at = ? WHERE hash = ? AND used_at = 0 AND revoked_at = 0", ms(at), hash)
	return n == 1, err
}

func (t *tx) RevokeRefreshFamily(ctx context.Context, family string, at time.Time) error {
	_, err := exec(ctx, t.q, "revoke refresh family", "UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at = 0", ms(at), family)
	return err
}

func (t *tx) PutElementSet(ctx context.Context, name, cospar string, e store.ElementSet) (bool, error) {
	t.objects = true
	now := ms(e.Received)
	_, err := exec(ctx, t.q, "put object", `INSERT INTO objects (norad, name, cospar, epoch, sets, updated_at) VALUES (?, ?, ?, ?, 0, ?)
		ON CONFLICT (norad) DO NOTHING`, e.NORAD, name, cospar, ms(e.Epoch), now)
	if err != nil {
		return false, err
	}
	_, err = exec(ctx, t.q, "put element set", "INSERT INTO element_sets (norad, epoch, format, body, received) VALUES (?, ?, ?, ?, ?)",
		e.NORAD, ms(e.Epoch), e.Format, e.Body, now)
	if errors.Is(err, store.ErrConflict) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// The object's name, designator and epoch follow its newest element set.
	_, err = exec(ctx, t.q, "update object", `UPDATE objects SET sets = sets + 1, updated_at = ?,
		name   = CASE WHEN ? >= epoch AND ? <> '' THEN ? ELSE name END,
		cospar = CASE WHEN ? >= epoch AND ? <> '' THEN ? ELSE cospar END,
		epoch  = MAX(epoch, ?)
		WHERE norad = ?`, now, ms(e.Epoch), name, name, ms(e.Epoch), cospar, cospar, ms(e.Epoch), e.NORAD)
	return err == nil, err
}

func (t *tx) CreateJob(ctx context.Context, j store.Job) error {
	_, err := exec(ctx, t.q, "create job", "INSERT INTO screening_jobs ("+jobCols+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		j.ID, j.Owner, j.State, j.Params, j.Progress, j.Stage, j.Error, j.Events, ms(j.CreatedAt), ms(j.UpdatedAt), ms(j.FinishedAt))
	return err
}

func (t *tx) UpdateJob(ctx context.Context, j store.Job) error {
	n, err := exec(ctx, t.q, "update job", "UPDATE screening_jobs SET state = ?, progress = ?, stage = ?, error = ?, events = ?, updated_at = ?, finished_at = ? WHERE id = ?",
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
	err := t.q.QueryRowContext(ctx, `INSERT INTO conjunctions (norad_1, norad_2, tca_minute, tca, miss_km, rel_speed_km_s, pc, job_id, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (norad_1, norad_2, tca_minute) DO UPDATE SET tca = excluded.tca, miss_km = excluded.miss_km,
		  rel_speed_km_s = excluded.rel_speed_km_s, pc = excluded.pc, job_id = excluded.job_id, updated_at = excluded.updated_at
		RETURNING id`, c.Norad1, c.Norad2, minute, ms(c.TCA), c.MissDistanceKm, c.RelativeSpeedKmS, c.Pc, c.JobID, ms(c.UpdatedAt)).Scan(&c.ID)
	if err != nil {
		return c, fmt.Errorf("sqlite: upsert conjunction: %w", err)
	}
	_, err = exec(ctx, t.q, "conjunction history", "INSERT INTO conjunction_history (conjunction_id, at, tca, miss_km, pc, source) VALUES (?, ?, ?, ?, ?, ?)",
		c.ID, ms(c.UpdatedAt), ms(c.TCA), c.MissDistanceKm, c.Pc, source)
	return c, err
}

func (t *tx) AddCDM(ctx context.Context, c store.CDM) (store.CDM, error) {
	err := t.q.QueryRowContext(ctx, "INSERT INTO cdms (message_id, norad_1, norad_2, tca, miss_km, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		c.MessageID, c.Norad1, c.Norad2, ms(c.TCA), c.MissDistanceKm, c.Body, ms(c.CreatedAt)).Scan(&c.ID)
	if err != nil {
		return c, fmt.Errorf("sqlite: add cdm: %w", err)
	}
	return c, nil
}

func (t *tx) AddManeuver(ctx context.Context, m store.Maneuver) (store.Maneuver, bool, error) {
	err := t.q.QueryRowContext(ctx, `INSERT INTO maneuvers (norad, epoch, delta_v_m_s, kind, confidence, detected_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (norad, epoch) DO NOTHING RETURNING id`,
		m.NORAD, ms(m.Epoch), m.DeltaVMS, m.Kind, m.Confidence, ms(m.DetectedAt)).Scan(&m.ID)
	if err := notFound(err, "maneuver"); errors.Is(err, store.ErrNotFound) {
		return m, false, nil
	} else if err != nil {
		return m, false, err
	}
	return m, true, nil
}

func (t *tx) AppendAudit(ctx context.Context, e store.AuditEntry) (store.AuditEntry, error) {
	var prev []byte
	err := t.q.QueryRowContext(ctx, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&e.Seq, &prev)
	if err := notFound(err, "audit head"); err != nil && !errors.Is(err, store.ErrNotFound) {
		return e, err
	}
	e.Seq++
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	e.At = unms(ms(e.At)) // the stored precision, so the hash verifies after reading back
	e.PrevHash = prev
	e.Hash = store.AuditHash(prev, e)
	if prev == nil {
		prev = []byte{}
	}
	_, err = exec(ctx, t.q, "append audit", "INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		e.Seq, ms(e.At), e.Actor, e.Action, e.Target, e.Detail, prev, e.Hash)
	return e, err
}

func (t *tx) AppendFeed(ctx context.Context, e store.FeedEvent) (store.FeedEvent, error) {
	head, err := t.FeedHead(ctx, e.Channel)
	if err != nil {
		return e, err
	}
	e.Seq = head + 1
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	_, err = exec(ctx, t.q, "append feed", "INSERT INTO feed_events (channel, seq, kind, payload, at) VALUES (?, ?, ?, ?, ?)",
		e.Channel, e.Seq, e.Kind, e.Payload, ms(e.At))
	return e, err
}

func (t *tx) PutIdempotent(ctx context.Context, r store.Idempotent) error {
	_, err := exec(ctx, t.q, "put idempotency key", "INSERT INTO idempotency_keys (scope, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)",
		r.Scope, r.Key, r.RequestHash, r.Status, r.Body, ms(r.CreatedAt))
	return err
}
