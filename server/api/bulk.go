package api

import (
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/store"
	"github.com/astroshield/astroshield/server/wire"
	"github.com/astroshield/astroshield/server/wire/catalogpb"
)

// Bulk transfer (issues 5 and 7): element-set deltas by server cursor, and
// content negotiation between JSON and Protocol Buffers for the bulk
// endpoints (changes, ephemeris). Everything else answers JSON.

var errNotAcceptable = &Error{Status: http.StatusNotAcceptable, Code: "not_acceptable",
	Message: "this endpoint answers application/json or application/x-protobuf"}

// encoding is a negotiated response type.
type encoding int

const (
	encJSON encoding = iota
	encProtobuf
)

// negotiate picks JSON or protobuf from the Accept header. The most
// specific media range that matches a type gives its quality; protobuf
// wins only with a strictly higher quality, so */* and no header mean JSON.
// Neither acceptable is errNotAcceptable (406).
func negotiate(r *http.Request) (encoding, error) {
	accept := strings.TrimSpace(r.Header.Get("Accept"))
	if accept == "" {
		return encJSON, nil
	}
	qJSON, qPB := quality(accept, "application", "application/json"),
		quality(accept, "application", "application/x-protobuf", "application/protobuf", "application/vnd.google.protobuf")
	switch {
	case qPB > qJSON:
		return encProtobuf, nil
	case qJSON > 0:
		return encJSON, nil
	}
	return encJSON, errNotAcceptable
}

// quality is the q value the Accept header gives to a type named by any of
// names (exact), else its major type's wildcard, else */*; 0 when none.
func quality(accept, major string, names ...string) float64 {
	best, spec := 0.0, -1
	for _, part := range strings.Split(accept, ",") {
		fields := strings.Split(part, ";")
		mt := strings.ToLower(strings.TrimSpace(fields[0]))
		q := 1.0
		for _, p := range fields[1:] {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || f < 0 || f > 1 {
					f = 0
				}
				q = f
			}
		}
		s := -1
		switch {
		case mt == "*/*":
			s = 0
		case mt == major+"/*":
			s = 1
		default:
			for _, n := range names {
				if mt == n {
					s = 2
				}
			}
		}
		if s > spec || (s == spec && s >= 0 && q > best) {
			best, spec = q, s
		}
	}
	if spec < 0 {
		return 0
	}
	return best
}

// acceptsGzip reports whether Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		fields := strings.Split(part, ";")
		if !strings.EqualFold(strings.TrimSpace(fields[0]), "gzip") {
			continue
		}
		for _, p := range fields[1:] {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") {
				if f, err := strconv.ParseFloat(v, 64); err != nil || f == 0 {
					return false
				}
			}
		}
		return true
	}
	return false
}

