package telemetry_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/astroshield/astroshield/server"
	"github.com/astroshield/astroshield/server/api"
	"github.com/astroshield/astroshield/server/auth"
	"github.com/astroshield/astroshield/server/feed"
	"github.com/astroshield/astroshield/server/store/sqlite"
	"github.com/astroshield/astroshield/server/telemetry"
	coltrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	tracepb "go.opentelemetry.io/proto/otlp/trace/v1"
	"google.golang.org/protobuf/proto"
)

// receiver is an OTLP/HTTP trace receiver: it decodes each protobuf
// ExportTraceServiceRequest posted to /v1/traces.
type receiver struct {
	mu       sync.Mutex
	spans    []*tracepb.Span
	service  []string
	requests int
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
		http.Error(w, "want protobuf at /v1/traces", http.StatusNotFound)
		return
	}
	b, _ := io.ReadAll(r.Body)
	var req coltrace.ExportTraceServiceRequest
	if err := proto.Unmarshal(b, &req); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	rc.mu.Lock()
	rc.requests++
	for _, rs := range req.ResourceSpans {
		for _, a := range rs.Resource.GetAttributes() {
			if a.Key == "service.name" {
				rc.service = append(rc.service, a.Value.GetStringValue())
			}
		}
		for _, ss := range rs.ScopeSpans {
			rc.spans = append(rc.spans, ss.Spans...)
		}
	}
	rc.mu.Unlock()
	out, _ := proto.Marshal(&coltrace.ExportTraceServiceResponse{})
	w.Header().Set("Content-Type", "application/x-protobuf")
	w.Write(out)
}

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.b.Write(p) }
func (s *syncBuf) String() string              { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// serve runs server.Run with tracing to endpoint ("" = off), sends one
// GET /healthz with traceparent, and stops the server (which flushes).
func serve(t *testing.T, endpoint, traceparent string) string {
	t.Helper()
	logs := &syncBuf{}
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- server.Run(ctx, server.Options{Addr: "127.0.0.1:0", DataDir: t.TempDir(), Version: "9.9.9-test",
			Log: slog.New(slog.NewJSONHandler(logs, nil)), Hasher: auth.InsecureTestHasher(4),
			Telemetry: telemetry.Config{Endpoint: endpoint}, Listening: func(a string) { addr <- a }})
	}()
	var a string
	select {
	case a = <-addr:
	case err := <-done:
		t.Fatalf("server.Run: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("server did not start")
	}
	req, _ := http.NewRequest(http.MethodGet, "http://"+a+"/healthz", nil)
	req.Header.Set("traceparent", traceparent)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/healthz: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("server.Run: %v", err)
	}
	return logs.String()
}

const (
	parentTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
	parentSpan  = "00f067aa0ba902b7"
	traceparent = "00-" + parentTrace + "-" + parentSpan + "-01"
)

