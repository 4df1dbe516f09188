package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	assync "github.com/astroshield/astroshield/sync"
)

// RemoteUI puts a Remote into the workstation: the connection indicator
// and catalog-sync progress bar in the status bar, the Server menu
// (Connect…, Disconnect, Sync now, Upload element sets…), the Alerts tab
// with its badge and notifications, server conjunctions merged into the
// conjunctions table, and the catalog from the cache. Its goroutines stop
// when the window closes.
type RemoteUI struct {
	// Notify sends a desktop notification; nil uses the app's
	// SendNotification.
	Notify func(*fyne.Notification)
	// KeepCatalog: the user opened a catalog file; the server's catalog
	// does not replace it.
	KeepCatalog bool

	r        *Remote
	ws       *Workstation
	s        *Session
	conj     *ConjunctionsPanel
	Alerts   *AlertsPanel
	alertTab *container.TabItem

	Indicator *widget.Label
	Progress  *widget.ProgressBar

	uiMu       sync.Mutex // held by uiDo: Fyne's test driver runs fyne.Do on the caller's goroutine
	mu         sync.Mutex
	serverConj map[int64][]byte // server conjunction id → latest payload
	rv         *remoteReview    // notes, acks and conflicts (annotations.go)
	stopTick   chan struct{}
	stopOnce   sync.Once

	refreshMu      sync.Mutex
	refreshPending bool // a debounced table refresh is scheduled (requestRefresh)

	// Alert bursts (fields used on Fyne's goroutine only): see notifyAlert.
	burstUntil time.Time
	burstCount int
}

// A burst of feed events (a screening job's thousands of conjunctions, a
// replay after a long time offline) must neither rebuild the table once per
// event nor raise a notification per alert.
const (
	tableRefreshDelay = 200 * time.Millisecond
	alertBurstWindow  = 5 * time.Second
)

// AttachRemote wires r into ws (call on Fyne's goroutine). conj, when not
// nil, receives the server's conjunctions.
func AttachRemote(ws *Workstation, s *Session, conj *ConjunctionsPanel, r *Remote) *RemoteUI {
	u := &RemoteUI{r: r, ws: ws, s: s, conj: conj, serverConj: map[int64][]byte{}, stopTick: make(chan struct{})}
	u.Indicator = widget.NewLabel("")
	u.Progress = widget.NewProgressBar()
	u.Progress.Hide()
	ws.AddStatusItem(u.Progress)
	ws.AddStatusItem(u.Indicator)

	u.Alerts = NewAlertsPanel()
	ws.AddTab(AlertsTabTitle, u.Alerts.Object())
	for _, ti := range ws.Tabs().Items {
		if ti.Text == AlertsTabTitle {
			u.alertTab = ti
		}
	}
	u.Alerts.OnBadge = func(n int) {
		if u.alertTab != nil {
			u.alertTab.Text = BadgeTitle(AlertsTabTitle, n)
			ws.Tabs().Refresh()
		}
	}
	ws.OnTabSelected(func(ti *container.TabItem) {
		if ti == u.alertTab {
			u.Alerts.MarkSeen()
		}
	})

	connect := fyne.NewMenuItem("Connect…", u.ShowConnect)
	disconnect := fyne.NewMenuItem("Disconnect", func() { go r.Disconnect() })
	syncNow := fyne.NewMenuItem("Sync now", r.SyncNow)
	upload := fyne.NewMenuItem("Upload element sets…", u.chooseUpload)
	screen := fyne.NewMenuItem("Request server screening (24 h, 5 km)", func() {
		if _, err := r.RequestScreening(context.Background(), s.Clock.Now(), 24, 5, nil); err != nil {
			dialog.ShowError(err, ws.Window())
		}
	})
	ws.AddMenu(fyne.NewMenu("Server", connect, disconnect, syncNow, fyne.NewMenuItemSeparator(), upload, screen))

	r.OnStatus = func(st LinkStatus) { u.uiDo(func() { u.showStatus(st) }) }
	r.OnEvent = u.event
	r.OnCatalog = func() { u.loadCache(false) }
	r.OnAuthLost = func(err error) {
		u.uiDo(func() {
			u.notify(fyne.NewNotification("Signed out of "+r.URL(), "The server refused the session; sign in again. Queued actions are kept."))
			u.ShowConnect()
		})
	}
	u.attachReview()
	r.OnFlush = func(res assync.FlushResult, err error) {
		if res.Flagged+res.Conflicts > 0 {
			u.reloadConflicts(true) // conflicts get their own dialog
		} else if res.Sent > 0 {
			go u.uiDo(u.refreshConjunctions) // queued notes and acks left the outbox
		}
		if res.Rejected > 0 {
			u.uiDo(func() {
				dialog.ShowInformation("Queued actions", fmt.Sprintf("%d sent, %d conflicts (the server's copy won), %d refused: see the outbox", res.Sent, res.Conflicts, res.Rejected), ws.Window())
			})
		}
	}
	ws.AddOnClosed(u.Stop)
	s.OnCatalog(func(*Catalog) { go u.uiDo(u.refreshConjunctions) }) // may run inside uiDo
	u.showStatus(r.Status())
	go u.tick()
	return u
}

