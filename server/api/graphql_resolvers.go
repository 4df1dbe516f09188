package api

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	graphql "github.com/graph-gophers/graphql-go"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/store"
)

// gqlRequest is what the resolvers of one GraphQL request work with: the
// server's storage and the authenticated caller.
type gqlRequest struct {
	s *Server
	p auth.Principal

	mu         sync.Mutex
	cdmPages   map[[2]int64][]store.CDM // (norad, after) → one page of CDMs
	cachedCDMs int
}

// CDM pages read by Conjunction.cdms: gqlCDMScanPages pages of gqlCDMPage
// at most per event (the store links CDMs to objects, not to events), kept
// for the rest of the request up to gqlCDMCacheRows rows, so that the
// events of one object share one scan.
const (
	gqlCDMPage      = 1000
	gqlCDMScanPages = 5
	gqlCDMCacheRows = 2000
)

func (rq *gqlRequest) cdmPage(ctx context.Context, norad int, after int64) ([]store.CDM, error) {
	rq.mu.Lock()
	defer rq.mu.Unlock()
	key := [2]int64{int64(norad), after}
	if p, ok := rq.cdmPages[key]; ok {
		return p, nil
	}
	p, err := rq.s.st.CDMs(ctx, norad, after, gqlCDMPage)
	if err != nil {
		return nil, err
	}
	if rq.cachedCDMs+len(p) <= gqlCDMCacheRows {
		if rq.cdmPages == nil {
			rq.cdmPages = map[[2]int64][]store.CDM{}
		}
		rq.cdmPages[key] = p
		rq.cachedCDMs += len(p)
	}
	return p, nil
}

type gqlCtxKey struct{}

func gqlReq(ctx context.Context) *gqlRequest {
	rq, _ := ctx.Value(gqlCtxKey{}).(*gqlRequest)
	if rq == nil {
		panic("api: GraphQL resolver called without a request") // only graphqlServe runs the schema
	}
	return rq
}

// gqlError is a resolver error with a stable code in extensions.code.
type gqlError struct {
	Code    string
	Message string
}

func (e *gqlError) Error() string { return e.Message }

// Extensions is read by graphql-go to fill the error's extensions.
func (e *gqlError) Extensions() map[string]any { return map[string]any{"code": e.Code} }

// require refuses a field to callers below role, as the route table does for REST.
func (rq *gqlRequest) require(role store.Role, field string) error {
	if auth.Allowed(rq.p.Role, role) {
		return nil
	}
	return &gqlError{"FORBIDDEN", fmt.Sprintf("%s needs role %s or higher; you are %s", field, role, rq.p.Role)}
}

// fail turns a storage error into what the client sees; internals are
// logged with the request ID, not shown.
func (rq *gqlRequest) fail(ctx context.Context, what string, err error) error {
	var ge *gqlError
	if errors.As(err, &ge) {
		return ge
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &gqlError{"CANCELLED", "request cancelled"}
	}
	id := requestID(ctx)
	rq.s.log.Error("graphql resolver", "request_id", id, "field", what, "err", err)
	return &gqlError{"INTERNAL", "internal error (request " + id + ")"}
}

func badInput(format string, a ...any) error {
	return &gqlError{"BAD_USER_INPUT", fmt.Sprintf(format, a...)}
}

// gqlLimit checks a list's limit argument (graphql-go fills in the
// schema's default when it is absent) against [1, gqlMaxListLimit].
func gqlLimit(v int32, _ int) (int, error) {
	if v < 1 || v > gqlMaxListLimit {
		return 0, &gqlError{"LIST_LIMIT_EXCEEDED", fmt.Sprintf("limit %d: want 1 to %d", v, gqlMaxListLimit)}
	}
	return int(v), nil
}

// gqlID parses a numeric ID argument; nil is 0 (no cursor).
func gqlID(v *graphql.ID, name string) (int64, error) {
	if v == nil {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(*v), 10, 64)
	if err != nil || n < 0 {
		return 0, badInput("%s %q is not a non-negative integer", name, string(*v))
	}
	return n, nil
}

