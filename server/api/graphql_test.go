package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/store"
)

// gqlAnswer is a decoded GraphQL answer.
type gqlAnswer struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string
		Path       []any
		Extensions struct{ Code string }
	} `json:"errors"`
}

// gql posts a query with variables and returns the HTTP answer, decoded.
func (e *env) gql(tok, query string, vars map[string]any) (resp, gqlAnswer) {
	e.t.Helper()
	body := map[string]any{"query": query}
	if vars != nil {
		body["variables"] = vars
	}
	var hdr []string
	if tok != "" {
		hdr = bearer(tok)
	}
	r := e.do("POST", "/api/v1/graphql", body, hdr...)
	var a gqlAnswer
	if r.status != 401 {
		r.json(e.t, &a)
	}
	return r, a
}

func TestGraphQLSchemaLoads(t *testing.T) {
	e := newEnv(t)
	tok := e.login("viewer").AccessToken
	r, a := e.gql(tok, "{ me { subject role } }", nil)
	if r.status != 200 || len(a.Errors) != 0 || string(a.Data) != `{"me":{"subject":"viewer","role":"viewer"}}` {
		t.Fatalf("%d %s", r.status, r.body)
	}
}

// TestGraphQLNestedMatchesREST imports real CDMs through REST and checks
// that object → conjunctions → (history, CDMs) and object → cdms answer
// what the REST endpoints answer for the same data.
func TestGraphQLNestedMatchesREST(t *testing.T) {
	dir := testdata(t)
	e := newEnv(t)
	op := e.login("operator").AccessToken
	view := e.login("viewer").AccessToken
	files, _ := filepath.Glob(filepath.Join(dir, "ccsds", "cdm", "valid", "*"))
	imported := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if r := e.do("POST", "/api/v1/cdms", data, bearer(op)...); r.status == 201 {
			imported++
		}
	}
	if imported < 3 {
		t.Fatalf("only %d reference CDMs imported", imported)
	}
	// The same pair a day later is another event: its CDM must not be
	// listed under the first one.
	ex1, err := os.ReadFile(filepath.Join(dir, "ccsds", "cdm", "valid", "CDMExample1.txt"))
	if err != nil {
		t.Fatal(err)
	}
	later := strings.Replace(strings.Replace(string(ex1), "2010-03-13T22:37:52.618", "2010-03-14T22:37:52.618", 1), "201113719185", "201113719186", 1)
	if r := e.do("POST", "/api/v1/cdms", later, bearer(op)...); r.status != 201 {
		t.Fatalf("later CDM: %d %s", r.status, r.body)
	}
	// Catalogue the first pair so that object, primary and secondary resolve.
	var all struct{ Cdms []cdmJSON }
	e.do("GET", "/api/v1/cdms?limit=1000", nil, bearer(view)...).json(t, &all)
	first := all.Cdms[0]
	tles := tleText(t, first.Norad1, time.Date(2010, 3, 13, 0, 0, 0, 0, time.UTC)) + tleText(t, first.Norad2, time.Date(2010, 3, 13, 0, 0, 0, 0, time.UTC))
	if r := e.do("POST", "/api/v1/elements", tles, bearer(e.login("analyst").AccessToken)...); r.status != 200 {
		t.Fatalf("elements: %d %s", r.status, r.body)
	}

	const q = `query($n: Int!) {
	  object(norad: $n) {
	    norad name cospar epoch elementSetCount
	    conjunctions(limit: 20) {
	      id norad1 norad2 tca missKm relSpeedKmS pc
	      primary { norad } secondary { norad }
	      history(limit: 20) { at tca missKm pc source }
	      cdms(limit: 20) { id messageId norad1 norad2 tca missKm kvn }
	    }
	    cdms(limit: 50) { id messageId tca missKm }
	  }
	}`
	type gqlCDMRow struct {
		ID             string
		MessageID      string
		Norad1, Norad2 int
		TCA            time.Time
		MissKm         float64
		Kvn            string
	}
	var got struct {
		Object struct {
			Norad           int
			Name, Cospar    string
			Epoch           time.Time
			ElementSetCount int
			Conjunctions    []struct {
				ID                  string
				Norad1, Norad2      int
				TCA                 time.Time
				MissKm, RelSpeedKmS float64
				Pc                  float64
				Primary, Secondary  *struct{ Norad int }
				History             []struct {
					At, TCA    time.Time
					MissKm, Pc float64
					Source     string
				}
				Cdms []gqlCDMRow
			}
			Cdms []gqlCDMRow
		}
	}
	r, a := e.gql(view, q, map[string]any{"n": first.Norad1})
	if r.status != 200 || len(a.Errors) != 0 {
		t.Fatalf("%d %s", r.status, r.body)
	}
	if err := json.Unmarshal(a.Data, &got); err != nil {
		t.Fatal(err)
	}
	o := got.Object

	var obj objectJSON
	e.do("GET", "/api/v1/objects/"+itoa(first.Norad1), nil, bearer(view)...).json(t, &obj)
	if o.Norad != obj.NORAD || o.Name != obj.Name || o.Cospar != obj.COSPAR || !o.Epoch.Equal(obj.Epoch) || o.ElementSetCount != obj.Sets {
		t.Fatalf("object: graphql %+v, REST %+v", o, obj)
	}
	var conjs struct{ Conjunctions []conjunctionJSON }
	e.do("GET", "/api/v1/conjunctions?limit=20&norad="+itoa(first.Norad1), nil, bearer(view)...).json(t, &conjs)
	var cdms struct{ Cdms []cdmJSON }
	e.do("GET", "/api/v1/cdms?limit=50&norad="+itoa(first.Norad1), nil, bearer(view)...).json(t, &cdms)
	if len(conjs.Conjunctions) < 2 || len(o.Conjunctions) != len(conjs.Conjunctions) {
		t.Fatalf("%d conjunctions by graphql, %d by REST", len(o.Conjunctions), len(conjs.Conjunctions))
	}
	nested := 0
	for i, gc := range o.Conjunctions {
		rc := conjs.Conjunctions[i]
		if gc.ID != itoa(int(rc.ID)) || gc.Norad1 != rc.Norad1 || gc.Norad2 != rc.Norad2 || !gc.TCA.Equal(rc.TCA) ||
			gc.MissKm != rc.MissDistanceKm || gc.RelSpeedKmS != rc.RelativeSpeedKmS || gc.Pc != rc.Pc {
			t.Fatalf("conjunction %d: graphql %+v, REST %+v", i, gc, rc)
		}
		if gc.Primary == nil || gc.Primary.Norad != rc.Norad1 || gc.Secondary == nil || gc.Secondary.Norad != rc.Norad2 {
			t.Fatalf("conjunction %s: primary %v secondary %v", gc.ID, gc.Primary, gc.Secondary)
		}
		var one conjunctionJSON
		e.do("GET", "/api/v1/conjunctions/"+gc.ID, nil, bearer(view)...).json(t, &one)
		if len(gc.History) == 0 || len(gc.History) != len(one.History) {
			t.Fatalf("conjunction %s: %d history rows by graphql, %d by REST", gc.ID, len(gc.History), len(one.History))
		}
		for j, h := range gc.History {
			rh := one.History[j]
			if !h.At.Equal(rh.At) || !h.TCA.Equal(rh.TCA) || h.MissKm != rh.MissDistanceKm || h.Pc != rh.Pc || h.Source != rh.Source {
				t.Fatalf("history %d: graphql %+v, REST %+v", j, h, rh)
			}
		}
		// REST's CDMs of the object, narrowed to this event's pair and TCA minute.
		var want []cdmJSON
		for _, c := range cdms.Cdms {
			pair := c.Norad1 == rc.Norad1 && c.Norad2 == rc.Norad2 || c.Norad1 == rc.Norad2 && c.Norad2 == rc.Norad1
			if pair && c.TCA.Truncate(time.Minute).Equal(rc.TCA.Truncate(time.Minute)) {
				want = append(want, c)
			}
		}
		if len(want) == 0 || len(gc.Cdms) != len(want) {
			t.Fatalf("conjunction %s: %d CDMs by graphql, %d by REST", gc.ID, len(gc.Cdms), len(want))
		}
		for j, c := range gc.Cdms {
			w := want[j]
			if c.ID != itoa(int(w.ID)) || c.MessageID != w.MessageID || !c.TCA.Equal(w.TCA) || c.MissKm != w.MissDistanceKm {
				t.Fatalf("cdm %d: graphql %+v, REST %+v", j, c, w)
			}
			kvn := e.do("GET", "/api/v1/cdms/"+c.ID, nil, bearer(view)...)
			if c.Kvn != string(kvn.body) {
				t.Fatalf("cdm %s: kvn differs from the REST export", c.ID)
			}
			nested++
		}
	}
	if len(o.Cdms) != len(cdms.Cdms) {
		t.Fatalf("%d object CDMs by graphql, %d by REST", len(o.Cdms), len(cdms.Cdms))
	}
	for i, c := range o.Cdms {
		if c.ID != itoa(int(cdms.Cdms[i].ID)) || c.MessageID != cdms.Cdms[i].MessageID {
			t.Fatalf("object cdm %d: %+v vs %+v", i, c, cdms.Cdms[i])
		}
	}
	t.Logf("%d CDMs imported; object %d: %d conjunctions, %d nested CDMs", imported, first.Norad1, len(o.Conjunctions), nested)

	// Top-level lists answer the REST lists too.
	r, a = e.gql(view, `{ conjunctions(limit: 1000) { id } cdms(limit: 1000) { id } }`, nil)
	var lists struct{ Conjunctions, Cdms []struct{ ID string } }
	if err := json.Unmarshal(a.Data, &lists); err != nil || r.status != 200 || len(lists.Cdms) != len(all.Cdms) {
		t.Fatalf("lists: %d %s", r.status, r.body)
	}
	// An unknown object is null, not an error.
	if r, a := e.gql(view, `{ object(norad: 99999) { name } }`, nil); r.status != 200 || string(a.Data) != `{"object":null}` || len(a.Errors) != 0 {
		t.Fatalf("unknown object: %d %s", r.status, r.body)
	}
}

