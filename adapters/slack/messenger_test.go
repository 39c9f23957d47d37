package slack

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/bot"
)

// newMessenger returns the app against a fake Slack, not running: Send
// needs only the Web API.
func newMessenger(t *testing.T) (*fakeslack.Server, *Slack) {
	t.Helper()
	fake := fakeslack.New(fakeslack.Options{})
	t.Cleanup(fake.Close)
	return fake, New(Options{BotToken: fake.Options().BotToken, APIURL: fake.APIURL(), Logger: testLogger(t)})
}

func TestSendAlertToAPersonGoesToTheirDirectMessage(t *testing.T) {
	fake, app := newMessenger(t)
	to := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0FAKE", User: "U1"}
	card := testCard()
	id, err := app.Send(context.Background(), to, bot.Message{Text: `New tender for your profile "Bouw":`, Cards: []bot.Card{card}})
	if err != nil {
		t.Fatal(err)
	}
	open := fake.Calls("conversations.open")
	if len(open) != 1 || open[0].Param("users") != "U1" || open[0].Token != fake.Options().BotToken {
		t.Fatalf("conversations.open: got %+v, want one for U1 with the bot token", open)
	}
	posts := fake.Calls("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("chat.postMessage: got %d calls, want 1", len(posts))
	}
	post := posts[0]
	if post.Param("channel") != fakeslack.DMChannel("U1") || id != post.TS || id == "" {
		t.Errorf("posted to %q with ts %q, returned %q; want the DM channel and its ts", post.Param("channel"), post.TS, id)
	}
	if post.Param("unfurl_links") != "false" {
		t.Errorf("links are unfurled; the card shows the notice already")
	}
	blocks := post.Param("blocks")
	for _, a := range card.Actions {
		if !strings.Contains(blocks, `"action_id":"`+a.String()+`"`) {
			t.Errorf("blocks lack the %s button", a.Kind)
		}
	}
	if !strings.Contains(post.Param("text"), "New tender for your profile") {
		t.Errorf("notification text: got %q", post.Param("text"))
	}
}

func TestSendToAChannelPostsThere(t *testing.T) {
	fake, app := newMessenger(t)
	to := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0FAKE", Channel: "C0CHAN"}
	m := bot.Message{Text: "The deadline moved.", ReplyTo: "1700000000.000042", Key: "alert:slack/T0FAKE/#C0CHAN:n1"}
	if _, err := app.Send(context.Background(), to, m); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Calls("conversations.open")); n != 0 {
		t.Errorf("conversations.open called %d times for a channel", n)
	}
	posts := fake.Calls("chat.postMessage")
	if len(posts) != 1 || posts[0].Param("channel") != "C0CHAN" {
		t.Fatalf("chat.postMessage: got %+v", posts)
	}
	if got := posts[0].Param("thread_ts"); got != m.ReplyTo {
		t.Errorf("thread_ts: got %q, want the message it follows up (%s)", got, m.ReplyTo)
	}
	if got := posts[0].Param("metadata"); !strings.Contains(got, `"event_type":"tenderbot_delivery"`) || !strings.Contains(got, m.Key) {
		t.Errorf("metadata: got %q, want the delivery key", got)
	}
}

