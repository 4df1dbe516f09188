package api

import (
	"context"
	"errors"
	"slices"

	graphql "github.com/graph-gophers/graphql-go"

	"github.com/astroshield/astroshield/engine/ccdm"
	"github.com/astroshield/astroshield/server/store"
)

// GraphQL resolvers of the CCDM types (Indicator, Assessment, Model) and
// the fields that reach them.

func gqlCCDM(ctx context.Context) (store.CCDMStore, error) {
	cs, ok := gqlReq(ctx).s.st.(store.CCDMStore)
	if !ok {
		return nil, &gqlError{"NOT_IMPLEMENTED", "this server's storage keeps no CCDM indicators"}
	}
	return cs, nil
}

func gqlKind(k *string) (string, error) {
	if k == nil || *k == "" {
		return "", nil
	}
	if !slices.Contains(ccdmKinds, ccdm.Indicator(*k)) {
		return "", badInput("kind %q is not an indicator the server computes", clipText(*k))
	}
	return *k, nil
}

func listIndicators(ctx context.Context, q store.IndicatorQuery) ([]*gqlIndicator, error) {
	cs, err := gqlCCDM(ctx)
	if err != nil {
		return nil, err
	}
	is, err := cs.Indicators(ctx, q)
	if err != nil {
		return nil, gqlReq(ctx).fail(ctx, "indicators", err)
	}
	out := make([]*gqlIndicator, len(is))
	for i, x := range is {
		out[i] = &gqlIndicator{x}
	}
	return out, nil
}

func (gqlRoot) Indicators(ctx context.Context, args struct {
	Norad *int32
	Kind  *string
	After *graphql.ID
	Limit int32
}) ([]*gqlIndicator, error) {
	norad, after, lim, err := listArgs{args.Norad, args.After, args.Limit}.parse(100)
	if err != nil {
		return nil, err
	}
	kind, err := gqlKind(args.Kind)
	if err != nil {
		return nil, err
	}
	return listIndicators(ctx, store.IndicatorQuery{NORAD: norad, Kind: kind, After: after, Limit: lim})
}

func (gqlRoot) Models(ctx context.Context, args struct{ Limit int32 }) ([]*gqlModel, error) {
	lim, err := gqlLimit(args.Limit, 100)
	if err != nil {
		return nil, err
	}
	cs, err := gqlCCDM(ctx)
	if err != nil {
		return nil, err
	}
	ms, err := cs.Models(ctx)
	if err != nil {
		return nil, gqlReq(ctx).fail(ctx, "models", err)
	}
	out := make([]*gqlModel, 0, min(len(ms), lim))
	for _, m := range ms[:min(len(ms), lim)] {
		out = append(out, &gqlModel{m})
	}
	return out, nil
}

func (o *gqlObject) Indicators(ctx context.Context, args struct {
	Kind  *string
	After *graphql.ID
	Limit int32
}) ([]*gqlIndicator, error) {
	after, lim, err := pageArgs{args.After, args.Limit}.parse()
	if err != nil {
		return nil, err
	}
	kind, err := gqlKind(args.Kind)
	if err != nil {
		return nil, err
	}
	return listIndicators(ctx, store.IndicatorQuery{NORAD: o.o.NORAD, Kind: kind, After: after, Limit: lim})
}

func (o *gqlObject) Assessment(ctx context.Context) (*gqlAssessment, error) {
	cs, err := gqlCCDM(ctx)
	if err != nil {
		return nil, err
	}
	a, err := cs.Assessment(ctx, o.o.NORAD)
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return nil, gqlReq(ctx).fail(ctx, "assessment", err)
	}
	return &gqlAssessment{a}, nil
}

type gqlIndicator struct{ i store.Indicator }

