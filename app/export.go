package app

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"

	"github.com/astroshield/astroshield/engine/ccsds"
	"github.com/astroshield/astroshield/engine/conjunction"
)

// ScreenCSVHeader is the header of `astroshield screen --format csv`
// (DESIGN.md §6); WriteEventsCSV writes the same columns.
const ScreenCSVHeader = "norad_1,norad_2,tca,miss_km,rel_speed_km_s,radial_km,intrack_km,crosstrack_km,pc"

// WriteEventsCSV writes events with the columns and number formats of
// `astroshield screen` CSV. The pc column is the event's Pc (for GP/TLE
// screening Foster (1992) with default covariances, as the CLI writes), "NaN"
// where none was computed.
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

// EventCDM builds the CCSDS CDM 1.0 of a screening event exactly as
// `astroshield screen --format cdm` does (conjunction.Event.CDM): states in
// ITRF, the default TLE-age covariance marked COVARIANCE_METHOD = DEFAULT,
// COLLISION_PROBABILITY only when the event has a Pc.
func EventCDM(e Event, c *Catalog, created time.Time) *ccsds.CDM {
	in := conjunction.CDMInputs{
		Created: created, ScreenStart: e.ScreenStart, ScreenEnd: e.ScreenEnd,
		Pc: e.Pc, PcMethod: e.PcMethod, PcMaxAlfano2005: e.PcMaxAlfano2005, HardBodyRadiusM: e.HardBodyRadiusM,
	}
	if !(in.HardBodyRadiusM > 0) {
		in.HardBodyRadiusM = DefaultHardBodyRadiusM
	}
	if e.A >= 0 && e.A < c.Len() {
		in.COSPAR1 = c.Objects[e.A].Set.IntlDesignator
	}
	if e.B >= 0 && e.B < c.Len() {
		in.COSPAR2 = c.Objects[e.B].Set.IntlDesignator
	}
	return e.Conj.CDM(in)
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