func TestSendErrors(t *testing.T) {
	person := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0FAKE", User: "U1"}
	tests := []struct {
		name      string
		prepare   func(*fakeslack.Server)
		to        bot.Subscriber
		retry     time.Duration // want *bot.RetryAfterError with this delay
		permanent string        // want *bot.PermanentError naming this reason
	}{
		{"rate limited post", func(f *fakeslack.Server) { f.RateLimit("chat.postMessage", 1, 7*time.Second) }, person, 7 * time.Second, ""},
		{"rate limited DM", func(f *fakeslack.Server) { f.RateLimit("conversations.open", 1, time.Second) }, person, time.Second, ""},
		{"channel_not_found", func(f *fakeslack.Server) { f.Fail("chat.postMessage", "channel_not_found", 1) }, person, 0, "channel_not_found"},
		{"not_in_channel", func(f *fakeslack.Server) { f.Fail("chat.postMessage", "not_in_channel", 1) }, person, 0, "not_in_channel"},
		{"account_inactive", func(f *fakeslack.Server) { f.Fail("conversations.open", "account_inactive", 1) }, person, 0, "account_inactive"},
		{"is_archived", func(f *fakeslack.Server) { f.Fail("chat.postMessage", "is_archived", 1) }, person, 0, "is_archived"},
		{"user_not_found", func(f *fakeslack.Server) { f.Fail("conversations.open", "user_not_found", 1) }, person, 0, "user_not_found"},
		{"cannot_dm_bot", func(*fakeslack.Server) {}, bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0FAKE", User: "UFAKEBOT"}, 0, "cannot_dm_bot"},
		{"transient", func(f *fakeslack.Server) { f.Fail("chat.postMessage", "internal_error", 1) }, person, 0, ""},
		{"another platform", func(*fakeslack.Server) {}, bot.Subscriber{Platform: bot.PlatformDiscord, Workspace: "G", User: "1"}, 0, "discord"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake, app := newMessenger(t)
			tt.prepare(fake)
			_, err := app.Send(context.Background(), tt.to, bot.Message{Text: "hello"})
			if err == nil {
				t.Fatal("Send succeeded; want an error")
			}
			var retry *bot.RetryAfterError
			var permanent *bot.PermanentError
			isRetry, isPermanent := errors.As(err, &retry), errors.As(err, &permanent)
			switch {
			case tt.retry > 0:
				if !isRetry || retry.RetryAfter != tt.retry {
					t.Errorf("got %v, want retry after %s", err, tt.retry)
				}
			case tt.permanent != "":
				if !isPermanent || !strings.Contains(err.Error(), tt.permanent) {
					t.Errorf("got %v, want a permanent error naming %s", err, tt.permanent)
				}
			default:
				if isRetry || isPermanent {
					t.Errorf("got %v, want a transient error", err)
				}
			}
		})
	}
}

func TestSendErrorKeepsTheCause(t *testing.T) {
	err := sendError("chat.postMessage", &slackapi.RateLimitedError{RetryAfter: 0})
	var retry *bot.RetryAfterError
	if !errors.As(err, &retry) || retry.RetryAfter != time.Second {
		t.Errorf("Retry-After 0: got %v, want a retry after the 1s floor", err)
	}
	var rl *slackapi.RateLimitedError
	if !errors.As(err, &rl) {
		t.Errorf("the slack-go error is not in the chain of %v", err)
	}
	if err := sendError("chat.postMessage", context.DeadlineExceeded); !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "chat.postMessage") {
		t.Errorf("a transient error: got %v, want it wrapped with the method", err)
	}
}