func TestRequestSpanExported(t *testing.T) {
	rc := &receiver{}
	otlp := httptest.NewServer(rc)
	defer otlp.Close()
	logs := serve(t, otlp.URL, traceparent)

	rc.mu.Lock()
	defer rc.mu.Unlock()
	var span *tracepb.Span
	for _, s := range rc.spans {
		if s.Name == "GET /healthz" {
			span = s
		}
	}
	if span == nil {
		names := []string{}
		for _, s := range rc.spans {
			names = append(names, s.Name)
		}
		t.Fatalf("no span named %q exported (got %q); was it flushed on shutdown?", "GET /healthz", names)
	}
	if got := hex.EncodeToString(span.TraceId); got != parentTrace {
		t.Errorf("trace id %s, want the traceparent's %s", got, parentTrace)
	}
	if got := hex.EncodeToString(span.ParentSpanId); got != parentSpan {
		t.Errorf("parent span id %s, want the traceparent's %s", got, parentSpan)
	}
	if span.Kind != tracepb.Span_SPAN_KIND_SERVER {
		t.Errorf("span kind %v, want server", span.Kind)
	}
	attrs := map[string]string{}
	for _, a := range span.Attributes {
		if v := a.Value.GetStringValue(); v != "" {
			attrs[a.Key] = v
		} else {
			attrs[a.Key] = strconv.FormatInt(a.Value.GetIntValue(), 10)
		}
	}
	if attrs["http.route"] != "/healthz" {
		t.Errorf("http.route %q, want /healthz (attributes %v)", attrs["http.route"], attrs)
	}
	if attrs["http.response.status_code"] != "200" {
		t.Errorf("status attribute %q, want 200", attrs["http.response.status_code"])
	}
	if len(rc.service) == 0 || rc.service[0] != "astroshield" {
		t.Errorf("service.name %v, want astroshield", rc.service)
	}
	// The request log line carries the same trace and the span's own id.
	var line map[string]any
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, `"msg":"request"`) {
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatal(err)
			}
		}
	}
	if line == nil {
		t.Fatalf("no request log line in:\n%s", logs)
	}
	if line["trace_id"] != parentTrace || line["span_id"] != hex.EncodeToString(span.SpanId) || line["request_id"] == "" {
		t.Errorf("request log line %v: want trace_id %s, span_id %x and a request_id", line, parentTrace, span.SpanId)
	}
}

func TestTracingOffExportsNothing(t *testing.T) {
	rc := &receiver{}
	otlp := httptest.NewServer(rc)
	defer otlp.Close()
	t.Setenv(telemetry.EnvEndpoint, "")
	logs := serve(t, telemetry.Endpoint(""), traceparent)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.requests != 0 {
		t.Errorf("tracing off, yet the receiver got %d exports", rc.requests)
	}
	if strings.Contains(logs, "trace_id") {
		t.Errorf("tracing off, yet logs carry trace ids:\n%s", logs)
	}
	if !strings.Contains(logs, `"msg":"request"`) || !strings.Contains(logs, `"request_id"`) {
		t.Errorf("request log line with request_id missing:\n%s", logs)
	}
}

func TestEndpointValidated(t *testing.T) {
	for _, bad := range []string{"127.0.0.1:4318", "ftp://x", "http://"} {
		if _, err := telemetry.Start(context.Background(), telemetry.Config{Endpoint: bad}); err == nil {
			t.Errorf("endpoint %q accepted", bad)
		}
	}
	t.Setenv(telemetry.EnvEndpoint, "http://127.0.0.1:4318")
	if got := telemetry.Endpoint(""); got != "http://127.0.0.1:4318" {
		t.Errorf("Endpoint from env: %q", got)
	}
	if got := telemetry.Endpoint("http://x:1"); got != "http://x:1" {
		t.Errorf("flag should win over env: %q", got)
	}
}

// BenchmarkHealthz compares the request path with tracing off (no hook:
// no span is created) and on (a span per request, batched to a local
// OTLP receiver).
func BenchmarkHealthz(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), sqlite.FileName))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	au, err := auth.New(ctx, db, auth.Config{Hasher: auth.InsecureTestHasher(4)})
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(io.Discard, nil))
	hub := feed.NewHub(db, log)
	defer hub.Close()
	otlp := httptest.NewServer(&receiver{})
	defer otlp.Close()
	tp, err := telemetry.Start(ctx, telemetry.Config{Endpoint: otlp.URL})
	if err != nil {
		b.Fatal(err)
	}
	defer tp.Shutdown(ctx)
	for _, c := range []struct {
		name string
		hook func(*http.Request) (context.Context, func(string, int, string) []any)
	}{{"off", nil}, {"on", tp.RequestHook()}} {
		h := api.New(db, au, hub, nil, log, api.Config{Trace: c.hook}).Handler()
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			req := httptest.NewRequest(http.MethodGet, "/healthz", nil)
			for b.Loop() {
				h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