func gqlNorad(v *int32) (int, error) {
	if v == nil {
		return 0, nil
	}
	if *v < 0 || *v > 999_999_999 {
		return 0, badInput("norad %d: want 0 to 999999999", *v)
	}
	return int(*v), nil
}

func gqlTime(t time.Time) graphql.Time { return graphql.Time{Time: t.UTC()} }

func gqlOptTime(t time.Time) *graphql.Time {
	if t.IsZero() {
		return nil
	}
	v := gqlTime(t)
	return &v
}

func idOf(n int64) graphql.ID { return graphql.ID(strconv.FormatInt(n, 10)) }

// gqlRoot resolves the Query type.
type gqlRoot struct{}

type gqlMe struct{ p auth.Principal }

func (m gqlMe) Subject() string { return m.p.Subject }
func (m gqlMe) Role() string    { return m.p.Role.String() }

func (gqlRoot) Me(ctx context.Context) gqlMe { return gqlMe{gqlReq(ctx).p} }

func (gqlRoot) Object(ctx context.Context, args struct{ Norad int32 }) (*gqlObject, error) {
	return lookupObject(ctx, int(args.Norad))
}

// lookupObject returns the object or nil when the catalog does not hold it.
func lookupObject(ctx context.Context, norad int) (*gqlObject, error) {
	rq := gqlReq(ctx)
	o, err := rq.s.st.Object(ctx, norad)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, rq.fail(ctx, "object", err)
	}
	return &gqlObject{o}, nil
}

func (gqlRoot) Objects(ctx context.Context, args struct {
	Q      *string
	Norad  *int32
	Cospar *string
	After  *int32
	Limit  int32
}) ([]*gqlObject, error) {
	rq := gqlReq(ctx)
	lim, err := gqlLimit(args.Limit, 100)
	if err != nil {
		return nil, err
	}
	norad, err := gqlNorad(args.Norad)
	if err != nil {
		return nil, err
	}
	after, err := gqlNorad(args.After)
	if err != nil {
		return nil, err
	}
	q := store.ObjectQuery{NORAD: norad, After: after, Limit: lim}
	if args.Q != nil {
		q.Name = *args.Q
	}
	if args.Cospar != nil {
		q.COSPAR = *args.Cospar
	}
	if len(q.Name) > 64 || len(q.COSPAR) > 16 {
		return nil, badInput("q is limited to 64 characters and cospar to 16")
	}
	objs, err := rq.s.st.Objects(ctx, q)
	if err != nil {
		return nil, rq.fail(ctx, "objects", err)
	}
	out := make([]*gqlObject, len(objs))
	for i, o := range objs {
		out[i] = &gqlObject{o}
	}
	return out, nil
}

type listArgs struct {
	Norad *int32
	After *graphql.ID
	Limit int32
}

func (a listArgs) parse(def int) (norad int, after int64, lim int, err error) {
	if norad, err = gqlNorad(a.Norad); err != nil {
		return
	}
	if after, err = gqlID(a.After, "after"); err != nil {
		return
	}
	lim, err = gqlLimit(a.Limit, def)
	return
}

func (gqlRoot) Conjunction(ctx context.Context, args struct{ ID graphql.ID }) (*gqlConj, error) {
	rq := gqlReq(ctx)
	id, err := gqlID(&args.ID, "id")
	if err != nil {
		return nil, err
	}
	c, err := rq.s.st.Conjunction(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, rq.fail(ctx, "conjunction", err)
	}
	return &gqlConj{c: c, full: true}, nil
}

func (gqlRoot) Conjunctions(ctx context.Context, args listArgs) ([]*gqlConj, error) {
	norad, after, lim, err := args.parse(100)
	if err != nil {
		return nil, err
	}
	return listConjunctions(ctx, norad, after, lim)
}

