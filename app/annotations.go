package app

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	assync "github.com/astroshield/astroshield/sync"
)

// Notes and acknowledgements of server conjunction events: "Add note…" and
// "Acknowledge" on the conjunctions panel (and the Review menu, Ctrl+Shift+N
// and Ctrl+Shift+A) queue them through the outbox with the version of the
// event the user saw; the server's conflict rule (a note on a changed event
// is kept and flagged, an ack of a changed event is refused) comes back as
// conflicts, shown in a dialog, a notification, the Conflicts tab and the
// row's Review column until the user dismisses them.

// ConflictsTabTitle is the conflicts tab's title without its count.
const ConflictsTabTitle = "Conflicts"

// Feed kinds of annotations on the conjunctions channel (server/wire).
const (
	feedKindNote = "conjunction.note"
	feedKindAck  = "conjunction.ack"
)

// serverAnnotation is the payload of a note or ack feed event.
type serverAnnotation struct {
	ConjunctionID int64 `json:"conjunction_id"`
	Note          *struct {
		ID        int64     `json:"id"`
		Author    string    `json:"author"`
		Text      string    `json:"text"`
		Conflict  bool      `json:"conflict"`
		CreatedAt time.Time `json:"created_at"`
	} `json:"note"`
	Ack *struct {
		ID            int64     `json:"id"`
		Author        string    `json:"author"`
		SeenUpdatedAt time.Time `json:"seen_updated_at"`
	} `json:"ack"`
}

type noteSeen struct {
	author, text string
	conflict     bool
	at           time.Time
}

type ackSeen struct {
	author  string
	version time.Time
}

// remoteReview is the RemoteUI's annotation state.
type remoteReview struct {
	mu    sync.Mutex
	notes map[int64]map[int64]noteSeen // event → note id → note
	acks  map[int64]map[int64]ackSeen  // event → ack id → who and which version

	panel *ConflictsPanel
	tab   *container.TabItem

	noteEntry *widget.Entry // the open note dialog's text (tests fill it)
	noteForm  dialog.Dialog
	ackEntry  *widget.Entry // the open acknowledge dialog's comment (tests fill it)
}

// applyAnnotation records a note or ack feed event; false for other events.
func (rv *remoteReview) applyAnnotation(e assync.Event) bool {
	if e.Channel != "conjunctions" || (e.Kind != feedKindNote && e.Kind != feedKindAck) {
		return false
	}
	var a serverAnnotation
	if err := json.Unmarshal(e.Payload, &a); err != nil || a.ConjunctionID <= 0 {
		return true
	}
	rv.mu.Lock()
	defer rv.mu.Unlock()
	switch {
	case a.Note != nil:
		if rv.notes[a.ConjunctionID] == nil {
			rv.notes[a.ConjunctionID] = map[int64]noteSeen{}
		}
		rv.notes[a.ConjunctionID][a.Note.ID] = noteSeen{a.Note.Author, a.Note.Text, a.Note.Conflict, a.Note.CreatedAt.UTC()}
	case a.Ack != nil:
		if rv.acks[a.ConjunctionID] == nil {
			rv.acks[a.ConjunctionID] = map[int64]ackSeen{}
		}
		rv.acks[a.ConjunctionID][a.Ack.ID] = ackSeen{a.Ack.Author, a.Ack.SeenUpdatedAt.UTC()}
	}
	return true
}

