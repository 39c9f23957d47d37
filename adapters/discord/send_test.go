package discord

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/adapters/discord/fakediscord"
	"github.com/tenderbot/tenderbot/bot"
)

const messagesRoute = "POST /channels/{channel}/messages"

// rest is the adapter without a gateway, for sending.
func rest(t *testing.T) (*fakediscord.Server, *Discord) {
	t.Helper()
	fake := fakediscord.New(fakediscord.Options{})
	t.Cleanup(fake.Close)
	d, err := New(Options{Token: fake.Token(), AppID: fake.AppID(), APIURL: fake.URL(), Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	return fake, d
}

func person(user string) bot.Subscriber {
	return bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: Workspace, User: user}
}

func TestSendAlertByDM(t *testing.T) {
	fake, d := rest(t)
	alert := bot.Message{Text: `New tender for your profile "Bouw":`, Cards: []bot.Card{testCard(7)}}
	for range 2 {
		if _, err := d.Send(context.Background(), person("U1"), alert); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(fake.CallsTo("POST /users/@me/channels")); n != 1 {
		t.Errorf("opened the DM channel %d times, want once", n)
	}
	dms := fake.DMs("U1")
	if len(dms) != 2 {
		t.Fatalf("got %d DMs, want 2", len(dms))
	}
	m := dms[0]
	if m.Content != alert.Text || len(m.Embeds) != 1 || m.Embeds[0].Title != "Renovatie sporthal De Sluis" {
		t.Errorf("message: %q with embeds %+v", m.Content, m.Embeds)
	}
	var ids []string
	for _, b := range fakediscord.Buttons(m.Components) {
		ids = append(ids, b.CustomID+b.URL)
	}
	want := []string{testCard(7).Actions[0].String(), testCard(7).Actions[1].String(), testCard(7).Actions[2].String(), "https://www.almelo.nl/aanbesteding/1"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("buttons: got %v, want %v", ids, want)
	}
	if call := fake.CallsTo(messagesRoute)[0]; !strings.Contains(string(call.Body), `"allowed_mentions":{"parse":[]`) {
		t.Errorf("the message may ping people: %s", call.Body)
	}
}

func TestSendToChannel(t *testing.T) {
	fake, d := rest(t)
	fake.AddChannel("G1", "C1")
	to := bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: Workspace, Channel: "C1"}
	id, err := d.Send(context.Background(), to, bot.Message{Text: "hello"})
	if err != nil {
		t.Fatal(err)
	}
	if got := fake.Messages("C1"); len(got) != 1 || got[0].ID != id {
		t.Errorf("channel messages: got %v, want one with id %s", got, id)
	}
}

func TestSendErrors(t *testing.T) {
	fake, d := rest(t)
	ctx := context.Background()

	t.Run("429 is a retry-after with the body's delay, and nothing is sent", func(t *testing.T) {
		fake.RateLimitNext(messagesRoute, 1, 1500*time.Millisecond)
		_, err := d.Send(ctx, person("U9"), bot.Message{Text: "hi"})
		var retry *bot.RetryAfterError
		if !errors.As(err, &retry) || retry.RetryAfter != 1500*time.Millisecond {
			t.Fatalf("got %v, want a *bot.RetryAfterError of 1.5s", err)
		}
		if n := len(fake.DMs("U9")); n != 0 {
			t.Errorf("%d messages sent", n)
		}
	})

	t.Run("DMs refused is permanent", func(t *testing.T) {
		fake.RefuseDMs("U2")
		_, err := d.Send(ctx, person("U2"), bot.Message{Text: "hi"})
		var permanent *bot.PermanentError
		if !errors.As(err, &permanent) || !strings.Contains(err.Error(), "does not accept direct messages") {
			t.Errorf("got %v, want a *bot.PermanentError saying why", err)
		}
	})

	t.Run("an unknown channel is permanent", func(t *testing.T) {
		_, err := d.Send(ctx, bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: Workspace, Channel: "gone"}, bot.Message{Text: "hi"})
		var permanent *bot.PermanentError
		if !errors.As(err, &permanent) || !strings.Contains(err.Error(), "no longer exists") {
			t.Errorf("got %v, want a *bot.PermanentError", err)
		}
	})

	t.Run("another platform's subscriber is permanent", func(t *testing.T) {
		_, err := d.Send(ctx, bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"}, bot.Message{Text: "hi"})
		var permanent *bot.PermanentError
		if !errors.As(err, &permanent) {
			t.Errorf("got %v, want a *bot.PermanentError", err)
		}
	})
}

// A message of many cards takes several Discord messages; when one is
// rate-limited, the retry sends the rest, not the whole again.
func TestSendInPartsResumesAfterRateLimit(t *testing.T) {
	fake, d := rest(t)
	m := bot.Message{Text: "Your digest:"}
	for i := range 12 {
		c := testCard(int64(i + 1))
		m.Cards = append(m.Cards, c)
	}
	fake.RateLimit(messagesRoute, 1, 1, 10*time.Millisecond)
	_, err := d.Send(context.Background(), person("U1"), m)
	var retry *bot.RetryAfterError
	if !errors.As(err, &retry) {
		t.Fatalf("first attempt: got %v, want a retry-after", err)
	}
	id, err := d.Send(context.Background(), person("U1"), m)
	if err != nil {
		t.Fatal(err)
	}
	dms := fake.DMs("U1")
	if len(dms) != 3 || dms[0].ID != id {
		t.Fatalf("got %d messages (first %v), want 3, the first's id returned (%s)", len(dms), dms[0].ID, id)
	}
	titles := 0
	for _, msg := range dms {
		titles += len(msg.Embeds)
	}
	if titles != 12 {
		t.Errorf("%d cards delivered, want each of 12 once", titles)
	}
}

func TestClassify(t *testing.T) {
	restErr := func(status, code int) error {
		return &discordgo.RESTError{Response: &http.Response{StatusCode: status, Status: http.StatusText(status)}, Message: &discordgo.APIErrorMessage{Code: code}}
	}
	rateLimited := &discordgo.RateLimitError{RateLimit: &discordgo.RateLimit{
		TooManyRequests: &discordgo.TooManyRequests{RetryAfter: 2 * time.Second}, URL: "https://discord.com/api/v9/webhooks/1/SECRET-TOKEN",
	}}
	tests := []struct {
		name      string
		err       error
		retry     time.Duration
		permanent bool
	}{
		{"429", rateLimited, 2 * time.Second, false},
		{"unknown channel", restErr(404, discordgo.ErrCodeUnknownChannel), 0, true},
		{"missing access", restErr(403, discordgo.ErrCodeMissingAccess), 0, true},
		{"DMs refused", restErr(403, discordgo.ErrCodeCannotSendMessagesToThisUser), 0, true},
		{"unknown user", restErr(404, discordgo.ErrCodeUnknownUser), 0, true},
		{"server error", restErr(500, 0), 0, false},
		{"network", errors.New("connection reset"), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := classify("send", tt.err)
			var retry *bot.RetryAfterError
			var permanent *bot.PermanentError
			if got := errors.As(err, &retry); got != (tt.retry > 0) || (got && retry.RetryAfter != tt.retry) {
				t.Errorf("retry-after: got %v, want %s", err, tt.retry)
			}
			if got := errors.As(err, &permanent); got != tt.permanent {
				t.Errorf("permanent: got %v, want %v", err, tt.permanent)
			}
			if strings.Contains(err.Error(), "SECRET-TOKEN") {
				t.Errorf("the error carries the URL's token: %v", err)
			}
		})
	}
}

