package app

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/astroshield/astroshield/engine/collision"
	"github.com/astroshield/astroshield/engine/conjunction"
)

// Event is one conjunction as the client shows it: the engine's close
// approach plus where its objects are in the loaded catalog.
type Event struct {
	// A and B are the catalog indices of object 1 and object 2 (-1 when the
	// object is not in the session's catalog).
	A, B           int
	Norad1, Norad2 int
	Name1, Name2   string

	TCA          time.Time
	MissKm       float64
	RelSpeedKmS  float64
	RadialKm     float64 // object 2 − object 1 in object 1's RIC frame at TCA
	InTrackKm    float64
	CrossTrackKm float64
	// Pc is the probability of collision, NaN when there is no
	// orbit-determination covariance (GP/TLE screening has none; PcNote says
	// so). PcMethod names the method when Pc is a number.
	Pc       float64
	PcMethod string
	PcNote   string
	// PcMaxAlfano2005 is Alfano (2005)'s upper bound on Pc over every
	// covariance (needs none), for HardBodyRadiusM; NaN when not computed.
	PcMaxAlfano2005 float64
	HardBodyRadiusM float64
	// DataAge is TCA minus the older of the two element-set epochs.
	DataAge time.Duration

	// Conj is the engine's event (states at TCA, threshold crossings).
	Conj conjunction.Event
	// ScreenStart and ScreenEnd are the screening window the event came from.
	ScreenStart, ScreenEnd time.Time
	// PcSeries is Pc against time from successive covariance-bearing messages
	// (CDM updates); empty for screening events.
	PcSeries []PcPoint

	// Source is where the row comes from: "" or "local" (analysis on this
	// machine), "server" (the server's feed), "local+server" (both found it).
	Source string
	// ServerID is the server's conjunction id (0 for local rows).
	ServerID int64
	// ServerUpdatedAt is the server's version of the event (its
	// updated_at, new with every estimate), which notes and acks refer to.
	ServerUpdatedAt time.Time
	// Review is the server event's notes and acknowledgements as this
	// client knows them.
	Review EventReview
}

// EventReview is what the Review column shows of a server event.
type EventReview struct {
	AckedBy   []string // users who acknowledged the current version
	StaleAck  bool     // acknowledged, but only an older version
	Notes     int
	Queued    []string // "note", "ack": waiting in the outbox
	Conflicts int      // conflicts on this event not yet dismissed
}

// Text is the Review column's text, most urgent first.
func (r EventReview) Text() string {
	var parts []string
	if r.Conflicts > 0 {
		parts = append(parts, "CONFLICT")
	}
	if len(r.Queued) > 0 {
		parts = append(parts, strings.Join(r.Queued, "+")+" queued")
	}
	switch {
	case len(r.AckedBy) > 0:
		parts = append(parts, "acked ("+strings.Join(r.AckedBy, ", ")+")")
	case r.StaleAck:
		parts = append(parts, "ack outdated")
	}
	if r.Notes == 1 {
		parts = append(parts, "1 note")
	} else if r.Notes > 1 {
		parts = append(parts, fmt.Sprintf("%d notes", r.Notes))
	}
	return strings.Join(parts, " · ")
}

// PcPoint is one Pc value and the time it was computed for (message creation).
type PcPoint struct {
	At time.Time
	Pc float64
}

// DefaultCovariancePcNote explains the Pc of GP/TLE screening (the CLI's
// `screen` says the same in its pc_note).
const DefaultCovariancePcNote = "Pc is Foster (1992) with default covariances from element-set age (GP/TLE element sets carry no orbit-determination covariance); Pc max is Alfano (2005)'s upper bound over every covariance"

// DefaultCovariancePcMethod names the method behind a screening Pc.
const DefaultCovariancePcMethod = "FOSTER-1992"

// DefaultHardBodyRadiusM is the combined hard-body radius for Pc max when the
// user gives none: 10 m, the CLI's screening default.
const DefaultHardBodyRadiusM = 10