// NotesText is an event's notes as the feed brought them, oldest first,
// one per line ("" when none).
func (rv *remoteReview) NotesText(eventID int64) string {
	rv.mu.Lock()
	ids := make([]int64, 0, len(rv.notes[eventID]))
	for id := range rv.notes[eventID] {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	lines := make([]string, len(ids))
	for i, id := range ids {
		n := rv.notes[eventID][id]
		lines[i] = fmt.Sprintf("%s, %s: %s", n.author, n.at.Format("2006-01-02 15:04Z"), n.text)
		if n.conflict {
			lines[i] += " (written against an older estimate)"
		}
	}
	rv.mu.Unlock()
	return strings.Join(lines, "\n")
}

// fill sets each server row's Review from the feed, the outbox and the
// conflicts.
func (rv *remoteReview) fill(evs []Event, queued []assync.Action, conflicts []assync.Conflict) {
	pending := map[int64][]string{}
	for _, a := range queued {
		if id, kind, ok := assync.AnnotationTarget(a); ok {
			pending[id] = append(pending[id], kind)
		}
	}
	open := map[int64]int{}
	for _, c := range conflicts {
		open[c.EventID]++
	}
	rv.mu.Lock()
	defer rv.mu.Unlock()
	for i := range evs {
		ev := &evs[i]
		if ev.ServerID == 0 {
			continue
		}
		r := EventReview{Notes: len(rv.notes[ev.ServerID]), Queued: pending[ev.ServerID], Conflicts: open[ev.ServerID]}
		for _, a := range rv.acks[ev.ServerID] {
			if a.version.Equal(ev.ServerUpdatedAt) {
				r.AckedBy = append(r.AckedBy, a.author)
			} else {
				r.StaleAck = true
			}
		}
		sort.Strings(r.AckedBy)
		ev.Review = r
	}
}

// attachReview adds the review actions, the Review menu and the Conflicts
// tab (from AttachRemote).
func (u *RemoteUI) attachReview() {
	u.rv = &remoteReview{notes: map[int64]map[int64]noteSeen{}, acks: map[int64]map[int64]ackSeen{}}
	u.rv.panel = NewConflictsPanel()
	u.rv.panel.OnDismiss = u.DismissConflict
	u.rv.panel.OnAckAgain = u.acknowledgeAgain
	u.ws.AddTab(ConflictsTabTitle, u.rv.panel.Object())
	for _, ti := range u.ws.Tabs().Items {
		if ti.Text == ConflictsTabTitle {
			u.rv.tab = ti
		}
	}
	if u.conj != nil {
		u.conj.EnableReview(u.ShowNoteDialog, u.ShowAckDialog)
	}
	note := fyne.NewMenuItem("Add note to the opened event…", func() {
		if u.conj != nil {
			u.conj.AddNote()
		}
	})
	note.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	ack := fyne.NewMenuItem("Acknowledge the opened event", func() {
		if u.conj != nil {
			u.conj.Acknowledge()
		}
	})
	ack.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	show := fyne.NewMenuItem("Conflicts", func() {
		if u.rv.tab != nil {
			u.ws.Tabs().Select(u.rv.tab)
		}
	})
	for _, it := range []*fyne.MenuItem{note, ack} {
		it := it
		u.ws.Window().Canvas().AddShortcut(it.Shortcut, func(fyne.Shortcut) { it.Action() })
	}
	u.ws.AddMenu(fyne.NewMenu("Review", note, ack, fyne.NewMenuItemSeparator(), show))
	go u.reloadConflicts(false)
}

// ShowNoteDialog asks for a note on ev (a server event) and queues it with
// the version ev shows.
func (u *RemoteUI) ShowNoteDialog(ev Event) {
	if ev.ServerID == 0 {
		return
	}
	entry := widget.NewMultiLineEntry()
	entry.SetPlaceHolder("What you found or decided about this event")
	entry.Wrapping = fyne.TextWrapWord
	entry.SetMinRowsVisible(4)
	text := fmt.Sprintf("Event %d as you see it (version %s):\n%s", ev.ServerID, versionText(ev.ServerUpdatedAt), conjDescribe(&ev))
	if earlier := u.rv.NotesText(ev.ServerID); earlier != "" {
		text += "\n\nNotes so far:\n" + earlier
	}
	head := widget.NewLabel(text)
	head.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Add note", "Queue note", "Cancel", container.NewBorder(head, nil, nil, nil, entry), func(ok bool) {
		if !ok {
			return
		}
		if err := u.SubmitNote(ev, entry.Text); err != nil {
			dialog.ShowError(err, u.ws.Window())
		}
	}, u.ws.Window())
	d.Resize(fyne.NewSize(560, 300))
	u.rv.noteEntry, u.rv.noteForm = entry, d
	d.Show()
	u.ws.Window().Canvas().Focus(entry)
}

// SubmitNote queues text as a note on ev, as of the version ev shows.
func (u *RemoteUI) SubmitNote(ev Event, text string) error {
	if _, err := u.r.AddNote(context.Background(), ev.ServerID, ev.ServerUpdatedAt, text); err != nil {
		return fmt.Errorf("note on event %d: %w", ev.ServerID, err)
	}
	u.ws.SetStatus(fmt.Sprintf("Note on event %d queued", ev.ServerID))
	go u.uiDo(u.refreshConjunctions)
	return nil
}