// TestGraphQLLimits checks the depth, complexity, list-limit and size
// limits refuse before execution, with stable codes.
func TestGraphQLLimits(t *testing.T) {
	e := newEnv(t)
	tok := e.login("viewer").AccessToken
	deep := `{ object(norad: 1) { conjunctions { primary { conjunctions { primary { conjunctions { primary { conjunctions { id } } } } } } } } }`
	big := `{ conjunctions(limit: 1000) { id cdms(limit: 1000) { id } } }`
	frag := `fragment C on Conjunction { history(limit: 1000) { pc } } { object(norad: 1) { conjunctions(limit: 1000) { ...C } } }`
	cases := []struct {
		name, query string
		vars        map[string]any
		status      int
		code        string
	}{
		{"depth", deep, nil, 400, "DEPTH_LIMIT_EXCEEDED"},
		{"complexity", big, nil, 400, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"complexity through a fragment", frag, nil, 400, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"complexity through a variable", `query($n: Int) { conjunctions(limit: $n) { cdms(limit: $n) { id } } }`, map[string]any{"n": 200}, 400, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"complexity through a variable default", `query($n: Int = 500) { conjunctions(limit: $n) { cdms(limit: $n) { id } } }`, nil, 400, "COMPLEXITY_LIMIT_EXCEEDED"},
		// 1 + 909 × (10 for the CDM scan + 1 for id) = 10000: at the limit.
		{"complexity at the limit", `{ conjunctions(limit: 909) { cdms(limit: 1) { id } } }`, nil, 200, ""},
		{"complexity one event over", `{ conjunctions(limit: 910) { cdms(limit: 1) { id } } }`, nil, 400, "COMPLEXITY_LIMIT_EXCEEDED"},
		{"list limit", `{ conjunctions(limit: 5000) { id } }`, nil, 400, "LIST_LIMIT_EXCEEDED"},
		{"introspection within the limits", `{ __schema { queryType { name } types { name fields { name type { name kind ofType { name kind ofType { name } } } } } } }`, nil, 200, ""},
		{"list limit zero", `{ objects(limit: 0) { norad } }`, nil, 400, "LIST_LIMIT_EXCEEDED"},
		{"query size", "{ me { subject } }" + strings.Repeat(" ", GraphQLMaxQueryBytes), nil, 413, "QUERY_TOO_LARGE"},
		{"within limits", `query($n: Int) { conjunctions(limit: $n) { cdms(limit: 9) { id } } }`, map[string]any{"n": 50}, 200, ""},
		{"depth 8 is allowed", `{ object(norad: 1) { conjunctions(limit: 2) { primary { conjunctions(limit: 2) { primary { conjunctions(limit: 2) { primary { norad } } } } } } } }`, nil, 200, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, a := e.gql(tok, c.query, c.vars)
			if r.status != c.status {
				t.Fatalf("status %d, want %d: %s", r.status, c.status, r.body)
			}
			if c.code == "" {
				if len(a.Errors) != 0 {
					t.Fatalf("errors: %s", r.body)
				}
				return
			}
			if a.Data != nil || len(a.Errors) != 1 || a.Errors[0].Extensions.Code != c.code || a.Errors[0].Message == "" {
				t.Fatalf("want one %s error and no data: %s", c.code, r.body)
			}
		})
	}
	// Refused requests count under the route in /metrics.
	m := e.do("GET", "/metrics", nil)
	if !strings.Contains(string(m.body), `astroshield_http_requests_total{route="POST /api/v1/graphql",code="400"}`) {
		t.Fatalf("metrics do not count GraphQL requests")
	}
}

