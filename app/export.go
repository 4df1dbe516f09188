package app

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/collision"
	"github.com/astroshield/astroshield/engine/conjunction"
	"github.com/astroshield/astroshield/engine/frames"
)

// ScreenCSVHeader is the header of `astroshield screen --format csv`
// (DESIGN.md §6); WriteEventsCSV writes the same columns.
const ScreenCSVHeader = "norad_1,norad_2,tca,miss_km,rel_speed_km_s,radial_km,intrack_km,crosstrack_km,pc"

// WriteEventsCSV writes events with the columns and number formats of
// `astroshield screen` CSV. The pc column is the event's Pc: "NaN" where no
// covariance exists (GP/TLE screening), never an assumed value.
func WriteEventsCSV(w io.Writer, evs []Event) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(ScreenCSVHeader + "\n")
	for _, e := range evs {
		fmt.Fprintf(bw, "%d,%d,%s,%.6f,%.6f,%.6f,%.6f,%.6f,%.6e\n", e.Norad1, e.Norad2,
			e.TCA.UTC().Format("2006-01-02T15:04:05.000Z07:00"), e.MissKm, e.RelSpeedKmS,
			e.RadialKm, e.InTrackKm, e.CrossTrackKm, e.Pc)
	}
	return bw.Flush()
}

// EventCDM builds the CCSDS CDM 1.0 of a screening event the way
// `astroshield screen --format cdm` does: states in ITRF, the default
// TLE-age covariance marked COVARIANCE_METHOD = DEFAULT (CDM 1.0 requires a
// covariance; GP data have none). COLLISION_PROBABILITY is written only when
// the event has a Pc; otherwise a comment says why it is absent.
func EventCDM(e Event, c *Catalog, created time.Time) *ccsds.CDM {
	ce := e.Conj
	relPosRIC := [3]float64{e.RadialKm * 1000, e.InTrackKm * 1000, e.CrossTrackKm * 1000}
	relVelRIC := exportRIC(ce.State1, exportSub(ce.State2.VTEMEKmS, ce.State1.VTEMEKmS))
	for i := range relVelRIC {
		relVelRIC[i] *= 1000
	}
	cdm := &ccsds.CDM{
		Header: ccsds.CDMHeader{
			Version:      "1.0",
			CreationDate: created.UTC().Truncate(time.Millisecond),
			Originator:   "ASTROSHIELD",
			MessageID:    fmt.Sprintf("ASTROSHIELD_%d_%d_%s", e.Norad1, e.Norad2, e.TCA.UTC().Format("20060102T150405.000")),
		},
		Relative: ccsds.CDMRelative{
			Comments:              []string{"Screening by AstroShield on SGP4 states from GP element sets"},
			TCA:                   e.TCA.UTC(),
			MissDistanceM:         e.MissKm * 1000,
			RelativeSpeedMS:       ccsds.Float(e.RelSpeedKmS * 1000),
			RelativePositionRTNM:  &relPosRIC,
			RelativeVelocityRTNMS: &relVelRIC,
			StartScreenPeriod:     e.ScreenStart.UTC(),
			StopScreenPeriod:      e.ScreenEnd.UTC(),
			ScreenEntryTime:       ce.ThresholdEnter.UTC(),
			ScreenExitTime:        ce.ThresholdExit.UTC(),
		},
	}
	if !math.IsNaN(e.Pc) {
		cdm.Relative.CollisionProbability = ccsds.Float(e.Pc)
		cdm.Relative.CollisionProbabilityMethod = e.PcMethod
	} else {
		cdm.Relative.Comments = append(cdm.Relative.Comments,
			"COLLISION_PROBABILITY omitted: no orbit-determination covariance for GP data")
		if !math.IsNaN(e.PcMaxAlfano2005) {
			cdm.Relative.Comments = append(cdm.Relative.Comments,
				fmt.Sprintf("Alfano (2005) maximum Pc over every covariance = %.6e", e.PcMaxAlfano2005))
		}
	}
	hbr := e.HardBodyRadiusM
	if !(hbr > 0) {
		hbr = DefaultHardBodyRadiusM
	}
	cdm.Relative.Comments = append(cdm.Relative.Comments, fmt.Sprintf("HBR = %g [m]", hbr))
	idx := [2]int{e.A, e.B}
	for k, side := range []struct {
		norad int
		name  string
		st    conjunction.State
		age   time.Duration
	}{{e.Norad1, e.Name1, ce.State1, ce.ElementAge1}, {e.Norad2, e.Name2, ce.State2, ce.ElementAge2}} {
		rITRF, vITRF := frames.TEMEToECEF(e.TCA, side.st.RTEMEKm, side.st.VTEMEKmS, frames.EOP{})
		o := ccsds.CDMObject{
			Object:           fmt.Sprintf("OBJECT%d", k+1),
			ObjectDesignator: strconv.Itoa(side.norad),
			CatalogName:      "SATCAT",
			ObjectName:       side.name,
			ObjectType:       "UNKNOWN",
			EphemerisName:    "NONE",
			CovarianceMethod: "DEFAULT",
			Maneuverable:     "N/A",
			RefFrame:         "ITRF",
			GravityModel:     "SGP4 (WGS-72)",
			PositionKm:       rITRF,
			VelocityKmS:      vITRF,
			CovarianceComments: []string{fmt.Sprintf(
				"Default position covariance from element-set age %.1f h (no OD covariance for GP data)", side.age.Hours())},
			CovSize: 6,
		}
		if i := idx[k]; i >= 0 && i < c.Len() && c.Objects[i].Set.IntlDesignator != "" {
			o.InternationalDesignator = ccsds.COSPARDesignator(c.Objects[i].Set.IntlDesignator)
		}
		if o.InternationalDesignator == "" {
			o.InternationalDesignator = "UNKNOWN"
		}
		if o.ObjectName == "" {
			o.ObjectName = "UNKNOWN"
		}
		o.SetCovRTN6(collision.DefaultCovarianceTLERTN6(side.age, side.st.RTEMEKm, side.st.VTEMEKmS))
		cdm.Objects[k] = o
	}
	return cdm
}

