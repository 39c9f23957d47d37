// Package web is tenderbot's HTTP side: one listener for health checks
// (/healthz, /readyz), Prometheus metrics (/metrics), and the handlers other
// adapters mount on it (Slack and Discord HTTP modes, public event pages).
// It translates; the core decides what is ready and what is counted.
package web
