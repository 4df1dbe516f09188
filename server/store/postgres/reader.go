package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/astroshield/astroshield/server/store"
)

var (
	ms   = store.UnixMilli
	unms = store.FromUnixMilli
)

// reader implements store.Reader on the pool or inside a transaction (st
// is set there).
type reader struct {
	q  querier
	st *attemptState
}

type scanner interface{ Scan(...any) error }

// wrap gives err context, notes a retryable failure of the attempt and
// maps a missing row to store.ErrNotFound.
func (r reader) wrap(err error, what string) error {
	if err == nil {
		return nil
	}
	if r.st != nil && retryable(err) {
		r.st.retry = true
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, store.ErrNotFound)
	}
	if badText(err) {
		return fmt.Errorf("%s: %w", what, ErrText)
	}
	if uniqueViolation(err) {
		return fmt.Errorf("%s: %w (%v)", what, store.ErrConflict, err)
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}

const userCols = "id, username, password_hash, role, disabled, created_at"

func scanUser(s scanner) (store.User, error) {
	var u store.User
	var role int
	var created int64
	err := s.Scan(&u.ID, &u.Username, &u.PasswordHash, &role, &u.Disabled, &created)
	u.Role, u.CreatedAt = store.Role(role), unms(created)
	return u, err
}

func (r reader) UserByName(ctx context.Context, username string) (store.User, error) {
	u, err := scanUser(r.q.QueryRow(ctx, "SELECT "+userCols+" FROM users WHERE username = $1", username))
	return u, r.wrap(err, "user")
}

func (r reader) UserByID(ctx context.Context, id int64) (store.User, error) {
	u, err := scanUser(r.q.QueryRow(ctx, "SELECT "+userCols+" FROM users WHERE id = $1", id))
	return u, r.wrap(err, "user")
}

// Text keys sort COLLATE "C" (bytewise), as SQLite's default BINARY
// collation does, whatever the database's locale.

func (r reader) Users(ctx context.Context) ([]store.User, error) {
	return list(ctx, r, scanUser, `SELECT `+userCols+` FROM users ORDER BY username COLLATE "C"`)
}

const keyCols = "id, name, secret_hash, role, created_by, created_at, expires_at, revoked_at"

func scanKey(s scanner) (store.APIKey, error) {
	var k store.APIKey
	var role int
	var c, e, rv int64
	err := s.Scan(&k.ID, &k.Name, &k.SecretHash, &role, &k.CreatedBy, &c, &e, &rv)
	k.Role, k.CreatedAt, k.ExpiresAt, k.RevokedAt = store.Role(role), unms(c), unms(e), unms(rv)
	return k, err
}

func (r reader) APIKey(ctx context.Context, id string) (store.APIKey, error) {
	k, err := scanKey(r.q.QueryRow(ctx, "SELECT "+keyCols+" FROM api_keys WHERE id = $1", id))
	return k, r.wrap(err, "api key")
}

func (r reader) APIKeys(ctx context.Context) ([]store.APIKey, error) {
	return list(ctx, r, scanKey, `SELECT `+keyCols+` FROM api_keys ORDER BY created_at, id COLLATE "C"`)
}

func (r reader) SigningKeys(ctx context.Context) ([]store.SigningKey, error) {
	return list(ctx, r, func(s scanner) (store.SigningKey, error) {
		var k store.SigningKey
		var c, ra int64
		err := s.Scan(&k.KID, &k.PrivateKey, &k.PublicKey, &c, &ra)
		k.CreatedAt, k.RetireAt = unms(c), unms(ra)
		return k, err
	}, "SELECT kid, private_key, public_key, created_at, retire_at FROM signing_keys ORDER BY created_at, added")
}

func (r reader) RefreshToken(ctx context.Context, hash []byte) (store.RefreshToken, error) {
	var t store.RefreshToken
	var e, u, rv int64
	err := r.q.QueryRow(ctx, "SELECT hash, family_id, user_id, expires_at, used_at, revoked_at FROM refresh_tokens WHERE hash = $1", nz(hash)).
		Scan(&t.Hash, &t.FamilyID, &t.UserID, &e, &u, &rv)
	t.ExpiresAt, t.UsedAt, t.RevokedAt = unms(e), unms(u), unms(rv)
	return t, r.wrap(err, "refresh token")
}

const objCols = "norad, name, cospar, epoch, sets, updated_at"

func scanObject(s scanner) (store.Object, error) {
	var o store.Object
	var e, u int64
	err := s.Scan(&o.NORAD, &o.Name, &o.COSPAR, &e, &o.Sets, &u)
	o.Epoch, o.UpdatedAt = unms(e), unms(u)
	return o, err
}

func (r reader) Object(ctx context.Context, norad int) (store.Object, error) {
	o, err := scanObject(r.q.QueryRow(ctx, "SELECT "+objCols+" FROM objects WHERE norad = $1", norad))
	return o, r.wrap(err, "object")
}

