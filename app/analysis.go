package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/astroshield/astroshield/engine/catalog"
	"github.com/astroshield/astroshield/engine/ccdm"
	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/collision"
	"github.com/astroshield/astroshield/engine/conjunction"
	"github.com/astroshield/astroshield/engine/gp"
	"github.com/astroshield/astroshield/engine/maneuver"
)

// ErrAnalysisBusy is returned when a job is started while another runs.
var ErrAnalysisBusy = errors.New("app: an analysis is already running (cancel it first)")

// ScreenRequest is one screening run on the loaded catalog.
type ScreenRequest struct {
	Start       time.Time
	Span        time.Duration
	ThresholdKm float64
	// Primaries selects one-vs-all screening; empty is all-vs-all.
	Primaries []int
	// HardBodyRadiusM is the combined radius for Pc (Foster 1992, default
	// covariances) and Pc max (Alfano 2005).
	HardBodyRadiusM float64
}

// ParseScreenRequest reads the screening form. An empty start means now
// (the clock time); hours, threshold and HBR follow the CLI's limits.
func ParseScreenRequest(start string, now time.Time, hours, thresholdKm, primaries, hbrM string) (ScreenRequest, error) {
	req := ScreenRequest{Start: now.UTC()}
	if s := strings.TrimSpace(start); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return req, fmt.Errorf("start %q is not RFC3339 (e.g. 2022-07-15T00:00:00Z)", s)
		}
		req.Start = t.UTC()
	}
	h, err := strconv.ParseFloat(strings.TrimSpace(hours), 64)
	if err != nil || !(h > 0) || h > conjunction.MaxSpan.Hours() {
		return req, fmt.Errorf("hours %q must be a number in (0, %g]", hours, conjunction.MaxSpan.Hours())
	}
	req.Span = time.Duration(h * float64(time.Hour))
	d, err := strconv.ParseFloat(strings.TrimSpace(thresholdKm), 64)
	if err != nil || !(d > 0) || d > 1000 {
		return req, fmt.Errorf("threshold %q must be a distance in (0, 1000] km", thresholdKm)
	}
	req.ThresholdKm = d
	req.HardBodyRadiusM = DefaultHardBodyRadiusM
	if s := strings.TrimSpace(hbrM); s != "" {
		r, err := strconv.ParseFloat(s, 64)
		if err != nil || !(r > 0) || math.IsInf(r, 0) {
			return req, fmt.Errorf("hard-body radius %q must be a positive number of metres", hbrM)
		}
		req.HardBodyRadiusM = r
	}
	for _, f := range strings.FieldsFunc(primaries, func(r rune) bool { return r == ',' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 {
			return req, fmt.Errorf("primary %q is not a NORAD catalog number", f)
		}
		req.Primaries = append(req.Primaries, n)
	}
	return req, nil
}

// ScreenCatalog screens c's element sets (conjunction.Screen, as
// `astroshield screen` does) and converts the events. progress gets the
// engine's stage progress.
func ScreenCatalog(ctx context.Context, c *Catalog, req ScreenRequest, progress func(stage string, done, total int)) (*conjunction.Result, []Event, error) {
	if c.Len() == 0 {
		return nil, nil, errors.New("no catalog loaded: open a catalog file first")
	}
	for _, n := range req.Primaries {
		if _, ok := c.ByNorad(n); !ok {
			return nil, nil, fmt.Errorf("primary %d is not in the loaded catalog", n)
		}
	}
	sets := make([]gp.ElementSet, c.Len())
	for i := range c.Objects {
		sets[i] = c.Objects[i].Set
	}
	res, err := conjunction.Screen(ctx, sets, conjunction.Options{
		Start: req.Start, Span: req.Span, ThresholdKm: req.ThresholdKm, Primaries: req.Primaries, Progress: progress,
	})
	if err != nil {
		return nil, nil, err
	}
	return res, EventsFromScreening(res, c, req.HardBodyRadiusM), nil
}

// HistoryObject is the analysis of one object of a history file.
type HistoryObject struct {
	Norad int
	Name  string
	Sets  []gp.ElementSet // sorted by epoch
	// Detect is maneuver.Detect's result (default configuration).
	Detect maneuver.Result
	// CCDM is the indicator timeline (CCDMTimeline); empty when not run.
	CCDM []CCDMSample
}