// writeBulk answers with the negotiated encoding: v as JSON (exactly what
// writeJSON writes) or pb marshalled, gzip-compressed when compress is set
// and the client accepts it.
func writeBulk(w http.ResponseWriter, r *http.Request, enc encoding, compress bool, v any, pb proto.Message) error {
	var body []byte
	ctype := wire.ContentTypeJSON
	if enc == encProtobuf {
		b, err := proto.Marshal(pb)
		if err != nil {
			return err
		}
		body, ctype = b, wire.ContentTypeProtobuf
	} else {
		b, err := jsonBody(v)
		if err != nil {
			return err
		}
		body = b
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Add("Vary", "Accept")
	if !compress {
		w.WriteHeader(http.StatusOK)
		_, err := w.Write(body)
		return err
	}
	h.Add("Vary", "Accept-Encoding")
	if !acceptsGzip(r) {
		w.WriteHeader(http.StatusOK)
		_, err := w.Write(body)
		return err
	}
	h.Set("Content-Encoding", "gzip")
	w.WriteHeader(http.StatusOK)
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if _, err := zw.Write(body); err != nil {
		return err
	}
	return zw.Close()
}

func (s *Server) catalogStore() (store.CatalogStore, error) {
	cs, ok := s.st.(store.CatalogStore)
	if !ok {
		return nil, &Error{http.StatusNotImplemented, "not_implemented", "this server's storage has no bulk catalog transfer"}
	}
	return cs, nil
}

// Page sizes of the changes endpoint.
const (
	changesDefaultLimit = 1000
	changesMaxLimit     = 10_000
)

// catalogChanges answers GET /api/v1/catalog/changes?cursor=N&limit=M[&total=1].
func (s *Server) catalogChanges(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	q := r.URL.Query()
	var cursor int64
	if v := q.Get("cursor"); v != "" {
		c, err := strconv.ParseInt(v, 10, 64)
		if err != nil || c < 0 {
			return badRequest("cursor=%q: want a non-negative integer (next_cursor of the previous page, 0 for the start)", v)
		}
		cursor = c
	}
	lim, err := intParam(r, "limit", changesDefaultLimit, 1, changesMaxLimit)
	if err != nil {
		return err
	}
	total := false
	switch v := q.Get("total"); v {
	case "", "0", "false":
	case "1", "true":
		total = true
	default:
		return badRequest("total=%q: want 1 or 0", v)
	}
	enc, err := negotiate(r)
	if err != nil {
		return err
	}
	cs, err := s.catalogStore()
	if err != nil {
		return err
	}
	ctx := r.Context()
	// Head is read before the page and raised to the page's last set (sets
	// may commit between the reads); it is for progress, never a cursor.
	head, err := cs.ElementSetHead(ctx)
	if err != nil {
		return err
	}
	sets, err := cs.ElementSetChanges(ctx, cursor, lim+1)
	if err != nil {
		return err
	}
	more := len(sets) > lim
	if more {
		sets = sets[:lim]
	}
	next := cursor
	if len(sets) > 0 {
		next = sets[len(sets)-1].ID
	}
	if next > head {
		head = next
	}
	out := wire.CatalogChanges{ElementSets: make([]wire.CatalogElementSet, len(sets)), NextCursor: next, More: more, Head: head}
	pb := &catalogpb.CatalogChanges{ElementSets: make([]*catalogpb.ElementSet, len(sets)), NextCursor: next, More: more, Head: head, Remaining: -1}
	for i, e := range sets {
		out.ElementSets[i] = wire.CatalogElementSet{Seq: e.ID, NORAD: e.NORAD, Name: e.Name, COSPAR: e.COSPAR, Epoch: e.Epoch.UTC(),
			Format: e.Format, Body: e.Body, Received: e.Received.UTC()}
		pb.ElementSets[i] = &catalogpb.ElementSet{Seq: e.ID, Norad: int32(e.NORAD), Name: e.Name, Cospar: e.COSPAR, EpochUnixMs: e.Epoch.UnixMilli(),
			Format: e.Format, Body: e.Body, ReceivedUnixMs: e.Received.UnixMilli()}
	}
	if total {
		n, err := cs.CountElementSetChanges(ctx, next)
		if err != nil {
			return err
		}
		out.Remaining, pb.Remaining = &n, n
	}
	return writeBulk(w, r, enc, true, out, pb)
}

// ephemerisPB is the protobuf form of the ephemeris answer.
func ephemerisPB(norad int64, epoch time.Time, states []stateJSON, perr string) *catalogpb.Ephemeris {
	pb := &catalogpb.Ephemeris{Norad: int32(norad), EpochUnixMs: epoch.UnixMilli(), Frame: "TEME", Error: perr, States: make([]*catalogpb.State, len(states))}
	for i, st := range states {
		pb.States[i] = &catalogpb.State{TUnixMs: st.T.UnixMilli(), XKm: st.RTEMEKm[0], YKm: st.RTEMEKm[1], ZKm: st.RTEMEKm[2],
			VxKmS: st.VTEMEKmS[0], VyKmS: st.VTEMEKmS[1], VzKmS: st.VTEMEKmS[2]}
	}
	return pb
}
