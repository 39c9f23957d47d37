package fakeslack

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Sign sets the headers Slack signs an HTTP-mode request with:
// X-Slack-Request-Timestamp, and X-Slack-Signature
// v0=hex(HMAC-SHA256(secret, "v0:<timestamp>:<body>")).
func Sign(h http.Header, body []byte, secret string, at time.Time) {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:", ts)
	mac.Write(body)
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
}

// HTTPRequest is the request as Slack POSTs it to url in HTTP mode, signed
// with secret at the given time.
func (r *Request) HTTPRequest(ctx context.Context, url, secret string, at time.Time) (*http.Request, error) {
	ctype, body := r.HTTPBody()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("fakeslack: %w", err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("User-Agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
	if r.RetryAttempt > 0 {
		req.Header.Set("X-Slack-Retry-Num", strconv.Itoa(r.RetryAttempt))
		req.Header.Set("X-Slack-Retry-Reason", r.RetryReason)
	}
	Sign(req.Header, body, secret, at)
	return req, nil
}
