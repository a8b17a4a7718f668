package main

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"
)

// balancer is a loopback load balancer in front of the instances'
// webhook listeners, as an operator would put nginx or a cloud balancer:
// round robin over the backends it believes up. A backend it cannot reach
// (connection refused, reset) is marked down for downFor and that request
// answered 502, so the platform delivers it again (a balancer with passive
// health checks; nginx would also try the next backend at once). A down
// backend is taken back once its GET /healthz answers 200.
type balancer struct {
	ts      *httptest.Server
	client  *http.Client
	downFor time.Duration

	mu       sync.Mutex
	backends []*backend
	next     int
}

type backend struct {
	url       string
	downUntil time.Time // zero: up
	served    int       // requests answered by it
	failed    int       // requests it could not take (answered 502)
	downs     []time.Time
}

func newBalancer(t *testing.T, downFor time.Duration, urls ...string) *balancer {
	b := &balancer{downFor: downFor, client: &http.Client{Timeout: 30 * time.Second}}
	for _, u := range urls {
		b.backends = append(b.backends, &backend{url: u})
	}
	b.ts = httptest.NewServer(http.HandlerFunc(b.serve))
	t.Cleanup(b.ts.Close)
	return b
}

// URL is the balancer's public address: the webhook URL's host.
func (b *balancer) URL() string { return b.ts.URL }

func (b *balancer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	be := b.pick()
	if be == nil {
		http.Error(w, "no backend up", http.StatusBadGateway)
		return
	}
	req, err := http.NewRequestWithContext(r.Context(), r.Method, be.url+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := b.client.Do(req)
	if err != nil && r.Context().Err() != nil {
		return // the platform gave up waiting: not the backend's fault
	}
	if err != nil {
		b.markDown(be, true)
		http.Error(w, "backend unreachable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	b.mu.Lock()
	be.served++
	b.mu.Unlock()
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// pick is the next backend up, round robin. A backend whose down time
// has passed is checked with GET /healthz before it is taken back.
func (b *balancer) pick() *backend {
	for range len(b.backends) {
		b.mu.Lock()
		be := b.backends[b.next%len(b.backends)]
		b.next++
		down, retry := !be.downUntil.IsZero(), time.Now().After(be.downUntil)
		b.mu.Unlock()
		if !down {
			return be
		}
		if retry && b.healthy(be) {
			b.mu.Lock()
			be.downUntil = time.Time{}
			b.mu.Unlock()
			return be
		}
		if retry {
			b.markDown(be, false)
		}
	}
	return nil
}

func (b *balancer) healthy(be *backend) bool {
	c := &http.Client{Timeout: time.Second}
	resp, err := c.Get(be.url + "/healthz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// markDown takes be out for downFor; request says a request failed on it
// (not a health check).
func (b *balancer) markDown(be *backend, request bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if be.downUntil.IsZero() {
		be.downs = append(be.downs, time.Now())
	}
	if request {
		be.failed++
	}
	be.downUntil = time.Now().Add(b.downFor)
}

// stats is each backend's requests served and answered 502, and when
// any backend was marked down.
func (b *balancer) stats() (served, failed []int, downs []time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, be := range b.backends {
		served, failed = append(served, be.served), append(failed, be.failed)
		downs = append(downs, be.downs...)
	}
	slices.SortFunc(downs, time.Time.Compare)
	return served, failed, downs
}

// freeAddr is a loopback address nothing listens on, for a child
// process's webhook listener.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
