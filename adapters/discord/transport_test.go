package discord

import (
	"net/http"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// recordingTransport remembers the last request instead of sending it.
type recordingTransport struct{ last *http.Request }

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.last = req
	return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Request: req}, nil
}

func TestRewriteTransport(t *testing.T) {
	if DefaultAPIURL != discordgo.EndpointAPI {
		t.Fatalf("DefaultAPIURL %q is not discordgo's %q", DefaultAPIURL, discordgo.EndpointAPI)
	}
	tests := []struct {
		apiURL, in, want string
	}{
		{"http://127.0.0.1:9/api/v9/", discordgo.EndpointChannelMessages("1"), "http://127.0.0.1:9/api/v9/channels/1/messages"},
		{"http://127.0.0.1:9/discord", discordgo.EndpointWebhookMessage("1", "tok", "@original"), "http://127.0.0.1:9/discord/webhooks/1/tok/messages/@original"},
		{"https://proxy.example/x/", discordgo.EndpointGateway + "?v=9", "https://proxy.example/x/gateway?v=9"},
		{"http://127.0.0.1:9/api/v9/", "https://cdn.discordapp.com/avatars/1/2.png", "https://cdn.discordapp.com/avatars/1/2.png"},
		{DefaultAPIURL, discordgo.EndpointUserChannels("@me"), "https://discord.com/api/v9/users/@me/channels"},
	}
	for _, tt := range tests {
		rec := &recordingTransport{}
		rt, err := newRewriteTransport(tt.apiURL, rec)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest(http.MethodPost, tt.in, nil)
		if _, err := rt.RoundTrip(req); err != nil {
			t.Fatal(err)
		}
		if got := rec.last.URL.String(); got != tt.want {
			t.Errorf("%s via %s: got %s, want %s", tt.in, tt.apiURL, got, tt.want)
		}
		if req.URL.String() != tt.in {
			t.Errorf("the caller's request was changed to %s", req.URL)
		}
	}
	if _, err := newRewriteTransport("ftp://example.org/", nil); err == nil {
		t.Error("an ftp API URL was accepted")
	}
}

func TestInviteURL(t *testing.T) {
	want := "https://discord.com/oauth2/authorize?client_id=123&permissions=84992&scope=bot+applications.commands"
	if got := InviteURL("123"); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