func (i *gqlIndicator) ID() graphql.ID            { return idOf(i.i.ID) }
func (i *gqlIndicator) Norad() int32              { return int32(i.i.NORAD) }
func (i *gqlIndicator) Indicator() string         { return i.i.Kind }
func (i *gqlIndicator) Topic() string             { return ccdm.Indicator(i.i.Kind).Topic() }
func (i *gqlIndicator) Pattern() string           { return i.i.Pattern }
func (i *gqlIndicator) Confidence() float64       { return i.i.Value }
func (i *gqlIndicator) Epoch() graphql.Time       { return gqlTime(i.i.Epoch) }
func (i *gqlIndicator) WindowStart() graphql.Time { return gqlTime(i.i.WindowStart) }
func (i *gqlIndicator) WindowEnd() graphql.Time   { return gqlTime(i.i.WindowEnd) }
func (i *gqlIndicator) Method() string            { return i.i.Method }
func (i *gqlIndicator) Detail() string            { return i.i.Detail }
func (i *gqlIndicator) CreatedAt() graphql.Time   { return gqlTime(i.i.CreatedAt) }
func (i *gqlIndicator) Object(ctx context.Context) (*gqlObject, error) {
	return lookupObject(ctx, i.i.NORAD)
}

type gqlAssessment struct{ a store.Assessment }

func (a *gqlAssessment) ID() graphql.ID                { return idOf(a.a.ID) }
func (a *gqlAssessment) Norad() int32                  { return int32(a.a.NORAD) }
func (a *gqlAssessment) AssessmentEpoch() graphql.Time { return gqlTime(a.a.At) }
func (a *gqlAssessment) Status() string                { return a.a.Status }
func (a *gqlAssessment) Score() float64                { return a.a.Score }
func (a *gqlAssessment) WindowStart() graphql.Time     { return gqlTime(a.a.WindowStart) }
func (a *gqlAssessment) WindowEnd() graphql.Time       { return gqlTime(a.a.WindowEnd) }
func (a *gqlAssessment) ElementSetsUsed() int32        { return int32(a.a.SetsUsed) }
func (a *gqlAssessment) Method() string                { return a.a.Method }
func (a *gqlAssessment) Summary() string               { return a.a.Summary }
func (a *gqlAssessment) CreatedAt() graphql.Time       { return gqlTime(a.a.CreatedAt) }
func (a *gqlAssessment) Level() *string {
	if a.a.Level == "" {
		return nil
	}
	return &a.a.Level
}

// Indicators reads the object's indicators from the lowest ID the
// assessment names and keeps those it names (IDs grow, so one page from
// the smallest covers them unless they are far apart).
func (a *gqlAssessment) Indicators(ctx context.Context, args struct{ Limit int32 }) ([]*gqlIndicator, error) {
	lim, err := gqlLimit(args.Limit, 20)
	if err != nil {
		return nil, err
	}
	ids := a.a.IndicatorIDs
	if len(ids) == 0 {
		return []*gqlIndicator{}, nil
	}
	lo := slices.Min(ids)
	out := []*gqlIndicator{}
	for after := lo - 1; len(out) < min(len(ids), lim); {
		page, err := listIndicators(ctx, store.IndicatorQuery{NORAD: a.a.NORAD, After: after, Limit: gqlMaxListLimit})
		if err != nil {
			return nil, err
		}
		for _, i := range page {
			if slices.Contains(ids, i.i.ID) && len(out) < lim {
				out = append(out, i)
			}
		}
		if len(page) < gqlMaxListLimit || page[len(page)-1].i.ID >= slices.Max(ids) {
			break
		}
		after = page[len(page)-1].i.ID
	}
	return out, nil
}

type gqlModel struct{ m store.Model }

func (m *gqlModel) ID() graphql.ID          { return graphql.ID(m.m.ID) }
func (m *gqlModel) Name() string            { return m.m.Name }
func (m *gqlModel) Kind() string            { return m.m.Kind }
func (m *gqlModel) Sha256() string          { return m.m.SHA256 }
func (m *gqlModel) Bytes() float64          { return float64(m.m.Bytes) }
func (m *gqlModel) Active() bool            { return m.m.Active }
func (m *gqlModel) Detail() string          { return m.m.Detail }
func (m *gqlModel) CreatedAt() graphql.Time { return gqlTime(m.m.CreatedAt) }
