package api

// GraphQL at /api/v1/graphql: nested reads (object → conjunctions → CDMs,
// Pc history, manoeuvres; screening jobs, webhooks, users, audit) behind the
// same authentication and roles as REST.
//
// Library: github.com/graph-gophers/graphql-go. It is schema-first with
// plain Go resolver methods (no code generation to keep in step, unlike
// gqlgen), and it has the limits this endpoint needs built in: MaxDepth and
// MaxQueryLength checked during validation, MaxSelections against fragment
// blow-up, MaxParallelism for resolvers, a PanicHandler, and resolver errors
// carrying extensions. It has no complexity limit and keeps its query parser
// internal, so the complexity pass parses the query a second time with
// github.com/vektah/gqlparser/v2 (the parser gqlgen is built on) and walks
// it against the same SDL, before anything executes.
//
// Order of checks for a request: size (body, then query text), graphql-go
// validation (syntax, fields, types, depth), complexity and list limits,
// then execution. Anything refused before execution is answered 400 with
// GraphQL errors whose extensions.code is stable; executed requests answer
// 200 with data and per-field errors. Unauthenticated requests never get
// here: the route table's wrapper answers 401 as for REST.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strings"

	graphql "github.com/graph-gophers/graphql-go"
	gqlerrors "github.com/graph-gophers/graphql-go/errors"
	"github.com/vektah/gqlparser/v2"
	gqlast "github.com/vektah/gqlparser/v2/ast"
	gqlparse "github.com/vektah/gqlparser/v2/parser"

	"github.com/astroshield/astroshield/server/auth"
)

// Limits of the GraphQL endpoint.
const (
	// GraphQLMaxDepth is the deepest field nesting a query may have
	// (object → conjunctions → cdms → id is depth 4).
	GraphQLMaxDepth = 8
	// GraphQLMaxComplexity bounds a query's cost: 1 per field (10 for
	// Conjunction.cdms, which scans the pair's CDMs), a list field's
	// children multiplied by its limit argument.
	GraphQLMaxComplexity = 10_000
	// GraphQLMaxQueryBytes bounds the query text.
	GraphQLMaxQueryBytes = 16 << 10
	// gqlMaxListLimit is the largest limit any list accepts (REST's too).
	gqlMaxListLimit = 1000
	// gqlUnlimitedListFactor is the multiplier for a list without a limit
	// argument (introspection's); the schema's own lists all have one.
	gqlUnlimitedListFactor = 10
)

// gqlFieldCost is the cost of fields dearer than 1, by Type.field.
var gqlFieldCost = map[string]int{"Conjunction.cdms": 10}

var (
	gqlSchema = graphql.MustParseSchema(graphqlSDL, &gqlRoot{},
		graphql.UseStringDescriptions(),
		graphql.MaxDepth(GraphQLMaxDepth),
		graphql.MaxQueryLength(GraphQLMaxQueryBytes),
		graphql.MaxSelections(5000),
		graphql.MaxParallelism(8),
		graphql.PanicHandler(gqlPanics{}),
	)
	// gqlTypes is the same SDL for the complexity pass.
	gqlTypes = gqlparser.MustLoadSchema(&gqlast.Source{Name: "astroshield.graphql", Input: graphqlSDL})
)

// gqlPanics logs a resolver panic and answers without its text.
type gqlPanics struct{}

func (gqlPanics) MakePanicError(ctx context.Context, v any) *gqlerrors.QueryError {
	id := requestID(ctx)
	if rq, ok := ctx.Value(gqlCtxKey{}).(*gqlRequest); ok {
		rq.s.log.Error("graphql panic", "request_id", id, "panic", fmt.Sprint(v))
	}
	return &gqlerrors.QueryError{Message: "internal error (request " + id + ")", Extensions: map[string]any{"code": "INTERNAL"}}
}