// TestGraphQLAuthorisation: authentication as REST; admin-only and
// operator fields refused by role; webhook ownership as REST.
func TestGraphQLAuthorisation(t *testing.T) {
	e := newEnv(t)
	e.addUser("operator2", store.RoleOperator)
	if r, _ := e.gql("", "{ me { subject } }", nil); r.status != 401 || r.errCode(t) != "unauthenticated" {
		t.Fatalf("no token: %d %s", r.status, r.body)
	}
	if r, _ := e.gql("garbage", "{ me { subject } }", nil); r.status != 401 {
		t.Fatalf("garbage token: %d %s", r.status, r.body)
	}
	if r := e.do("GET", "/api/v1/graphql?query="+url.QueryEscape("{ me { subject } }"), nil); r.status != 401 {
		t.Fatalf("GET without token: %d", r.status)
	}
	var keyText string
	e.db.Update(context.Background(), func(tx store.Tx) error {
		var err error
		keyText, _, err = auth.CreateAPIKey(context.Background(), tx, "admin", "gql", store.RoleViewer, time.Hour, e.clock())
		return err
	})
	r := e.do("POST", "/api/v1/graphql", map[string]string{"query": "{ me { subject role } }"}, "X-API-Key", keyText)
	var a gqlAnswer
	r.json(t, &a)
	if r.status != 200 || !strings.Contains(string(a.Data), `"role":"viewer"`) {
		t.Fatalf("API key: %d %s", r.status, r.body)
	}

	tok := map[string]string{}
	for _, u := range []string{"viewer", "analyst", "operator", "operator2", "admin"} {
		tok[u] = e.login(u).AccessToken
	}
	for _, u := range []string{"operator", "operator2"} {
		if r := e.do("POST", "/api/v1/webhooks", map[string]any{"url": "https://example.invalid/" + u, "channels": []string{"conjunctions"}}, bearer(tok[u])...); r.status != 201 {
			t.Fatalf("webhook: %d %s", r.status, r.body)
		}
	}
	admin := `{ me { subject } users { username } apiKeys { id } audit(limit: 5) { seq action } }`
	for _, c := range []struct {
		user     string
		query    string
		forbid   []string // fields answered FORBIDDEN (null)
		wantData string   // substring of data
	}{
		{"viewer", admin, []string{"users", "apiKeys", "audit"}, `"me":{"subject":"viewer"}`},
		{"operator", admin, []string{"users", "apiKeys", "audit"}, `"users":null`},
		{"admin", admin, nil, `"username":"operator2"`},
		{"viewer", `{ webhooks { id } }`, []string{"webhooks"}, `"webhooks":null`},
		{"analyst", `{ webhooks { id } }`, []string{"webhooks"}, `"webhooks":null`},
		{"operator", `{ webhooks { url deliveries { seq } } }`, nil, `{"webhooks":[{"url":"https://example.invalid/operator","deliveries":[]}]}`},
		{"operator2", `{ webhooks { url } }`, nil, `{"webhooks":[{"url":"https://example.invalid/operator2"}]}`},
		{"admin", `{ webhooks { url } }`, nil, `"url":"https://example.invalid/operator2"`},
	} {
		r, a := e.gql(tok[c.user], c.query, nil)
		if r.status != 200 || !strings.Contains(string(a.Data), c.wantData) {
			t.Errorf("%s %s: %d %s", c.user, c.query, r.status, r.body)
			continue
		}
		var forbidden []string
		for _, er := range a.Errors {
			if er.Extensions.Code != "FORBIDDEN" || len(er.Path) != 1 {
				t.Errorf("%s: unexpected error %+v", c.user, er)
				continue
			}
			forbidden = append(forbidden, er.Path[0].(string))
		}
		slices.Sort(forbidden)
		want := slices.Clone(c.forbid)
		slices.Sort(want)
		if !slices.Equal(forbidden, want) {
			t.Errorf("%s %s: forbidden %v, want %v", c.user, c.query, forbidden, want)
		}
	}
	// The admin sees both operators' webhooks, and never a secret.
	_, a = e.gql(tok["admin"], `{ webhooks { owner } }`, nil)
	if strings.Count(string(a.Data), "owner") != 2 {
		t.Fatalf("admin webhooks: %s", a.Data)
	}
}

