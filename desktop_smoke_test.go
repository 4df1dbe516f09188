//go:build cgo && linux

package main

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestDesktopSmokeXvfb runs the real desktop client under a real X server
// (Xvfb, Mesa llvmpipe) with the full 24k catalog, takes a screenshot of its
// window with ImageMagick's import (Fyne's own Capture returns zeros under
// Xvfb) and checks the picture is not blank. The screenshot is kept as a
// build artifact in bin/artifacts/desktop-smoke.png.
func TestDesktopSmokeXvfb(t *testing.T) {
	needXvfb(t)
	catalog := refPath(t, "catalog", "full_catalog_3le_2022-07-15.txt")
	if _, err := os.Stat(catalog); err != nil {
		t.Skipf("reference catalog absent: %v", err)
	}

	display, stopX := startXvfb(t)
	defer stopX()

	d := launchDesktop(t, display, "--catalog", catalog)
	defer d.stop()
	appErr, exited, start := d.out, d.exited, d.start
	winID := d.waitWindow(t, "astroshield")
	t.Logf("window %s mapped %.1f s after start", winID, time.Since(start).Seconds())
	time.Sleep(8 * time.Second)

	raw, img := screenshot(t, display, "root")
	if err := os.MkdirAll(filepath.Join("bin", "artifacts"), 0o755); err == nil {
		_ = os.WriteFile(filepath.Join("bin", "artifacts", "desktop-smoke.png"), raw, 0o644)
	}
	if n := distinctColours(img, 64); n < 64 {
		t.Fatalf("screenshot looks blank: only %d distinct colours (bin/artifacts/desktop-smoke.png); output:\n%s", n, appErr.String())
	}
	if out := appErr.String(); !strings.Contains(out, "first frame with 24132 objects") {
		t.Errorf("no first frame with the catalog reported; output:\n%s", out)
	} else {
		for _, l := range strings.Split(out, "\n") {
			if strings.Contains(l, "first frame") || strings.Contains(l, "3D view") {
				t.Log(l)
			}
		}
	}
	select {
	case err := <-exited:
		exited <- err
		t.Fatalf("desktop client died while running (%v); output:\n%s", err, appErr.String())
	default:
	}
	t.Logf("client output:\n%s", appErr.String())
}

// desktopProc is the desktop client running on an Xvfb display.
type desktopProc struct {
	display string
	out     *syncBuffer
	exited  chan error
	start   time.Time
	cmd     *exec.Cmd
}

func launchDesktop(t *testing.T, display string, args ...string) *desktopProc {
	t.Helper()
	tmp := t.TempDir()
	app := exec.Command(binPath, args...)
	app.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8", "FYNE_SCALE=1",
		"LIBGL_ALWAYS_SOFTWARE=1", "XDG_CONFIG_HOME="+filepath.Join(tmp, "config"),
		"XDG_CACHE_HOME="+filepath.Join(tmp, "cache"), "HOME="+tmp)
	d := &desktopProc{display: display, out: &syncBuffer{}, exited: make(chan error, 1), cmd: app}
	app.Stderr = d.out
	app.Stdout = d.out
	d.start = time.Now()
	if err := app.Start(); err != nil {
		t.Fatalf("start desktop client: %v", err)
	}
	go func() { d.exited <- app.Wait() }()
	return d
}

// syncBuffer collects the client's output: os/exec copies it from its own
// goroutine while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (d *desktopProc) stop() {
	_ = d.cmd.Process.Kill()
	<-d.exited
}

