// Package posixlocale keeps the UI toolkit quiet under the C locale.
//
// Fyne reads the user's locale while its packages initialise and logs
// "Fyne error: Error parsing user locale C" when it is C.UTF-8 (the default
// of most containers and CI machines), which lands on the stderr of every
// CLI command the binary runs. Imported for its side effect by main, this
// package's init runs first: Go initialises ready packages in import-path
// order, and it depends only on os and strings, like the locale reader
// Fyne uses. Under a C or POSIX locale with an encoding (C.UTF-8) it sets
// LANGUAGE=en, which that reader consults before parsing the C name; the
// process's character handling (LANG, LC_*) is untouched.
package posixlocale

import (
	"os"
	"strings"
)

func init() {
	locale := ""
	for _, env := range [...]string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if locale = os.Getenv(env); locale != "" {
			break
		}
	}
	name, _, hasEncoding := strings.Cut(locale, ".")
	if hasEncoding && (name == "C" || name == "POSIX") && os.Getenv("LANGUAGE") == "" {
		os.Setenv("LANGUAGE", "en")
	}
}
