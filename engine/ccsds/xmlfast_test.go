package ccsds

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/astroshield/astroshield/engine/internal/refdata"
)

// sameTree describes the first difference between two trees ("" if none).
func sameTree(a, b *xnode, path string) string {
	path += "/" + a.name
	switch {
	case a.name != b.name:
		return fmt.Sprintf("%s: name %q vs %q", path, a.name, b.name)
	case a.text != b.text:
		return fmt.Sprintf("%s: text %q vs %q", path, a.text, b.text)
	case a.line != b.line || a.col != b.col:
		return fmt.Sprintf("%s: position %d:%d vs %d:%d", path, a.line, a.col, b.line, b.col)
	case len(a.attrs) != len(b.attrs):
		return fmt.Sprintf("%s: %d vs %d attributes", path, len(a.attrs), len(b.attrs))
	case len(a.kids) != len(b.kids):
		return fmt.Sprintf("%s: %d vs %d children", path, len(a.kids), len(b.kids))
	}
	for i := range a.attrs {
		if a.attrs[i].Name.Local != b.attrs[i].Name.Local || a.attrs[i].Value != b.attrs[i].Value {
			return fmt.Sprintf("%s: attribute %v vs %v", path, a.attrs[i], b.attrs[i])
		}
	}
	for i := range a.kids {
		if d := sameTree(a.kids[i], b.kids[i], path); d != "" {
			return d
		}
	}
	return ""
}

func TestFastXMLMatchesEncodingXML(t *testing.T) {
	var files []string
	for _, dir := range [][]string{{"ccsds", "cdm", "valid"}, {"ccsds", "cdm", "invalid"}, {"ccsds", "omm", "valid"}, {"ccsds", "omm", "invalid"}, {"ccsds", "omm", "celestrak_formats"}} {
		d := refdata.Path(t, dir...)
		m, _ := filepath.Glob(filepath.Join(d, "*.xml"))
		files = append(files, m...)
	}
	if len(files) < 15 {
		t.Fatalf("only %d XML files", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fast, ok := fastXMLTree(string(data))
		if !ok {
			t.Errorf("%s: fast path gave up", filepath.Base(f))
			continue
		}
		slow, err := slowXMLTree(data)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(f), err)
		}
		if d := sameTree(fast, slow, ""); d != "" {
			t.Errorf("%s: %s", filepath.Base(f), d)
		}
	}
	// Constructs the fast path must hand to encoding/xml, and some it takes.
	cases := []struct {
		name, in string
		fast     bool
	}{
		{"entities and CDATA", `<a x='1 &amp; 2'>&lt;b&gt; &#65;&#x42; <![CDATA[<c>]]></a>`, true},
		{"CRLF", "<a>\r\n x\r\n</a>", true},
		{"declaration", `<?xml version="1.0" encoding="utf-8"?><a/>`, true},
		{"comment after root", "<a/><!-- c -->\n", true},
		{"DOCTYPE", `<!DOCTYPE a><a/>`, false},
		{"latin-1 declaration", `<?xml version="1.0" encoding="ISO-8859-1"?><a/>`, false},
		{"XML 1.1", `<?xml version="1.1"?><a/>`, false},
		{"unknown entity", `<a>&nbsp;</a>`, false},
		{"bare ampersand", `<a>a & b</a>`, false},
		{"NUL reference", `<a>&#0;</a>`, false},
		{"mismatched end", `<a></b>`, false},
		{"unquoted attribute", `<a x=1/>`, false},
		{"two roots", `<a/><b/>`, false},
		{"text outside root", `x<a/>`, false},
		{"]]> in text", `<a>]]></a>`, false},
		{"control character", "<a>\x01</a>", false},
		{"invalid UTF-8", "<a>\xff</a>", false},
		{"non-ASCII name", "<é/>", false},
		{"unclosed", "<a><b></b>", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fast, ok := fastXMLTree(tc.in)
			if ok != tc.fast {
				t.Fatalf("fast path ok = %v, want %v", ok, tc.fast)
			}
			if ok {
				slow, err := slowXMLTree([]byte(tc.in))
				if err != nil {
					t.Fatalf("encoding/xml refuses what the fast path took: %v", err)
				}
				if d := sameTree(fast, slow, ""); d != "" {
					t.Error(d)
				}
			}
		})
	}
}

// FuzzFastXML holds the fast XML reader to encoding/xml: whatever it
// accepts, encoding/xml must accept with the same tree.
func FuzzFastXML(f *testing.F) {
	addSeeds(f, []string{"ccsds", "cdm", "valid"}, []string{"ccsds", "omm", "valid"}, []string{"ccsds", "omm", "celestrak_formats"})
	f.Add([]byte(`<?xml version="1.0"?><a x='1 &amp; 2'>&lt;b&gt;&#65;<![CDATA[<c>]]><!-- c --><b/></a>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := fastXMLTree(string(data))
		if !ok {
			return
		}
		slow, err := slowXMLTree(data)
		if err != nil {
			t.Fatalf("fast path accepted what encoding/xml refuses: %v", err)
		}
		if d := sameTree(fast, slow, ""); d != "" {
			t.Fatal(d)
		}
	})
}
