package mail_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/tenderbot/tenderbot/adapters/mail"
	"github.com/tenderbot/tenderbot/adapters/mail/smtptest"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/text"
)

var registrant = email.Subscriber("jan@zon.example")

// mailer returns a Mailer sending to srv with the credentials given.
func mailer(t *testing.T, srv *smtptest.Server, user, pass string) *mail.Mailer {
	t.Helper()
	host, port, _ := net.SplitHostPort(srv.Addr)
	n, _ := strconv.Atoi(port)
	opts := mail.Options{
		Server:      mail.Server{Host: host, Port: n, Username: user, Password: pass},
		From:        "Gemeente Almelo events <events@almelo.example>",
		Unsubscribe: func(addr string) string { return "https://events.example/unsubscribe?a=" + addr + "&t=sig" },
		Site:        "https://events.example",
		Timeout:     5 * time.Second,
	}
	if srv.RootCAs != nil {
		opts.TLS = &tls.Config{RootCAs: srv.RootCAs, ServerName: host, MinVersion: tls.VersionTLS12}
	}
	m, err := mail.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func wait(t *testing.T, srv *smtptest.Server, n int) smtptest.Mail {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	m, err := srv.WaitN(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestSendOverSTARTTLSWithPassword(t *testing.T) {
	srv := smtptest.New(t, smtptest.Options{Username: "tenderbot", Password: "s3cret"})
	m := mailer(t, srv, "tenderbot", "s3cret")
	msg := bot.Message{
		Key:        "promoted:7:email/web/@jan@zon.example:12",
		Text:       "A place opened up: you're going to \"Leveranciersdag\" now.\nWed 10 Feb 2027 · Stadhuis",
		Attachment: &bot.Attachment{Name: "event-7.ics", ContentType: "text/calendar", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")},
	}
	id, err := m.Send(context.Background(), registrant, msg)
	if err != nil {
		t.Fatal(err)
	}
	got := wait(t, srv, 1)
	if !got.TLS || !got.Authenticated {
		t.Errorf("TLS %v, authenticated %v: want both", got.TLS, got.Authenticated)
	}
	if len(got.To) != 1 || got.To[0] != "jan@zon.example" {
		t.Errorf("recipients: got %v", got.To)
	}
	h := got.Header()
	if want := "<" + mail.MessageID(msg.Key, "almelo.example") + ">"; h.Get("Message-Id") != want || "<"+id+">" != want {
		t.Errorf("Message-ID: got header %q and id %q, want %q", h.Get("Message-Id"), id, want)
	}
	if got, want := h.Get("List-Unsubscribe"), "<https://events.example/unsubscribe?a=jan@zon.example&t=sig>"; got != want {
		t.Errorf("List-Unsubscribe: got %q, want %q", got, want)
	}
	if got := h.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post: got %q", got)
	}
	if s := h.Get("Subject"); !strings.Contains(s, "A place opened up") {
		t.Errorf("Subject: got %q", s)
	}
	text := got.Part("text/plain")
	for _, want := range []string{"you're going to \"Leveranciersdag\"", "To unsubscribe (this gives up your place): https://events.example/unsubscribe?a=jan@zon.example&t=sig"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	if html := got.Part("text/html"); !strings.Contains(html, `<a href="https://events.example/unsubscribe?a=jan@zon.example&amp;t=sig">Unsubscribe</a>`) {
		t.Errorf("the HTML part lacks the unsubscribe link:\n%s", html)
	}
	if ics := got.Part("text/calendar"); !strings.Contains(ics, "BEGIN:VCALENDAR") {
		t.Errorf("no calendar attachment:\n%s", got.Data)
	}

	// Sent again with the same key, the mail is recognisably the same.
	if _, err := m.Send(context.Background(), registrant, msg); err != nil {
		t.Fatal(err)
	}
	if again := wait(t, srv, 2).Header().Get("Message-Id"); again != h.Get("Message-Id") {
		t.Errorf("a resend's Message-ID: got %q, want %q", again, h.Get("Message-Id"))
	}
}

func TestSendRefusals(t *testing.T) {
	for _, tc := range []struct {
		name      string
		code      int
		retry     bool
		permanent bool
	}{
		{"mailbox full for now", 452, true, false},
		{"no such mailbox", 550, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := smtptest.New(t, smtptest.Options{Reject: func(string) error {
				return &smtp.SMTPError{Code: tc.code, Message: tc.name}
			}})
			_, err := mailer(t, srv, "", "").Send(context.Background(), registrant, bot.Message{Key: "k", Text: "hi"})
			var retry *bot.RetryAfterError
			var permanent *bot.PermanentError
			if errors.As(err, &retry) != tc.retry || errors.As(err, &permanent) != tc.permanent {
				t.Errorf("got %v (%T), want retry %v, permanent %v", err, err, tc.retry, tc.permanent)
			}
		})
	}
}

// TestPasswordNeedsTLS refuses to send a password to a server that offers
// no STARTTLS, and never says the password.
func TestPasswordNeedsTLS(t *testing.T) {
	srv := smtptest.New(t, smtptest.Options{})
	_, err := mailer(t, srv, "tenderbot", "hunter2").Send(context.Background(), registrant, bot.Message{Key: "k", Text: "hi"})
	if err == nil {
		t.Fatal("sent with a password over a connection without TLS")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("the error holds the password: %v", err)
	}
	if n := len(srv.Mails()); n != 0 {
		t.Errorf("the server got %d mails", n)
	}
}

func TestSendRefusesOtherPlatforms(t *testing.T) {
	srv := smtptest.New(t, smtptest.Options{})
	chat := bot.Subscriber{Platform: bot.PlatformSlack, Workspace: "T1", User: "U1"}
	_, err := mailer(t, srv, "", "").Send(context.Background(), chat, bot.Message{Key: "k", Text: "hi"})
	var permanent *bot.PermanentError
	if !errors.As(err, &permanent) {
		t.Errorf("got %v, want a permanent error", err)
	}
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want mail.Server
		err  bool
	}{
		{url: "smtp://u:p@mail.example:2525", want: mail.Server{Host: "mail.example", Port: 2525, Username: "u", Password: "p"}},
		{url: "smtp://mail.example", want: mail.Server{Host: "mail.example", Port: 587}},
		{url: "smtps://u:p%40ss@mail.example", want: mail.Server{Host: "mail.example", Port: 465, Username: "u", Password: "p@ss", ImplicitTLS: true}},
		{url: "http://mail.example", err: true},
		{url: "smtp://", err: true},
		{url: "smtp://mail.example:99999", err: true},
		{url: "smtp://u:secretpw@mail.example/x", err: true},
	} {
		t.Run(tc.url, func(t *testing.T) {
			got, err := mail.ParseURL(tc.url)
			if (err != nil) != tc.err || got != tc.want && !tc.err {
				t.Errorf("got %+v, %v; want %+v, error %v", got, err, tc.want, tc.err)
			}
			if err != nil && strings.Contains(err.Error(), "secretpw") {
				t.Errorf("the error holds the password: %v", err)
			}
		})
	}
}

// TestMailInDutch: a message in Dutch says its footer and unsubscribe
// link in Dutch, and the link opens the page in Dutch.
func TestMailInDutch(t *testing.T) {
	srv := smtptest.New(t, smtptest.Options{Username: "tenderbot", Password: "s3cret"})
	m := mailer(t, srv, "tenderbot", "s3cret")
	msg := bot.Message{Key: "k1", Text: "Er is een plaats vrijgekomen.", Language: text.Dutch}
	if _, err := m.Send(context.Background(), registrant, msg); err != nil {
		t.Fatal(err)
	}
	got := wait(t, srv, 1)
	if h := got.Header().Get("Content-Language"); h != "nl" {
		t.Errorf("Content-Language: got %q, want nl", h)
	}
	plain := got.Part("text/plain")
	for _, want := range []string{"Je krijgt deze mail omdat je je hebt aangemeld", "Afmelden (je geeft dan je plaats op): https://events.example/unsubscribe?a=jan%40zon.example&lang=nl&t=sig"} {
		if !strings.Contains(plain, want) {
			t.Errorf("the text lacks %q:\n%s", want, plain)
		}
	}
	html := got.Part("text/html")
	for _, want := range []string{`<html lang="nl">`, `>Afmelden</a>`} {
		if !strings.Contains(html, want) {
			t.Errorf("the HTML part lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(plain+html, "unsubscribe (this") || strings.Contains(plain, "You get this mail") {
		t.Errorf("English in a Dutch mail:\n%s\n%s", plain, html)
	}
}