// EventsFromScreening turns a screening result into Events, finding each
// object in c. Pc and PcMaxAlfano2005 are those of
// collision.FosterDefaultCovariancePc for hbrM, as the CLI's `screen` gives.
func EventsFromScreening(res *conjunction.Result, c *Catalog, hbrM float64) []Event {
	if res == nil {
		return nil
	}
	out := make([]Event, len(res.Events))
	for i, ce := range res.Events {
		out[i] = EventFromConjunction(ce, c, hbrM)
		out[i].ScreenStart, out[i].ScreenEnd = res.Start, res.End
	}
	return out
}

// EventFromConjunction converts one engine event.
func EventFromConjunction(ce conjunction.Event, c *Catalog, hbrM float64) Event {
	ev := Event{
		A: -1, B: -1, Norad1: ce.Norad1, Norad2: ce.Norad2, Name1: ce.Name1, Name2: ce.Name2,
		TCA: ce.TCA.UTC(), MissKm: ce.MissDistanceKm, RelSpeedKmS: ce.RelativeSpeedKmS,
		RadialKm: ce.RadialKm, InTrackKm: ce.InTrackKm, CrossTrackKm: ce.CrossTrackKm,
		Pc: math.NaN(), PcMaxAlfano2005: math.NaN(), HardBodyRadiusM: hbrM,
		DataAge: max(ce.ElementAge1, ce.ElementAge2), Conj: ce,
	}
	if i, ok := c.ByNorad(ce.Norad1); ok {
		ev.A = i
	}
	if i, ok := c.ByNorad(ce.Norad2); ok {
		ev.B = i
	}
	if hbrM > 0 {
		foster, alfano, err := collision.FosterDefaultCovariancePc(
			collision.Object{PositionKm: ce.State1.RTEMEKm, VelocityKmS: ce.State1.VTEMEKmS},
			collision.Object{PositionKm: ce.State2.RTEMEKm, VelocityKmS: ce.State2.VTEMEKmS},
			ce.ElementAge1, ce.ElementAge2, hbrM)
		if err == nil {
			ev.Pc, ev.PcMethod, ev.PcNote = foster.Pc, DefaultCovariancePcMethod, DefaultCovariancePcNote
			ev.PcMaxAlfano2005 = alfano.Pc
		} else {
			ev.PcNote = "Pc not computed: " + err.Error()
		}
	}
	return ev
}

// ConjSortKey is a column the conjunctions table sorts by.
type ConjSortKey int

// Sort keys.
const (
	ConjSortTCA ConjSortKey = iota
	ConjSortMiss
	ConjSortRelSpeed
	ConjSortPc
	ConjSortDataAge
	conjSortNone // column is not sortable
)

// conjColumn is one table column.
type conjColumn struct {
	title string
	width float32
	key   ConjSortKey
	cell  func(e *Event) string
}

var conjColumns = []conjColumn{
	{"Object 1", 200, conjSortNone, func(e *Event) string { return conjName(e.Name1, e.Norad1) }},
	{"Object 2", 200, conjSortNone, func(e *Event) string { return conjName(e.Name2, e.Norad2) }},
	{"TCA (UTC)", 170, ConjSortTCA, func(e *Event) string { return e.TCA.UTC().Format("2006-01-02 15:04:05") }},
	{"Miss km", 80, ConjSortMiss, func(e *Event) string { return fmt.Sprintf("%.3f", e.MissKm) }},
	{"Rel km/s", 80, ConjSortRelSpeed, func(e *Event) string { return fmt.Sprintf("%.3f", e.RelSpeedKmS) }},
	{"R / I / C km", 170, conjSortNone, func(e *Event) string {
		if math.IsNaN(e.RadialKm) || math.IsNaN(e.InTrackKm) || math.IsNaN(e.CrossTrackKm) {
			return "n/a" // server events carry no RIC miss components
		}
		return fmt.Sprintf("%.2f / %.2f / %.2f", e.RadialKm, e.InTrackKm, e.CrossTrackKm)
	}},
	{"Pc", 80, ConjSortPc, func(e *Event) string { return conjPcText(e.Pc) }},
	{"Pc max", 80, conjSortNone, func(e *Event) string { return conjPcText(e.PcMaxAlfano2005) }},
	{"Data age", 80, ConjSortDataAge, func(e *Event) string { return conjAge(e.DataAge) }},
	{"Source", 100, conjSortNone, func(e *Event) string { return conjSource(e.Source) }},
	{"Review", 200, conjSortNone, func(e *Event) string { return e.Review.Text() }},
}