// HistoryResult is the analysis of a history file.
type HistoryResult struct {
	Source  string
	Sets    []gp.ElementSet // every element set, file order
	Objects []HistoryObject // by NORAD number
}

// LoadHistory reads a TLE/OMM history file.
func LoadHistory(path string) ([]gp.ElementSet, error) {
	sets, recErrs, err := catalog.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(sets) == 0 {
		if recErrs != nil {
			return nil, fmt.Errorf("%s: no readable element sets: %w", path, recErrs)
		}
		return nil, fmt.Errorf("%s: no element sets", path)
	}
	return sets, nil
}

// AnalyzeHistory runs manoeuvre detection on every object of a history and,
// with ccdmSamples > 0, the CCDM indicator timeline at that many epochs
// (against cat, which may be nil). progress gets the phase and its count.
func AnalyzeHistory(ctx context.Context, sets, cat []gp.ElementSet, ccdmSamples int, progress func(phase string, done, total int)) (*HistoryResult, error) {
	if progress == nil {
		progress = func(string, int, int) {}
	}
	by := map[int][]gp.ElementSet{}
	for _, s := range sets {
		by[s.CatalogNumber] = append(by[s.CatalogNumber], s)
	}
	norads := make([]int, 0, len(by))
	for n := range by {
		norads = append(norads, n)
	}
	sort.Ints(norads)
	res := &HistoryResult{Sets: sets}
	for k, n := range norads {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hs := elementHistorySorted(by[n])
		d, err := maneuver.Detect(hs, maneuver.DefaultConfig())
		if err != nil {
			return nil, fmt.Errorf("object %d: %w", n, err)
		}
		res.Objects = append(res.Objects, HistoryObject{Norad: n, Name: hs[len(hs)-1].Name, Sets: hs, Detect: d})
		progress("manoeuvre detection", k+1, len(norads))
	}
	if ccdmSamples > 0 {
		total := ccdmSamples * len(res.Objects)
		for k := range res.Objects {
			o := &res.Objects[k]
			base := k * ccdmSamples
			samples, err := CCDMTimeline(ctx, o.Sets, cat, ccdmSamples, func(done, _ int) {
				progress("CCDM indicators", base+done, total)
			})
			if err != nil {
				return nil, err
			}
			o.CCDM = samples
		}
	}
	return res, nil
}

// CDMPc is the Pc of one CDM by every covariance method (as `astroshield pc
// --method all` computes it).
type CDMPc struct {
	CDM       *ccsds.CDM
	HBRM      float64
	HBRSource string
	Results   []collision.Result
}

