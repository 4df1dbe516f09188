package api

import (
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkAuthenticatedRead measures GET /api/v1/objects/{norad} with a
// Bearer token over loopback: EdDSA verification, the user lookup, the
// object read and JSON encoding per request.
func BenchmarkAuthenticatedRead(b *testing.B) {
	e := newEnv(b)
	tok := e.login("viewer").AccessToken
	e.do("POST", "/api/v1/elements", tleText(e.t, 90001, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)), bearer(e.login("analyst").AccessToken)...)
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	client := &http.Client{Transport: tr}
	var fails atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/objects/90001", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		for pb.Next() {
			res, err := client.Do(req)
			if err != nil {
				fails.Add(1)
				continue
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				fails.Add(1)
			}
		}
	})
	b.StopTimer()
	if n := fails.Load(); n > 0 {
		b.Fatalf("%d failed requests", n)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}
