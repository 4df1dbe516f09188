// Package telemetry sets up OpenTelemetry tracing for the server: an OTLP/HTTP
// exporter (off unless an endpoint is configured), W3C traceparent
// propagation and a span per HTTP request.
package telemetry

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.26.0"
	"go.opentelemetry.io/otel/trace"
)

// EnvEndpoint is the standard variable naming the OTLP endpoint.
const EnvEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT"

// Tracer is the instrumentation scope name used for the server's spans.
const Tracer = "github.com/astroshield/astroshield/server"

// Config selects the exporter.
type Config struct {
	// Endpoint is the OTLP/HTTP base URL (e.g. http://127.0.0.1:4318);
	// traces go to Endpoint + /v1/traces. Empty: tracing off.
	Endpoint    string
	ServiceName string // default "astroshield"
	Version     string
}

// Endpoint returns flag if set, else $OTEL_EXPORTER_OTLP_ENDPOINT.
func Endpoint(flag string) string {
	if flag != "" {
		return flag
	}
	return os.Getenv(EnvEndpoint)
}

// Provider owns the tracer provider; a nil *Provider means tracing is off
// and every method is a no-op.
type Provider struct {
	tp     *sdktrace.TracerProvider
	tracer trace.Tracer
	prop   propagation.TextMapPropagator
}

// Start builds the exporter and installs the provider and the W3C
// propagator globally. It returns nil, nil when cfg.Endpoint is empty.
func Start(ctx context.Context, cfg Config) (*Provider, error) {
	if cfg.Endpoint == "" {
		return nil, nil
	}
	u, err := url.Parse(cfg.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("telemetry: OTLP endpoint %q: want http(s)://host:port", cfg.Endpoint)
	}
	opts := []otlptracehttp.Option{otlptracehttp.WithEndpointURL(strings.TrimRight(u.String(), "/") + "/v1/traces")}
	exp, err := otlptracehttp.New(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("telemetry: OTLP exporter: %w", err)
	}
	name := cfg.ServiceName
	if name == "" {
		name = "astroshield"
	}
	res := resource.NewSchemaless(semconv.ServiceName(name), semconv.ServiceVersion(cfg.Version))
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res))
	prop := propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{})
	otel.SetTracerProvider(tp)
	otel.SetTextMapPropagator(prop)
	return &Provider{tp: tp, tracer: tp.Tracer(Tracer), prop: prop}, nil
}

// Shutdown flushes queued spans and stops the exporter.
func (p *Provider) Shutdown(ctx context.Context) error {
	if p == nil {
		return nil
	}
	if err := p.tp.Shutdown(ctx); err != nil {
		return fmt.Errorf("telemetry: flush spans: %w", err)
	}
	return nil
}

// ForceFlush exports every finished span now.
func (p *Provider) ForceFlush(ctx context.Context) error {
	if p == nil {
		return nil
	}
	return p.tp.ForceFlush(ctx)
}

// RequestHook matches api.Config.Trace: it starts a server span for r
// (parented by an incoming traceparent) and returns the request context and
// a function that names the span after the matched route, records status
// and role, ends it, and returns trace_id/span_id for the request log line.
// A nil Provider returns a nil hook, so a server without tracing has no
// tracing code on its request path.
func (p *Provider) RequestHook() func(r *http.Request) (context.Context, func(route string, status int, role string) []any) {
	if p == nil {
		return nil
	}
	return func(r *http.Request) (context.Context, func(string, int, string) []any) {
		ctx := p.prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		ctx, span := p.tracer.Start(ctx, r.Method, trace.WithSpanKind(trace.SpanKindServer),
			trace.WithAttributes(semconv.HTTPRequestMethodKey.String(r.Method), semconv.URLPath(r.URL.Path)))
		return ctx, func(route string, status int, role string) []any {
			span.SetName(route) // the mux pattern, e.g. "GET /api/v1/objects/{norad}"
			_, path, ok := strings.Cut(route, " ")
			if !ok {
				path = route
			}
			attrs := []attribute.KeyValue{semconv.HTTPRoute(path), semconv.HTTPResponseStatusCode(status)}
			if role != "" {
				attrs = append(attrs, attribute.String("astroshield.role", role))
			}
			span.SetAttributes(attrs...)
			if status >= 500 {
				span.SetStatus(codes.Error, strconv.Itoa(status))
			}
			sc := span.SpanContext()
			span.End()
			return []any{"trace_id", sc.TraceID().String(), "span_id", sc.SpanID().String()}
		}
	}
}

// StartSpan starts an internal span from the global provider (a no-op span
// when tracing is off). Used for screening jobs, refreshes and import stages.
func StartSpan(ctx context.Context, name string, attrs ...attribute.KeyValue) (context.Context, trace.Span) {
	return otel.Tracer(Tracer).Start(ctx, name, trace.WithAttributes(attrs...))
}

// End records err on span (if any) and ends it.
func End(span trace.Span, err error) {
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End()
}
