package feeds

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tenderbot/tenderbot/bot/partner"
	"github.com/tenderbot/tenderbot/bot/text"
)

// TestProbeRefusalsSpeakThePartnersLanguage: the rule that refuses a
// proposed feed reaches the partner as message ids, so they read it in
// Dutch when they speak it, and in English by default.
func TestProbeRefusalsSpeakThePartnersLanguage(t *testing.T) {
	guard := &Guard{Resolver: testResolver, PrivateSetting: "TENDERBOT_FEEDS_ALLOW_PRIVATE=true", PortSetting: "TENDERBOT_FEEDS_ALLOW_PORTS"}
	p := NewProber(NewFetcher(FetcherOptions{Guard: guard, HostGap: -1}), nil)
	tests := []struct {
		url, english, dutch, setting string
	}{
		{"http://intranet.example.nl/feed", "intranet.example.nl resolves to 10.1.2.3, a private address", "intranet.example.nl verwijst naar 10.1.2.3, een privéadres", guard.PrivateSetting},
		{"http://[64:ff9b::7f00:1]/feed", "a NAT64 address embedding 127.0.0.1, a loopback address", "een NAT64-adres met daarin 127.0.0.1, een loopback-adres", guard.PrivateSetting},
		{"http://169.254.169.254/latest/meta-data/", "the cloud metadata address", "het metadata-adres van de cloud", ""},
		{"http://feeds.example.org:22/feed", "port 22 is not one of the allowed ports [80 443 8080 8443]", "poort 22 is niet een van de toegestane poorten [80 443 8080 8443]", guard.PortSetting},
		{"ftp://feeds.example.org/feed", `only http:// and https:// feeds can be added, not "ftp:"`, `alleen feeds met http:// en https:// kunnen worden toegevoegd, niet "ftp:"`, ""},
		{"https://unknown.example/feed", "could not resolve the host name unknown.example", "de hostnaam unknown.example kon niet worden opgezocht", ""},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := p.Probe(context.Background(), tt.url)
			var refused *partner.RefusedError
			if !errors.As(err, &refused) {
				t.Fatalf("got %v, want a refusal", err)
			}
			if got := refused.Text(text.Printer{}); !strings.Contains(got, tt.english) {
				t.Errorf("English: got %q, want %q in it", got, tt.english)
			}
			if got := refused.Text(text.For(text.Dutch)); !strings.Contains(got, tt.dutch) {
				t.Errorf("Dutch: got %q, want %q in it", got, tt.dutch)
			}
			if refused.Setting != tt.setting {
				t.Errorf("setting: got %q, want %q", refused.Setting, tt.setting)
			}
		})
	}
}
