package main

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

// TestLogsRedactEveryURL logs the configuration and lines that carry URLs
// with credentials, in both formats, and finds none of the credentials.
func TestLogsRedactEveryURL(t *testing.T) {
	cfg := Config{
		SlackAPIURL:   "https://bot:hunter2@slack.example/api/?token=xoxb-secret",
		DiscordAPIURL: "https://relay.example/api/v9/?access_token=disc-secret",
		Feeds:         []string{"https://u:feedpass@feeds.example/rss?key=feedkey"},
		SMTPURL:       "smtp://tenderbot:smtppass@mail.example:587",
		SecretKey:     "0123456789abcdef0123456789abcdef-secretkey",
	}
	for _, format := range []string{"text", "json"} {
		var out bytes.Buffer
		log := newLogger(&out, format, slog.LevelDebug)
		log.Info("starting", "config", cfg)
		log.Warn("feed poll failed", "feed", "https://x:urlpass@partner.example/feed?token=tok123", "err",
			errors.New("read https://x:errpass@partner.example/feed?sig=sig456: refused"))
		log.Info("calling https://a:msgpass@api.example/?password=pw789 now")
		for _, secret := range []string{"hunter2", "xoxb-secret", "disc-secret", "feedpass", "feedkey", "urlpass", "tok123", "errpass", "sig456", "msgpass", "pw789", "smtppass", "secretkey"} {
			if strings.Contains(out.String(), secret) {
				t.Errorf("%s log holds %q:\n%s", format, secret, out.String())
			}
		}
		for _, host := range []string{"slack.example", "relay.example", "partner.example", "api.example", "mail.example"} {
			if !strings.Contains(out.String(), host) {
				t.Errorf("%s log lost the host %s:\n%s", format, host, out.String())
			}
		}
	}
}