func conjSource(s string) string {
	if s == "" {
		return "local"
	}
	return s
}

func conjName(name string, norad int) string {
	if name == "" {
		name = "(unnamed)"
	}
	return fmt.Sprintf("%s %s", name, NoradString(norad))
}

func conjPcText(pc float64) string {
	if math.IsNaN(pc) {
		return "n/a"
	}
	return fmt.Sprintf("%.2e", pc)
}

func conjAge(d time.Duration) string {
	h := d.Hours()
	if math.Abs(h) < 48 {
		return fmt.Sprintf("%.1f h", h)
	}
	return fmt.Sprintf("%.1f d", h/24)
}

// ConjunctionsPanel lists conjunction events in a sortable table; clicking a
// row jumps the clock to TCA, selects object 1 and frames the pair.
type ConjunctionsPanel struct {
	s *Session

	// OnOpenEvent, when set, is called after a row is clicked (the workstation
	// shows the event charts).
	OnOpenEvent func(Event)

	onNote, onAck   func(Event) // EnableReview
	current         int64       // ServerID of the last opened server row
	actions         *fyne.Container
	selected        *widget.Label
	noteBtn, ackBtn *widget.Button

	events  []Event
	local   []Event // from SetEvents
	server  []Event // from SetServerEvents
	sortKey ConjSortKey
	asc     bool

	table   *widget.Table
	summary *widget.Label
	note    *widget.Label
	obj     fyne.CanvasObject
}

// NewConjunctionsPanel builds an empty panel.
func NewConjunctionsPanel(s *Session) *ConjunctionsPanel {
	p := &ConjunctionsPanel{s: s, sortKey: ConjSortTCA, asc: true}
	p.summary = widget.NewLabel("No conjunctions: run a screening from the Analysis panel.")
	p.summary.Wrapping = fyne.TextWrapWord
	p.note = widget.NewLabel("")
	p.note.Wrapping = fyne.TextWrapWord
	p.note.Hide()
	p.table = widget.NewTableWithHeaders(
		func() (int, int) { return len(p.events), len(conjColumns) },
		func() fyne.CanvasObject { return widget.NewLabel("0000-00-00 00:00:00") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row < 0 || id.Row >= len(p.events) || id.Col < 0 || id.Col >= len(conjColumns) {
				return
			}
			o.(*widget.Label).SetText(conjColumns[id.Col].cell(&p.events[id.Row]))
		})
	p.table.ShowHeaderColumn = false
	p.table.CreateHeader = func() fyne.CanvasObject {
		b := widget.NewButton("", nil)
		b.Importance = widget.LowImportance
		return b
	}
	p.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*widget.Button)
		if id.Row >= 0 || id.Col < 0 || id.Col >= len(conjColumns) {
			b.SetText("")
			b.OnTapped = nil
			return
		}
		b.SetText(p.headerText(id.Col))
		col := id.Col
		b.OnTapped = func() { p.tapHeader(col) }
	}
	for i, c := range conjColumns {
		p.table.SetColumnWidth(i, c.width)
	}
	p.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(p.events) {
			p.open(p.events[id.Row])
		}
		p.table.UnselectAll()
	}
	p.selected = widget.NewLabel("")
	p.noteBtn = widget.NewButton("Add note…", p.AddNote)
	p.ackBtn = widget.NewButton("Acknowledge", p.Acknowledge)
	p.actions = container.NewHBox(p.noteBtn, p.ackBtn, p.selected)
	p.actions.Hide()
	p.syncActions()
	p.obj = container.NewBorder(container.NewVBox(p.summary, p.note, p.actions), nil, nil, nil, p.table)
	return p
}

// EnableReview shows the "Add note…" and "Acknowledge" actions for server
// events; they call onNote and onAck with the last opened server row (call
// on Fyne's goroutine).
func (p *ConjunctionsPanel) EnableReview(onNote, onAck func(Event)) {
	p.onNote, p.onAck = onNote, onAck
	p.actions.Show()
	p.syncActions()
}