func listConjunctions(ctx context.Context, norad int, after int64, lim int) ([]*gqlConj, error) {
	rq := gqlReq(ctx)
	cs, err := rq.s.st.Conjunctions(ctx, norad, after, lim)
	if err != nil {
		return nil, rq.fail(ctx, "conjunctions", err)
	}
	out := make([]*gqlConj, len(cs))
	for i, c := range cs {
		out[i] = &gqlConj{c: c}
	}
	return out, nil
}

func (gqlRoot) Cdm(ctx context.Context, args struct{ ID graphql.ID }) (*gqlCDM, error) {
	rq := gqlReq(ctx)
	id, err := gqlID(&args.ID, "id")
	if err != nil {
		return nil, err
	}
	c, err := rq.s.st.CDM(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, rq.fail(ctx, "cdm", err)
	}
	return &gqlCDM{c}, nil
}

func (gqlRoot) Cdms(ctx context.Context, args listArgs) ([]*gqlCDM, error) {
	norad, after, lim, err := args.parse(100)
	if err != nil {
		return nil, err
	}
	return listCDMs(ctx, norad, after, lim)
}

func listCDMs(ctx context.Context, norad int, after int64, lim int) ([]*gqlCDM, error) {
	rq := gqlReq(ctx)
	cs, err := rq.s.st.CDMs(ctx, norad, after, lim)
	if err != nil {
		return nil, rq.fail(ctx, "cdms", err)
	}
	out := make([]*gqlCDM, len(cs))
	for i, c := range cs {
		out[i] = &gqlCDM{c}
	}
	return out, nil
}

func (gqlRoot) Maneuvers(ctx context.Context, args listArgs) ([]*gqlManeuver, error) {
	norad, after, lim, err := args.parse(100)
	if err != nil {
		return nil, err
	}
	return listManeuvers(ctx, norad, after, lim)
}

func listManeuvers(ctx context.Context, norad int, after int64, lim int) ([]*gqlManeuver, error) {
	rq := gqlReq(ctx)
	ms, err := rq.s.st.Maneuvers(ctx, norad, after, lim)
	if err != nil {
		return nil, rq.fail(ctx, "maneuvers", err)
	}
	out := make([]*gqlManeuver, len(ms))
	for i, m := range ms {
		out[i] = &gqlManeuver{m}
	}
	return out, nil
}

// Screening follows GET /api/v1/screenings/{id}: another user's job is
// answered as if it did not exist (null), except to admins.
func (gqlRoot) Screening(ctx context.Context, args struct{ ID graphql.ID }) (*gqlJob, error) {
	rq := gqlReq(ctx)
	j, err := rq.s.ownedJob(ctx, string(args.ID), rq.p)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, rq.fail(ctx, "screening", err)
	}
	return &gqlJob{j}, nil
}

// Screenings follows GET /api/v1/screenings: the caller's own jobs; owner
// is honoured for admins only.
func (gqlRoot) Screenings(ctx context.Context, args struct {
	Owner *string
	Limit int32
}) ([]*gqlJob, error) {
	rq := gqlReq(ctx)
	lim, err := gqlLimit(args.Limit, 100)
	if err != nil {
		return nil, err
	}
	owner := rq.p.Subject
	if rq.p.Role >= store.RoleAdmin {
		owner = ""
		if args.Owner != nil {
			owner = *args.Owner
		}
	}
	js, err := rq.s.st.Jobs(ctx, owner, lim)
	if err != nil {
		return nil, rq.fail(ctx, "screenings", err)
	}
	out := make([]*gqlJob, len(js))
	for i, j := range js {
		out[i] = &gqlJob{j}
	}
	return out, nil
}

