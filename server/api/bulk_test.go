package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/wire"
	"github.com/astroshield/astroshield/server/wire/catalogpb"
)

// putSets stores n element sets per object for norads, one day apart.
func (e *env) putSets(norads []int, n int, from time.Time) {
	e.t.Helper()
	err := e.db.Update(context.Background(), func(tx store.Tx) error {
		for k := range n {
			for _, norad := range norads {
				ep := from.Add(time.Duration(k) * 24 * time.Hour)
				body := strings.SplitN(tleText(e.t, norad, ep), "\n", 2)[1]
				if _, err := tx.PutElementSet(context.Background(), fmt.Sprintf("TEST %d", norad), "98067A",
					store.ElementSet{NORAD: norad, Epoch: ep, Format: "tle", Body: strings.TrimSpace(body), Received: e.clock()}); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func fromPB(pb *catalogpb.CatalogChanges) wire.CatalogChanges {
	out := wire.CatalogChanges{NextCursor: pb.NextCursor, More: pb.More, Head: pb.Head, ElementSets: []wire.CatalogElementSet{}}
	if pb.Remaining >= 0 {
		r := pb.Remaining
		out.Remaining = &r
	}
	for _, s := range pb.ElementSets {
		out.ElementSets = append(out.ElementSets, wire.CatalogElementSet{Seq: s.Seq, NORAD: int(s.Norad), Name: s.Name, COSPAR: s.Cospar,
			Epoch: time.UnixMilli(s.EpochUnixMs).UTC(), Format: s.Format, Body: s.Body, Received: time.UnixMilli(s.ReceivedUnixMs).UTC()})
	}
	return out
}

func TestCatalogChangesNegotiation(t *testing.T) {
	e := newEnv(t)
	e.putSets([]int{25544, 43013, 270001}, 4, time.Date(2022, 7, 10, 12, 0, 0, 0, time.UTC))
	tok := bearer(e.login("viewer").AccessToken)
	path := "/api/v1/catalog/changes?cursor=0&limit=5&total=1"

	rj := e.do("GET", path, nil, tok...)
	if rj.status != 200 || rj.header.Get("Content-Type") != wire.ContentTypeJSON {
		t.Fatalf("JSON: %d %q %s", rj.status, rj.header.Get("Content-Type"), rj.body)
	}
	var js wire.CatalogChanges
	rj.json(t, &js)
	if len(js.ElementSets) != 5 || !js.More || js.Remaining == nil || *js.Remaining != 7 || js.NextCursor != js.ElementSets[4].Seq || js.Head != 12 {
		t.Fatalf("JSON page: %+v", js)
	}
	if s := js.ElementSets[0]; s.Name != "TEST 25544" || s.COSPAR != "98067A" || s.Format != "tle" || !strings.HasPrefix(s.Body, "1 25544U") {
		t.Fatalf("first set: %+v", s)
	}
	for _, accept := range []string{"application/x-protobuf", "application/json;q=0.5, application/x-protobuf", "application/protobuf"} {
		rp := e.do("GET", path, nil, append(tok, "Accept", accept)...)
		if rp.status != 200 || rp.header.Get("Content-Type") != wire.ContentTypeProtobuf {
			t.Fatalf("Accept %q: %d %q", accept, rp.status, rp.header.Get("Content-Type"))
		}
		var pb catalogpb.CatalogChanges
		if err := proto.Unmarshal(rp.body, &pb); err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(fromPB(&pb))
		want, _ := json.Marshal(js)
		if !bytes.Equal(got, want) {
			t.Fatalf("protobuf decodes to\n%s\nJSON is\n%s", got, want)
		}
		if len(rp.body) >= len(rj.body) {
			t.Errorf("protobuf %d bytes, JSON %d", len(rp.body), len(rj.body))
		}
	}
	for _, accept := range []string{"*/*", "application/*", "application/json", "text/html, */*;q=0.1", "application/x-protobuf;q=0.5, application/json"} {
		if r := e.do("GET", path, nil, append(tok, "Accept", accept)...); r.status != 200 || r.header.Get("Content-Type") != wire.ContentTypeJSON {
			t.Errorf("Accept %q: %d %q, want JSON", accept, r.status, r.header.Get("Content-Type"))
		}
	}
	for _, accept := range []string{"text/html", "application/xml", "application/json;q=0, application/x-protobuf;q=0"} {
		r := e.do("GET", path, nil, append(tok, "Accept", accept)...)
		if r.status != 406 || r.errCode(t) != "not_acceptable" {
			t.Errorf("Accept %q: %d %s, want 406 not_acceptable", accept, r.status, r.body)
		}
		r = e.do("GET", "/api/v1/objects/25544/ephemeris", nil, append(tok, "Accept", accept)...)
		if r.status != 406 || r.errCode(t) != "not_acceptable" {
			t.Errorf("ephemeris Accept %q: %d %s, want 406 not_acceptable", accept, r.status, r.body)
		}
	}

	// gzip: asked for explicitly (the transport then leaves it compressed).
	req := e.do("GET", path, nil, append(tok, "Accept", "application/x-protobuf", "Accept-Encoding", "gzip")...)
	if req.header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("gzip not applied: %v", req.header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(req.body))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var pb catalogpb.CatalogChanges
	if err := proto.Unmarshal(raw, &pb); err != nil || len(pb.ElementSets) != 5 {
		t.Fatalf("gzip body: %d sets, %v", len(pb.ElementSets), err)
	}
}

// TestCatalogChangesPaging: every set exactly once, including sets stored
// between pages, and an empty page at the end keeps the cursor.
func TestCatalogChangesPaging(t *testing.T) {
	e := newEnv(t)
	from := time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC)
	e.putSets([]int{1, 2, 3, 4, 5}, 5, from)
	tok := bearer(e.login("viewer").AccessToken)
	seen := map[int64]int{}
	cursor, pages, added := int64(0), 0, false
	for {
		hdr := tok
		if pages%2 == 1 {
			hdr = append(hdr, "Accept", wire.ContentTypeProtobuf)
		}
		r := e.do("GET", fmt.Sprintf("/api/v1/catalog/changes?cursor=%d&limit=7", cursor), nil, hdr...)
		if r.status != 200 {
			t.Fatalf("page %d: %d %s", pages, r.status, r.body)
		}
		var page wire.CatalogChanges
		if pages%2 == 1 {
			var pb catalogpb.CatalogChanges
			if err := proto.Unmarshal(r.body, &pb); err != nil {
				t.Fatal(err)
			}
			page = fromPB(&pb)
		} else {
			r.json(t, &page)
		}
		pages++
		for i, s := range page.ElementSets {
			if s.Seq <= cursor || (i > 0 && s.Seq <= page.ElementSets[i-1].Seq) {
				t.Fatalf("page %d: seq %d not ascending after cursor %d", pages, s.Seq, cursor)
			}
			seen[s.Seq]++
		}
		if len(page.ElementSets) > 7 || (page.More && len(page.ElementSets) != 7) {
			t.Fatalf("page %d: %d sets, more %v", pages, len(page.ElementSets), page.More)
		}
		cursor = page.NextCursor
		if pages == 2 && !added { // new data arrives mid-sync
			e.putSets([]int{6, 7}, 3, from)
			added = true
		}
		if !page.More {
			break
		}
	}
	head, _ := e.db.ElementSetHead(context.Background())
	if len(seen) != 31 || cursor != head {
		t.Fatalf("%d distinct sets (want 31), cursor %d, head %d", len(seen), cursor, head)
	}
	for seq, n := range seen {
		if n != 1 {
			t.Fatalf("seq %d seen %d times", seq, n)
		}
	}
	var end wire.CatalogChanges
	e.do("GET", fmt.Sprintf("/api/v1/catalog/changes?cursor=%d", cursor), nil, tok...).json(t, &end)
	if len(end.ElementSets) != 0 || end.More || end.NextCursor != cursor {
		t.Fatalf("page after the end: %+v", end)
	}
}

func TestBulkBadParams(t *testing.T) {
	e := newEnv(t)
	e.putSets([]int{25544}, 3, time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC))
	tok := bearer(e.login("viewer").AccessToken)
	for _, q := range []string{
		"/api/v1/catalog/changes?cursor=-1", "/api/v1/catalog/changes?cursor=abc", "/api/v1/catalog/changes?cursor=1.5",
		"/api/v1/catalog/changes?cursor=99999999999999999999", "/api/v1/catalog/changes?limit=0", "/api/v1/catalog/changes?limit=10001",
		"/api/v1/catalog/changes?limit=x", "/api/v1/catalog/changes?total=maybe",
		"/api/v1/objects/25544/elements?before=yesterday", "/api/v1/objects/25544/elements?limit=0", "/api/v1/objects/25544/elements?limit=1001",
	} {
		r := e.do("GET", q, nil, append(tok, "Accept", wire.ContentTypeProtobuf)...)
		if r.status != 400 || r.errCode(t) != "invalid_argument" || r.header.Get("Content-Type") != "application/json" {
			t.Errorf("%s: %d %q %s, want 400 invalid_argument", q, r.status, r.header.Get("Content-Type"), r.body)
		}
	}
	if r := e.do("GET", "/api/v1/catalog/changes", nil); r.status != 401 {
		t.Errorf("no credentials: %d", r.status)
	}
}

func TestElementHistoryPaging(t *testing.T) {
	e := newEnv(t)
	from := time.Date(2022, 7, 1, 6, 30, 0, 123e6, time.UTC)
	e.putSets([]int{25544, 43013}, 12, from)
	tok := bearer(e.login("viewer").AccessToken)

	// Without paging parameters the shape is what it always was.
	var all struct {
		NORAD       int              `json:"norad"`
		ElementSets []elementSetJSON `json:"element_sets"`
		NextBefore  string           `json:"next_before"`
	}
	r := e.do("GET", "/api/v1/objects/25544/elements", nil, tok...)
	r.json(t, &all)
	if all.NORAD != 25544 || len(all.ElementSets) != 12 || all.NextBefore != "" || r.header.Get("Link") != "" {
		t.Fatalf("full history: %d sets, next %q, link %q", len(all.ElementSets), all.NextBefore, r.header.Get("Link"))
	}

	var got []elementSetJSON
	path, pages := "/api/v1/objects/25544/elements?limit=5", 0
	for path != "" {
		r := e.do("GET", path, nil, tok...)
		var page struct {
			ElementSets []elementSetJSON `json:"element_sets"`
			NextBefore  string           `json:"next_before"`
		}
		r.json(t, &page)
		pages++
		got = append(got, page.ElementSets...)
		link := r.header.Get("Link")
		if (page.NextBefore == "") != (link == "") {
			t.Fatalf("page %d: next_before %q but Link %q", pages, page.NextBefore, link)
		}
		path = ""
		if link != "" {
			u, ok := strings.CutPrefix(strings.SplitN(link, ">", 2)[0], "<")
			if !ok || !strings.HasSuffix(link, `rel="next"`) {
				t.Fatalf("Link %q", link)
			}
			pu, err := url.Parse(u)
			if err != nil || pu.Query().Get("before") != page.NextBefore || pu.Query().Get("limit") != "5" {
				t.Fatalf("Link %q vs next_before %q", link, page.NextBefore)
			}
			path = u
		}
	}
	if pages != 3 || len(got) != 12 {
		t.Fatalf("%d pages, %d sets", pages, len(got))
	}
	for i := range got {
		if got[i].ID != all.ElementSets[i].ID || got[i].NORAD != 25544 {
			t.Fatalf("paged history differs at %d: %+v vs %+v", i, got[i], all.ElementSets[i])
		}
	}
	// Exactly at a page boundary there is no empty trailing page.
	var ten struct {
		ElementSets []elementSetJSON `json:"element_sets"`
		NextBefore  string           `json:"next_before"`
	}
	e.do("GET", "/api/v1/objects/43013/elements?limit=6&before="+url.QueryEscape(got[5].Epoch.Format(time.RFC3339Nano)), nil, tok...).json(t, &ten)
	if len(ten.ElementSets) != 6 || ten.NextBefore != "" {
		t.Fatalf("last page of 6: %d sets, next %q", len(ten.ElementSets), ten.NextBefore)
	}
}

func TestEphemerisNegotiation(t *testing.T) {
	e := newEnv(t)
	epoch := time.Date(2022, 7, 15, 0, 0, 0, 0, time.UTC)
	e.putSets([]int{25544}, 1, epoch)
	tok := bearer(e.login("viewer").AccessToken)
	path := "/api/v1/objects/25544/ephemeris?start=2022-07-15T01:00:00Z&stop=2022-07-15T02:00:00Z&step_s=600"
	plain := e.do("GET", path, nil, tok...)
	asJSON := e.do("GET", path, nil, append(tok, "Accept", "application/json")...)
	if plain.status != 200 || !bytes.Equal(plain.body, asJSON.body) || plain.header.Get("Content-Type") != "application/json" {
		t.Fatalf("JSON answers differ: %d %s / %s", plain.status, plain.body, asJSON.body)
	}
	// The JSON shape is today's: these keys and nothing else.
	var keys map[string]json.RawMessage
	plain.json(t, &keys)
	if len(keys) != 4 || keys["norad"] == nil || keys["epoch"] == nil || string(keys["frame"]) != `"TEME"` || keys["states"] == nil {
		t.Fatalf("JSON keys: %s", plain.body)
	}
	var js struct {
		NORAD  int
		Epoch  time.Time
		States []stateJSON
	}
	plain.json(t, &js)
	rp := e.do("GET", path, nil, append(tok, "Accept", wire.ContentTypeProtobuf)...)
	var pb catalogpb.Ephemeris
	if rp.status != 200 || rp.header.Get("Content-Type") != wire.ContentTypeProtobuf {
		t.Fatalf("protobuf: %d %q", rp.status, rp.header.Get("Content-Type"))
	}
	if err := proto.Unmarshal(rp.body, &pb); err != nil {
		t.Fatal(err)
	}
	if pb.Norad != 25544 || pb.Frame != "TEME" || pb.EpochUnixMs != js.Epoch.UnixMilli() || len(pb.States) != 7 || len(js.States) != 7 || pb.Error != "" {
		t.Fatalf("protobuf ephemeris %v vs JSON %+v", &pb, js)
	}
	for i, s := range pb.States {
		j := js.States[i]
		if s.TUnixMs != j.T.UnixMilli() || s.XKm != j.RTEMEKm[0] || s.YKm != j.RTEMEKm[1] || s.ZKm != j.RTEMEKm[2] ||
			s.VxKmS != j.VTEMEKmS[0] || s.VyKmS != j.VTEMEKmS[1] || s.VzKmS != j.VTEMEKmS[2] {
			t.Fatalf("state %d: protobuf %v, JSON %+v", i, s, j)
		}
	}
}