// Current is the last opened row if it is a server event, as the table
// shows it now (its latest version).
func (p *ConjunctionsPanel) Current() (Event, bool) {
	if p.current == 0 {
		return Event{}, false
	}
	for _, e := range p.events {
		if e.ServerID == p.current {
			return e, true
		}
	}
	return Event{}, false
}

// AddNote asks for a note on the current server event.
func (p *ConjunctionsPanel) AddNote() {
	if ev, ok := p.Current(); ok && p.onNote != nil {
		p.onNote(ev)
	}
}

// Acknowledge acknowledges the current server event as shown.
func (p *ConjunctionsPanel) Acknowledge() {
	if ev, ok := p.Current(); ok && p.onAck != nil {
		p.onAck(ev)
	}
}

func (p *ConjunctionsPanel) syncActions() {
	ev, ok := p.Current()
	if !ok {
		p.selected.SetText("Open a server event (click its row) to add a note or acknowledge it.")
		p.noteBtn.Disable()
		p.ackBtn.Disable()
		return
	}
	p.selected.SetText(fmt.Sprintf("Event %d: %s", ev.ServerID, conjDescribe(&ev)))
	p.noteBtn.Enable()
	p.ackBtn.Enable()
}

// Object is the panel's canvas object.
func (p *ConjunctionsPanel) Object() fyne.CanvasObject { return p.obj }

// SetEvents replaces the events (call on Fyne's goroutine), keeping the
// current sort.
func (p *ConjunctionsPanel) SetEvents(evs []Event) {
	p.local = append([]Event(nil), evs...)
	p.refreshEvents()
}

// SetServerEvents replaces the rows that came from the server (call on
// Fyne's goroutine). They are merged with the local rows: a server event
// for the same pair with a TCA within MergeTCAWindow of a local one is one
// row, marked "local+server", with the local row's geometry and the
// server's Pc where the local row has none.
func (p *ConjunctionsPanel) SetServerEvents(evs []Event) {
	p.server = append([]Event(nil), evs...)
	p.refreshEvents()
}

// MergeTCAWindow is how close two TCAs of the same pair must be to be the
// same event.
const MergeTCAWindow = time.Minute