// Webhooks follows GET /api/v1/webhooks: operator or higher; the caller's
// own, all for admins.
func (gqlRoot) Webhooks(ctx context.Context, args struct{ Limit int32 }) (*[]*gqlWebhook, error) {
	rq := gqlReq(ctx)
	if err := rq.require(store.RoleOperator, "webhooks"); err != nil {
		return nil, err
	}
	lim, err := gqlLimit(args.Limit, 100)
	if err != nil {
		return nil, err
	}
	ws, err := rq.s.hookStore()
	if err != nil {
		return nil, &gqlError{"UNAVAILABLE", "this storage has no webhooks"}
	}
	owner := rq.p.Subject
	if rq.p.Role >= store.RoleAdmin {
		owner = ""
	}
	hs, err := ws.Webhooks(ctx, owner)
	if err != nil {
		return nil, rq.fail(ctx, "webhooks", err)
	}
	out := make([]*gqlWebhook, 0, min(len(hs), lim))
	for _, h := range hs[:min(len(hs), lim)] {
		out = append(out, &gqlWebhook{h, ws})
	}
	return &out, nil
}

func (gqlRoot) Users(ctx context.Context, args struct{ Limit int32 }) (*[]*gqlUser, error) {
	rq := gqlReq(ctx)
	if err := rq.require(store.RoleAdmin, "users"); err != nil {
		return nil, err
	}
	lim, err := gqlLimit(args.Limit, 100)
	if err != nil {
		return nil, err
	}
	us, err := rq.s.st.Users(ctx)
	if err != nil {
		return nil, rq.fail(ctx, "users", err)
	}
	out := make([]*gqlUser, 0, min(len(us), lim))
	for _, u := range us[:min(len(us), lim)] {
		out = append(out, &gqlUser{u})
	}
	return &out, nil
}

func (gqlRoot) ApiKeys(ctx context.Context, args struct{ Limit int32 }) (*[]*gqlAPIKey, error) {
	rq := gqlReq(ctx)
	if err := rq.require(store.RoleAdmin, "apiKeys"); err != nil {
		return nil, err
	}
	lim, err := gqlLimit(args.Limit, 100)
	if err != nil {
		return nil, err
	}
	ks, err := rq.s.st.APIKeys(ctx)
	if err != nil {
		return nil, rq.fail(ctx, "apiKeys", err)
	}
	out := make([]*gqlAPIKey, 0, min(len(ks), lim))
	for _, k := range ks[:min(len(ks), lim)] {
		out = append(out, &gqlAPIKey{k})
	}
	return &out, nil
}

func (gqlRoot) Audit(ctx context.Context, args struct {
	After *graphql.ID
	Limit int32
}) (*[]*gqlAudit, error) {
	rq := gqlReq(ctx)
	if err := rq.require(store.RoleAdmin, "audit"); err != nil {
		return nil, err
	}
	after, err := gqlID(args.After, "after")
	if err != nil {
		return nil, err
	}
	lim, err := gqlLimit(args.Limit, 100)
	if err != nil {
		return nil, err
	}
	es, err := rq.s.st.Audit(ctx, after, lim)
	if err != nil {
		return nil, rq.fail(ctx, "audit", err)
	}
	out := make([]*gqlAudit, len(es))
	for i, e := range es {
		out[i] = &gqlAudit{e}
	}
	return &out, nil
}

// gqlObject resolves Object.
type gqlObject struct{ o store.Object }

func (o *gqlObject) Norad() int32           { return int32(o.o.NORAD) }
func (o *gqlObject) Name() string           { return o.o.Name }
func (o *gqlObject) Cospar() string         { return o.o.COSPAR }
func (o *gqlObject) Epoch() graphql.Time    { return gqlTime(o.o.Epoch) }
func (o *gqlObject) ElementSetCount() int32 { return int32(o.o.Sets) }
func (o *gqlObject) UpdatedAt() graphql.Time {
	return gqlTime(o.o.UpdatedAt)
}