// ShowAckDialog shows what will be acknowledged (the event as the user sees
// it, with its version) and asks for an optional comment before queueing.
func (u *RemoteUI) ShowAckDialog(ev Event) {
	if ev.ServerID == 0 {
		return
	}
	entry := widget.NewEntry()
	entry.SetPlaceHolder("Comment (optional), e.g. owner contacted")
	head := widget.NewLabel(fmt.Sprintf("Acknowledge event %d as you see it (version %s):\n%s\n\nA newer estimate arriving before this reaches the server makes it a conflict, shown to you; it is not applied.",
		ev.ServerID, versionText(ev.ServerUpdatedAt), conjDescribe(&ev)))
	head.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("Acknowledge", "Queue acknowledgement", "Cancel", container.NewBorder(head, nil, nil, nil, entry), func(ok bool) {
		if ok {
			u.AcknowledgeEvent(ev, entry.Text)
		}
	}, u.ws.Window())
	d.Resize(fyne.NewSize(560, 260))
	u.rv.ackEntry = entry
	d.Show()
	u.ws.Window().Canvas().Focus(entry)
}

// AcknowledgeEvent queues an acknowledgement of ev as shown (its version)
// with comment (may be empty).
func (u *RemoteUI) AcknowledgeEvent(ev Event, comment string) {
	if ev.ServerID == 0 {
		return
	}
	if _, err := u.r.Acknowledge(context.Background(), ev.ServerID, ev.ServerUpdatedAt, comment); err != nil {
		dialog.ShowError(fmt.Errorf("acknowledging event %d: %w", ev.ServerID, err), u.ws.Window())
		return
	}
	u.ws.SetStatus(fmt.Sprintf("Acknowledgement of event %d (version %s) queued", ev.ServerID, versionText(ev.ServerUpdatedAt)))
	go u.uiDo(u.refreshConjunctions)
}

// acknowledgeAgain acknowledges the version a refused ack's conflict shows
// (the user has the new estimate in front of them) and dismisses it.
func (u *RemoteUI) acknowledgeAgain(c assync.Conflict) {
	if c.ServerUpdatedAt.IsZero() || c.EventID == 0 {
		return
	}
	if _, err := u.r.Acknowledge(context.Background(), c.EventID, c.ServerUpdatedAt, ""); err != nil {
		dialog.ShowError(err, u.ws.Window())
		return
	}
	u.DismissConflict(c)
}

// DismissConflict hides a conflict the user has dealt with.
func (u *RemoteUI) DismissConflict(c assync.Conflict) {
	if err := u.r.Store().DismissConflict(context.Background(), c.ID); err != nil {
		dialog.ShowError(err, u.ws.Window())
	}
	go u.reloadConflicts(false)
}

// reloadConflicts refreshes the Conflicts tab, its count and the rows;
// announce also shows the conflicts newer than last time in a dialog and a
// notification (after a flush).
func (u *RemoteUI) reloadConflicts(announce bool) {
	cs, err := u.r.Store().Conflicts(context.Background(), false)
	if err != nil {
		return
	}
	u.uiDo(func() {
		fresh := u.rv.panel.Set(cs)
		if u.rv.tab != nil {
			u.rv.tab.Text = BadgeTitle(ConflictsTabTitle, len(cs))
			u.ws.Tabs().Refresh()
		}
		u.refreshConjunctions()
		if !announce || len(fresh) == 0 {
			return
		}
		lines := make([]string, len(fresh))
		for i, c := range fresh {
			lines[i] = ConflictText(c)
		}
		title := fmt.Sprintf("%d queued action(s) met a changed event", len(fresh))
		u.notify(fyne.NewNotification(title, lines[0]))
		msg := widget.NewLabel(strings.Join(lines, "\n\n") + "\n\nThey stay in the Conflicts tab until you dismiss them.")
		msg.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustom(title, "OK", container.NewVScroll(msg), u.ws.Window())
		d.Resize(fyne.NewSize(600, 320))
		d.Show()
	})
}

// ConflictText says what happened to a queued action that met a changed
// event, and what the user can do.
func ConflictText(c assync.Conflict) string {
	var b strings.Builder
	b.WriteString(c.Action.Summary)
	switch {
	case c.Applied:
		fmt.Fprintf(&b, ": the event changed since you wrote this (you saw version %s, the server has %s); your note is stored",
			versionText(c.SeenUpdatedAt), versionText(c.ServerUpdatedAt))
	case c.Code == "event_changed":
		fmt.Fprintf(&b, ": NOT applied, the event changed since you saw it (you saw version %s, the server has %s); look at the new estimate and acknowledge again",
			versionText(c.SeenUpdatedAt), versionText(c.ServerUpdatedAt))
	default:
		fmt.Fprintf(&b, ": refused by the server (%s): %s", c.Code, c.Message)
	}
	var sc serverConjunction
	if len(c.Event) > 0 && json.Unmarshal(c.Event, &sc) == nil && sc.ID > 0 {
		fmt.Fprintf(&b, ". Now: miss %.3f km, Pc %s, TCA %s", sc.MissDistanceKm, conjPcText(serverPc(sc.Pc)), sc.TCA.UTC().Format("2006-01-02 15:04:05Z"))
	}
	return b.String()
}