// A resend with the same key, as after a crash between sending and
// recording, shows once: Discord honours the nonce.
func TestSendTwiceWithOneKeyShowsOnce(t *testing.T) {
	fake, d := rest(t)
	m := bot.Message{Text: "New tender", Cards: []bot.Card{testCard(1)}, Key: "alert:discord/discord/@U1:n-sporthal"}
	first, err := d.Send(context.Background(), person("U1"), m)
	if err != nil {
		t.Fatal(err)
	}
	again, err := d.Send(context.Background(), person("U1"), m)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(fake.DMs("U1")); n != 1 || first != again {
		t.Errorf("got %d messages, ids %s and %s; want one message", n, first, again)
	}
}

func TestSendReplyAttachmentAndButtons(t *testing.T) {
	fake, d := rest(t)
	forget := bot.Action{Kind: bot.ActionForget, NoticeRef: strings.Repeat("0", 16)}
	m := bot.Message{
		Text:       "Everything I hold about you.",
		Actions:    []bot.Action{forget},
		Attachment: &bot.Attachment{Name: "tenderbot-my-data.json", ContentType: "application/json", Data: []byte(`{"profiles":[]}`)},
		ReplyTo:    "123456789012345678",
	}
	if _, err := d.Send(context.Background(), person("U1"), m); err != nil {
		t.Fatal(err)
	}
	got := fake.DMs("U1")[0]
	if got.MessageReference == nil || got.MessageReference.MessageID != m.ReplyTo {
		t.Errorf("reference: got %+v, want a reply to %s", got.MessageReference, m.ReplyTo)
	}
	if len(got.Attachments) != 1 || got.Attachments[0].Filename != "tenderbot-my-data.json" || string(fake.AttachmentData(got.Attachments[0])) != `{"profiles":[]}` {
		t.Errorf("attachments: %+v", got.Attachments)
	}
	if b := fakediscord.Buttons(got.Components); len(b) != 1 || b[0].CustomID != forget.String() || b[0].Label != "Erase my data" {
		t.Errorf("buttons: %+v", b)
	}
}