// waitWindow waits up to 90 s for a window whose name contains name.
func (d *desktopProc) waitWindow(t *testing.T, name string) string {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case err := <-d.exited:
			d.exited <- err
			t.Fatalf("desktop client exited early (%v); output:\n%s", err, d.out.String())
		default:
		}
		if id := findWindow(d.display, name); id != "" {
			return id
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q window after 90 s; output:\n%s", name, d.out.String())
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// screenshot captures window id ("root" for the screen) as a PNG image.
func screenshot(t *testing.T, display, id string) ([]byte, image.Image) {
	t.Helper()
	shot := exec.Command("import", "-window", id, "png:-")
	shot.Env = append(os.Environ(), "DISPLAY="+display)
	var pngOut, shotErr bytes.Buffer
	shot.Stdout, shot.Stderr = &pngOut, &shotErr
	if err := shot.Run(); err != nil {
		t.Fatalf("import -window %s: %v: %s", id, err, shotErr.String())
	}
	img, err := png.Decode(bytes.NewReader(pngOut.Bytes()))
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	return pngOut.Bytes(), img
}

// TestDesktopPopOutXvfb opens the 3D view in its own native window
// (--popout, as View → Pop out 3D view does) and checks that window shows
// the scene: drawn by its own renderer, blitted and swapped, not read back.
// The screenshot is kept in bin/artifacts/desktop-popout.png.
func TestDesktopPopOutXvfb(t *testing.T) {
	needXvfb(t)
	catalog := refPath(t, "catalog", "full_catalog_3le_2022-07-15.txt")
	display, stopX := startXvfb(t)
	defer stopX()
	d := launchDesktop(t, display, "--catalog", catalog, "--popout")
	defer d.stop()
	id := d.waitWindow(t, "3d view")
	time.Sleep(6 * time.Second)
	raw, img := screenshot(t, display, id)
	if err := os.MkdirAll(filepath.Join("bin", "artifacts"), 0o755); err == nil {
		_ = os.WriteFile(filepath.Join("bin", "artifacts", "desktop-popout.png"), raw, 0o644)
	}
	if n := distinctColours(img, 64); n < 64 {
		t.Fatalf("pop-out window looks blank: %d distinct colours (bin/artifacts/desktop-popout.png); output:\n%s", n, d.out.String())
	}
	if b := img.Bounds(); b.Dx() < 640 || b.Dy() < 360 {
		t.Errorf("pop-out window %dx%d", b.Dx(), b.Dy())
	}
	if !strings.Contains(d.out.String(), "popped out into its own window") {
		t.Errorf("no pop-out line; output:\n%s", d.out.String())
	}
	select {
	case err := <-d.exited:
		d.exited <- err
		t.Fatalf("desktop client died with the pop-out open (%v); output:\n%s", err, d.out.String())
	default:
	}
}

// needXvfb skips in -short mode or where Xvfb or the X tools are missing.
func needXvfb(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts Xvfb and the desktop client")
	}
	for _, tool := range []string{"Xvfb", "import", "xwininfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (make deps installs xvfb, imagemagick, x11-utils)", tool)
		}
	}
}

// startXvfb starts Xvfb on the first free display from :91 and returns its
// name and a stop function. A display whose lock names a process that no
// longer runs (an Xvfb killed before it could clean up) is free: its stale
// lock and socket are removed first.
func startXvfb(t *testing.T) (string, func()) {
	t.Helper()
	for n := 91; n < 120; n++ {
		lock, sock := fmt.Sprintf("/tmp/.X%d-lock", n), fmt.Sprintf("/tmp/.X11-unix/X%d", n)
		if b, err := os.ReadFile(lock); err == nil {
			pid, perr := strconv.Atoi(strings.TrimSpace(string(b)))
			if perr != nil || pid <= 0 || syscall.Kill(pid, 0) == nil {
				continue // held by a running server (or unreadable: leave it)
			}
			_ = os.Remove(lock)
			_ = os.Remove(sock)
		} else if _, err := os.Stat(sock); err == nil {
			continue
		}
		display := fmt.Sprintf(":%d", n)
		x := exec.Command("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
		if err := x.Start(); err != nil {
			t.Fatalf("start Xvfb: %v", err)
		}
		// SIGTERM lets Xvfb remove its lock and socket; SIGKILL after 2 s.
		stop := func() {
			_ = x.Process.Signal(syscall.SIGTERM)
			done := make(chan struct{})
			go func() { _ = x.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(2 * time.Second):
				_ = x.Process.Kill()
				<-done
			}
		}
		for i := 0; i < 100; i++ {
			if _, err := os.Stat(sock); err == nil {
				return display, stop
			}
			time.Sleep(50 * time.Millisecond)
		}
		stop()
	}
	t.Fatal("no free X display for Xvfb in :91..:119")
	return "", nil
}

// findWindow returns the id of a mapped window whose name contains name
// (case-insensitive), or "".
func findWindow(display, name string) string {
	cmd := exec.Command("xwininfo", "-root", "-tree")
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) > 1 && strings.Contains(strings.ToLower(line), name) && strings.HasPrefix(f[0], "0x") {
			return f[0]
		}
	}
	return ""
}

// distinctColours counts distinct colours (up to limit) on a sampling grid.
func distinctColours(img image.Image, limit int) int {
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}