// gqlParams is a GraphQL-over-HTTP request.
type gqlParams struct {
	Query         string          `json:"query"`
	OperationName string          `json:"operationName"`
	Variables     map[string]any  `json:"variables"`
	Extensions    json.RawMessage `json:"extensions"`
}

// gqlResponse is the answer body.
type gqlResponse struct {
	Errors []*gqlerrors.QueryError `json:"errors,omitempty"`
	Data   json.RawMessage         `json:"data,omitempty"`
}

func gqlFail(code, format string, a ...any) *gqlerrors.QueryError {
	return &gqlerrors.QueryError{Message: fmt.Sprintf(format, a...), Extensions: map[string]any{"code": code}}
}

func writeGraphQL(w http.ResponseWriter, status int, res gqlResponse) {
	b, err := json.Marshal(res)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"errors":[{"message":"encoding failed","extensions":{"code":"INTERNAL"}}]}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

// graphqlSchemaText serves the SDL.
func (s *Server) graphqlSchemaText(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := io.WriteString(w, strings.TrimLeft(graphqlSDL, "\n"))
	return err
}

// graphql serves GET (query, operationName, variables as URL parameters)
// and POST (application/json body, or application/graphql query text).
func (s *Server) graphql(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	req, status, qerr := readGraphQL(r)
	if qerr != nil {
		writeGraphQL(w, status, gqlResponse{Errors: []*gqlerrors.QueryError{qerr}})
		return nil
	}
	if errs := gqlSchema.ValidateWithVariables(req.Query, req.Variables); len(errs) > 0 {
		for _, e := range errs {
			classify(e)
		}
		writeGraphQL(w, http.StatusBadRequest, gqlResponse{Errors: errs})
		return nil
	}
	if qerr := checkComplexity(req.Query, req.OperationName, req.Variables); qerr != nil {
		writeGraphQL(w, http.StatusBadRequest, gqlResponse{Errors: []*gqlerrors.QueryError{qerr}})
		return nil
	}
	ctx := context.WithValue(r.Context(), gqlCtxKey{}, &gqlRequest{s: s, p: p})
	res := gqlSchema.Exec(ctx, req.Query, req.OperationName, req.Variables)
	status = http.StatusOK
	if res.Data == nil {
		// Nothing executed (unknown operation name, several operations
		// and none named, a subscription): the request was at fault.
		status = http.StatusBadRequest
	}
	for _, e := range res.Errors {
		classify(e)
		if len(e.Path) == 0 {
			// Not a field's error: the request was at fault (a variable
			// that does not coerce to its type).
			status = http.StatusBadRequest
		}
	}
	writeGraphQL(w, status, gqlResponse{Errors: res.Errors, Data: res.Data})
	return nil
}

// classify gives an error from graphql-go a stable extensions.code.
func classify(e *gqlerrors.QueryError) {
	if e.Extensions != nil && e.Extensions["code"] != nil {
		return
	}
	code := "GRAPHQL_VALIDATION_FAILED"
	switch {
	case errors.Is(e, gqlerrors.ErrSyntax) || e.Rule == "" && strings.HasPrefix(e.Message, "syntax error"):
		code = "GRAPHQL_PARSE_FAILED"
	case e.Rule == "MaxDepthExceeded" || e.Rule == "MaxDepthEvaluationError":
		code = "DEPTH_LIMIT_EXCEEDED"
	case strings.Contains(e.Message, "exceeds the maximum allowed query length"):
		code = "QUERY_TOO_LARGE"
	case errors.Is(e, graphql.ErrTooManySelections):
		code = "COMPLEXITY_LIMIT_EXCEEDED"
	case e.Rule == "" && e.ResolverError == nil && len(e.Path) == 0:
		code = "BAD_REQUEST"
	case e.ResolverError != nil || len(e.Path) > 0:
		code = "INTERNAL"
	}
	if e.Extensions == nil {
		e.Extensions = map[string]any{}
	}
	e.Extensions["code"] = code
}