func (o *gqlObject) Elements(ctx context.Context, args struct{ Limit int32 }) ([]*gqlElementSet, error) {
	rq := gqlReq(ctx)
	lim, err := gqlLimit(args.Limit, 10)
	if err != nil {
		return nil, err
	}
	sets, err := rq.s.st.ElementSets(ctx, o.o.NORAD, lim)
	if err != nil {
		return nil, rq.fail(ctx, "elements", err)
	}
	out := make([]*gqlElementSet, len(sets))
	for i, e := range sets {
		out[i] = &gqlElementSet{e}
	}
	return out, nil
}

type pageArgs struct {
	After *graphql.ID
	Limit int32
}

func (o *gqlObject) Conjunctions(ctx context.Context, args pageArgs) ([]*gqlConj, error) {
	after, lim, err := args.parse()
	if err != nil {
		return nil, err
	}
	return listConjunctions(ctx, o.o.NORAD, after, lim)
}

func (o *gqlObject) Cdms(ctx context.Context, args pageArgs) ([]*gqlCDM, error) {
	after, lim, err := args.parse()
	if err != nil {
		return nil, err
	}
	return listCDMs(ctx, o.o.NORAD, after, lim)
}

func (o *gqlObject) Maneuvers(ctx context.Context, args pageArgs) ([]*gqlManeuver, error) {
	after, lim, err := args.parse()
	if err != nil {
		return nil, err
	}
	return listManeuvers(ctx, o.o.NORAD, after, lim)
}

func (a pageArgs) parse() (int64, int, error) {
	after, err := gqlID(a.After, "after")
	if err != nil {
		return 0, 0, err
	}
	lim, err := gqlLimit(a.Limit, 20)
	return after, lim, err
}

type gqlElementSet struct{ e store.ElementSet }

func (e *gqlElementSet) ID() graphql.ID         { return idOf(e.e.ID) }
func (e *gqlElementSet) Norad() int32           { return int32(e.e.NORAD) }
func (e *gqlElementSet) Epoch() graphql.Time    { return gqlTime(e.e.Epoch) }
func (e *gqlElementSet) Format() string         { return e.e.Format }
func (e *gqlElementSet) Body() string           { return e.e.Body }
func (e *gqlElementSet) Received() graphql.Time { return gqlTime(e.e.Received) }

// gqlConj resolves Conjunction; full is set when c.History was read.
type gqlConj struct {
	c    store.Conjunction
	full bool
}

func (c *gqlConj) ID() graphql.ID          { return idOf(c.c.ID) }
func (c *gqlConj) Norad1() int32           { return int32(c.c.Norad1) }
func (c *gqlConj) Norad2() int32           { return int32(c.c.Norad2) }
func (c *gqlConj) Tca() graphql.Time       { return gqlTime(c.c.TCA) }
func (c *gqlConj) MissKm() float64         { return c.c.MissDistanceKm }
func (c *gqlConj) RelSpeedKmS() float64    { return c.c.RelativeSpeedKmS }
func (c *gqlConj) Pc() float64             { return c.c.Pc }
func (c *gqlConj) UpdatedAt() graphql.Time { return gqlTime(c.c.UpdatedAt) }
func (c *gqlConj) JobId() *string {
	if c.c.JobID == "" {
		return nil
	}
	return &c.c.JobID
}

func (c *gqlConj) Primary(ctx context.Context) (*gqlObject, error) {
	return lookupObject(ctx, c.c.Norad1)
}

func (c *gqlConj) Secondary(ctx context.Context) (*gqlObject, error) {
	return lookupObject(ctx, c.c.Norad2)
}

func (c *gqlConj) History(ctx context.Context, args struct{ Limit int32 }) ([]*gqlConjUpdate, error) {
	rq := gqlReq(ctx)
	lim, err := gqlLimit(args.Limit, 100)
	if err != nil {
		return nil, err
	}
	hist := c.c.History
	if !c.full {
		full, err := rq.s.st.Conjunction(ctx, c.c.ID)
		if err != nil {
			return nil, rq.fail(ctx, "history", err)
		}
		hist = full.History
	}
	out := make([]*gqlConjUpdate, 0, min(len(hist), lim))
	for _, h := range hist[:min(len(hist), lim)] {
		out = append(out, &gqlConjUpdate{h})
	}
	return out, nil
}