// WriteEventCDM writes one event's CDM in KVN.
func WriteEventCDM(w io.Writer, e Event, c *Catalog, created time.Time) error {
	return ccsds.WriteCDMKVN(w, EventCDM(e, c, created))
}

// EventCDMFileName is the file name `astroshield screen --format cdm` gives
// an event's CDM.
func EventCDMFileName(e Event) string {
	return fmt.Sprintf("%09d_conj_%09d_%s.cdm", e.Norad1, e.Norad2, e.TCA.UTC().Format("20060102_150405"))
}

// WriteEventCDMs writes one CDM file per event into dir (created if needed)
// and returns the paths written.
func WriteEventCDMs(dir string, evs []Event, c *Catalog) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	created := time.Now()
	var paths []string
	for _, e := range evs {
		p := filepath.Join(dir, EventCDMFileName(e))
		f, err := os.Create(p)
		if err != nil {
			return paths, err
		}
		if err := WriteEventCDM(f, e, c, created); err != nil {
			f.Close()
			return paths, fmt.Errorf("%s: %w", p, err)
		}
		if err := f.Close(); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// WritePNG encodes img (e.g. the 3D view's snapshot) as PNG.
func WritePNG(w io.Writer, img image.Image) error {
	if img == nil {
		return errors.New("app: no image to export")
	}
	return png.Encode(w, img)
}

func exportRIC(s conjunction.State, x [3]float64) [3]float64 {
	r, v := s.RTEMEKm, s.VTEMEKmS
	R := exportUnit(r)
	C := exportUnit(exportCross(r, v))
	I := exportCross(C, R)
	return [3]float64{exportDot(x, R), exportDot(x, I), exportDot(x, C)}
}

func exportSub(a, b [3]float64) [3]float64 { return [3]float64{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func exportDot(a, b [3]float64) float64    { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func exportCross(a, b [3]float64) [3]float64 {
	return [3]float64{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}
func exportUnit(a [3]float64) [3]float64 {
	n := math.Sqrt(exportDot(a, a))
	if n == 0 {
		return a
	}
	return [3]float64{a[0] / n, a[1] / n, a[2] / n}
}

// exportDone reports the outcome of a save.
func exportDone(win fyne.Window, err error, what string) {
	if err != nil {
		dialog.ShowError(err, win)
		return
	}
	dialog.ShowInformation("Exported", what, win)
}

// ShowExportCSVDialog asks for a file and writes evs as screening CSV.
func ShowExportCSVDialog(win fyne.Window, evs []Event) {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			if err != nil {
				dialog.ShowError(err, win)
			}
			return
		}
		err = WriteEventsCSV(wc, evs)
		if cerr := wc.Close(); err == nil {
			err = cerr
		}
		exportDone(win, err, fmt.Sprintf("%d events written to %s", len(evs), wc.URI().Path()))
	}, win)
	d.SetFileName("conjunctions.csv")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Show()
}

// ShowExportCDMDialog asks for a folder and writes one CDM per event into it.
func ShowExportCDMDialog(win fyne.Window, evs []Event, c *Catalog) {
	dialog.ShowFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			if err != nil {
				dialog.ShowError(err, win)
			}
			return
		}
		paths, err := WriteEventCDMs(dir.Path(), evs, c)
		exportDone(win, err, fmt.Sprintf("%d CDM files written to %s", len(paths), dir.Path()))
	}, win)
}

// ShowExportPNGDialog asks for a file and writes img as PNG.
func ShowExportPNGDialog(win fyne.Window, img image.Image, name string) {
	if img == nil {
		dialog.ShowError(errors.New("nothing to export: the view has not drawn a frame"), win)
		return
	}
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			if err != nil {
				dialog.ShowError(err, win)
			}
			return
		}
		err = WritePNG(wc, img)
		if cerr := wc.Close(); err == nil {
			err = cerr
		}
		exportDone(win, err, "image written to "+wc.URI().Path())
	}, win)
	d.SetFileName(name)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png"}))
	d.Show()
}

// ShowExportSnapshotDialog exports the 3D view's last frame as PNG.
func ShowExportSnapshotDialog(win fyne.Window, s *Session) {
	if s == nil || s.Scene == nil {
		msg := "the 3D view is not available"
		if s != nil && s.SceneErr != nil {
			msg += ": " + s.SceneErr.Error()
		}
		dialog.ShowError(errors.New(msg), win)
		return
	}
	img, err := s.Scene.Snapshot()
	if err != nil {
		dialog.ShowError(err, win)
		return
	}
	ShowExportPNGDialog(win, img, "astroshield-view.png")
}