// TestGraphQLScreeningOwnership: one user cannot see another's screening
// jobs, as with GET /api/v1/screenings; admins see all.
func TestGraphQLScreeningOwnership(t *testing.T) {
	e := newEnv(t)
	e.addUser("analyst2", store.RoleAnalyst)
	now := e.clock()
	err := e.db.Update(context.Background(), func(tx store.Tx) error {
		for i, owner := range []string{"analyst", "analyst2", "analyst2"} {
			j := store.Job{ID: "job" + itoa(i), Owner: owner, State: store.JobDone, Params: `{"hours":1}`, Progress: 1, CreatedAt: now.Add(time.Duration(i) * time.Second), UpdatedAt: now, FinishedAt: now}
			if err := tx.CreateJob(context.Background(), j); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(user, query string) []string {
		t.Helper()
		r, a := e.gql(e.login(user).AccessToken, query, nil)
		if r.status != 200 || len(a.Errors) != 0 {
			t.Fatalf("%s: %d %s", user, r.status, r.body)
		}
		var d struct {
			Screenings []struct{ ID, Owner string }
			Screening  *struct{ ID string }
		}
		json.Unmarshal(a.Data, &d)
		var out []string
		for _, j := range d.Screenings {
			out = append(out, j.ID)
		}
		if d.Screening != nil {
			out = append(out, "one:"+d.Screening.ID)
		}
		slices.Sort(out)
		return out
	}
	restIDs := func(user string) []string {
		var l struct{ Screenings []jobJSON }
		e.do("GET", "/api/v1/screenings", nil, bearer(e.login(user).AccessToken)...).json(t, &l)
		var out []string
		for _, j := range l.Screenings {
			out = append(out, j.ID)
		}
		slices.Sort(out)
		return out
	}
	for _, c := range []struct {
		user, query string
		want        []string
	}{
		{"analyst", `{ screenings { id owner } }`, []string{"job0"}},
		{"analyst", `{ screenings(owner: "analyst2") { id } }`, []string{"job0"}}, // owner is for admins only, as in REST
		{"analyst", `{ screening(id: "job1") { id } }`, nil},
		{"analyst", `{ screening(id: "job0") { id } }`, []string{"one:job0"}},
		{"analyst2", `{ screenings { id } }`, []string{"job1", "job2"}},
		{"viewer", `{ screenings { id } }`, nil},
		{"admin", `{ screenings { id } }`, []string{"job0", "job1", "job2"}},
		{"admin", `{ screenings(owner: "analyst") { id } }`, []string{"job0"}},
		{"admin", `{ screening(id: "job1") { id } }`, []string{"one:job1"}},
	} {
		if got := ids(c.user, c.query); !slices.Equal(got, c.want) {
			t.Errorf("%s %s: %v, want %v", c.user, c.query, got, c.want)
		}
	}
	for _, u := range []string{"analyst", "analyst2", "admin", "viewer"} {
		if g, r := ids(u, `{ screenings { id } }`), restIDs(u); !slices.Equal(g, r) {
			t.Errorf("%s: graphql %v, REST %v", u, g, r)
		}
	}
}

// TestGraphQLBadRequests: malformed requests answer 4xx with a GraphQL
// error and a code, never 500.
func TestGraphQLBadRequests(t *testing.T) {
	e := newEnv(t)
	tok := e.login("viewer").AccessToken
	for _, c := range []struct {
		name, ct, body string
		status         int
		code           string
	}{
		{"not JSON", "application/json", `{"query": `, 400, "BAD_REQUEST"},
		{"query not a string", "application/json", `{"query": 5}`, 400, "BAD_REQUEST"},
		{"unknown member", "application/json", `{"query": "{ me { role } }", "x": 1}`, 400, "BAD_REQUEST"},
		{"trailing data", "application/json", `{"query": "{ me { role } }"} {}`, 400, "BAD_REQUEST"},
		{"empty body", "application/json", ``, 400, "BAD_REQUEST"},
		{"empty query", "application/json", `{}`, 400, "BAD_REQUEST"},
		{"syntax", "application/json", `{"query": "{ me { role }"}`, 400, "GRAPHQL_PARSE_FAILED"},
		{"unknown field", "application/json", `{"query": "{ nothing }"}`, 400, "GRAPHQL_VALIDATION_FAILED"},
		{"missing argument", "application/json", `{"query": "{ object { name } }"}`, 400, "GRAPHQL_VALIDATION_FAILED"},
		{"wrong variable type", "application/json", `{"query": "query($n: Int!) { object(norad: $n) { name } }", "variables": {"n": "x"}}`, 400, "BAD_REQUEST"},
		{"variables not an object", "application/json", `{"query": "{ me { role } }", "variables": [1]}`, 400, "BAD_REQUEST"},
		{"unknown operation", "application/json", `{"query": "query A { me { role } }", "operationName": "B"}`, 400, "BAD_REQUEST"},
		{"mutation", "application/json", `{"query": "mutation { me { role } }"}`, 400, "BAD_REQUEST"},
		{"null limit", "application/json", `{"query": "{ objects(limit: null) { norad } }"}`, 400, "BAD_USER_INPUT"},
		{"null limit variable", "application/json", `{"query": "query($n: Int) { objects(limit: $n) { norad } }", "variables": {"n": null}}`, 400, "BAD_USER_INPUT"},
		{"string limit variable", "application/json", `{"query": "query($n: Int) { objects(limit: $n) { norad } }", "variables": {"n": "5"}}`, 400, "BAD_USER_INPUT"},
		{"fractional limit variable", "application/json", `{"query": "query($n: Int) { objects(limit: $n) { norad } }", "variables": {"n": 2.5}}`, 400, "BAD_USER_INPUT"},
		{"bad id", "application/json", `{"query": "{ conjunction(id: \"x\") { id } }"}`, 200, "BAD_USER_INPUT"},
		{"norad out of range", "application/json", `{"query": "{ objects(norad: -5) { name } }"}`, 200, "BAD_USER_INPUT"},
		{"wrong content type", "text/xml", `<q/>`, 415, "BAD_REQUEST"},
		{"body over the limit", "application/json", `{"query": "` + strings.Repeat("a", 70<<10) + `"}`, 413, "QUERY_TOO_LARGE"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := e.do("POST", "/api/v1/graphql", c.body, append(bearer(tok), "Content-Type", c.ct)...)
			var a gqlAnswer
			r.json(t, &a)
			if r.status != c.status || len(a.Errors) == 0 || a.Errors[0].Extensions.Code != c.code {
				t.Fatalf("%d %s, want %d %s", r.status, r.body, c.status, c.code)
			}
		})
	}
	// application/graphql and GET carry the query too.
	r := e.do("POST", "/api/v1/graphql", "{ me { role } }", append(bearer(tok), "Content-Type", "application/graphql")...)
	if r.status != 200 || !strings.Contains(string(r.body), `"role":"viewer"`) {
		t.Fatalf("application/graphql: %d %s", r.status, r.body)
	}
	r = e.do("GET", "/api/v1/graphql?query="+url.QueryEscape("query($n: Int!) { object(norad: $n) { name } }")+"&variables="+url.QueryEscape(`{"n": 5}`), nil, bearer(tok)...)
	if r.status != 200 || string(r.body) != "{\"data\":{\"object\":null}}\n" {
		t.Fatalf("GET: %d %s", r.status, r.body)
	}
	r = e.do("GET", "/api/v1/graphql/schema", nil, bearer(tok)...)
	if r.status != 200 || !strings.Contains(string(r.body), "type Conjunction {") {
		t.Fatalf("schema: %d", r.status)
	}
}

// FuzzGraphQL sends arbitrary bodies and queries: every answer is JSON and
// none is a 5xx. Run with go test ./server/api -run '^$' -fuzz FuzzGraphQL -fuzztime 20s.
func FuzzGraphQL(f *testing.F) {
	e := newEnv(f)
	tok := e.login("admin").AccessToken
	for _, s := range []string{
		`{"query": "{ me { role } }"}`,
		`{"query": "query($n: Int!) { object(norad: $n) { conjunctions { cdms { id } history { pc } } } }", "variables": {"n": 1}}`,
		`{"query": "fragment F on Object { ...F } { object(norad: 1) { ...F } }"}`,
		`{"query": "{ conjunctions(limit: 1000) { cdms(limit: 1000) { id } } }"}`,
		`{"query": "{ __schema { types { name fields { name } } } }"}`,
		`{"query": "{ audit(after: \"-1\") { seq } screenings(owner: \"\") { id } }"}`,
		`{"query": 1}`, `[]`, `{`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, ct := range []string{"application/json", "application/graphql"} {
			req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/graphql", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", ct)
			res, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(res.Body)
			res.Body.Close()
			var a gqlAnswer
			if err != nil || res.StatusCode >= 500 || json.Unmarshal(b, &a) != nil || (res.StatusCode != 200 && len(a.Errors) == 0) {
				t.Fatalf("%s %q: %d %s", ct, body, res.StatusCode, b)
			}
		}
	})
}

