package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/astroshield/astroshield/engine/maneuver"
	"github.com/astroshield/astroshield/render"
)

// SearchLimit is the most results the search panel lists.
const SearchLimit = 200

// searchKinds are the type filters, in checkbox order.
var searchKinds = []render.Kind{render.KindPayload, render.KindRocketBody, render.KindDebris, render.KindUnknown}

// searchRegimes are the regime filter's options; index i>0 is
// maneuver.Regime(i).
var searchRegimes = []string{"all", "LEO", "MEO", "GEO", "HEO"}

// SearchPanel finds objects by name, NORAD number (digits or Alpha-5) or
// COSPAR designator, filtered by type and regime, and selects the one
// clicked.
type SearchPanel struct {
	s *Session

	entry   *widget.Entry
	list    *widget.List
	count   *widget.Label
	kinds   []*widget.Check
	regime  *widget.Select
	root    fyne.CanvasObject
	results []int
	mask    uint8
	// syncing is set while the list follows a selection made elsewhere, so
	// its OnSelected does not select again.
	syncing bool
}

// NewSearchPanel builds the panel; its type filter starts from the saved
// preference and is pushed to the scene.
func NewSearchPanel(s *Session) *SearchPanel {
	p := &SearchPanel{s: s, mask: LoadKindMask(s.Prefs)}
	p.entry = widget.NewEntry()
	p.entry.SetPlaceHolder("Name, NORAD or COSPAR")
	p.entry.OnChanged = func(string) { p.update() }
	p.entry.OnSubmitted = func(string) {
		if len(p.results) > 0 {
			p.list.Select(0)
		}
	}

	p.list = widget.NewList(
		func() int { return len(p.results) },
		func() fyne.CanvasObject {
			name := widget.NewLabel("NAME 00000")
			name.Truncation = fyne.TextTruncateEllipsis
			detail := widget.NewLabel("rocket body · leo")
			return container.NewBorder(nil, nil, nil, detail, name)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			c := p.s.Catalog()
			if id < 0 || id >= len(p.results) || p.results[id] >= c.Len() {
				return
			}
			obj := &c.Objects[p.results[id]]
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Label).SetText(obj.Label())
			row.Objects[1].(*widget.Label).SetText(searchDetail(obj))
		},
	)
	p.list.OnSelected = func(id widget.ListItemID) {
		if p.syncing || id < 0 || id >= len(p.results) {
			return
		}
		p.s.Select(p.results[id])
	}

	var checks []fyne.CanvasObject
	for _, k := range searchKinds {
		k := k
		ch := widget.NewCheck(k.String(), nil)
		ch.SetChecked(p.mask&(1<<k) != 0)
		ch.OnChanged = func(on bool) {
			if on {
				p.mask |= 1 << k
			} else {
				p.mask &^= 1 << k
			}
			SaveKindMask(p.s.Prefs, p.mask)
			p.pushMask()
			p.update()
		}
		p.kinds = append(p.kinds, ch)
		checks = append(checks, ch)
	}
	p.regime = widget.NewSelect(searchRegimes, func(string) { p.update() })
	p.regime.SetSelected("all")
	p.count = widget.NewLabel("")
	p.count.Wrapping = fyne.TextWrapWord
	country := widget.NewLabel("country: not in element-set data")
	country.Importance = widget.LowImportance

	filters := container.NewVBox(
		container.NewGridWithColumns(2, checks...),
		container.NewBorder(nil, nil, widget.NewLabel("Regime"), nil, p.regime),
		country,
	)
	top := container.NewVBox(widget.NewLabelWithStyle("Search", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), p.entry, filters, p.count)
	p.root = container.NewBorder(top, nil, nil, nil, p.list)

	s.OnCatalog(func(*Catalog) { onUI(p.update) })
	s.OnSelect(func(i int) { onUI(func() { p.follow(i) }) })
	p.pushMask()
	p.update()
	return p
}

// CanvasObject is the panel's content.
func (p *SearchPanel) CanvasObject() fyne.CanvasObject { return p.root }

// Entry is the search field (the workstation focuses it on Ctrl+F).
func (p *SearchPanel) Entry() *widget.Entry { return p.entry }

// Results are the catalog indices listed, best match first.
func (p *SearchPanel) Results() []int { return append([]int(nil), p.results...) }

// KindMask is the type filter: bit k shows render.Kind k.
func (p *SearchPanel) KindMask() uint8 { return p.mask }

// SetQuery types q into the search field.
func (p *SearchPanel) SetQuery(q string) { p.entry.SetText(q) }

func (p *SearchPanel) pushMask() {
	if p.s.Scene != nil {
		p.s.Scene.SetKindMask(p.mask)
	}
}

func (p *SearchPanel) regimeFilter() maneuver.Regime {
	for i, r := range searchRegimes {
		if r == p.regime.Selected && i > 0 {
			return maneuver.Regime(i)
		}
	}
	return maneuver.RegimeAuto // all
}

// update reruns the search with the current query and filters.
func (p *SearchPanel) update() {
	if p.list == nil || p.regime == nil || p.count == nil {
		return // still building
	}
	c := p.s.Catalog()
	q := strings.TrimSpace(p.entry.Text)
	reg := p.regimeFilter()
	keep := func(i int) bool {
		o := &c.Objects[i]
		if o.Kind <= render.KindUnknown && p.mask&(1<<o.Kind) == 0 {
			return false
		}
		return reg == maneuver.RegimeAuto || o.Regime == reg
	}
	filtered := p.mask&allKinds != allKinds || reg != maneuver.RegimeAuto
	var res []int
	total := 0
	switch {
	case c.Len() == 0:
	case q == "":
		for i := range c.Objects {
			if keep(i) {
				total++
				if len(res) < SearchLimit {
					res = append(res, i)
				}
			}
		}
	case !filtered:
		res = c.Search(q, SearchLimit)
		total = len(res)
	default:
		for _, i := range c.Search(q, 0) {
			if keep(i) {
				total++
				if len(res) < SearchLimit {
					res = append(res, i)
				}
			}
		}
	}
	p.results = res
	p.syncing = true
	p.list.UnselectAll()
	if sel := p.s.Selected(); sel >= 0 {
		for id, i := range res {
			if i == sel {
				p.list.Select(id)
				break
			}
		}
	}
	p.syncing = false
	p.list.Refresh()

	switch {
	case c.Len() == 0:
		p.count.SetText("No catalog loaded")
	case q == "":
		p.count.SetText(fmt.Sprintf("%d of %d objects pass the filters (showing %d); type to search", total, c.Len(), len(res)))
	case len(res) == 0:
		p.count.SetText(fmt.Sprintf("No match for %q", q))
	case total > len(res) || (!filtered && len(res) == SearchLimit):
		p.count.SetText(fmt.Sprintf("First %d matches", len(res)))
	default:
		p.count.SetText(fmt.Sprintf("%d matches", len(res)))
	}
}

// follow highlights a selection made elsewhere (3D view, tables).
func (p *SearchPanel) follow(sel int) {
	p.syncing = true
	defer func() { p.syncing = false }()
	if sel < 0 {
		p.list.UnselectAll()
		return
	}
	for id, i := range p.results {
		if i == sel {
			p.list.Select(id)
			return
		}
	}
	p.list.UnselectAll()
}

func searchDetail(o *Object) string {
	return o.Kind.String() + " · " + strings.ToUpper(o.Regime.String())
}
