package app

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	assync "github.com/astroshield/astroshield/sync"
)

// AlertsTabTitle is the alerts tab's title without its badge.
const AlertsTabTitle = "Alerts"

// Alert is one live alert from the server feed.
type Alert struct {
	Channel string // conjunctions, maneuvers, ccdm
	Seq     int64
	Title   string
	Text    string
	At      time.Time // wall clock when it arrived
}

// serverConjunction is the server's conjunction JSON (GET
// /api/v1/conjunctions and the conjunctions feed).
type serverConjunction struct {
	ID               int64     `json:"id"`
	Norad1           int       `json:"norad_1"`
	Norad2           int       `json:"norad_2"`
	TCA              time.Time `json:"tca"`
	MissDistanceKm   float64   `json:"miss_km"`
	RelativeSpeedKmS float64   `json:"rel_speed_km_s"`
	Pc               float64   `json:"pc"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// serverManeuver is the server's manoeuvre JSON.
type serverManeuver struct {
	NORAD      int       `json:"norad"`
	Epoch      time.Time `json:"epoch"`
	DeltaVMS   float64   `json:"delta_v_m_s"`
	Kind       string    `json:"kind"`
	Confidence float64   `json:"confidence"`
}

// ServerConjunctionEvent turns a conjunctions-channel payload into a
// table row (Source "server"), naming objects found in c. A Pc of 0 from
// the server means none was given (NaN here).
func ServerConjunctionEvent(payload []byte, c *Catalog) (Event, error) {
	var sc serverConjunction
	if err := json.Unmarshal(payload, &sc); err != nil {
		return Event{}, fmt.Errorf("server conjunction: %w", err)
	}
	if sc.Norad1 <= 0 || sc.Norad2 <= 0 || sc.TCA.IsZero() {
		return Event{}, fmt.Errorf("server conjunction %d: missing objects or TCA", sc.ID)
	}
	ev := Event{A: -1, B: -1, Norad1: sc.Norad1, Norad2: sc.Norad2, TCA: sc.TCA.UTC(), MissKm: sc.MissDistanceKm,
		RelSpeedKmS: sc.RelativeSpeedKmS, Pc: math.NaN(), PcMaxAlfano2005: math.NaN(), Source: "server", ServerID: sc.ID,
		RadialKm: math.NaN(), InTrackKm: math.NaN(), CrossTrackKm: math.NaN(), ServerUpdatedAt: sc.UpdatedAt.UTC().Truncate(time.Millisecond)} // the server stores and compares versions in ms
	if sc.Pc > 0 {
		ev.Pc, ev.PcMethod, ev.PcNote = sc.Pc, "SERVER", "Pc as the server holds it (from the CDM or its screening)"
	}
	if i, ok := c.ByNorad(sc.Norad1); ok {
		ev.A, ev.Name1 = i, c.Objects[i].Set.Name
	}
	if i, ok := c.ByNorad(sc.Norad2); ok {
		ev.B, ev.Name2 = i, c.Objects[i].Set.Name
	}
	return ev, nil
}

// AlertFromEvent decides whether a feed event is an alert: a conjunction
// with Pc ≥ thresholdPc, any new manoeuvre, any CCDM indicator. Catalog
// changes and low-Pc conjunctions are not.
func AlertFromEvent(e assync.Event, thresholdPc float64, c *Catalog) (Alert, bool) {
	a := Alert{Channel: e.Channel, Seq: e.Seq, At: time.Now()}
	switch e.Channel {
	case "conjunctions":
		ev, err := ServerConjunctionEvent(e.Payload, c)
		if err != nil || math.IsNaN(ev.Pc) || ev.Pc < thresholdPc {
			return a, false
		}
		a.Title = fmt.Sprintf("High-Pc conjunction: Pc %.2e", ev.Pc)
		a.Text = conjDescribe(&ev)
		return a, true
	case "maneuvers":
		var m serverManeuver
		if err := json.Unmarshal(e.Payload, &m); err != nil || m.NORAD <= 0 {
			return a, false
		}
		a.Title = "Manoeuvre detected: " + objectName(c, m.NORAD)
		a.Text = fmt.Sprintf("%s at %s: Δv %.3f m/s (%s, confidence %.2f)", objectName(c, m.NORAD),
			m.Epoch.UTC().Format("2006-01-02 15:04:05Z"), m.DeltaVMS, m.Kind, m.Confidence)
		return a, true
	case "ccdm":
		if e.Kind == "assessment.updated" {
			return assessmentAlert(a, e, c)
		}
		// Indicators (indicator.detected): server/wire.Indicator.
		var m struct {
			NORAD      int     `json:"norad"`
			Indicator  string  `json:"indicator"`
			Pattern    string  `json:"pattern"`
			Confidence float64 `json:"confidence"`
		}
		if json.Unmarshal(e.Payload, &m) != nil {
			return a, false
		}
		a.Title = "CCDM indicator"
		if m.NORAD > 0 {
			a.Title += ": " + objectName(c, m.NORAD)
		}
		a.Text = e.Kind
		if m.Indicator != "" {
			a.Text = m.Indicator
			if m.Pattern != "" {
				a.Text += " (" + m.Pattern + ")"
			}
			a.Text += fmt.Sprintf(", confidence %.2f", m.Confidence)
		}
		return a, true
	}
	return a, false
}

// assessmentAlert is an alert for a threat assessment (server/wire.Assessment)
// only at MEDIUM or above: the server assesses every object with new element
// sets, mostly as insufficient data or NONE, and indicators alert on their
// own. The text gives the score and the largest reasons.
func assessmentAlert(a Alert, e assync.Event, c *Catalog) (Alert, bool) {
	var as struct {
		NORAD   int     `json:"norad"`
		Level   *string `json:"level"`
		Score   float64 `json:"score"`
		Summary struct {
			Reasons []struct {
				Indicator string `json:"indicator"`
				Why       string `json:"why"`
			} `json:"reasons"`
		} `json:"summary"`
	}
	if json.Unmarshal(e.Payload, &as) != nil || as.Level == nil {
		return a, false
	}
	switch *as.Level {
	case "MEDIUM", "HIGH", "CRITICAL":
	default:
		return a, false
	}
	a.Title = "Threat assessment " + *as.Level + ": " + objectName(c, as.NORAD)
	a.Text = fmt.Sprintf("score %.2f", as.Score)
	for i, r := range as.Summary.Reasons {
		if i == 3 {
			a.Text += fmt.Sprintf("; +%d more", len(as.Summary.Reasons)-3)
			break
		}
		a.Text += "; " + r.Indicator
		if r.Why != "" {
			a.Text += ": " + r.Why
		}
	}
	return a, true
}

func objectName(c *Catalog, norad int) string {
	if i, ok := c.ByNorad(norad); ok {
		return c.Objects[i].Label()
	}
	return NoradString(norad)
}

// AlertsPanel lists live alerts, newest first, and counts the unseen ones
// for the tab's badge.
type AlertsPanel struct {
	// OnBadge is called with the unseen count whenever it changes.
	OnBadge func(unseen int)

	alerts []Alert
	unseen int
	list   *widget.List
	empty  *widget.Label
	obj    fyne.CanvasObject
}

// NewAlertsPanel builds an empty panel.
func NewAlertsPanel() *AlertsPanel {
	p := &AlertsPanel{}
	p.empty = widget.NewLabel("No alerts yet: high-Pc conjunctions, manoeuvres and CCDM indicators from the server appear here.")
	p.empty.Wrapping = fyne.TextWrapWord
	p.list = widget.NewList(func() int { return len(p.alerts) },
		func() fyne.CanvasObject {
			t := widget.NewLabel("title")
			t.TextStyle.Bold = true
			d := widget.NewLabel("detail")
			d.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(t, d)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(p.alerts) {
				return
			}
			a := p.alerts[id]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(a.At.UTC().Format("15:04:05Z") + "  " + a.Title)
			box.Objects[1].(*widget.Label).SetText(a.Text)
		})
	p.obj = container.NewBorder(p.empty, nil, nil, nil, p.list)
	return p
}

// Object is the panel's canvas object.
func (p *AlertsPanel) Object() fyne.CanvasObject { return p.obj }

// Add puts a at the top and counts it unseen (call on Fyne's goroutine).
func (p *AlertsPanel) Add(a Alert) {
	p.alerts = append([]Alert{a}, p.alerts...)
	p.unseen++
	p.empty.Hide()
	p.list.Refresh()
	if p.OnBadge != nil {
		p.OnBadge(p.unseen)
	}
}

// Alerts is the list, newest first.
func (p *AlertsPanel) Alerts() []Alert { return append([]Alert(nil), p.alerts...) }

// Unseen is the badge count.
func (p *AlertsPanel) Unseen() int { return p.unseen }

// MarkSeen clears the badge (the tab was viewed).
func (p *AlertsPanel) MarkSeen() {
	if p.unseen == 0 {
		return
	}
	p.unseen = 0
	if p.OnBadge != nil {
		p.OnBadge(0)
	}
}

// BadgeTitle is a tab title with its unseen count, e.g. "Alerts (3)".
func BadgeTitle(title string, n int) string {
	if n <= 0 {
		return title
	}
	return fmt.Sprintf("%s (%d)", title, n)
}