// ComputeCDMPc parses a CDM and computes Foster, Chan and the Alfano
// maximum. hbrM <= 0 takes the CDM's HBR comment.
func ComputeCDMPc(r io.Reader, hbrM float64) (*CDMPc, error) {
	c, err := ccsds.ParseCDM(r)
	if err != nil {
		return nil, err
	}
	out := &CDMPc{CDM: c, HBRM: hbrM, HBRSource: "entered"}
	if !(hbrM > 0) {
		v, ok := c.HardBodyRadiusM()
		if !ok {
			return nil, errors.New("the CDM carries no hard-body radius (COMMENT HBR = ... [m]): enter one")
		}
		out.HBRM, out.HBRSource = v, "CDM comment"
	}
	if math.IsInf(out.HBRM, 0) || math.IsNaN(out.HBRM) {
		return nil, fmt.Errorf("hard-body radius %g m is not a number", out.HBRM)
	}
	methods, _ := collision.ParseMethods("all")
	cov := func(o *ccsds.CDMObject) collision.Object {
		cv := collision.FullCovariance(collision.FrameRTN, o.CovRTN6())
		return collision.Object{PositionKm: o.PositionKm, VelocityKmS: o.VelocityKmS, Covariance: &cv}
	}
	out.Results, err = collision.Compute(collision.Request{
		Primary: cov(&c.Objects[0]), Secondary: cov(&c.Objects[1]), HardBodyRadiusM: out.HBRM, Methods: methods,
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// analysisJob is the one background job the panel runs at a time; the
// panel owns it and stops it with cancel.
type analysisJob struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// AnalysisPanel runs offline analyses on files and the loaded catalog:
// conjunction screening, manoeuvre detection and CCDM on a history, and Pc
// from a CDM. Jobs run in a goroutine the panel owns (Cancel stops it);
// results go to the conjunctions, manoeuvres and charts views.
type AnalysisPanel struct {
	s   *Session
	win fyne.Window

	conj   *ConjunctionsPanel
	charts *ChartsPanel

	mu  sync.Mutex
	job *analysisJob
	// uiMu serialises the job's widget updates with Cancel's. In the app
	// both run on Fyne's goroutine; Fyne's test driver runs fyne.Do on the
	// calling goroutine, where this keeps tests race-free.
	uiMu sync.Mutex

	// screening form
	start, hours, threshold, primaries, hbr *widget.Entry
	runScreen                               *widget.Button
	// history
	openHistory *widget.Button
	ccdmRuns    *widget.Check
	history     *HistoryResult
	maneuvers   []analysisManeuverRow
	manTable    *widget.Table
	histSummary *widget.Label
	// CDM
	openCDM *widget.Button
	cdmHBR  *widget.Entry
	cdmForm *widget.Form

	// job status
	progress *widget.ProgressBar
	spinner  *widget.ProgressBarInfinite
	status   *widget.Label
	cancel   *widget.Button

	lastScreen *conjunction.Result
	lastEvents []Event

	controls fyne.CanvasObject
	obj      fyne.CanvasObject
	tabs     *container.AppTabs
}

type analysisManeuverRow struct {
	obj int // index in history.Objects
	ev  maneuver.Event
}

// NewAnalysisPanel builds the panel with its own conjunctions and charts
// views (Conjunctions, Charts); w parents the file dialogs.
func NewAnalysisPanel(s *Session, w fyne.Window) *AnalysisPanel {
	p := &AnalysisPanel{s: s, win: w}
	p.conj = NewConjunctionsPanel(s)
	p.charts = NewChartsPanel(s)
	p.conj.OnOpenEvent = func(ev Event) {
		p.charts.ShowEvent(ev)
		if p.tabs != nil {
			p.tabs.SelectIndex(2)
		}
	}

	p.start = widget.NewEntry()
	p.start.SetPlaceHolder("clock time (RFC3339 to override)")
	p.hours = widget.NewEntry()
	p.hours.SetText("24")
	p.threshold = widget.NewEntry()
	p.threshold.SetText("5")
	p.primaries = widget.NewEntry()
	p.primaries.SetPlaceHolder("all vs all, or NORAD numbers: 25544, 48274")
	p.hbr = widget.NewEntry()
	p.hbr.SetText(strconv.Itoa(DefaultHardBodyRadiusM))
	p.runScreen = widget.NewButton("Screen catalog", func() {
		if err := p.StartScreening(); err != nil {
			p.showError(err)
		}
	})
	p.runScreen.Importance = widget.HighImportance
	exportCSV := widget.NewButton("Export CSV…", func() { ShowExportCSVDialog(p.win, p.conj.Events()) })
	exportCDM := widget.NewButton("Export CDMs…", func() { ShowExportCDMDialog(p.win, p.conj.Events(), p.s.Catalog()) })
	snapshot := widget.NewButton("3D view PNG…", func() { ShowExportSnapshotDialog(p.win, p.s) })
	screenForm := widget.NewForm(
		widget.NewFormItem("Start", p.start),
		widget.NewFormItem("Hours", p.hours),
		widget.NewFormItem("Threshold km", p.threshold),
		widget.NewFormItem("Primaries", p.primaries),
		widget.NewFormItem("HBR m (Pc max)", p.hbr),
	)
	screenCard := widget.NewCard("Conjunction screening", "SGP4 on the loaded catalog; no network",
		container.NewVBox(screenForm, container.NewHBox(p.runScreen, exportCSV, exportCDM, snapshot)))

	p.ccdmRuns = widget.NewCheck("CCDM indicator timeline (12 epochs)", nil)
	p.ccdmRuns.SetChecked(true)
	p.openHistory = widget.NewButton("Open history file…", p.chooseHistory)
	p.histSummary = widget.NewLabel("")
	p.histSummary.Wrapping = fyne.TextWrapWord
	histCard := widget.NewCard("Element-set history", "manoeuvre detection and CCDM indicators",
		container.NewVBox(container.NewHBox(p.openHistory, p.ccdmRuns), p.histSummary))

	p.cdmHBR = widget.NewEntry()
	p.cdmHBR.SetPlaceHolder("from the CDM's HBR comment")
	p.openCDM = widget.NewButton("Open CDM…", p.chooseCDM)
	p.cdmForm = widget.NewForm()
	cdmCard := widget.NewCard("CDM probability of collision", "Foster 1992, Chan 1997, Alfano 2005 maximum",
		container.NewVBox(widget.NewForm(widget.NewFormItem("HBR m", p.cdmHBR)), p.openCDM))

	p.progress = widget.NewProgressBar()
	p.spinner = widget.NewProgressBarInfinite()
	p.spinner.Stop()
	p.spinner.Hide()
	p.status = widget.NewLabel("Idle.")
	p.status.Wrapping = fyne.TextWrapWord
	p.cancel = widget.NewButton("Cancel", p.Cancel)
	p.cancel.Disable()
	jobBox := container.NewVBox(p.status, container.NewBorder(nil, nil, nil, p.cancel, container.NewStack(p.progress, p.spinner)))

	p.manTable = widget.NewTableWithHeaders(
		func() (int, int) { return len(p.maneuvers), len(analysisManColumns) },
		func() fyne.CanvasObject { return widget.NewLabel("0000-00-00 00:00:00") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row >= 0 && id.Row < len(p.maneuvers) && id.Col >= 0 && id.Col < len(analysisManColumns) {
				o.(*widget.Label).SetText(analysisManColumns[id.Col].cell(p, &p.maneuvers[id.Row]))
			}
		})
	p.manTable.ShowHeaderColumn = false
	p.manTable.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		if id.Col >= 0 && id.Col < len(analysisManColumns) {
			l.SetText(analysisManColumns[id.Col].title)
		}
	}
	for i, c := range analysisManColumns {
		p.manTable.SetColumnWidth(i, c.width)
	}
	p.manTable.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(p.maneuvers) {
			p.showObject(p.maneuvers[id.Row].obj)
			p.s.Clock.Set(p.maneuvers[id.Row].ev.Epoch)
		}
		p.manTable.UnselectAll()
	}

	p.controls = container.NewVScroll(container.NewVBox(jobBox, screenCard, histCard, cdmCard))
	p.tabs = container.NewAppTabs(
		container.NewTabItem("Conjunctions", p.conj.Object()),
		container.NewTabItem("Manoeuvres", p.manTable),
		container.NewTabItem("Charts", p.charts.Object()),
		container.NewTabItem("CDM Pc", container.NewVScroll(p.cdmForm)),
	)
	split := container.NewHSplit(p.controls, p.tabs)
	split.Offset = 0.3
	p.obj = split
	return p
}

var analysisManColumns = []struct {
	title string
	width float32
	cell  func(p *AnalysisPanel, r *analysisManeuverRow) string
}{
	{"Object", 200, func(p *AnalysisPanel, r *analysisManeuverRow) string {
		o := &p.history.Objects[r.obj]
		return conjName(o.Name, o.Norad)
	}},
	{"Epoch (UTC)", 170, func(_ *AnalysisPanel, r *analysisManeuverRow) string {
		return r.ev.Epoch.UTC().Format("2006-01-02 15:04:05")
	}},
	{"Δv m/s", 80, func(_ *AnalysisPanel, r *analysisManeuverRow) string { return fmt.Sprintf("%.3f", r.ev.DeltaVMS) }},
	{"Kind", 120, func(_ *AnalysisPanel, r *analysisManeuverRow) string { return r.ev.Kind.String() }},
	{"Confidence", 90, func(_ *AnalysisPanel, r *analysisManeuverRow) string { return fmt.Sprintf("%.2f", r.ev.Confidence) }},
	{"Δa km", 80, func(_ *AnalysisPanel, r *analysisManeuverRow) string { return fmt.Sprintf("%.3f", r.ev.DeltaSMAKm) }},
}

// Object is the whole panel: controls beside tabbed results.
func (p *AnalysisPanel) Object() fyne.CanvasObject { return p.obj }

// Conjunctions is the panel's conjunctions view.
func (p *AnalysisPanel) Conjunctions() *ConjunctionsPanel { return p.conj }

// Charts is the panel's charts view.
func (p *AnalysisPanel) Charts() *ChartsPanel { return p.charts }

// History is the last history analysis (nil before one).
func (p *AnalysisPanel) History() *HistoryResult { return p.history }

// LastScreening is the last screening result and its events.
func (p *AnalysisPanel) LastScreening() (*conjunction.Result, []Event) {
	return p.lastScreen, p.lastEvents
}

// Running reports whether a job is in progress.
func (p *AnalysisPanel) Running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.job != nil
}