// notify sends a desktop notification through Notify or the app.
func (u *RemoteUI) notify(n *fyne.Notification) {
	if u.Notify != nil {
		u.Notify(n)
	} else if u.ws.app != nil {
		u.ws.app.SendNotification(n)
	}
}

// Remote is the connection this UI shows.
func (u *RemoteUI) Remote() *Remote { return u.r }

// Stop ends the indicator's ticker and the connection, and closes the
// cache (the window closing does it).
func (u *RemoteUI) Stop() {
	u.stopOnce.Do(func() {
		close(u.stopTick)
		_ = u.r.Close()
	})
}

// stopped reports whether Stop ran (timers then leave the UI alone).
func (u *RemoteUI) stopped() bool {
	select {
	case <-u.stopTick:
		return true
	default:
		return false
	}
}

// tick refreshes the "next retry in" countdown.
func (u *RemoteUI) tick() {
	tk := time.NewTicker(500 * time.Millisecond)
	defer tk.Stop()
	for {
		select {
		case <-u.stopTick:
			return
		case <-tk.C:
			st := u.r.Status()
			if st.State == assync.LinkReconnecting {
				u.uiDo(func() { u.showStatus(st) })
			}
		}
	}
}

func (u *RemoteUI) showStatus(st LinkStatus) {
	u.Indicator.SetText("Server: " + st.Text(time.Now()))
	switch st.State {
	case assync.LinkOnline:
		u.Indicator.Importance = widget.SuccessImportance
	case assync.LinkReconnecting, assync.LinkConnecting:
		u.Indicator.Importance = widget.WarningImportance
	default:
		u.Indicator.Importance = widget.MediumImportance
	}
	u.Indicator.Refresh()
	if st.Syncing && st.SyncTotal > 0 {
		u.Progress.Max = float64(st.SyncTotal)
		u.Progress.SetValue(float64(st.SyncDone))
		u.Progress.Show()
	} else {
		u.Progress.Hide()
	}
}

// IndicatorText is the indicator's text.
func (u *RemoteUI) IndicatorText() string {
	u.uiMu.Lock()
	defer u.uiMu.Unlock()
	return u.Indicator.Text
}

// uiDo runs f on Fyne's goroutine, holding uiMu.
func (u *RemoteUI) uiDo(f func()) {
	onUI(func() {
		u.uiMu.Lock()
		defer u.uiMu.Unlock()
		f()
	})
}

// Start opens from the cache (no network needed), then resumes the stored
// session and connects, or shows the connect dialog when there is none.
func (u *RemoteUI) Start() {
	if !u.r.HasStoredSession() {
		go u.loadCache(true)
		u.ShowConnect()
		return
	}
	go func() {
		u.loadCache(true)
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := u.r.Resume(ctx)
		switch {
		case err == nil:
			u.r.Start()
		case errors.Is(err, assync.ErrAuth):
			u.uiDo(u.ShowConnect)
		default:
			// Offline: keep working from the cache; the feed retries.
			u.r.Start()
		}
	}()
}

// ShowConnect opens the connect dialog.
func (u *RemoteUI) ShowConnect() {
	p := u.s.Prefs
	url, user := u.r.URL(), ""
	if p != nil {
		user = p.String(PrefServerUser)
	}
	ShowConnectDialog(u.ws.Window(), url, user, func(req ConnectRequest) {
		go func() {
			if err := u.Connect(context.Background(), req); err != nil {
				u.uiDo(func() { dialog.ShowError(err, u.ws.Window()) })
			}
		}()
	})
}

// Connect logs in as req says and starts the connection. A URL other than
// the Remote's is refused (restart with --server to change servers: the
// cache is per server).
func (u *RemoteUI) Connect(ctx context.Context, req ConnectRequest) error {
	if err := req.Validate(); err != nil {
		return err
	}
	if trimSlash(req.URL) != u.r.URL() {
		return fmt.Errorf("connected to %s; start with --server %s to use another server", u.r.URL(), req.URL)
	}
	u.r.Disconnect()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	var err error
	if req.Method == ConnectAPIKey {
		err = u.r.UseAPIKey(ctx, req.APIKey)
	} else {
		err = u.r.Login(ctx, req.Username, req.Password, req.Remember)
	}
	if err != nil {
		return err
	}
	if p := u.s.Prefs; p != nil {
		p.SetString(PrefServerURL, u.r.URL())
		if req.Method == ConnectPassword {
			p.SetString(PrefServerUser, req.Username)
		}
	}
	u.r.Start()
	return nil
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}