// benchEvents stores one catalogued pair with 10 conjunction events, each
// with 3 estimates (CDMs) in the store, and returns the primary's NORAD.
func benchEvents(b *testing.B, e *env) int {
	b.Helper()
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tles := tleText(b, 90001, day) + tleText(b, 90002, day)
	if r := e.do("POST", "/api/v1/elements", tles, bearer(e.login("analyst").AccessToken)...); r.status != 200 {
		b.Fatalf("elements: %d %s", r.status, r.body)
	}
	err := e.db.Update(context.Background(), func(tx store.Tx) error {
		for ev := range 10 {
			tca := day.Add(time.Duration(ev) * 6 * time.Hour)
			for k := range 3 {
				c := store.CDM{MessageID: "bench-" + itoa(ev) + "-" + itoa(k), Norad1: 90001, Norad2: 90002, TCA: tca, MissDistanceKm: 1.0 - 0.1*float64(k), Body: "CCSDS_CDM_VERS = 1.0\n", CreatedAt: day}
				if _, err := tx.AddCDM(context.Background(), c); err != nil {
					return err
				}
				cj := store.Conjunction{Norad1: 90001, Norad2: 90002, TCA: tca, MissDistanceKm: c.MissDistanceKm, RelativeSpeedKmS: 14, Pc: 1e-5 * float64(k+1), UpdatedAt: day.Add(time.Duration(k) * time.Minute)}
				if _, err := tx.UpsertConjunction(context.Background(), cj, "cdm:"+c.MessageID); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return 90001
}

// BenchmarkGraphQLNested measures one GraphQL request for an object, its
// 10 conjunctions, their Pc history and CDMs (validation, complexity pass,
// 1 + 10×2 + 1 store reads) over loopback.
func BenchmarkGraphQLNested(b *testing.B) {
	e := newEnv(b)
	norad := benchEvents(b, e)
	tok := e.login("viewer").AccessToken
	q := map[string]any{"query": `query($n: Int!) { object(norad: $n) { name conjunctions { id tca missKm pc history { at pc source } cdms { id messageId } } } }`, "variables": map[string]any{"n": norad}}
	body, _ := json.Marshal(q)
	r := e.do("POST", "/api/v1/graphql", body, bearer(tok)...)
	if r.status != 200 || strings.Count(string(r.body), "messageId") != 30 {
		b.Fatalf("%d %s", r.status, r.body)
	}
	client := e.srv.Client()
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/graphql", strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}

// BenchmarkGraphQLNestedREST fetches the same data through REST: the
// object, its conjunctions, each one's history, and the object's CDMs
// (13 requests) — the round trips GraphQL saves.
func BenchmarkGraphQLNestedREST(b *testing.B) {
	e := newEnv(b)
	norad := benchEvents(b, e)
	tok := e.login("viewer").AccessToken
	client := e.srv.Client()
	get := func(path string, v any) {
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		if res.StatusCode != 200 {
			b.Fatalf("%s: %d", path, res.StatusCode)
		}
		if v == nil {
			io.Copy(io.Discard, res.Body)
			return
		}
		if err := json.NewDecoder(res.Body).Decode(v); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		get("/api/v1/objects/"+itoa(norad), nil)
		var cs struct{ Conjunctions []conjunctionJSON }
		get("/api/v1/conjunctions?limit=20&norad="+itoa(norad), &cs)
		if len(cs.Conjunctions) != 10 {
			b.Fatalf("%d conjunctions", len(cs.Conjunctions))
		}
		for _, c := range cs.Conjunctions {
			get("/api/v1/conjunctions/"+itoa(int(c.ID)), nil)
		}
		get("/api/v1/cdms?limit=100&norad="+itoa(norad), nil)
	}
}

// BenchmarkGraphQLRefused measures a request refused by the complexity
// limit: what a client sending expensive queries costs the server.
func BenchmarkGraphQLRefused(b *testing.B) {
	e := newEnv(b)
	tok := e.login("viewer").AccessToken
	body := `{"query": "{ conjunctions(limit: 1000) { cdms(limit: 1000) { id } history(limit: 1000) { pc } } }"}`
	client := e.srv.Client()
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/graphql", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 400 {
			b.Fatalf("status %d", res.StatusCode)
		}
	}
}
