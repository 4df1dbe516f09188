package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/astroshield/astroshield/server/store"
)

var (
	ms   = store.UnixMilli
	unms = store.FromUnixMilli
)

// reader implements store.Reader on a pool or a transaction.
type reader struct{ q querier }

func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return nil
}

const userCols = "id, username, password_hash, role, disabled, created_at"

func scanUser(s interface{ Scan(...any) error }) (store.User, error) {
	var u store.User
	var created int64
	err := s.Scan(&u.ID, &u.Username, &u.PasswordHash, &u.Role, &u.Disabled, &created)
	u.CreatedAt = unms(created)
	return u, err
}

func (r reader) UserByName(ctx context.Context, username string) (store.User, error) {
	u, err := scanUser(r.q.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE username = ?", username))
	return u, notFound(err, "user")
}

func (r reader) UserByID(ctx context.Context, id int64) (store.User, error) {
	u, err := scanUser(r.q.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE id = ?", id))
	return u, notFound(err, "user")
}

func (r reader) Users(ctx context.Context) ([]store.User, error) {
	return list(ctx, r.q, scanUser, "SELECT "+userCols+" FROM users ORDER BY username")
}

const keyCols = "id, name, secret_hash, role, created_by, created_at, expires_at, revoked_at"

func scanKey(s interface{ Scan(...any) error }) (store.APIKey, error) {
	var k store.APIKey
	var c, e, rv int64
	err := s.Scan(&k.ID, &k.Name, &k.SecretHash, &k.Role, &k.CreatedBy, &c, &e, &rv)
	k.CreatedAt, k.ExpiresAt, k.RevokedAt = unms(c), unms(e), unms(rv)
	return k, err
}

func (r reader) APIKey(ctx context.Context, id string) (store.APIKey, error) {
	k, err := scanKey(r.q.QueryRowContext(ctx, "SELECT "+keyCols+" FROM api_keys WHERE id = ?", id))
	return k, notFound(err, "api key")
}

func (r reader) APIKeys(ctx context.Context) ([]store.APIKey, error) {
	return list(ctx, r.q, scanKey, "SELECT "+keyCols+" FROM api_keys ORDER BY created_at, id")
}

func (r reader) SigningKeys(ctx context.Context) ([]store.SigningKey, error) {
	return list(ctx, r.q, func(s interface{ Scan(...any) error }) (store.SigningKey, error) {
		var k store.SigningKey
		var c, ra int64
		err := s.Scan(&k.KID, &k.PrivateKey, &k.PublicKey, &c, &ra)
		k.CreatedAt, k.RetireAt = unms(c), unms(ra)
		return k, err
	}, "SELECT kid, private_key, public_key, created_at, retire_at FROM signing_keys ORDER BY created_at, rowid")
}

func (r reader) RefreshToken(ctx context.Context, hash []byte) (store.RefreshToken, error) {
	var t store.RefreshToken
	var e, u, rv int64
	err := r.q.QueryRowContext(ctx, "SELECT hash, family_id, user_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE hash = ?", hash).
		Scan(&t.Hash, &t.FamilyID, &t.UserID, &e, &u, &rv)
	t.ExpiresAt, t.UsedAt, t.RevokedAt = unms(e), unms(u), unms(rv)
	return t, notFound(err, "refresh token")
}

const objCols = "norad, name, cospar, epoch, sets, updated_at"

func scanObject(s interface{ Scan(...any) error }) (store.Object, error) {
	var o store.Object
	var e, u int64
	err := s.Scan(&o.NORAD, &o.Name, &o.COSPAR, &e, &o.Sets, &u)
	o.Epoch, o.UpdatedAt = unms(e), unms(u)
	return o, err
}

func (r reader) Object(ctx context.Context, norad int) (store.Object, error) {
	o, err := scanObject(r.q.QueryRowContext(ctx, "SELECT "+objCols+" FROM objects WHERE norad = ?", norad))
	return o, notFound(err, "object")
}

func (r reader) Objects(ctx context.Context, q store.ObjectQuery) ([]store.Object, error) {
	where := []string{"norad > ?"}
	args := []any{q.After}
	if q.Name != "" {
		where = append(where, "name LIKE ? ESCAPE '\\'")
		args = append(args, "%"+likeEscape(q.Name)+"%")
	}
	if q.NORAD != 0 {
		where = append(where, "norad = ?")
		args = append(args, q.NORAD)
	}
	if q.COSPAR != "" {
		where = append(where, "cospar LIKE ? ESCAPE '\\'")
		args = append(args, likeEscape(q.COSPAR)+"%")
	}
	args = append(args, limit(q.Limit))
	return list(ctx, r.q, scanObject, "SELECT "+objCols+" FROM objects WHERE "+strings.Join(where, " AND ")+" ORDER BY norad LIMIT ?", args...)
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func limit(n int) int {
	if n <= 0 || n > 1000 {
		return 1000
	}
	return n
}

func scanSet(s interface{ Scan(...any) error }) (store.ElementSet, error) {
	var e store.ElementSet
	var ep, rc int64
	err := s.Scan(&e.ID, &e.NORAD, &ep, &e.Format, &e.Body, &rc)
	e.Epoch, e.Received = unms(ep), unms(rc)
	return e, err
}

func (r reader) ElementSets(ctx context.Context, norad int, n int) ([]store.ElementSet, error) {
	return list(ctx, r.q, scanSet, "SELECT id, norad, epoch, format, body, received FROM element_sets WHERE norad = ? ORDER BY epoch DESC LIMIT ?", norad, limit(n))
}

func (r reader) LatestElementSets(ctx context.Context, norads []int) ([]store.ElementSet, error) {
	const q = `SELECT e.id, e.norad, e.epoch, e.format, e.body, e.received FROM element_sets e
		JOIN objects o ON o.norad = e.norad AND o.epoch = e.epoch`
	if len(norads) == 0 {
		return list(ctx, r.q, scanSet, q+" ORDER BY e.norad")
	}
	ph := strings.TrimSuffix(strings.Repeat("?,", len(norads)), ",")
	args := make([]any, len(norads))
	for i, n := range norads {
		args[i] = n
	}
	return list(ctx, r.q, scanSet, q+" WHERE e.norad IN ("+ph+") ORDER BY e.norad", args...)
}

const jobCols = "id, owner, state, params, progress, stage, error, events, created_at, updated_at, finished_at"

func scanJob(s interface{ Scan(...any) error }) (store.Job, error) {
	var j store.Job
	var c, u, f int64
	err := s.Scan(&j.ID, &j.Owner, &j.State, &j.Params, &j.Progress, &j.Stage, &j.Error, &j.Events, &c, &u, &f)
	j.CreatedAt, j.UpdatedAt, j.FinishedAt = unms(c), unms(u), unms(f)
	return j, err
}

func (r reader) Job(ctx context.Context, id string) (store.Job, error) {
	j, err := scanJob(r.q.QueryRowContext(ctx, "SELECT "+jobCols+" FROM screening_jobs WHERE id = ?", id))
	return j, notFound(err, "job")
}

func (r reader) Jobs(ctx context.Context, owner string, n int) ([]store.Job, error) {
	if owner == "" {
		return list(ctx, r.q, scanJob, "SELECT "+jobCols+" FROM screening_jobs ORDER BY created_at DESC, id LIMIT ?", limit(n))
	}
	return list(ctx, r.q, scanJob, "SELECT "+jobCols+" FROM screening_jobs WHERE owner = ? ORDER BY created_at DESC, id LIMIT ?", owner, limit(n))
}

const conjCols = "id, norad_1, norad_2, tca, miss_km, rel_speed_km_s, pc, job_id, updated_at"

func scanConj(s interface{ Scan(...any) error }) (store.Conjunction, error) {
	var c store.Conjunction
	var t, u int64
	err := s.Scan(&c.ID, &c.Norad1, &c.Norad2, &t, &c.MissDistanceKm, &c.RelativeSpeedKmS, &c.Pc, &c.JobID, &u)
	c.TCA, c.UpdatedAt = unms(t), unms(u)
	return c, err
}

func (r reader) Conjunction(ctx context.Context, id int64) (store.Conjunction, error) {
	c, err := scanConj(r.q.QueryRowContext(ctx, "SELECT "+conjCols+" FROM conjunctions WHERE id = ?", id))
	if err := notFound(err, "conjunction"); err != nil {
		return c, err
	}
	c.History, err = list(ctx, r.q, func(s interface{ Scan(...any) error }) (store.ConjunctionUpdate, error) {
		var h store.ConjunctionUpdate
		var at, tca int64
		err := s.Scan(&at, &tca, &h.MissDistanceKm, &h.Pc, &h.Source)
		h.At, h.TCA = unms(at), unms(tca)
		return h, err
	}, "SELECT at, tca, miss_km, pc, source FROM conjunction_history WHERE conjunction_id = ? ORDER BY id", id)
	return c, err
}

func (r reader) Conjunctions(ctx context.Context, norad int, after int64, n int) ([]store.Conjunction, error) {
	if norad != 0 {
		return list(ctx, r.q, scanConj, "SELECT "+conjCols+" FROM conjunctions WHERE id > ? AND (norad_1 = ? OR norad_2 = ?) ORDER BY id LIMIT ?", after, norad, norad, limit(n))
	}
	return list(ctx, r.q, scanConj, "SELECT "+conjCols+" FROM conjunctions WHERE id > ? ORDER BY id LIMIT ?", after, limit(n))
}

const cdmCols = "id, message_id, norad_1, norad_2, tca, miss_km, body, created_at"

func scanCDM(s interface{ Scan(...any) error }) (store.CDM, error) {
	var c store.CDM
	var t, cr int64
	err := s.Scan(&c.ID, &c.MessageID, &c.Norad1, &c.Norad2, &t, &c.MissDistanceKm, &c.Body, &cr)
	c.TCA, c.CreatedAt = unms(t), unms(cr)
	return c, err
}

func (r reader) CDM(ctx context.Context, id int64) (store.CDM, error) {
	c, err := scanCDM(r.q.QueryRowContext(ctx, "SELECT "+cdmCols+" FROM cdms WHERE id = ?", id))
	return c, notFound(err, "cdm")
}

func (r reader) CDMs(ctx context.Context, norad int, after int64, n int) ([]store.CDM, error) {
	if norad != 0 {
		return list(ctx, r.q, scanCDM, "SELECT "+cdmCols+" FROM cdms WHERE id > ? AND (norad_1 = ? OR norad_2 = ?) ORDER BY id LIMIT ?", after, norad, norad, limit(n))
	}
	return list(ctx, r.q, scanCDM, "SELECT "+cdmCols+" FROM cdms WHERE id > ? ORDER BY id LIMIT ?", after, limit(n))
}

func scanManeuver(s interface{ Scan(...any) error }) (store.Maneuver, error) {
	var m store.Maneuver
	var e, d int64
	err := s.Scan(&m.ID, &m.NORAD, &e, &m.DeltaVMS, &m.Kind, &m.Confidence, &d)
	m.Epoch, m.DetectedAt = unms(e), unms(d)
	return m, err
}

func (r reader) Maneuvers(ctx context.Context, norad int, after int64, n int) ([]store.Maneuver, error) {
	const cols = "SELECT id, norad, epoch, delta_v_m_s, kind, confidence, detected_at FROM maneuvers WHERE id > ?"
	if norad != 0 {
		return list(ctx, r.q, scanManeuver, cols+" AND norad = ? ORDER BY id LIMIT ?", after, norad, limit(n))
	}
	return list(ctx, r.q, scanManeuver, cols+" ORDER BY id LIMIT ?", after, limit(n))
}

func scanAudit(s interface{ Scan(...any) error }) (store.AuditEntry, error) {
	var e store.AuditEntry
	var at int64
	err := s.Scan(&e.Seq, &at, &e.Actor, &e.Action, &e.Target, &e.Detail, &e.PrevHash, &e.Hash)
	e.At = unms(at)
	if len(e.PrevHash) == 0 {
		e.PrevHash = nil
	}
	return e, err
}

func (r reader) Audit(ctx context.Context, after int64, n int) ([]store.AuditEntry, error) {
	if n <= 0 {
		n = -1 // all
	}
	return list(ctx, r.q, scanAudit, "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?", after, n)
}

func (r reader) FeedEvents(ctx context.Context, channel string, after int64, n int) ([]store.FeedEvent, error) {
	return list(ctx, r.q, func(s interface{ Scan(...any) error }) (store.FeedEvent, error) {
		var e store.FeedEvent
		var at int64
		err := s.Scan(&e.Channel, &e.Seq, &e.Kind, &e.Payload, &at)
		e.At = unms(at)
		return e, err
	}, "SELECT channel, seq, kind, payload, at FROM feed_events WHERE channel = ? AND seq > ? ORDER BY seq LIMIT ?", channel, after, limit(n))
}

func (r reader) FeedHead(ctx context.Context, channel string) (int64, error) {
	var seq int64
	err := r.q.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM feed_events WHERE channel = ?", channel).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("sqlite: feed head: %w", err)
	}
	return seq, nil
}

func (r reader) Idempotent(ctx context.Context, scope, key string) (store.Idempotent, error) {
	var i store.Idempotent
	var c int64
	err := r.q.QueryRowContext(ctx, "SELECT scope, key, request_hash, status, body, created_at FROM idempotency_keys WHERE scope = ? AND key = ?", scope, key).
		Scan(&i.Scope, &i.Key, &i.RequestHash, &i.Status, &i.Body, &c)
	i.CreatedAt = unms(c)
	return i, notFound(err, "idempotency key")
}

// list runs a query and scans every row with scan.
func list[T any](ctx context.Context, q querier, scan func(interface{ Scan(...any) error }) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: query: %w", err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: scan: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: rows: %w", err)
	}
	return out, nil
}
