package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
	"github.com/astroshield/astroshield/engine/sgp4"
	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/catalog"
	"github.com/astroshield/astroshield/server/jobs"
	"github.com/astroshield/astroshield/server/store"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
	return nil
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.st.Ping(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		return &Error{http.StatusServiceUnavailable, "not_ready", "storage does not answer"}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	return nil
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	s.m.write(w)
	return nil
}

func (s *Server) jwks(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	b, err := s.auth.JWKS(r.Context())
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=60")
	_, err = w.Write(b)
	return err
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	var req loginRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := s.auth.Login(r.Context(), req.Username, req.Password, clientAddr(r))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

type refreshRequest struct {
	RefreshToken string `json:"refresh_token"`
}

func (s *Server) refresh(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	var req refreshRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	t, err := s.auth.Refresh(r.Context(), req.RefreshToken)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, t)
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	var req refreshRequest
	if err := decode(r, &req); err != nil {
		return err
	}
	if err := s.auth.Logout(r.Context(), req.RefreshToken); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	writeJSON(w, http.StatusOK, map[string]any{"subject": p.Subject, "role": p.Role.String()})
	return nil
}

func (s *Server) ws(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	s.hub.Serve(w, r, p.Subject)
	return nil
}

// objectJSON is an object as the API shows it.
type objectJSON struct {
	NORAD     int       `json:"norad"`
	Name      string    `json:"name"`
	COSPAR    string    `json:"cospar"`
	Epoch     time.Time `json:"epoch"`
	Sets      int       `json:"element_sets"`
	UpdatedAt time.Time `json:"updated_at"`
}

func toObjectJSON(o store.Object) objectJSON {
	return objectJSON{o.NORAD, o.Name, o.COSPAR, o.Epoch, o.Sets, o.UpdatedAt}
}

func (s *Server) objects(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	q := r.URL.Query()
	norad, err := intParam(r, "norad", 0, 0, 999_999_999)
	if err != nil {
		return err
	}
	after, err := intParam(r, "after", 0, 0, 999_999_999)
	if err != nil {
		return err
	}
	lim, err := intParam(r, "limit", 100, 1, 1000)
	if err != nil {
		return err
	}
	if len(q.Get("q")) > 64 || len(q.Get("cospar")) > 16 {
		return badRequest("q is limited to 64 characters and cospar to 16")
	}
	objs, err := s.st.Objects(r.Context(), store.ObjectQuery{Name: q.Get("q"), NORAD: norad, COSPAR: q.Get("cospar"), After: after, Limit: lim})
	if err != nil {
		return err
	}
	out := make([]objectJSON, len(objs))
	for i, o := range objs {
		out[i] = toObjectJSON(o)
	}
	page := map[string]any{"objects": out}
	if len(objs) == lim {
		page["next_after"] = objs[len(objs)-1].NORAD
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

func (s *Server) object(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	norad, err := pathInt(r, "norad")
	if err != nil {
		return err
	}
	o, err := s.st.Object(r.Context(), int(norad))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toObjectJSON(o))
	return nil
}

type elementSetJSON struct {
	ID       int64     `json:"id"`
	NORAD    int       `json:"norad"`
	Epoch    time.Time `json:"epoch"`
	Format   string    `json:"format"`
	Body     string    `json:"body"`
	Received time.Time `json:"received"`
}

func (s *Server) elementHistory(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	norad, err := pathInt(r, "norad")
	if err != nil {
		return err
	}
	lim, err := intParam(r, "limit", 1000, 1, 1000)
	if err != nil {
		return err
	}
	// Paging: before=RFC3339 (exclusive epoch bound, the previous page's
	// next_before); more pages are announced by next_before in the body and
	// a Link rel="next" header.
	var before time.Time
	if v := r.URL.Query().Get("before"); v != "" {
		if before, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return badRequest("before=%q: want an RFC3339 epoch (next_before of the previous page)", v)
		}
	}
	if _, err := s.st.Object(r.Context(), int(norad)); err != nil {
		return err
	}
	var sets []store.ElementSet
	more := false
	if cs, ok := s.st.(store.CatalogStore); ok {
		sets, err = cs.ElementSetsBefore(r.Context(), int(norad), before, lim+1)
		if more = len(sets) > lim; more {
			sets = sets[:lim]
		}
	} else if before.IsZero() {
		sets, err = s.st.ElementSets(r.Context(), int(norad), lim)
	} else {
		err = &Error{http.StatusNotImplemented, "not_implemented", "this server's storage cannot page element-set history"}
	}
	if err != nil {
		return err
	}
	out := make([]elementSetJSON, len(sets))
	for i, e := range sets {
		out[i] = elementSetJSON{e.ID, e.NORAD, e.Epoch, e.Format, e.Body, e.Received}
	}
	body := map[string]any{"norad": norad, "element_sets": out}
	if more {
		next := sets[len(sets)-1].Epoch.UTC().Format(time.RFC3339Nano)
		body["next_before"] = next
		u := *r.URL
		qv := u.Query()
		qv.Set("before", next)
		qv.Set("limit", strconv.Itoa(lim))
		w.Header().Set("Link", "<"+u.Path+"?"+qv.Encode()+`>; rel="next"`)
	}
	writeJSON(w, http.StatusOK, body)
	return nil
}