func serverPc(pc float64) float64 {
	if pc > 0 {
		return pc
	}
	return math.NaN()
}

func versionText(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2006-01-02 15:04:05.000Z")
}

// ConflictsPanel lists the conflicts not yet dismissed; a selected one can
// be dismissed or, for a refused ack, acknowledged again as of the new
// estimate.
type ConflictsPanel struct {
	OnDismiss  func(assync.Conflict)
	OnAckAgain func(assync.Conflict)

	items    []assync.Conflict
	seen     map[int64]bool // conflict ids shown before (Set's "fresh")
	selected int

	list    *widget.List
	detail  *widget.Label
	dismiss *widget.Button
	again   *widget.Button
	obj     fyne.CanvasObject
}

// NewConflictsPanel builds an empty panel.
func NewConflictsPanel() *ConflictsPanel {
	p := &ConflictsPanel{seen: map[int64]bool{}, selected: -1}
	p.detail = widget.NewLabel("No conflicts: every queued note and acknowledgement reached the server as the user saw the event.")
	p.detail.Wrapping = fyne.TextWrapWord
	p.list = widget.NewList(func() int { return len(p.items) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= 0 && i < len(p.items) {
				o.(*widget.Label).SetText(conflictRow(p.items[i]))
			}
		})
	p.list.OnSelected = func(i widget.ListItemID) { p.Select(i) }
	p.dismiss = widget.NewButton("Dismiss", func() {
		if c, ok := p.Selected(); ok && p.OnDismiss != nil {
			p.OnDismiss(c)
		}
	})
	p.again = widget.NewButton("Acknowledge the new estimate", func() {
		if c, ok := p.Selected(); ok && p.OnAckAgain != nil {
			p.OnAckAgain(c)
		}
	})
	p.sync()
	p.obj = container.NewBorder(nil, container.NewVBox(p.detail, container.NewHBox(p.dismiss, p.again)), nil, nil, p.list)
	return p
}

func conflictRow(c assync.Conflict) string {
	if c.Applied {
		return c.Action.Summary + ": stored, but the event had changed"
	}
	return c.Action.Summary + ": not applied, the event had changed"
}

// Object is the panel's canvas object.
func (p *ConflictsPanel) Object() fyne.CanvasObject { return p.obj }

// Set replaces the list (call on Fyne's goroutine) and returns the
// conflicts it had not shown before.
func (p *ConflictsPanel) Set(cs []assync.Conflict) []assync.Conflict {
	var fresh []assync.Conflict
	for _, c := range cs {
		if !p.seen[c.ID] {
			p.seen[c.ID] = true
			fresh = append(fresh, c)
		}
	}
	p.items = append([]assync.Conflict(nil), cs...)
	p.selected = -1
	p.list.UnselectAll()
	p.list.Refresh()
	p.sync()
	return fresh
}

// Items is the listed conflicts.
func (p *ConflictsPanel) Items() []assync.Conflict { return append([]assync.Conflict(nil), p.items...) }

// Select shows conflict i's details.
func (p *ConflictsPanel) Select(i int) {
	if i < 0 || i >= len(p.items) {
		i = -1
	}
	p.selected = i
	p.sync()
}

// Selected is the selected conflict.
func (p *ConflictsPanel) Selected() (assync.Conflict, bool) {
	if p.selected < 0 || p.selected >= len(p.items) {
		return assync.Conflict{}, false
	}
	return p.items[p.selected], true
}

// DetailText is what the panel says of the selection.
func (p *ConflictsPanel) DetailText() string { return p.detail.Text }

func (p *ConflictsPanel) sync() {
	c, ok := p.Selected()
	switch {
	case !ok && len(p.items) == 0:
		p.detail.SetText("No conflicts: every queued note and acknowledgement reached the server as the user saw the event.")
	case !ok:
		p.detail.SetText(fmt.Sprintf("%d conflict(s): select one to see what changed.", len(p.items)))
	default:
		p.detail.SetText(ConflictText(c))
	}
	if ok {
		p.dismiss.Enable()
	} else {
		p.dismiss.Disable()
	}
	if ok && !c.Applied && c.Code == "event_changed" && !c.ServerUpdatedAt.IsZero() {
		p.again.Enable()
	} else {
		p.again.Disable()
	}
}