// Cancel stops the running job, if any.
func (p *AnalysisPanel) Cancel() {
	p.mu.Lock()
	j := p.job
	p.mu.Unlock()
	if j != nil {
		j.cancel()
		p.uiMu.Lock()
		p.status.SetText("Cancelling…")
		p.uiMu.Unlock()
	}
}

// Wait blocks until the running job (if any) has finished and its results
// are shown. Not for Fyne's goroutine in a real app.
func (p *AnalysisPanel) Wait() {
	p.mu.Lock()
	j := p.job
	p.mu.Unlock()
	if j != nil {
		<-j.done
	}
}

func (p *AnalysisPanel) showError(err error) {
	p.status.SetText("Error: " + err.Error())
	if p.win != nil {
		dialog.ShowError(err, p.win)
	}
}

// startJob runs work in a goroutine. setProgress (from any goroutine)
// moves the bar: total > 0 shows done/total of phase, total <= 0 an
// indeterminate bar. apply runs on Fyne's goroutine with the result.
func (p *AnalysisPanel) startJob(name string, work func(ctx context.Context, setProgress func(phase string, done, total int)) (apply func(), err error)) error {
	p.mu.Lock()
	if p.job != nil {
		p.mu.Unlock()
		return ErrAnalysisBusy
	}
	ctx, cancel := context.WithCancel(context.Background())
	j := &analysisJob{cancel: cancel, done: make(chan struct{})}
	p.job = j
	p.mu.Unlock()

	p.setBusy(true)
	p.status.SetText(name + "…")
	began := time.Now()
	var lastMu sync.Mutex
	var last time.Time
	setProgress := func(phase string, done, total int) {
		lastMu.Lock()
		if done < total && time.Since(last) < 100*time.Millisecond {
			lastMu.Unlock()
			return
		}
		last = time.Now()
		lastMu.Unlock()
		p.uiDo(func() {
			if total > 0 {
				p.spinner.Stop()
				p.spinner.Hide()
				p.progress.Show()
				p.progress.SetValue(float64(done) / float64(total))
				p.status.SetText(fmt.Sprintf("%s: %s %d / %d", name, phase, done, total))
			} else {
				p.progress.Hide()
				p.spinner.Show()
				p.spinner.Start()
				p.status.SetText(fmt.Sprintf("%s: %s", name, phase))
			}
		})
	}
	go func() {
		defer cancel()
		apply, err := work(ctx, setProgress)
		el := time.Since(began).Seconds()
		p.uiDo(func() {
			defer close(j.done)
			p.mu.Lock()
			p.job = nil
			p.mu.Unlock()
			p.setBusy(false)
			switch {
			case errors.Is(err, context.Canceled):
				p.status.SetText(fmt.Sprintf("%s cancelled after %.1f s.", name, el))
			case err != nil:
				p.showError(fmt.Errorf("%s: %w", strings.ToLower(name), err))
			default:
				p.progress.SetValue(1)
				if apply != nil {
					apply()
				}
				if !strings.Contains(p.status.Text, "done") {
					p.status.SetText(fmt.Sprintf("%s done in %.1f s.", name, el))
				}
			}
		})
	}()
	return nil
}