// latestSet returns an object's newest element set, parsed.
func (s *Server) latestSet(ctx context.Context, norad int) (store.Object, gp.ElementSet, error) {
	o, err := s.st.Object(ctx, norad)
	if err != nil {
		return o, gp.ElementSet{}, err
	}
	recs, err := s.st.LatestElementSets(ctx, []int{norad})
	if err != nil || len(recs) == 0 {
		return o, gp.ElementSet{}, errors.Join(err, fmt.Errorf("object %d: %w", norad, store.ErrNotFound))
	}
	e, err := catalog.Parse(recs[0], o.Name)
	return o, e, err
}

type stateJSON struct {
	T        time.Time  `json:"t"`
	RTEMEKm  [3]float64 `json:"r_teme_km"`
	VTEMEKmS [3]float64 `json:"v_teme_km_s"`
}

func (s *Server) ephemeris(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	norad, err := pathInt(r, "norad")
	if err != nil {
		return err
	}
	enc, err := negotiate(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	_, e, err := s.latestSet(r.Context(), int(norad))
	if err != nil {
		return err
	}
	start, stop := e.Epoch, e.Epoch.Add(90*time.Minute)
	if v := q.Get("start"); v != "" {
		if start, err = time.Parse(time.RFC3339, v); err != nil {
			return badRequest("start %q is not RFC3339", v)
		}
	}
	if v := q.Get("stop"); v != "" {
		if stop, err = time.Parse(time.RFC3339, v); err != nil {
			return badRequest("stop %q is not RFC3339", v)
		}
	} else if q.Get("start") != "" {
		stop = start.Add(90 * time.Minute)
	}
	step, err := intParam(r, "step_s", 60, 1, 86400)
	if err != nil {
		return err
	}
	if !stop.After(start) || stop.Sub(start)/(time.Duration(step)*time.Second) > 10_000 {
		return badRequest("want start < stop and at most 10000 steps")
	}
	sat, err := sgp4.New(e)
	if err != nil {
		return &Error{http.StatusUnprocessableEntity, "propagation_failed", err.Error()}
	}
	var states []stateJSON
	var perr string
	for t := start; !t.After(stop); t = t.Add(time.Duration(step) * time.Second) {
		rr, vv, err := sat.At(t)
		if err != nil {
			perr = fmt.Sprintf("%s at %s", err, t.UTC().Format(time.RFC3339))
			break
		}
		states = append(states, stateJSON{t.UTC(), rr, vv})
	}
	if enc == encProtobuf {
		return writeBulk(w, r, enc, false, nil, ephemerisPB(norad, e.Epoch, states, perr))
	}
	out := map[string]any{"norad": norad, "epoch": e.Epoch, "frame": "TEME", "states": states}
	if perr != "" {
		out["error"] = perr
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// catalogEvent publishes one catalog change on the feed inside tx.
func catalogEvent(ctx context.Context, tx store.Tx, kind string, v any) error {
	b, _ := json.Marshal(v)
	_, err := tx.AppendFeed(ctx, store.FeedEvent{Channel: "catalog", Kind: kind, Payload: b})
	return err
}

func (s *Server) importElements(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	decoded, recordErrs, err := catalog.Decode(data, now)
	if err != nil {
		return badRequest("%v", err)
	}
	var rejected []string
	if recordErrs != nil {
		for _, l := range strings.Split(recordErrs.Error(), "\n") {
			if len(rejected) < 100 {
				rejected = append(rejected, l)
			}
		}
	}
	if len(decoded) == 0 {
		return badRequest("no usable element sets: %s", strings.Join(rejected, "; "))
	}
	var done ImportResult
	return s.commit(w, r, http.StatusOK, func(tx store.Tx) (any, error) {
		res := ImportResult{Rejected: rejected}
		if err := importTx(r.Context(), tx, decoded, &res, p.Subject, now); err != nil {
			return nil, err
		}
		done = res
		return map[string]any{"added": res.Added, "duplicates": res.Duplicates, "rejected": rejected}, nil
	}, func() {
		s.hub.Notify()
		s.QueueCCDM(done.Affected) // objects with new sets: CCDM analysis (RunCCDM)
		s.queueScreening(done)     // and screening, when on (RunScreenOnImport)
	})
}

type jobJSON struct {
	ID         string          `json:"id"`
	Owner      string          `json:"owner"`
	State      string          `json:"state"`
	Params     json.RawMessage `json:"params"`
	Progress   float64         `json:"progress"`
	Stage      string          `json:"stage,omitempty"`
	Error      string          `json:"error,omitempty"`
	Events     int             `json:"events"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	FinishedAt *time.Time      `json:"finished_at,omitempty"`
}

func toJobJSON(j store.Job) jobJSON {
	out := jobJSON{j.ID, j.Owner, j.State, json.RawMessage(j.Params), j.Progress, j.Stage, j.Error, j.Events, j.CreatedAt, j.UpdatedAt, nil}
	if !j.FinishedAt.IsZero() {
		out.FinishedAt = &j.FinishedAt
	}
	return out
}

// ownedJob returns a job its caller may see: their own, or any for admins.
// Other users' jobs answer 404, as if they did not exist.
func (s *Server) ownedJob(ctx context.Context, id string, p auth.Principal) (store.Job, error) {
	j, err := s.st.Job(ctx, id)
	if err != nil {
		return j, err
	}
	if j.Owner != p.Subject && p.Role < store.RoleAdmin {
		return store.Job{}, fmt.Errorf("job %s: %w", id, store.ErrNotFound)
	}
	return j, nil
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	owner := p.Subject
	if p.Role >= store.RoleAdmin {
		owner = r.URL.Query().Get("owner")
	}
	js, err := s.st.Jobs(r.Context(), owner, 100)
	if err != nil {
		return err
	}
	out := make([]jobJSON, len(js))
	for i, j := range js {
		out[i] = toJobJSON(j)
	}
	writeJSON(w, http.StatusOK, map[string]any{"screenings": out})
	return nil
}

func (s *Server) startJob(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	if s.jobs == nil {
		return &Error{http.StatusServiceUnavailable, "unavailable", "this server runs no screening jobs"}
	}
	var params jobs.Params
	if err := decode(r, &params); err != nil {
		return err
	}
	if err := params.Validate(); err != nil {
		return err
	}
	j := s.newScreeningJob(p.Subject, params)
	var submit string
	return s.commit(w, r, http.StatusAccepted, func(tx store.Tx) (any, error) {
		if err := createJobTx(r.Context(), tx, j); err != nil {
			return nil, err
		}
		submit = j.ID
		return toJobJSON(j), nil
	}, func() {
		if err := s.jobs.Submit(submit); err != nil {
			s.log.Error("submit job", "job", submit, "err", err)
		}
	})
}

// newScreeningJob is a queued screening job of params owned by owner.
func (s *Server) newScreeningJob(owner string, params jobs.Params) store.Job {
	b, _ := json.Marshal(params)
	now := s.now().UTC()
	return store.Job{ID: newRequestID() + newRequestID(), Owner: owner, State: store.JobQueued, Params: string(b), CreatedAt: now, UpdatedAt: now}
}

// createJobTx stores j with its audit record (the owner starts it).
func createJobTx(ctx context.Context, tx store.Tx, j store.Job) error {
	if err := tx.CreateJob(ctx, j); err != nil {
		return err
	}
	return auth.Audit(ctx, tx, j.CreatedAt, j.Owner, "screening.start", "job:"+j.ID, j.Params)
}

func (s *Server) job(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	j, err := s.ownedJob(r.Context(), r.PathValue("id"), p)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, toJobJSON(j))
	return nil
}

func (s *Server) cancelJob(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	j, err := s.ownedJob(r.Context(), r.PathValue("id"), p)
	if err != nil {
		return err
	}
	if s.jobs == nil {
		return &Error{http.StatusServiceUnavailable, "unavailable", "this server runs no screening jobs"}
	}
	if err := s.jobs.Cancel(r.Context(), j.ID); err != nil {
		return err
	}
	now := s.now().UTC()
	return s.commit(w, r, http.StatusAccepted, func(tx store.Tx) (any, error) {
		return map[string]string{"id": j.ID, "status": "cancel requested"}, auth.Audit(r.Context(), tx, now, p.Subject, "screening.cancel", "job:"+j.ID, "")
	}, s.hub.Notify)
}

type conjunctionJSON struct {
	ID               int64               `json:"id"`
	Norad1           int                 `json:"norad_1"`
	Norad2           int                 `json:"norad_2"`
	TCA              time.Time           `json:"tca"`
	MissDistanceKm   float64             `json:"miss_km"`
	RelativeSpeedKmS float64             `json:"rel_speed_km_s"`
	Pc               float64             `json:"pc"`
	JobID            string              `json:"job_id,omitempty"`
	UpdatedAt        time.Time           `json:"updated_at"`
	History          []conjunctionUpdate `json:"history,omitempty"`
}

type conjunctionUpdate struct {
	At             time.Time `json:"at"`
	TCA            time.Time `json:"tca"`
	MissDistanceKm float64   `json:"miss_km"`
	Pc             float64   `json:"pc"`
	Source         string    `json:"source"`
}

func toConjJSON(c store.Conjunction) conjunctionJSON {
	out := conjunctionJSON{c.ID, c.Norad1, c.Norad2, c.TCA, c.MissDistanceKm, c.RelativeSpeedKmS, c.Pc, c.JobID, c.UpdatedAt, nil}
	for _, h := range c.History {
		out.History = append(out.History, conjunctionUpdate{h.At, h.TCA, h.MissDistanceKm, h.Pc, h.Source})
	}
	return out
}

// listParams reads norad, after and limit.
func listParams(r *http.Request) (norad int, after int64, lim int, err error) {
	if norad, err = intParam(r, "norad", 0, 0, 999_999_999); err != nil {
		return
	}
	var a int
	if a, err = intParam(r, "after", 0, 0, 1<<62); err != nil {
		return
	}
	lim, err = intParam(r, "limit", 100, 1, 1000)
	return norad, int64(a), lim, err
}

func (s *Server) conjunctions(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	norad, after, lim, err := listParams(r)
	if err != nil {
		return err
	}
	cs, err := s.st.Conjunctions(r.Context(), norad, after, lim)
	if err != nil {
		return err
	}
	out := make([]conjunctionJSON, len(cs))
	for i, c := range cs {
		out[i] = toConjJSON(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"conjunctions": out})
	return nil
}

func (s *Server) conjunction(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	c, err := s.st.Conjunction(r.Context(), id)
	if err != nil {
		return err
	}
	ar, ok := s.st.(store.AnnotationReader)
	if !ok { // a storage without notes: the event alone
		writeJSON(w, http.StatusOK, toConjJSON(c))
		return nil
	}
	d, err := detail(r.Context(), ar, c)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

type cdmJSON struct {
	ID             int64     `json:"id"`
	MessageID      string    `json:"message_id"`
	Norad1         int       `json:"norad_1"`
	Norad2         int       `json:"norad_2"`
	TCA            time.Time `json:"tca"`
	MissDistanceKm float64   `json:"miss_km"`
	CreatedAt      time.Time `json:"created_at"`
}

func toCDMJSON(c store.CDM) cdmJSON {
	return cdmJSON{c.ID, c.MessageID, c.Norad1, c.Norad2, c.TCA, c.MissDistanceKm, c.CreatedAt}
}

func (s *Server) cdms(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	norad, after, lim, err := listParams(r)
	if err != nil {
		return err
	}
	cs, err := s.st.CDMs(r.Context(), norad, after, lim)
	if err != nil {
		return err
	}
	out := make([]cdmJSON, len(cs))
	for i, c := range cs {
		out[i] = toCDMJSON(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"cdms": out})
	return nil
}

func (s *Server) importCDM(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return err
	}
	cdm, err := ccsds.ParseCDM(bytes.NewReader(data))
	if err != nil {
		return badRequest("%v", err)
	}
	n1, _ := strconv.Atoi(strings.TrimSpace(cdm.Objects[0].ObjectDesignator))
	n2, _ := strconv.Atoi(strings.TrimSpace(cdm.Objects[1].ObjectDesignator))
	var kvn bytes.Buffer
	if err := ccsds.WriteCDMKVN(&kvn, cdm); err != nil {
		return badRequest("CDM cannot be written back as KVN: %v", err)
	}
	now := s.now().UTC()
	rec := store.CDM{MessageID: cdm.Header.MessageID, Norad1: n1, Norad2: n2, TCA: cdm.Relative.TCA.UTC(), MissDistanceKm: cdm.Relative.MissDistanceM / 1000, Body: kvn.String(), CreatedAt: now}
	return s.commit(w, r, http.StatusCreated, func(tx store.Tx) (any, error) {
		c, err := tx.AddCDM(r.Context(), rec)
		if err != nil {
			return nil, err
		}
		pc := 0.0
		if cdm.Relative.CollisionProbability != nil {
			pc = *cdm.Relative.CollisionProbability
		}
		rel := 0.0
		if cdm.Relative.RelativeSpeedMS != nil {
			rel = *cdm.Relative.RelativeSpeedMS / 1000
		}
		if n1 > 0 && n2 > 0 {
			cj, err := tx.UpsertConjunction(r.Context(), store.Conjunction{Norad1: n1, Norad2: n2, TCA: rec.TCA, MissDistanceKm: rec.MissDistanceKm,
				RelativeSpeedKmS: rel, Pc: pc, UpdatedAt: now}, "cdm:"+rec.MessageID)
			if err != nil {
				return nil, err
			}
			b, _ := json.Marshal(toConjJSON(cj))
			if _, err := tx.AppendFeed(r.Context(), store.FeedEvent{Channel: "conjunctions", Kind: "conjunction.updated", Payload: b}); err != nil {
				return nil, err
			}
		}
		return toCDMJSON(c), auth.Audit(r.Context(), tx, now, p.Subject, "cdm.import", fmt.Sprint("cdm:", c.ID), "message_id="+clipText(rec.MessageID))
	}, s.hub.Notify)
}

func clipText(s string) string {
	if len(s) > 64 {
		return s[:64]
	}
	return s
}

func (s *Server) exportCDM(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	id, err := pathInt(r, "id")
	if err != nil {
		return err
	}
	c, err := s.st.CDM(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"cdm-%d.kvn\"", c.ID))
	_, err = io.WriteString(w, c.Body)
	return err
}

type maneuverJSON struct {
	ID         int64     `json:"id"`
	NORAD      int       `json:"norad"`
	Epoch      time.Time `json:"epoch"`
	DeltaVMS   float64   `json:"delta_v_m_s"`
	Kind       string    `json:"kind"`
	Confidence float64   `json:"confidence"`
	DetectedAt time.Time `json:"detected_at"`
}

func toManeuverJSON(m store.Maneuver) maneuverJSON {
	return maneuverJSON{m.ID, m.NORAD, m.Epoch, m.DeltaVMS, m.Kind, m.Confidence, m.DetectedAt}
}

func (s *Server) maneuvers(w http.ResponseWriter, r *http.Request, _ auth.Principal) error {
	norad, after, lim, err := listParams(r)
	if err != nil {
		return err
	}
	ms, err := s.st.Maneuvers(r.Context(), norad, after, lim)
	if err != nil {
		return err
	}
	out := make([]maneuverJSON, len(ms))
	for i, m := range ms {
		out[i] = toManeuverJSON(m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"maneuvers": out})
	return nil
}

func (s *Server) detectManeuvers(w http.ResponseWriter, r *http.Request, p auth.Principal) error {
	norad, err := pathInt(r, "norad")
	if err != nil {
		return err
	}
	o, err := s.st.Object(r.Context(), int(norad))
	if err != nil {
		return err
	}
	recs, err := s.st.ElementSets(r.Context(), int(norad), 1000)
	if err != nil {
		return err
	}
	hist := make([]gp.ElementSet, 0, len(recs))
	for i := len(recs) - 1; i >= 0; i-- { // oldest first
		e, err := catalog.Parse(recs[i], o.Name)
		if err != nil {
			return err
		}
		hist = append(hist, e)
	}
	res, err := maneuver.Detect(hist, maneuver.DefaultConfig())
	if err != nil {
		return badRequest("%v", err)
	}
	now := s.now().UTC()
	return s.commit(w, r, http.StatusOK, func(tx store.Tx) (any, error) {
		var found []maneuverJSON
		for _, ev := range res.Events {
			m, added, err := tx.AddManeuver(r.Context(), store.Maneuver{NORAD: ev.NORAD, Epoch: ev.Epoch.UTC(), DeltaVMS: ev.DeltaVMS, Kind: ev.Kind.String(), Confidence: ev.Confidence, DetectedAt: now})
			if err != nil {
				return nil, err
			}
			if !added {
				continue
			}
			mj := toManeuverJSON(m)
			found = append(found, mj)
			b, _ := json.Marshal(mj)
			if _, err := tx.AppendFeed(r.Context(), store.FeedEvent{Channel: "maneuvers", Kind: "maneuver.detected", Payload: b}); err != nil {
				return nil, err
			}
		}
		return map[string]any{"norad": norad, "status": res.Status.String(), "sets_used": res.SetsUsed, "events": len(res.Events), "new": found, "notes": res.Notes}, nil
	}, s.hub.Notify)
}