// readGraphQL decodes the request; on failure it returns the status and
// error to answer with.
func readGraphQL(r *http.Request) (gqlParams, int, *gqlerrors.QueryError) {
	var req gqlParams
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		req.Query, req.OperationName = q.Get("query"), q.Get("operationName")
		if v := q.Get("variables"); v != "" {
			if err := json.Unmarshal([]byte(v), &req.Variables); err != nil {
				return req, http.StatusBadRequest, gqlFail("BAD_REQUEST", "variables is not a JSON object: %v", err)
			}
		}
	} else {
		body, err := io.ReadAll(r.Body)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return req, http.StatusRequestEntityTooLarge, gqlFail("QUERY_TOO_LARGE", "request body over %d bytes", tooBig.Limit)
		} else if err != nil {
			return req, http.StatusBadRequest, gqlFail("BAD_REQUEST", "reading the body: %v", err)
		}
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch ct {
		case "application/graphql":
			req.Query = string(body)
		case "application/json", "":
			dec := json.NewDecoder(strings.NewReader(string(body)))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&req); err != nil {
				return req, http.StatusBadRequest, gqlFail("BAD_REQUEST", `body is not {"query","operationName","variables"} JSON: %v`, err)
			}
			if _, err := dec.Token(); err != io.EOF {
				return req, http.StatusBadRequest, gqlFail("BAD_REQUEST", "body has data after the JSON value")
			}
		default:
			return req, http.StatusUnsupportedMediaType, gqlFail("BAD_REQUEST", "Content-Type %q: send application/json or application/graphql", ct)
		}
	}
	if len(req.Query) > GraphQLMaxQueryBytes {
		return req, http.StatusRequestEntityTooLarge, gqlFail("QUERY_TOO_LARGE", "query of %d bytes: the limit is %d", len(req.Query), GraphQLMaxQueryBytes)
	}
	if strings.TrimSpace(req.Query) == "" {
		return req, http.StatusBadRequest, gqlFail("BAD_REQUEST", "no query: send {\"query\": \"{ me { subject } }\"}")
	}
	return req, 0, nil
}

// checkComplexity computes the cost of the operation that will run and
// refuses it over GraphQLMaxComplexity, or with a list limit out of range.
// It runs after validation, so the document is known to be well formed.
func checkComplexity(query, opName string, vars map[string]any) *gqlerrors.QueryError {
	doc, err := gqlparse.ParseQuery(&gqlast.Source{Input: query})
	if err != nil {
		return gqlFail("GRAPHQL_PARSE_FAILED", "%v", err)
	}
	for _, op := range doc.Operations {
		if opName != "" && op.Name != opName {
			continue
		}
		c := &costWalk{doc: doc, op: op, vars: vars}
		root := gqlTypes.Query
		if op.Operation != gqlast.Query {
			root = nil // the schema has no mutations or subscriptions; execution refuses them
		}
		cost := c.selections(op.SelectionSet, root, 0)
		if c.err != nil {
			return c.err
		}
		if cost > GraphQLMaxComplexity {
			return gqlFail("COMPLEXITY_LIMIT_EXCEEDED", "query complexity %d exceeds the limit of %d (each field costs 1, a list multiplies its fields by its limit): ask for smaller limits or fewer nested lists", cost, GraphQLMaxComplexity)
		}
	}
	return nil
}

type costWalk struct {
	doc  *gqlast.QueryDocument
	op   *gqlast.OperationDefinition
	vars map[string]any
	err  *gqlerrors.QueryError
}

// capCost keeps sums from overflowing: anything past the limit is refused
// whatever its exact value.
const capCost = GraphQLMaxComplexity * 1000