// MergeEvents merges local and server rows without duplicates (see
// SetServerEvents).
func MergeEvents(local, server []Event) []Event {
	out := make([]Event, 0, len(local)+len(server))
	for _, e := range local {
		if e.Source == "" {
			e.Source = "local"
		}
		out = append(out, e)
	}
	nLocal := len(out)
	for _, se := range server {
		se.Source = "server"
		merged := false
		for i := 0; i < nLocal; i++ {
			le := &out[i]
			samePair := (le.Norad1 == se.Norad1 && le.Norad2 == se.Norad2) || (le.Norad1 == se.Norad2 && le.Norad2 == se.Norad1)
			if samePair && absDuration(le.TCA.Sub(se.TCA)) <= MergeTCAWindow {
				le.Source, le.ServerID = "local+server", se.ServerID
				le.ServerUpdatedAt, le.Review = se.ServerUpdatedAt, se.Review
				if math.IsNaN(le.Pc) && !math.IsNaN(se.Pc) {
					le.Pc, le.PcMethod, le.PcNote = se.Pc, se.PcMethod, se.PcNote
				}
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, se)
		}
	}
	return out
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func (p *ConjunctionsPanel) refreshEvents() {
	evs := MergeEvents(p.local, p.server)
	p.events = evs
	p.sortEvents()
	noPc, defaultCov := 0, 0
	for i := range p.events {
		switch {
		case math.IsNaN(p.events[i].Pc):
			noPc++
		case p.events[i].PcNote == DefaultCovariancePcNote:
			defaultCov++
		}
	}
	if len(p.events) == 0 {
		p.summary.SetText("No conjunctions in the screened window.")
	} else {
		p.summary.SetText(fmt.Sprintf("%d conjunctions. Click a column header to sort, a row to go to TCA.", len(p.events)))
	}
	var notes []string
	if defaultCov > 0 {
		notes = append(notes, fmt.Sprintf("%d of %d: %s.", defaultCov, len(p.events), DefaultCovariancePcNote))
	}
	if noPc > 0 {
		notes = append(notes, fmt.Sprintf("%d of %d without Pc.", noPc, len(p.events)))
	}
	if len(notes) > 0 {
		p.note.SetText(strings.Join(notes, " "))
		p.note.Show()
	} else {
		p.note.Hide()
	}
	p.table.Refresh()
	p.syncActions()
}

// Events is the table's events in display order.
func (p *ConjunctionsPanel) Events() []Event { return append([]Event(nil), p.events...) }

// SortBy sorts the table by key (ascending or descending). Events without a
// value for the key (Pc n/a) go last either way.
func (p *ConjunctionsPanel) SortBy(key ConjSortKey, ascending bool) {
	p.sortKey, p.asc = key, ascending
	p.sortEvents()
	p.table.Refresh()
}

// SortKey is the current sort column and direction.
func (p *ConjunctionsPanel) SortKey() (ConjSortKey, bool) { return p.sortKey, p.asc }

// tapHeader is a header click: sort by that column, toggling the direction
// when it is already the sort column.
func (p *ConjunctionsPanel) tapHeader(col int) {
	if col < 0 || col >= len(conjColumns) || conjColumns[col].key == conjSortNone {
		return
	}
	k := conjColumns[col].key
	asc := true
	if k == p.sortKey {
		asc = !p.asc
	}
	p.SortBy(k, asc)
}

func (p *ConjunctionsPanel) headerText(col int) string {
	c := conjColumns[col]
	if c.key == conjSortNone {
		return c.title
	}
	if c.key == p.sortKey {
		if p.asc {
			return c.title + " ↑" // NotoSans lacks ▲; ↑↓ come from the bundled InterSymbols
		}
		return c.title + " ↓"
	}
	return c.title
}

func conjSortValue(e *Event, k ConjSortKey) float64 {
	switch k {
	case ConjSortMiss:
		return e.MissKm
	case ConjSortRelSpeed:
		return e.RelSpeedKmS
	case ConjSortPc:
		return e.Pc
	case ConjSortDataAge:
		return float64(e.DataAge)
	}
	return float64(e.TCA.UnixNano())
}

func (p *ConjunctionsPanel) sortEvents() {
	k, asc := p.sortKey, p.asc
	sort.SliceStable(p.events, func(i, j int) bool {
		a, b := conjSortValue(&p.events[i], k), conjSortValue(&p.events[j], k)
		switch {
		case math.IsNaN(a) || math.IsNaN(b):
			return !math.IsNaN(a) && math.IsNaN(b)
		case a == b:
			return p.events[i].TCA.Before(p.events[j].TCA)
		case asc:
			return a < b
		}
		return a > b
	})
}

// open is a row click.
func (p *ConjunctionsPanel) open(ev Event) {
	p.current = ev.ServerID
	p.syncActions()
	if p.s != nil {
		p.s.Clock.SetPaused(true) // pause first so the clock stays exactly at TCA
		p.s.Clock.Set(ev.TCA)
		if ev.A >= 0 {
			p.s.Select(ev.A)
		}
		if p.s.Scene != nil && ev.A >= 0 && ev.B >= 0 {
			p.s.Scene.FrameConjunction(ev.A, ev.B, ev.TCA)
		}
	}
	if p.OnOpenEvent != nil {
		p.OnOpenEvent(ev)
	}
}

// OpenRow acts as a click on display row r.
func (p *ConjunctionsPanel) OpenRow(r int) {
	p.table.Select(widget.TableCellID{Row: r, Col: 0})
}

// conjDescribe is a one-line description of an event for dialogs and titles.
func conjDescribe(e *Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s × %s at %s: %.3f km, %.3f km/s", conjName(e.Name1, e.Norad1), conjName(e.Name2, e.Norad2),
		e.TCA.UTC().Format("2006-01-02 15:04:05Z"), e.MissKm, e.RelSpeedKmS)
	return b.String()
}