// uiDo runs f on Fyne's goroutine, holding uiMu.
func (p *AnalysisPanel) uiDo(f func()) {
	onUI(func() {
		p.uiMu.Lock()
		defer p.uiMu.Unlock()
		f()
	})
}

func (p *AnalysisPanel) setBusy(b bool) {
	for _, w := range []fyne.Disableable{p.runScreen, p.openHistory, p.openCDM} {
		if b {
			w.Disable()
		} else {
			w.Enable()
		}
	}
	if b {
		p.cancel.Enable()
		p.progress.SetValue(0)
		p.progress.Show()
	} else {
		p.cancel.Disable()
		p.spinner.Stop()
		p.spinner.Hide()
		p.progress.Show()
	}
}

// StartScreening reads the form and screens the loaded catalog in the
// background; events go to the conjunctions view.
func (p *AnalysisPanel) StartScreening() error {
	req, err := ParseScreenRequest(p.start.Text, p.s.Clock.Now(), p.hours.Text, p.threshold.Text, p.primaries.Text, p.hbr.Text)
	if err != nil {
		return err
	}
	return p.StartScreeningRequest(req)
}

// StartScreeningRequest screens the loaded catalog with req in the
// background.
func (p *AnalysisPanel) StartScreeningRequest(req ScreenRequest) error {
	cat := p.s.Catalog()
	if cat.Len() == 0 {
		return errors.New("no catalog loaded: open a catalog file first")
	}
	return p.startJob("Screening", func(ctx context.Context, prog func(string, int, int)) (func(), error) {
		prog("starting", 0, 0)
		res, evs, err := ScreenCatalog(ctx, cat, req, prog)
		if err != nil {
			return nil, err
		}
		return func() {
			p.lastScreen, p.lastEvents = res, evs
			p.conj.SetEvents(evs)
			if p.tabs != nil {
				p.tabs.SelectIndex(0)
			}
			mode := "all vs all"
			if !res.AllVsAll {
				mode = "one vs all"
			}
			p.status.SetText(fmt.Sprintf("Screening done: %d objects (%s), %s to %s, %d events, %d not screened.",
				res.Objects, mode, res.Start.Format(time.RFC3339), res.End.Format(time.RFC3339), len(res.Events), len(res.Failures)))
		}, nil
	})
}