// Cdms returns the stored CDMs of the event's pair whose TCA falls in the
// event's minute (the key conjunctions are stored under).
func (c *gqlConj) Cdms(ctx context.Context, args struct{ Limit int32 }) ([]*gqlCDM, error) {
	rq := gqlReq(ctx)
	lim, err := gqlLimit(args.Limit, 20)
	if err != nil {
		return nil, err
	}
	minute := c.c.TCA.Truncate(time.Minute)
	n1, n2 := c.c.Norad1, c.c.Norad2
	var out []*gqlCDM
	var after int64
	for range gqlCDMScanPages {
		cs, err := rq.cdmPage(ctx, n1, after)
		if err != nil {
			return nil, rq.fail(ctx, "cdms", err)
		}
		for _, d := range cs {
			pair := d.Norad1 == n1 && d.Norad2 == n2 || d.Norad1 == n2 && d.Norad2 == n1
			if pair && d.TCA.Truncate(time.Minute).Equal(minute) {
				out = append(out, &gqlCDM{d})
				if len(out) == lim {
					return out, nil
				}
			}
		}
		if len(cs) < gqlCDMPage {
			break
		}
		after = cs[len(cs)-1].ID
	}
	return out, nil
}

// Notes returns the event's notes, oldest first (none where the store
// keeps no annotations).
func (c *gqlConj) Notes(ctx context.Context, args struct{ Limit int32 }) ([]*gqlNote, error) {
	rq := gqlReq(ctx)
	lim, err := gqlLimit(args.Limit, 100)
	if err != nil {
		return nil, err
	}
	ar, ok := rq.s.st.(store.AnnotationReader)
	if !ok {
		return []*gqlNote{}, nil
	}
	ns, err := ar.Notes(ctx, c.c.ID, 0, lim)
	if err != nil {
		return nil, rq.fail(ctx, "notes", err)
	}
	out := make([]*gqlNote, len(ns))
	for i, n := range ns {
		out[i] = &gqlNote{n}
	}
	return out, nil
}

// Acks returns the event's acknowledgements, newest first.
func (c *gqlConj) Acks(ctx context.Context, args struct{ Limit int32 }) ([]*gqlAck, error) {
	rq := gqlReq(ctx)
	lim, err := gqlLimit(args.Limit, 20)
	if err != nil {
		return nil, err
	}
	ar, ok := rq.s.st.(store.AnnotationReader)
	if !ok {
		return []*gqlAck{}, nil
	}
	as, err := ar.Acks(ctx, c.c.ID, lim)
	if err != nil {
		return nil, rq.fail(ctx, "acks", err)
	}
	out := make([]*gqlAck, len(as))
	for i, a := range as {
		out[i] = &gqlAck{a, a.SeenUpdatedAt.Equal(c.c.UpdatedAt)}
	}
	return out, nil
}

// Acknowledged is GET /conjunctions/{id}'s acknowledged: an ack of the
// current version exists.
func (c *gqlConj) Acknowledged(ctx context.Context) (bool, error) {
	rq := gqlReq(ctx)
	ar, ok := rq.s.st.(store.AnnotationReader)
	if !ok {
		return false, nil
	}
	as, err := ar.Acks(ctx, c.c.ID, detailAcks)
	if err != nil {
		return false, rq.fail(ctx, "acknowledged", err)
	}
	for _, a := range as {
		if a.SeenUpdatedAt.Equal(c.c.UpdatedAt) {
			return true, nil
		}
	}
	return false, nil
}

type gqlNote struct{ n store.Note }

