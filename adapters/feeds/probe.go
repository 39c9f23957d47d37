package feeds

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/tenderbot/tenderbot/bot/partner"
)

// Prober reads a feed a partner proposes, once, through the guard; it
// implements partner.Probe.
type Prober struct {
	fetcher *Fetcher
	log     *slog.Logger
}

var _ partner.Probe = (*Prober)(nil)

// NewProber returns a Prober that fetches with f and logs to log what its
// errors, written for the partner, leave out; a nil log discards.
func NewProber(f *Fetcher, log *slog.Logger) *Prober {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Prober{fetcher: f, log: log}
}

// Probe fetches location as an untrusted feed and parses it in the format
// it is found to have; a named source ("tenderned", "de") gives a short
// preview of itself (PreviewNamed). A URL the guard refuses is a *partner.RefusedError
// that wraps the *RefusedError.
func (p *Prober) Probe(ctx context.Context, location string) (partner.ProbeResult, error) {
	if IsNamedSource(location) {
		// A national source behind the operator's configured address:
		// nothing of the partner's reaches a request, so no guard.
		format, notices, err := p.fetcher.PreviewNamed(ctx, location)
		if err != nil {
			p.log.Info("feed probe failed", "feed", location, "err", err)
			return partner.ProbeResult{}, err
		}
		return partner.ProbeResult{Format: format, Notices: notices, Name: SourceName(location)}, nil
	}
	resp, err := p.fetcher.Get(ctx, Request{Location: location, Untrusted: true})
	if err != nil {
		if detail := ErrorDetail(err); detail != "" {
			p.log.Info("feed probe failed", "feed", Redact(location), "err", err, "detail", detail)
		}
		var refused *RefusedError
		if errors.As(err, &refused) {
			return partner.ProbeResult{}, &partner.RefusedError{Rule: refused.Rule, Args: refused.Args, Setting: refused.Setting, Err: err}
		}
		return partner.ProbeResult{}, err
	}
	format := Detect(resp.Body)
	notices, err := ParseFormat(resp.Body, format, Redact(location))
	if err != nil {
		return partner.ProbeResult{}, fmt.Errorf("parse %s: %w", Redact(location), err)
	}
	return partner.ProbeResult{Format: string(format), Notices: notices}, nil
}
