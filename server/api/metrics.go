package api

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
)

// histogram is a Prometheus-style cumulative histogram.
type histogram struct {
	bounds []float64
	counts []uint64 // per bucket, not cumulative; last is +Inf
	sum    float64
	n      uint64
}

func newHistogram(bounds []float64) *histogram {
	return &histogram{bounds: bounds, counts: make([]uint64, len(bounds)+1)}
}

func (h *histogram) observe(v float64) {
	i := sort.SearchFloat64s(h.bounds, v)
	h.counts[i]++
	h.sum += v
	h.n++
}

func (h *histogram) write(w io.Writer, name, labels string) {
	var cum uint64
	sep := ""
	if labels != "" {
		sep = ","
	}
	for i, b := range h.bounds {
		cum += h.counts[i]
		fmt.Fprintf(w, "%s_bucket{%s%sle=\"%g\"} %d\n", name, labels, sep, b, cum)
	}
	cum += h.counts[len(h.bounds)]
	fmt.Fprintf(w, "%s_bucket{%s%sle=\"+Inf\"} %d\n", name, labels, sep, cum)
	fmt.Fprintf(w, "%s_sum{%s} %g\n%s_count{%s} %d\n", name, labels, h.sum, name, labels, h.n)
}

var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics holds the server's counters; written in Prometheus text format.
type metrics struct {
	mu       sync.Mutex
	requests map[string]uint64     // route|code
	latency  map[string]*histogram // route
	jobs     map[string]*histogram // state
	refresh  map[string]*histogram // source|result
	added    map[string]uint64     // source: element sets added by refreshes
	gauges   []gauge
}

type gauge struct {
	name, help string
	f          func() float64
}

func newMetrics() *metrics {
	return &metrics{requests: map[string]uint64{}, latency: map[string]*histogram{}, jobs: map[string]*histogram{}, refresh: map[string]*histogram{}, added: map[string]uint64{}}
}

func (m *metrics) request(route string, code int, seconds float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[fmt.Sprintf("%s|%d", route, code)]++
	h := m.latency[route]
	if h == nil {
		h = newHistogram(latencyBuckets)
		m.latency[route] = h
	}
	h.observe(seconds)
}

func (m *metrics) job(seconds float64, state string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	h := m.jobs[state]
	if h == nil {
		h = newHistogram([]float64{0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600})
		m.jobs[state] = h
	}
	h.observe(seconds)
}

// ObserveRefresh records one catalog refresh (server/refresh): its source
// (celestrak:GROUP, spacetrack), result (ok, not_modified, skipped, error),
// duration and the element sets it added.
func (s *Server) ObserveRefresh(source, result string, seconds float64, added int) {
	m := s.m
	m.mu.Lock()
	defer m.mu.Unlock()
	k := source + "|" + result
	h := m.refresh[k]
	if h == nil {
		h = newHistogram([]float64{0.1, 0.5, 1, 5, 10, 30, 60, 300})
		m.refresh[k] = h
	}
	h.observe(seconds)
	m.added[source] += uint64(added)
}

func quote(s string) string { return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) }

func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP astroshield_http_requests_total HTTP requests by route pattern and status code.")
	fmt.Fprintln(w, "# TYPE astroshield_http_requests_total counter")
	keys := make([]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		route, code, _ := strings.Cut(k, "|")
		fmt.Fprintf(w, "astroshield_http_requests_total{route=\"%s\",code=\"%s\"} %d\n", quote(route), code, m.requests[k])
	}
	fmt.Fprintln(w, "# HELP astroshield_http_request_duration_seconds HTTP request latency by route pattern.")
	fmt.Fprintln(w, "# TYPE astroshield_http_request_duration_seconds histogram")
	keys = keys[:0]
	for k := range m.latency {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.latency[k].write(w, "astroshield_http_request_duration_seconds", fmt.Sprintf("route=\"%s\"", quote(k)))
	}
	fmt.Fprintln(w, "# HELP astroshield_job_duration_seconds Screening job run time by final state.")
	fmt.Fprintln(w, "# TYPE astroshield_job_duration_seconds histogram")
	keys = keys[:0]
	for k := range m.jobs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.jobs[k].write(w, "astroshield_job_duration_seconds", fmt.Sprintf("state=\"%s\"", quote(k)))
	}
	fmt.Fprintln(w, "# HELP astroshield_refresh_duration_seconds Catalog refresh run time by source and result.")
	fmt.Fprintln(w, "# TYPE astroshield_refresh_duration_seconds histogram")
	keys = keys[:0]
	for k := range m.refresh {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		src, res, _ := strings.Cut(k, "|")
		m.refresh[k].write(w, "astroshield_refresh_duration_seconds", fmt.Sprintf("source=\"%s\",result=\"%s\"", quote(src), quote(res)))
	}
	fmt.Fprintln(w, "# HELP astroshield_refresh_element_sets_added_total Element sets added by catalog refreshes.")
	fmt.Fprintln(w, "# TYPE astroshield_refresh_element_sets_added_total counter")
	keys = keys[:0]
	for k := range m.added {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "astroshield_refresh_element_sets_added_total{source=\"%s\"} %d\n", quote(k), m.added[k])
	}
	for _, g := range m.gauges {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %g\n", g.name, g.help, g.name, g.name, g.f())
	}
}