func (p *AnalysisPanel) chooseHistory() {
	p.chooseFile([]string{".txt", ".tle", ".3le", ".json", ".xml", ".kvn", ".omm"}, p.StartHistory)
}

// chooseFile asks for a file with one of exts and starts start on it;
// errors from either go to the panel's error dialog.
func (p *AnalysisPanel) chooseFile(exts []string, start func(path string) error) {
	if p.win == nil {
		return
	}
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			if err != nil {
				p.showError(err)
			}
			return
		}
		path := rc.URI().Path()
		rc.Close()
		if err := start(path); err != nil {
			p.showError(err)
		}
	}, p.win)
	d.SetFilter(storage.NewExtensionFileFilter(exts))
	d.Show()
}

// StartHistory reads a history file and runs manoeuvre detection (and the
// CCDM timeline when its box is ticked) in the background.
func (p *AnalysisPanel) StartHistory(path string) error {
	samples := 0
	if p.ccdmRuns.Checked {
		samples = 12
	}
	var cat []gp.ElementSet
	if c := p.s.Catalog(); c.Len() > 0 {
		cat = make([]gp.ElementSet, c.Len())
		for i := range c.Objects {
			cat[i] = c.Objects[i].Set
		}
	}
	return p.startJob("History analysis", func(ctx context.Context, prog func(string, int, int)) (func(), error) {
		prog("reading "+path, 0, 0)
		sets, err := LoadHistory(path)
		if err != nil {
			return nil, err
		}
		res, err := AnalyzeHistory(ctx, sets, cat, samples, prog)
		if err != nil {
			return nil, err
		}
		res.Source = path
		return func() { p.setHistory(res) }, nil
	})
}

func (p *AnalysisPanel) setHistory(res *HistoryResult) {
	p.history = res
	p.maneuvers = p.maneuvers[:0]
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d element sets, %d objects.", res.Source, len(res.Sets), len(res.Objects))
	for k := range res.Objects {
		o := &res.Objects[k]
		for _, ev := range o.Detect.Events {
			p.maneuvers = append(p.maneuvers, analysisManeuverRow{obj: k, ev: ev})
		}
		if o.Detect.Status == maneuver.StatusInsufficientData {
			fmt.Fprintf(&b, "\n%s: insufficient data for manoeuvre detection (%s).", conjName(o.Name, o.Norad), strings.Join(o.Detect.Notes, "; "))
		} else {
			fmt.Fprintf(&b, "\n%s: %s, %d sets, %d manoeuvres.", conjName(o.Name, o.Norad), o.Detect.Regime, o.Detect.SetsUsed, len(o.Detect.Events))
		}
		if n := len(o.CCDM); n > 0 && o.CCDM[n-1].Err == nil {
			t := o.CCDM[n-1].Report.Threat
			fmt.Fprintf(&b, " CCDM threat %s (score %.2f, %d indicators not assessable).", t.Level, t.Score, t.NotAssessed)
		}
	}
	p.histSummary.SetText(b.String())
	p.manTable.Refresh()
	if len(res.Objects) > 0 {
		p.showObject(0)
	}
}