func (n *gqlNote) ID() graphql.ID               { return idOf(n.n.ID) }
func (n *gqlNote) Author() string               { return n.n.Author }
func (n *gqlNote) Text() string                 { return n.n.Text }
func (n *gqlNote) SeenUpdatedAt() graphql.Time  { return gqlTime(n.n.SeenUpdatedAt) }
func (n *gqlNote) EventUpdatedAt() graphql.Time { return gqlTime(n.n.EventUpdatedAt) }
func (n *gqlNote) Conflict() bool               { return n.n.Conflict() }
func (n *gqlNote) CreatedAt() graphql.Time      { return gqlTime(n.n.CreatedAt) }

type gqlAck struct {
	a       store.Ack
	current bool
}

func (a *gqlAck) ID() graphql.ID              { return idOf(a.a.ID) }
func (a *gqlAck) Author() string              { return a.a.Author }
func (a *gqlAck) Comment() string             { return a.a.Comment }
func (a *gqlAck) SeenUpdatedAt() graphql.Time { return gqlTime(a.a.SeenUpdatedAt) }
func (a *gqlAck) Current() bool               { return a.current }
func (a *gqlAck) CreatedAt() graphql.Time     { return gqlTime(a.a.CreatedAt) }

type gqlConjUpdate struct{ h store.ConjunctionUpdate }

func (h *gqlConjUpdate) At() graphql.Time  { return gqlTime(h.h.At) }
func (h *gqlConjUpdate) Tca() graphql.Time { return gqlTime(h.h.TCA) }
func (h *gqlConjUpdate) MissKm() float64   { return h.h.MissDistanceKm }
func (h *gqlConjUpdate) Pc() float64       { return h.h.Pc }
func (h *gqlConjUpdate) Source() string    { return h.h.Source }

type gqlCDM struct{ c store.CDM }

func (c *gqlCDM) ID() graphql.ID          { return idOf(c.c.ID) }
func (c *gqlCDM) MessageId() string       { return c.c.MessageID }
func (c *gqlCDM) Norad1() int32           { return int32(c.c.Norad1) }
func (c *gqlCDM) Norad2() int32           { return int32(c.c.Norad2) }
func (c *gqlCDM) Tca() graphql.Time       { return gqlTime(c.c.TCA) }
func (c *gqlCDM) MissKm() float64         { return c.c.MissDistanceKm }
func (c *gqlCDM) CreatedAt() graphql.Time { return gqlTime(c.c.CreatedAt) }
func (c *gqlCDM) Kvn() string             { return c.c.Body }

type gqlManeuver struct{ m store.Maneuver }

func (m *gqlManeuver) ID() graphql.ID           { return idOf(m.m.ID) }
func (m *gqlManeuver) Norad() int32             { return int32(m.m.NORAD) }
func (m *gqlManeuver) Epoch() graphql.Time      { return gqlTime(m.m.Epoch) }
func (m *gqlManeuver) DeltaVMS() float64        { return m.m.DeltaVMS }
func (m *gqlManeuver) Kind() string             { return m.m.Kind }
func (m *gqlManeuver) Confidence() float64      { return m.m.Confidence }
func (m *gqlManeuver) DetectedAt() graphql.Time { return gqlTime(m.m.DetectedAt) }
func (m *gqlManeuver) Object(ctx context.Context) (*gqlObject, error) {
	return lookupObject(ctx, m.m.NORAD)
}

type gqlJob struct{ j store.Job }

func (j *gqlJob) ID() graphql.ID            { return graphql.ID(j.j.ID) }
func (j *gqlJob) Owner() string             { return j.j.Owner }
func (j *gqlJob) State() string             { return j.j.State }
func (j *gqlJob) Params() string            { return j.j.Params }
func (j *gqlJob) Progress() float64         { return j.j.Progress }
func (j *gqlJob) Stage() string             { return j.j.Stage }
func (j *gqlJob) Error() string             { return j.j.Error }
func (j *gqlJob) Events() int32             { return int32(j.j.Events) }
func (j *gqlJob) CreatedAt() graphql.Time   { return gqlTime(j.j.CreatedAt) }
func (j *gqlJob) UpdatedAt() graphql.Time   { return gqlTime(j.j.UpdatedAt) }
func (j *gqlJob) FinishedAt() *graphql.Time { return gqlOptTime(j.j.FinishedAt) }