func (c *costWalk) selections(set gqlast.SelectionSet, parent *gqlast.Definition, depth int) int {
	if depth > 64 || c.err != nil { // fragments nest without fields; validation already refused cycles
		return capCost
	}
	total := 0
	for _, sel := range set {
		switch sel := sel.(type) {
		case *gqlast.Field:
			total += c.field(sel, parent, depth)
		case *gqlast.InlineFragment:
			def := parent
			if sel.TypeCondition != "" {
				def = gqlTypes.Types[sel.TypeCondition]
			}
			total += c.selections(sel.SelectionSet, def, depth+1)
		case *gqlast.FragmentSpread:
			f := c.doc.Fragments.ForName(sel.Name)
			if f == nil {
				continue
			}
			total += c.selections(f.SelectionSet, gqlTypes.Types[f.TypeCondition], depth+1)
		}
		total = min(total, capCost)
	}
	return total
}

func (c *costWalk) field(f *gqlast.Field, parent *gqlast.Definition, depth int) int {
	if f.Name == "__typename" {
		return 0
	}
	var def *gqlast.FieldDefinition
	switch {
	case f.Name == "__schema":
		def = &gqlast.FieldDefinition{Name: f.Name, Type: gqlast.NonNullNamedType("__Schema", nil)}
	case f.Name == "__type":
		def = &gqlast.FieldDefinition{Name: f.Name, Type: gqlast.NamedType("__Type", nil)}
	case parent != nil:
		def = parent.Fields.ForName(f.Name)
	}
	if def == nil {
		return 1 // validation refuses unknown fields; nothing to add
	}
	base := 1
	if parent != nil {
		if c, ok := gqlFieldCost[parent.Name+"."+f.Name]; ok {
			base = c
		}
	}
	children := 0
	if len(f.SelectionSet) > 0 {
		children = c.selections(f.SelectionSet, gqlTypes.Types[def.Type.Name()], depth+1)
	}
	if def.Type.Elem == nil { // not a list
		return min(base+children, capCost)
	}
	if len(f.SelectionSet) == 0 {
		return base // a list of scalars
	}
	return min(base+c.limit(f, def)*children, capCost)
}

// limit is the value of a list field's limit argument: given literally or
// by a variable, else its default. A null, a non-integer or a value out of
// [1, gqlMaxListLimit] is refused here, before execution.
func (c *costWalk) limit(f *gqlast.Field, def *gqlast.FieldDefinition) int {
	ad := def.Arguments.ForName("limit")
	if ad == nil {
		return gqlUnlimitedListFactor
	}
	var v any
	given := false
	if a := f.Arguments.ForName("limit"); a != nil && a.Value != nil {
		if a.Value.Kind == gqlast.Variable {
			if v, given = c.vars[a.Value.Raw]; !given {
				if vd := c.op.VariableDefinitions.ForName(a.Value.Raw); vd != nil && vd.DefaultValue != nil {
					v, _ = vd.DefaultValue.Value(nil)
					given = true
				}
			}
		} else {
			v, _ = a.Value.Value(nil)
			given = true
		}
	}
	if !given && ad.DefaultValue != nil {
		v, _ = ad.DefaultValue.Value(nil)
	}
	var n int64
	switch x := v.(type) {
	case int64:
		n = x
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1e9 {
			c.err = gqlFail("BAD_USER_INPUT", "%s(limit: %v): want an integer from 1 to %d", f.Name, x, gqlMaxListLimit)
			return capCost
		}
		n = int64(x)
	case nil:
		c.err = gqlFail("BAD_USER_INPUT", "%s(limit: null): leave limit out for its default, or give 1 to %d", f.Name, gqlMaxListLimit)
		return capCost
	default:
		c.err = gqlFail("BAD_USER_INPUT", "%s(limit: %v): want an integer from 1 to %d", f.Name, x, gqlMaxListLimit)
		return capCost
	}
	if n < 1 || n > gqlMaxListLimit {
		c.err = gqlFail("LIST_LIMIT_EXCEEDED", "%s(limit: %d): want 1 to %d", f.Name, n, gqlMaxListLimit)
		return capCost
	}
	return int(n)
}