// Objects matches name and COSPAR case-insensitively, as SQLite's LIKE
// does.
func (r reader) Objects(ctx context.Context, q store.ObjectQuery) ([]store.Object, error) {
	args := []any{q.After}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where := []string{"norad > $1"}
	if q.Name != "" {
		where = append(where, `name ILIKE `+arg("%"+likeEscape(q.Name)+"%")+` ESCAPE '\'`)
	}
	if q.NORAD != 0 {
		where = append(where, "norad = "+arg(q.NORAD))
	}
	if q.COSPAR != "" {
		where = append(where, `upper(cospar) LIKE upper(`+arg(likeEscape(q.COSPAR)+"%")+`) ESCAPE '\'`)
	}
	lim := arg(limit(q.Limit))
	return list(ctx, r, scanObject, "SELECT "+objCols+" FROM objects WHERE "+strings.Join(where, " AND ")+" ORDER BY norad LIMIT "+lim, args...)
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

const setCols = "id, norad, epoch, format, body, received"

func scanSet(s scanner) (store.ElementSet, error) {
	var e store.ElementSet
	var ep, rc int64
	err := s.Scan(&e.ID, &e.NORAD, &ep, &e.Format, &e.Body, &rc)
	e.Epoch, e.Received = unms(ep), unms(rc)
	return e, err
}

func (r reader) ElementSets(ctx context.Context, norad int, n int) ([]store.ElementSet, error) {
	return list(ctx, r, scanSet, "SELECT "+setCols+" FROM element_sets WHERE norad = $1 ORDER BY epoch DESC LIMIT $2", norad, limit(n))
}

func (r reader) LatestElementSets(ctx context.Context, norads []int) ([]store.ElementSet, error) {
	const q = `SELECT e.id, e.norad, e.epoch, e.format, e.body, e.received FROM element_sets e
		JOIN objects o ON o.norad = e.norad AND o.epoch = e.epoch`
	if len(norads) == 0 {
		return list(ctx, r, scanSet, q+" ORDER BY e.norad")
	}
	ids := make([]int64, len(norads))
	for i, n := range norads {
		ids[i] = int64(n)
	}
	return list(ctx, r, scanSet, q+" WHERE e.norad = ANY($1) ORDER BY e.norad", ids)
}

const jobCols = "id, owner, state, params, progress, stage, error, events, created_at, updated_at, finished_at"

func scanJob(s scanner) (store.Job, error) {
	var j store.Job
	var c, u, f int64
	err := s.Scan(&j.ID, &j.Owner, &j.State, &j.Params, &j.Progress, &j.Stage, &j.Error, &j.Events, &c, &u, &f)
	j.CreatedAt, j.UpdatedAt, j.FinishedAt = unms(c), unms(u), unms(f)
	return j, err
}

func (r reader) Job(ctx context.Context, id string) (store.Job, error) {
	j, err := scanJob(r.q.QueryRow(ctx, "SELECT "+jobCols+" FROM screening_jobs WHERE id = $1", id))
	return j, r.wrap(err, "job")
}

func (r reader) Jobs(ctx context.Context, owner string, n int) ([]store.Job, error) {
	if owner == "" {
		return list(ctx, r, scanJob, `SELECT `+jobCols+` FROM screening_jobs ORDER BY created_at DESC, id COLLATE "C" LIMIT $1`, limit(n))
	}
	return list(ctx, r, scanJob, `SELECT `+jobCols+` FROM screening_jobs WHERE owner = $1 ORDER BY created_at DESC, id COLLATE "C" LIMIT $2`, owner, limit(n))
}

const conjCols = "id, norad_1, norad_2, tca, miss_km, rel_speed_km_s, pc, job_id, updated_at"

func scanConj(s scanner) (store.Conjunction, error) {
	var c store.Conjunction
	var t, u int64
	err := s.Scan(&c.ID, &c.Norad1, &c.Norad2, &t, &c.MissDistanceKm, &c.RelativeSpeedKmS, &c.Pc, &c.JobID, &u)
	c.TCA, c.UpdatedAt = unms(t), unms(u)
	return c, err
}

func (r reader) Conjunction(ctx context.Context, id int64) (store.Conjunction, error) {
	c, err := scanConj(r.q.QueryRow(ctx, "SELECT "+conjCols+" FROM conjunctions WHERE id = $1", id))
	if err := r.wrap(err, "conjunction"); err != nil {
		return c, err
	}
	c.History, err = list(ctx, r, func(s scanner) (store.ConjunctionUpdate, error) {
		var h store.ConjunctionUpdate
		var at, tca int64
		err := s.Scan(&at, &tca, &h.MissDistanceKm, &h.Pc, &h.Source)
		h.At, h.TCA = unms(at), unms(tca)
		return h, err
	}, "SELECT at, tca, miss_km, pc, source FROM conjunction_history WHERE conjunction_id = $1 ORDER BY id", id)
	return c, err
}

func (r reader) Conjunctions(ctx context.Context, norad int, after int64, n int) ([]store.Conjunction, error) {
	if norad != 0 {
		return list(ctx, r, scanConj, "SELECT "+conjCols+" FROM conjunctions WHERE id > $1 AND (norad_1 = $2 OR norad_2 = $2) ORDER BY id LIMIT $3", after, norad, limit(n))
	}
	return list(ctx, r, scanConj, "SELECT "+conjCols+" FROM conjunctions WHERE id > $1 ORDER BY id LIMIT $2", after, limit(n))
}

const cdmCols = "id, message_id, norad_1, norad_2, tca, miss_km, body, created_at"

func scanCDM(s scanner) (store.CDM, error) {
	var c store.CDM
	var t, cr int64
	err := s.Scan(&c.ID, &c.MessageID, &c.Norad1, &c.Norad2, &t, &c.MissDistanceKm, &c.Body, &cr)
	c.TCA, c.CreatedAt = unms(t), unms(cr)
	return c, err
}

func (r reader) CDM(ctx context.Context, id int64) (store.CDM, error) {
	c, err := scanCDM(r.q.QueryRow(ctx, "SELECT "+cdmCols+" FROM cdms WHERE id = $1", id))
	return c, r.wrap(err, "cdm")
}

func (r reader) CDMs(ctx context.Context, norad int, after int64, n int) ([]store.CDM, error) {
	if norad != 0 {
		return list(ctx, r, scanCDM, "SELECT "+cdmCols+" FROM cdms WHERE id > $1 AND (norad_1 = $2 OR norad_2 = $2) ORDER BY id LIMIT $3", after, norad, limit(n))
	}
	return list(ctx, r, scanCDM, "SELECT "+cdmCols+" FROM cdms WHERE id > $1 ORDER BY id LIMIT $2", after, limit(n))
}

func scanManeuver(s scanner) (store.Maneuver, error) {
	var m store.Maneuver
	var e, d int64
	err := s.Scan(&m.ID, &m.NORAD, &e, &m.DeltaVMS, &m.Kind, &m.Confidence, &d)
	m.Epoch, m.DetectedAt = unms(e), unms(d)
	return m, err
}

func (r reader) Maneuvers(ctx context.Context, norad int, after int64, n int) ([]store.Maneuver, error) {
	const cols = "SELECT id, norad, epoch, delta_v_m_s, kind, confidence, detected_at FROM maneuvers WHERE id > $1"
	if norad != 0 {
		return list(ctx, r, scanManeuver, cols+" AND norad = $2 ORDER BY id LIMIT $3", after, norad, limit(n))
	}
	return list(ctx, r, scanManeuver, cols+" ORDER BY id LIMIT $2", after, limit(n))
}

func scanAudit(s scanner) (store.AuditEntry, error) {
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
	var lim any // NULL: no limit (all), as SQLite's LIMIT -1
	if n > 0 {
		lim = n
	}
	return list(ctx, r, scanAudit, "SELECT seq, at, actor, action, target, detail, prev_hash, hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2", after, lim)
}

func (r reader) FeedEvents(ctx context.Context, channel string, after int64, n int) ([]store.FeedEvent, error) {
	return list(ctx, r, func(s scanner) (store.FeedEvent, error) {
		var e store.FeedEvent
		var at int64
		err := s.Scan(&e.Channel, &e.Seq, &e.Kind, &e.Payload, &at)
		e.At = unms(at)
		return e, err
	}, "SELECT channel, seq, kind, payload, at FROM feed_events WHERE channel = $1 AND seq > $2 ORDER BY seq LIMIT $3", channel, after, limit(n))
}

func (r reader) FeedHead(ctx context.Context, channel string) (int64, error) {
	var seq int64
	err := r.q.QueryRow(ctx, "SELECT COALESCE(MAX(seq), 0) FROM feed_events WHERE channel = $1", channel).Scan(&seq)
	return seq, r.wrap(err, "feed head")
}

func (r reader) Idempotent(ctx context.Context, scope, key string) (store.Idempotent, error) {
	var i store.Idempotent
	var c int64
	err := r.q.QueryRow(ctx, "SELECT scope, key, request_hash, status, body, created_at FROM idempotency_keys WHERE scope = $1 AND key = $2", scope, key).
		Scan(&i.Scope, &i.Key, &i.RequestHash, &i.Status, &i.Body, &c)
	i.CreatedAt = unms(c)
	return i, r.wrap(err, "idempotency key")
}

// list runs a query and scans every row with scan.
func list[T any](ctx context.Context, r reader, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := r.q.Query(ctx, query, args...)
	if err != nil {
		return nil, r.wrap(err, "query")
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, r.wrap(err, "scan")
		}
		out = append(out, v)
	}
	return out, r.wrap(rows.Err(), "rows")
}

// nz is b, or an empty slice for nil: pgx sends a nil []byte as NULL and
// the BYTEA columns are NOT NULL (SQLite stores nil as an empty blob).
func nz(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