func TestRateLimits(t *testing.T) {
	_, d := rest(t)
	var paced bot.Paced = d
	// Kept a little under Discord's published 5 per 5 s a channel and 50
	// a second in all, never over them.
	l := paced.RateLimits()
	if l.PerConversation.Events != 5 || l.PerConversation.Per < 5*time.Second || l.PerConversation.Per > 6*time.Second {
		t.Errorf("per channel: got %+v, want 5 per a little over 5 s", l.PerConversation)
	}
	if l.Global.Events != 50 || l.Global.Per < time.Second || l.Global.Per > 1200*time.Millisecond {
		t.Errorf("global: got %+v, want 50 per a little over 1 s", l.Global)
	}
}

// TestAChannelAlertCallsItsRole: an alert that calls a role and a person
// names them ahead of its text and lets exactly them be notified; an id
// that is not a Discord id is never rendered.
func TestAChannelAlertCallsItsRole(t *testing.T) {
	fake, d := rest(t)
	fake.AddChannel("G1", "C1")
	to := bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: Workspace, Channel: "C1"}
	m := bot.Message{Text: "New tender for your profile \"Bouw\" @everyone:", Cards: []bot.Card{testCard(3)},
		Mentions: []bot.Mention{{Group: true, ID: "111"}, {ID: "222"}, {Group: true, ID: "everyone"}}}
	if _, err := d.Send(context.Background(), to, m); err != nil {
		t.Fatal(err)
	}
	got := fake.Messages("C1")
	if len(got) != 1 || !strings.HasPrefix(got[0].Content, "<@&111> <@222> New tender") {
		t.Fatalf("channel messages: got %+v, want the role and the person called first", got)
	}
	body := string(fake.CallsTo(messagesRoute)[0].Body)
	if !strings.Contains(body, `"allowed_mentions":{"parse":[],"roles":["111"],"users":["222"],"replied_user":false}`) {
		t.Errorf("allowed_mentions: %s, want exactly the role and the person", body)
	}
}