func TestFindRecognisesADeliveryByItsKey(t *testing.T) {
	fake, app := newMessenger(t)
	ctx := context.Background()
	person := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0FAKE", User: "U1"}
	id, err := app.Send(ctx, person, bot.Message{Text: "an alert", Key: "alert:slack/T0FAKE/@U1:n1"})
	if err != nil {
		t.Fatal(err)
	}
	app.Send(ctx, person, bot.Message{Text: "another", Key: "alert:slack/T0FAKE/@U1:n2"})

	got, found, err := app.Find(ctx, person, "alert:slack/T0FAKE/@U1:n1")
	if err != nil || !found || got != id {
		t.Errorf("a delivery that was sent: got %q %v %v, want %q found", got, found, err, id)
	}
	if _, found, err := app.Find(ctx, person, "alert:slack/T0FAKE/@U1:n3"); err != nil || found {
		t.Errorf("a delivery never sent: got found=%v err=%v, want not found", found, err)
	}
	if h := fake.Calls("conversations.history"); len(h) == 0 || h[0].Param("include_all_metadata") != "1" {
		t.Errorf("conversations.history without metadata: %+v", h)
	}
	channel := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0FAKE", Channel: "C0CHAN"}
	inChannel, err := app.Send(ctx, channel, bot.Message{Text: "a channel alert", Key: "alert:slack/T0FAKE/#C0CHAN:n1"})
	if err != nil {
		t.Fatal(err)
	}
	if got, found, err := app.Find(ctx, channel, "alert:slack/T0FAKE/#C0CHAN:n1"); err != nil || !found || got != inChannel {
		t.Errorf("a channel's delivery that was sent: got %q %v %v, want %q found", got, found, err, inChannel)
	}
	if _, found, err := app.Find(ctx, channel, "alert:slack/T0FAKE/@U1:n1"); err != nil || found {
		t.Errorf("a delivery sent elsewhere: got found=%v err=%v, want not found in the channel", found, err)
	}
}

func TestSendUploadsAnAttachmentBeforeTheMessage(t *testing.T) {
	fake, app := newMessenger(t)
	to := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0FAKE", Channel: "C0CHAN"}
	m := bot.Message{Text: "the export", Attachment: &bot.Attachment{Name: "export.json", ContentType: "application/json", Data: []byte("{}")}}
	if _, err := app.Send(context.Background(), to, m); err != nil {
		t.Fatal(err)
	}
	calls := fake.Calls("files.completeUploadExternal", "chat.postMessage")
	if len(calls) != 2 || calls[0].Method != "files.completeUploadExternal" || calls[0].Param("channel_id") != "C0CHAN" {
		t.Errorf("calls: got %+v, want the upload shared in C0CHAN, then the message", calls)
	}
	if files := fake.Files(); len(files) != 1 || string(files[0].Data) != "{}" {
		t.Errorf("files: got %+v", files)
	}

	fake.RateLimit("files.getUploadURLExternal", 1, 3*time.Second)
	_, err := app.Send(context.Background(), to, m)
	var retry *bot.RetryAfterError
	if !errors.As(err, &retry) || retry.RetryAfter != 3*time.Second {
		t.Errorf("a rate-limited upload: got %v, want retry after 3s", err)
	}
	if n := len(fake.Calls("chat.postMessage")); n != 1 {
		t.Errorf("the message was posted though its file failed: %d posts", n)
	}
}

// TestAChannelAlertCallsItsGroup: an alert that calls a user group and a
// person names them, in Slack's mention syntax, ahead of the text and in
// the notification; an id of another shape is never rendered, and the
// feed's own text cannot call the channel.
func TestAChannelAlertCallsItsGroup(t *testing.T) {
	fake, app := newMessenger(t)
	to := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T0FAKE", Channel: "C0CHAN"}
	m := bot.Message{Text: `New tender for your profile "Bouw" <!channel>:`, Cards: []bot.Card{testCard()},
		Mentions: []bot.Mention{{Group: true, ID: "S0TEAM"}, {ID: "U0LEAD"}, {Group: true, ID: "S1>|<!here"}}}
	if _, err := app.Send(context.Background(), to, m); err != nil {
		t.Fatal(err)
	}
	posts := fake.Calls("chat.postMessage")
	if len(posts) != 1 {
		t.Fatalf("chat.postMessage: got %d calls", len(posts))
	}
	unescape := strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&")
	for _, param := range []string{"text", "blocks"} {
		got := unescape.Replace(posts[0].Param(param))
		if !strings.Contains(got, "<!subteam^S0TEAM> <@U0LEAD> New tender") {
			t.Errorf("%s: got %q, want the group and the person called first", param, got)
		}
		if strings.Contains(got, "<!here") || strings.Contains(got, "<!channel>") {
			t.Errorf("%s calls the whole channel: %q", param, got)
		}
	}
}
