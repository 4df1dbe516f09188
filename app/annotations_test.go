package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	assync "github.com/astroshield/astroshield/sync"
)

func TestEventReviewText(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    EventReview
		want string
	}{
		{"nothing", EventReview{}, ""},
		{"acked", EventReview{AckedBy: []string{"ana", "bo"}, Notes: 1}, "acked (ana, bo) · 1 note"},
		{"stale", EventReview{StaleAck: true, Notes: 3}, "ack outdated · 3 notes"},
		{"queued", EventReview{Queued: []string{"note", "ack"}}, "note+ack queued"},
		{"conflict first", EventReview{Conflicts: 1, StaleAck: true}, "CONFLICT · ack outdated"},
	} {
		if got := tc.r.Text(); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The Review column follows the feed's acks by version, the outbox and the
// open conflicts.
func TestRemoteReviewFill(t *testing.T) {
	v1 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	v2 := v1.Add(time.Hour)
	rv := &remoteReview{notes: map[int64]map[int64]noteSeen{}, acks: map[int64]map[int64]ackSeen{}}
	ev := func(kind string, v any) assync.Event {
		b, _ := json.Marshal(v)
		return assync.Event{Channel: "conjunctions", Kind: kind, Payload: b}
	}
	for _, e := range []assync.Event{
		ev(feedKindNote, map[string]any{"conjunction_id": 7, "note": map[string]any{"id": 1, "author": "ana"}}),
		ev(feedKindNote, map[string]any{"conjunction_id": 7, "note": map[string]any{"id": 1, "author": "ana"}}), // replayed
		ev(feedKindNote, map[string]any{"conjunction_id": 7, "note": map[string]any{"id": 2, "author": "bo", "text": "late", "conflict": true, "created_at": v2}}),
		ev(feedKindAck, map[string]any{"conjunction_id": 7, "ack": map[string]any{"id": 1, "author": "ana", "seen_updated_at": v1}}),
		ev(feedKindAck, map[string]any{"conjunction_id": 8, "ack": map[string]any{"id": 2, "author": "bo", "seen_updated_at": v2}}),
	} {
		if !rv.applyAnnotation(e) {
			t.Fatalf("%s not taken as an annotation", e.Kind)
		}
	}
	if got := rv.NotesText(7); !strings.HasSuffix(got, "bo, 2026-12-06 11:00Z: late (written against an older estimate)") || strings.Count(got, "\n") != 1 {
		t.Errorf("notes of 7: %q", got)
	}
	if rv.applyAnnotation(assync.Event{Channel: "conjunctions", Kind: "conjunction.updated", Payload: []byte(`{}`)}) {
		t.Fatal("a conjunction update taken as an annotation")
	}
	rows := []Event{{ServerID: 7, ServerUpdatedAt: v2}, {ServerID: 8, ServerUpdatedAt: v2}, {ServerID: 9}, {}}
	queued := []assync.Action{{Method: "POST", Path: assync.AckPath(9)}, {Method: "POST", Path: "/api/v1/elements"}}
	conflicts := []assync.Conflict{{EventID: 7}}
	rv.fill(rows, queued, conflicts)
	if got := rows[0].Review.Text(); got != "CONFLICT · ack outdated · 2 notes" {
		t.Errorf("event 7: %q", got)
	}
	if got := rows[1].Review.Text(); got != "acked (bo)" {
		t.Errorf("event 8: %q", got)
	}
	if got := rows[2].Review.Text(); got != "ack queued" {
		t.Errorf("event 9: %q", got)
	}
	if got := rows[3].Review.Text(); got != "" {
		t.Errorf("local row: %q", got)
	}
}

func TestConflictTextAndPanel(t *testing.T) {
	test.NewTempApp(t)
	v1 := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	v2 := v1.Add(90 * time.Minute)
	event := []byte(`{"id":7,"norad_1":1,"norad_2":2,"tca":"2026-12-08T00:00:00Z","miss_km":0.25,"pc":0.004,"updated_at":"2026-12-06T11:30:00Z"}`)
	note := assync.Conflict{ID: 1, Applied: true, EventID: 7, SeenUpdatedAt: v1, ServerUpdatedAt: v2, Event: event, Action: assync.Action{Summary: "note on event 7"}}
	ack := assync.Conflict{ID: 2, Code: "event_changed", EventID: 7, SeenUpdatedAt: v1, ServerUpdatedAt: v2, Event: event, Action: assync.Action{Summary: "acknowledge event 7"}}
	if got := ConflictText(note); !strings.Contains(got, "changed since you wrote this") || !strings.Contains(got, "your note is stored") ||
		!strings.Contains(got, "2026-12-06 10:00:00.000Z") || !strings.Contains(got, "Pc 4.00e-03") {
		t.Errorf("note: %q", got)
	}
	if got := ConflictText(ack); !strings.Contains(got, "NOT applied") || !strings.Contains(got, "acknowledge again") || !strings.Contains(got, "11:30:00.000Z") {
		t.Errorf("ack: %q", got)
	}

	p := NewConflictsPanel()
	var dismissed, again []int64
	p.OnDismiss = func(c assync.Conflict) { dismissed = append(dismissed, c.ID) }
	p.OnAckAgain = func(c assync.Conflict) { again = append(again, c.ID) }
	w := test.NewWindow(p.Object())
	defer w.Close()
	if fresh := p.Set([]assync.Conflict{note, ack}); len(fresh) != 2 {
		t.Fatalf("fresh %d", len(fresh))
	}
	if fresh := p.Set([]assync.Conflict{note, ack}); len(fresh) != 0 {
		t.Fatalf("shown again as fresh: %d", len(fresh))
	}
	if !p.dismiss.Disabled() || !p.again.Disabled() {
		t.Error("actions enabled with nothing selected")
	}
	p.Select(0)
	if !p.again.Disabled() || p.dismiss.Disabled() || !strings.Contains(p.DetailText(), "note on event 7") {
		t.Errorf("note selected: again %v dismiss %v %q", !p.again.Disabled(), !p.dismiss.Disabled(), p.DetailText())
	}
	p.Select(1)
	test.Tap(p.again)
	test.Tap(p.dismiss)
	if len(again) != 1 || again[0] != 2 || len(dismissed) != 1 || dismissed[0] != 2 {
		t.Errorf("again %v dismissed %v", again, dismissed)
	}
}

// overlayButton finds a visible button labelled text in the window's top
// overlay (a dialog).
func overlayButton(w fyne.Window, text string) *widget.Button {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return nil
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			return b
		}
	}
	return nil
}