// showObject charts history object k.
func (p *AnalysisPanel) showObject(k int) {
	o := &p.history.Objects[k]
	p.charts.ShowHistoryResult(p.history.Sets, o.Sets, &o.Detect)
	if len(o.CCDM) > 0 {
		p.charts.mu.Lock()
		p.charts.ccdm = o.CCDM
		p.charts.version++
		p.charts.mu.Unlock()
	}
	if p.tabs != nil {
		p.tabs.SelectIndex(1)
	}
}

// Maneuvers is the manoeuvre table's rows: object index and event.
func (p *AnalysisPanel) Maneuvers() []maneuver.Event {
	out := make([]maneuver.Event, len(p.maneuvers))
	for i, r := range p.maneuvers {
		out[i] = r.ev
	}
	return out
}

func (p *AnalysisPanel) chooseCDM() {
	p.chooseFile([]string{".cdm", ".kvn", ".xml", ".txt"}, p.StartCDM)
}

// StartCDM computes the Pc of a CDM file in the background and shows it in
// the CDM form.
func (p *AnalysisPanel) StartCDM(path string) error {
	hbr := 0.0
	if s := strings.TrimSpace(p.cdmHBR.Text); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("HBR %q must be a positive number of metres", s)
		}
		hbr = v
	}
	return p.startJob("CDM Pc", func(ctx context.Context, prog func(string, int, int)) (func(), error) {
		prog("reading "+path, 0, 0)
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r, err := ComputeCDMPc(f, hbr)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return func() { p.setCDM(path, r) }, nil
	})
}

// CDMForm is the CDM result form.
func (p *AnalysisPanel) CDMForm() *widget.Form { return p.cdmForm }

func (p *AnalysisPanel) setCDM(path string, r *CDMPc) {
	c := r.CDM
	items := []*widget.FormItem{
		widget.NewFormItem("File", widget.NewLabel(path)),
		widget.NewFormItem("Message", widget.NewLabel(c.Header.MessageID)),
		widget.NewFormItem("TCA", widget.NewLabel(c.Relative.TCA.UTC().Format("2006-01-02 15:04:05.000Z"))),
		widget.NewFormItem("Objects", widget.NewLabel(fmt.Sprintf("%s %s × %s %s", c.Objects[0].ObjectDesignator, c.Objects[0].ObjectName,
			c.Objects[1].ObjectDesignator, c.Objects[1].ObjectName))),
		widget.NewFormItem("Miss", widget.NewLabel(fmt.Sprintf("%.1f m", c.Relative.MissDistanceM))),
		widget.NewFormItem("HBR", widget.NewLabel(fmt.Sprintf("%g m (%s)", r.HBRM, r.HBRSource))),
	}
	for _, res := range r.Results {
		var flags []string
		if res.Flags.NPDRemediated {
			flags = append(flags, "covariance remediated (not positive definite)")
		}
		if res.Flags.Violates2D {
			flags = append(flags, "2D usage violation")
		}
		if res.Flags.DefaultCovariance {
			flags = append(flags, "default covariance")
		}
		txt := fmt.Sprintf("%.4e", res.Pc)
		if len(flags) > 0 {
			txt += " (" + strings.Join(flags, "; ") + ")"
		}
		items = append(items, widget.NewFormItem("Pc "+analysisMethodName(res.Method), widget.NewLabel(txt)))
	}
	inCDM := "not given"
	if v := c.Relative.CollisionProbability; v != nil && !math.IsNaN(*v) {
		inCDM = fmt.Sprintf("%.4e %s", *v, c.Relative.CollisionProbabilityMethod)
	}
	items = append(items, widget.NewFormItem("Pc in the CDM", widget.NewLabel(inCDM)))
	p.cdmForm.Items = items
	p.cdmForm.Refresh()
	if p.tabs != nil {
		p.tabs.SelectIndex(3)
	}
	p.status.SetText(fmt.Sprintf("CDM Pc done: Foster %.4e.", r.Results[0].Pc))
}

func analysisMethodName(m collision.Method) string {
	switch m {
	case collision.MethodFoster:
		return "Foster 1992"
	case collision.MethodChan:
		return "Chan 1997"
	case collision.MethodAlfanoMax:
		return "Alfano 2005 max"
	}
	return string(m)
}

// analysisCCDMDetected counts detected findings in a report (for tests and
// summaries).
func analysisCCDMDetected(r ccdm.Report) int {
	n := 0
	for _, f := range r.Findings {
		if f.Status == ccdm.StatusDetected {
			n++
		}
	}
	return n
}