// loadCache shows the cached catalog (unless the user opened a file) and
// the cached server conjunctions.
func (u *RemoteUI) loadCache(first bool) {
	ctx := context.Background()
	if !u.KeepCatalog {
		c, err := u.r.CachedCatalog(ctx)
		if err == nil && c.Len() > 0 {
			c.Source = u.r.URL()
			u.uiDo(func() {
				if u.s.Catalog().Len() == 0 { // the first objects: old data shown at its epochs
					u.s.ShowAtEpochsIfStale(c)
				}
				u.s.SetCatalog(c)
			})
		}
	}
	if first {
		evs, err := u.r.Store().Events(ctx, "conjunctions", 0)
		if err == nil {
			u.mu.Lock()
			for _, e := range evs {
				if u.rv.applyAnnotation(e) {
					continue
				}
				if ev, err := ServerConjunctionEvent(e.Payload, nil); err == nil {
					u.serverConj[ev.ServerID] = e.Payload
				}
			}
			u.mu.Unlock()
			u.uiDo(u.refreshConjunctions)
		}
	}
}

// requestRefresh rebuilds the conjunctions table once, tableRefreshDelay
// after the first request of a burst.
func (u *RemoteUI) requestRefresh() {
	u.refreshMu.Lock()
	defer u.refreshMu.Unlock()
	if u.refreshPending {
		return
	}
	u.refreshPending = true
	time.AfterFunc(tableRefreshDelay, func() {
		u.refreshMu.Lock()
		u.refreshPending = false
		u.refreshMu.Unlock()
		if !u.stopped() {
			u.uiDo(u.refreshConjunctions)
		}
	})
}

// notifyAlert sends a's notification, unless one went out less than
// alertBurstWindow ago: then it is counted, and the count goes out as one
// summary at the end of the window. Every alert is in the Alerts tab
// either way. Runs on Fyne's goroutine.
func (u *RemoteUI) notifyAlert(a Alert) {
	now := time.Now()
	if !now.Before(u.burstUntil) {
		u.notify(fyne.NewNotification(a.Title, a.Text))
		u.burstUntil = now.Add(alertBurstWindow)
		return
	}
	u.burstCount++
	if u.burstCount == 1 {
		time.AfterFunc(u.burstUntil.Sub(now), func() {
			if !u.stopped() {
				u.uiDo(u.flushAlertBurst)
			}
		})
	}
}

func (u *RemoteUI) flushAlertBurst() {
	n := u.burstCount
	if n == 0 {
		return
	}
	u.burstCount = 0
	u.burstUntil = time.Now().Add(alertBurstWindow)
	u.notify(fyne.NewNotification(fmt.Sprintf("%d more alerts", n), "They are listed in the Alerts tab."))
}

// event handles one new feed event (on the feed goroutine).
func (u *RemoteUI) event(e assync.Event) {
	if u.rv.applyAnnotation(e) {
		u.requestRefresh()
		return
	}
	if e.Channel == "conjunctions" {
		if ev, err := ServerConjunctionEvent(e.Payload, nil); err == nil {
			u.mu.Lock()
			u.serverConj[ev.ServerID] = e.Payload
			u.mu.Unlock()
			u.requestRefresh()
		}
	}
	a, ok := AlertFromEvent(e, LoadAlertPc(u.s.Prefs), u.s.Catalog())
	if !ok {
		return
	}
	u.uiDo(func() {
		u.notifyAlert(a)
		u.Alerts.Add(a)
		if u.ws.Tabs().Selected() == u.alertTab && u.alertTab != nil {
			// Already in view: counted and cleared.
			u.Alerts.MarkSeen()
		}
	})
}

// ServerEvents is the server's conjunctions as rows (by id).
func (u *RemoteUI) ServerEvents() []Event {
	c := u.s.Catalog()
	ctx := context.Background()
	queued, _ := u.r.Store().Actions(ctx, assync.StateQueued)
	conflicts, _ := u.r.Store().Conflicts(ctx, false)
	u.mu.Lock()
	out := make([]Event, 0, len(u.serverConj))
	for _, p := range u.serverConj {
		if ev, err := ServerConjunctionEvent(p, c); err == nil {
			out = append(out, ev)
		}
	}
	u.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ServerID < out[j].ServerID })
	u.rv.fill(out, queued, conflicts)
	return out
}

func (u *RemoteUI) refreshConjunctions() {
	if u.conj != nil {
		u.conj.SetServerEvents(u.ServerEvents())
	}
}

func (u *RemoteUI) chooseUpload() {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		_ = rc.Close()
		if err := u.UploadFile(path); err != nil {
			dialog.ShowError(err, u.ws.Window())
		}
	}, u.ws.Window())
	d.Show()
}

// UploadFile queues an upload of a TLE/OMM file to the server (sent at once
// when online, on reconnect otherwise).
func (u *RemoteUI) UploadFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	_, err = u.r.UploadElements(context.Background(), b, "upload of "+filepath.Base(path))
	return err
}