// TestReviewAgainstRealServer: the desktop opens a server event, goes
// offline (Disconnect), adds a note through the dialog and acknowledges
// with the keyboard shortcut; both show as queued in the row. The server
// gets a new estimate of the event meanwhile (the CDM again). On
// reconnect the note is stored once and flagged, the ack is refused: a
// notification and a dialog say so, the Conflicts tab lists both and the
// row is marked. Acknowledging the new estimate from the Conflicts tab is
// applied once and the row shows it acknowledged.
func TestReviewAgainstRealServer(t *testing.T) {
	cdm := refPath(t, "ccsds", "cdm", "valid", "CDMExample3.txt")
	srv := startRemoteServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	admin := &assync.Client{BaseURL: srv.url()}
	if err := admin.Login(ctx, "olga", assync.NewSecret("correct horse battery")); err != nil {
		t.Fatal(err)
	}
	body, _ := os.ReadFile(cdm)
	importCDM := func() {
		if st, b, err := admin.Do(ctx, "POST", "/api/v1/cdms", http.Header{"Content-Type": {"text/plain"}}, body); err != nil || st != 201 {
			t.Fatalf("CDM import: %d %v %s", st, err, b)
		}
	}
	importCDM()

	a := test.NewTempApp(t)
	ex := useSerialUI(t)
	w, s := newTestWorkstationOn(t, a, nil, nil, newWSWall())
	w.Window().Resize(fyne.NewSize(1400, 900))
	r, err := OpenRemote(RemoteConfig{URL: srv.url(), CacheDir: t.TempDir(), Tokens: assync.TokenFile{Path: filepath.Join(t.TempDir(), "rt")},
		Backoff: assync.Backoff{Base: 20 * time.Millisecond, Max: 300 * time.Millisecond}, Heartbeat: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	conj := NewConjunctionsPanel(s)
	w.AddTab("Conjunctions", conj.Object())
	u := AttachRemote(w, s, conj, r)
	var sent notifications
	u.Notify = sent.add
	defer u.Stop()
	// ui reads widget state on the UI goroutine (serialUI); the test's UI
	// actions run there too (ex.do).
	ui := ex.cond
	if err := u.Connect(ctx, ConnectRequest{URL: srv.url(), Method: ConnectPassword, Username: "olga", Password: assync.NewSecret("correct horse battery")}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the server event in the table", 20*time.Second, ui(func() bool { return len(conj.Events()) == 1 }))
	var seen Event
	var ok, noteBefore, noteAfter, ackAfter bool
	ex.do(func() {
		noteBefore = !conj.noteBtn.Disabled()
		conj.OpenRow(0)
		seen, ok = conj.Current()
		noteAfter, ackAfter = !conj.noteBtn.Disabled(), !conj.ackBtn.Disabled()
	})
	if noteBefore {
		t.Error("Add note… enabled before a row is opened")
	}
	if !ok || seen.ServerID == 0 || seen.ServerUpdatedAt.IsZero() || !noteAfter || !ackAfter {
		t.Fatalf("opened row: %+v %v", seen, ok)
	}

	// Offline: a note through the dialog, an ack by Ctrl+Shift+A.
	r.Disconnect()
	// fill opens a dialog, types into its entry and presses its button, on
	// the UI goroutine; it reports what was missing.
	fill := func(what string, open func(), entry **widget.Entry, text, button string) {
		t.Helper()
		var problem string
		ex.do(func() {
			open()
			if *entry == nil {
				problem = "no " + what + " dialog"
				return
			}
			(*entry).SetText(text)
			b := overlayButton(w.Window(), button)
			if b == nil {
				problem = "no " + button + " button in the dialog"
				return
			}
			test.Tap(b)
		})
		if problem != "" {
			t.Fatal(problem)
		}
	}
	fill("note", func() { test.Tap(conj.noteBtn) }, &u.rv.noteEntry, "Operator says no manoeuvre before TCA", "Queue note")
	fill("acknowledge", func() {
		w.Window().Canvas().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyA, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})
	}, &u.rv.ackEntry, "reviewed offline", "Queue acknowledgement")
	waitFor(t, "2 queued", 5*time.Second, func() bool { return r.Status().Queued == 2 })
	if acts, err := r.Store().Actions(ctx, ""); err != nil || len(acts) != 2 || !strings.Contains(string(acts[1].Body), `"comment":"reviewed offline"`) {
		t.Errorf("queued actions %v: want the ack with its comment second", err)
		for _, a := range acts {
			t.Logf("  %s %s %s", a.Method, a.Path, a.Body)
		}
	}
	waitFor(t, "the row shows both queued", 5*time.Second, ui(func() bool {
		evs := conj.Events()
		return len(evs) == 1 && evs[0].Review.Text() == "note+ack queued"
	}))

	// The event changes on the server meanwhile.
	time.Sleep(5 * time.Millisecond) // a new millisecond: a new version
	importCDM()

	// Reconnect: the outbox flushes.
	r.Start()
	waitFor(t, "the queue sent", 30*time.Second, func() bool { return r.Status().Queued == 0 && r.Status().State == assync.LinkOnline })
	waitFor(t, "two conflicts listed", 10*time.Second, ui(func() bool { return len(u.rv.panel.Items()) == 2 }))
	var items []assync.Conflict
	ex.do(func() { items = u.rv.panel.Items() })
	if !items[0].Applied || items[1].Applied || items[1].Code != "event_changed" || !items[1].SeenUpdatedAt.Equal(seen.ServerUpdatedAt) ||
		!items[1].ServerUpdatedAt.After(seen.ServerUpdatedAt) {
		t.Fatalf("conflicts: %+v", items)
	}
	waitFor(t, "the conflicts dialog", 5*time.Second, ui(func() bool { return overlayButton(w.Window(), "OK") != nil }))
	var told []string
	for _, n := range sent.all() {
		if strings.Contains(n.Title, "changed event") {
			told = append(told, n.Title+": "+n.Content)
		}
	}
	if len(told) != 1 || !strings.Contains(told[0], "2 queued action(s) met a changed event") || !strings.Contains(told[0], "changed since you wrote this") {
		t.Errorf("notifications: %q", told)
	}
	var tabTitle string
	ex.do(func() { tabTitle = u.rv.tab.Text })
	if tabTitle != "Conflicts (2)" {
		t.Errorf("tab title %q", tabTitle)
	}
	waitFor(t, "the row marked", 10*time.Second, ui(func() bool {
		evs := conj.Events()
		return len(evs) == 1 && strings.HasPrefix(evs[0].Review.Text(), "CONFLICT") && evs[0].Review.Notes == 1 && len(evs[0].Review.AckedBy) == 0
	}))

	// The note came back on the feed: the next note dialog shows it.
	var texts []string
	ex.do(func() {
		test.Tap(conj.noteBtn)
		texts = labelTexts(w.Window().Canvas().Overlays().Top())
		test.Tap(overlayButton(w.Window(), "Cancel"))
	})
	if !hasText(texts, "olga, ") || !hasText(texts, "Operator says no manoeuvre before TCA (written against an older estimate)") {
		t.Errorf("note dialog: %q", texts)
	}

	// The server holds the note once, flagged, and no ack.
	check := func(wantAcks int) (acknowledged bool) {
		_, b, err := admin.Do(ctx, "GET", fmt.Sprintf("/api/v1/conjunctions/%d", seen.ServerID), nil, nil)
		var d struct {
			Acknowledged bool `json:"acknowledged"`
			Notes        []struct {
				Text     string `json:"text"`
				Author   string `json:"author"`
				Conflict bool   `json:"conflict"`
			} `json:"notes"`
			Acks []json.RawMessage `json:"acks"`
		}
		if err != nil || json.Unmarshal(b, &d) != nil || len(d.Notes) != 1 || !d.Notes[0].Conflict || d.Notes[0].Author != "olga" || len(d.Acks) != wantAcks {
			t.Fatalf("server event: %v %s", err, b)
		}
		return d.Acknowledged
	}
	if check(0) {
		t.Fatal("the stale ack was applied")
	}

	// From the Conflicts tab: acknowledge the new estimate.
	ex.do(func() {
		u.rv.panel.Select(1)
		test.Tap(u.rv.panel.again)
	})
	waitFor(t, "the new ack sent and its conflict dismissed", 20*time.Second, ui(func() bool { return r.Status().Queued == 0 && len(u.rv.panel.Items()) == 1 }))
	waitFor(t, "the row acknowledged", 20*time.Second, ui(func() bool {
		evs := conj.Events()
		return len(evs) == 1 && strings.Contains(evs[0].Review.Text(), "acked (olga)")
	}))
	if !check(1) {
		t.Fatal("the server does not show the event acknowledged")
	}
	ex.do(func() {
		u.rv.panel.Select(0)
		test.Tap(u.rv.panel.dismiss)
	})
	waitFor(t, "no conflicts left", 5*time.Second, ui(func() bool { return len(u.rv.panel.Items()) == 0 && u.rv.tab.Text == ConflictsTabTitle }))
	var evs []Event
	ex.do(func() { evs = conj.Events() })
	if evs[0].Review.Conflicts != 0 {
		t.Errorf("row after dismissing: %q", evs[0].Review.Text())
	}
}