type gqlWebhook struct {
	h  store.Webhook
	ws store.WebhookStore
}

func (h *gqlWebhook) ID() graphql.ID          { return graphql.ID(h.h.ID) }
func (h *gqlWebhook) Owner() string           { return h.h.Owner }
func (h *gqlWebhook) URL() string             { return h.h.URL }
func (h *gqlWebhook) Channels() []string      { return h.h.Channels }
func (h *gqlWebhook) CreatedAt() graphql.Time { return gqlTime(h.h.CreatedAt) }

// Deliveries is reached only through Query.webhooks, which already applied
// the ownership rule.
func (h *gqlWebhook) Deliveries(ctx context.Context, args struct{ Limit int32 }) ([]*gqlDelivery, error) {
	rq := gqlReq(ctx)
	lim, err := gqlLimit(args.Limit, 20)
	if err != nil {
		return nil, err
	}
	ds, err := h.ws.Deliveries(ctx, h.h.ID, lim)
	if err != nil {
		return nil, rq.fail(ctx, "deliveries", err)
	}
	out := make([]*gqlDelivery, len(ds))
	for i, d := range ds {
		out[i] = &gqlDelivery{d}
	}
	return out, nil
}

type gqlDelivery struct{ d store.Delivery }

func (d *gqlDelivery) Channel() string  { return d.d.Channel }
func (d *gqlDelivery) Seq() graphql.ID  { return idOf(d.d.Seq) }
func (d *gqlDelivery) Attempt() int32   { return int32(d.d.Attempt) }
func (d *gqlDelivery) Status() int32    { return int32(d.d.Status) }
func (d *gqlDelivery) Error() string    { return d.d.Error }
func (d *gqlDelivery) At() graphql.Time { return gqlTime(d.d.At) }

type gqlUser struct{ u store.User }

func (u *gqlUser) Username() string        { return u.u.Username }
func (u *gqlUser) Role() string            { return u.u.Role.String() }
func (u *gqlUser) Disabled() bool          { return u.u.Disabled }
func (u *gqlUser) CreatedAt() graphql.Time { return gqlTime(u.u.CreatedAt) }

type gqlAPIKey struct{ k store.APIKey }

func (k *gqlAPIKey) ID() graphql.ID           { return graphql.ID(k.k.ID) }
func (k *gqlAPIKey) Name() string             { return k.k.Name }
func (k *gqlAPIKey) Role() string             { return k.k.Role.String() }
func (k *gqlAPIKey) CreatedBy() string        { return k.k.CreatedBy }
func (k *gqlAPIKey) CreatedAt() graphql.Time  { return gqlTime(k.k.CreatedAt) }
func (k *gqlAPIKey) ExpiresAt() graphql.Time  { return gqlTime(k.k.ExpiresAt) }
func (k *gqlAPIKey) RevokedAt() *graphql.Time { return gqlOptTime(k.k.RevokedAt) }

type gqlAudit struct{ e store.AuditEntry }

func (a *gqlAudit) Seq() graphql.ID  { return idOf(a.e.Seq) }
func (a *gqlAudit) At() graphql.Time { return gqlTime(a.e.At) }
func (a *gqlAudit) Actor() string    { return a.e.Actor }
func (a *gqlAudit) Action() string   { return a.e.Action }
func (a *gqlAudit) Target() string   { return a.e.Target }
func (a *gqlAudit) Detail() string   { return a.e.Detail }
func (a *gqlAudit) Hash() string     { return fmt.Sprintf("%x", a.e.Hash) }
