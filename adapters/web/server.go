package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/tenderbot/tenderbot/bot/text"
)

// Core is what the web side asks the bot core.
type Core interface {
	// Readiness lists what keeps the bot from being ready; empty is ready.
	Readiness(ctx context.Context) []string
	// Warnings lists what the operator should fix although the bot is
	// ready (no admin configured, say); /readyz shows them.
	Warnings() []string
}

// Server serves the bot's HTTP endpoints.
type Server struct {
	mux     *http.ServeMux
	core    Core
	log     *slog.Logger
	pages   *eventPages  // nil until MountEvents
	sources *SourceBoard // nil: /readyz lists no sources
	// language is the workspace's, the feed's when its address asks for
	// none; "" is English.
	language text.Language
}

// New returns a server for core with /healthz, /readyz and, on registry,
// /metrics.
func New(core Core, registry *prometheus.Registry, log *slog.Logger) *Server {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{mux: http.NewServeMux(), core: core, log: log}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(registry, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelError)}))
	return s
}

// ShowSources has /readyz list how each named source stands, from b
// (Metrics.Sources).
func (s *Server) ShowSources(b *SourceBoard) { s.sources = b }

// SetLanguage makes l, the workspace's language, the one the Atom feed
// of events speaks when its address asks for none (no ?lang); without it
// the feed is in English. Call it before MountEvents.
func (s *Server) SetLanguage(l text.Language) { s.language = l }

// Handle mounts h on pattern, for adapters that serve over HTTP.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// ServeHTTP serves the mounted endpoints.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// healthz answers as long as the process can answer at all.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

// readiness is the body of /readyz.
type readiness struct {
	Ready    bool     `json:"ready"`
	NotReady []string `json:"not_ready"`
	Warnings []string `json:"warnings,omitempty"`
	// Sources are the named national sources: what each read today, the
	// details it has still to read, the codes it did not know and the last
	// day it read in full.
	Sources []SourceStatus `json:"sources,omitempty"`
}

// readyz answers 200 when the core is ready and 503 naming what is not.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	problems := s.core.Readiness(ctx)
	body := readiness{Ready: len(problems) == 0, NotReady: problems, Warnings: s.core.Warnings()}
	if s.sources != nil {
		body.Sources = s.sources.Sources()
	}
	if body.NotReady == nil {
		body.NotReady = []string{}
	}
	w.Header().Set("Content-Type", "application/json")
	if !body.Ready {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	if err := json.NewEncoder(w).Encode(body); err != nil {
		s.log.Warn("write /readyz", "err", err)
	}
}

// Listen binds addr, so a taken port is an error at start, not later.
func Listen(addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return l, nil
}

// Serve serves on l until ctx is done, then shuts down gracefully, giving
// requests in flight up to grace to finish.
func (s *Server) Serve(ctx context.Context, l net.Listener, grace time.Duration) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	select {
	case err := <-done:
		return fmt.Errorf("web: %w", err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("web: shutdown: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("web: %w", err)
	}
	return nil
}
