// Command astroshield is the AstroShield space-domain-awareness workstation:
// with no subcommand the desktop client, otherwise one of the subcommands
// below (DESIGN.md §6 is the contract for their flags and output).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	_ "github.com/astroshield/astroshield/internal/posixlocale" // before Fyne reads the locale
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// command is one subcommand of the binary.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{
	"ccdm":      {"CCDM indicators (SS4) and threat assessment from element-set histories", runCcdm},
	"maneuvers": {"detect manoeuvres in element-set histories", runManeuvers},
	"model":     {"train, evaluate, export and list the ONNX manoeuvre re-scorer", runModel},
	"pc":        {"probability of collision from a CDM (Foster, Chan, Alfano max, Monte Carlo)", runPc},
	"propagate": {"propagate element sets with SGP4/SDP4 (TEME states)", runPropagate},
	"screen":    {"conjunction screening, all vs all or primaries vs catalog", runScreen},
	"apikeys":   {"create or revoke API keys of a server's data directory", runAPIKeys},
	"keys":      {"rotate or list a server's token signing keys", runKeys},
	"snapshot":  {"render the 3D view offscreen (EGL, no display) to a PNG", runSnapshot},
	"serve":     {"headless server: REST API, WebSocket feed, durable storage", runServe},
	"users":     {"add, list, set-role, disable or enable server users", runUsers},
	"version":   {"print the version", runVersion},
}

// usageError marks errors caused by how the command was called (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := dispatch(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// dispatch runs one subcommand and returns the process exit code:
// 0 success, 1 failure, 2 bad usage.
func dispatch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return runDesktop(ctx, nil, stderr)
	}
	name := args[0]
	if strings.HasPrefix(name, "-") && name != "-h" && name != "--help" && name != "--version" {
		return runDesktop(ctx, args, stderr) // desktop flags: --catalog FILE, --server URL, ...
	}
	if name == "-h" || name == "--help" || name == "help" {
		printUsage(stdout)
		return 0
	}
	if name == "--version" {
		name = "version"
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "astroshield: unknown command %q\n\n", name)
		printUsage(stderr)
		return 2
	}
	err := cmd.run(ctx, args[1:], stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(stderr, "astroshield %s: %v\n", name, err)
		return 2
	default:
		fmt.Fprintf(stderr, "astroshield %s: %v\n", name, err)
		return 1
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "AstroShield %s — space-domain awareness\n\nUsage:\n  astroshield [--catalog FILE] [--cdm FILE] [--history FILE] [--server URL]\n                           desktop client\n  astroshield <command> [flags]\n\nCommands:\n", version)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\nRun 'astroshield <command> -h' for a command's flags.\n")
}

func runVersion(_ context.Context, _ []string, stdout, _ io.Writer) error {
	_, err := fmt.Fprintf(stdout, "astroshield %s\n", version)
	return err
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("astroshield "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parseFlags parses args and turns flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err}
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
