package main

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"

	"github.com/tenderbot/tenderbot/adapters/mail"
	"github.com/tenderbot/tenderbot/adapters/web"
)

// validateMail checks the SMTP settings and the secret key.
func (c *Config) validateMail(bad func(name, format string, args ...any)) {
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		bad("SECRET_KEY", "is %d characters; use at least 32 random ones (e.g. the output of `openssl rand -base64 32`)", len(c.SecretKey))
	}
	if c.SMTPURL == "" {
		if c.SMTPFrom != "" {
			bad("SMTP_URL", "is unset, but TENDERBOT_SMTP_FROM is set; set the server, e.g. smtp://user:password@smtp.example.org:587")
		}
		return
	}
	s, err := mail.ParseURL(c.SMTPURL)
	if err != nil {
		// The URL is not repeated: it may hold the password.
		bad("SMTP_URL", "%v", err)
	}
	c.smtp = s
	if c.SMTPFrom == "" {
		bad("SMTP_FROM", "is unset; set the sender of the mail, e.g. \"Gemeente Almelo events <events@almelo.nl>\"")
	} else if _, err := mail.New(mail.Options{From: c.SMTPFrom, Unsubscribe: func(string) string { return "" }}); err != nil {
		bad("SMTP_FROM", "%q is not an address such as events@almelo.nl or \"Events <events@almelo.nl>\"", c.SMTPFrom)
	}
	if c.HTTPAddr == "" {
		bad("HTTP_ADDR", "is empty, but TENDERBOT_SMTP_URL is set: the registration form and every mail's unsubscribe link are served on the HTTP listener; set it, e.g. 0.0.0.0:8080")
	}
}

// formKey is the key that signs the registration form's tokens and the
// unsubscribe links: derived from TENDERBOT_SECRET_KEY, so the same
// secret used elsewhere signs nothing there, or random for this process.
func (c Config) formKey() []byte { return c.derivedKey("tenderbot web forms") }

// derivedKey is a 32-byte key for one purpose, derived from
// TENDERBOT_SECRET_KEY (HMAC-SHA256 of the purpose), so that no two uses
// share a key; random for this process when no secret is set.
func (c Config) derivedKey(purpose string) []byte {
	if c.SecretKey == "" {
		key := make([]byte, 32)
		rand.Read(key) // never fails
		return key
	}
	mac := hmac.New(sha256.New, []byte(c.SecretKey))
	mac.Write([]byte(purpose))
	return mac.Sum(nil)
}

// newMailer returns the messenger for people registered by e-mail, or nil
// when no SMTP server is configured.
func newMailer(cfg Config, log *slog.Logger, public string, key []byte) (*mail.Mailer, error) {
	if cfg.SMTPURL == "" {
		return nil, nil
	}
	return mail.New(mail.Options{
		Server:      cfg.smtp,
		From:        cfg.SMTPFrom,
		Unsubscribe: func(addr string) string { return web.UnsubscribeURL(public, key, addr) },
		Site:        public,
		Timeout:     cfg.FetchTimeout,
		Logger:      log,
	})
}

// announceMail says whether people can register on the event pages.
func announceMail(w io.Writer, cfg Config) {
	if cfg.SMTPURL == "" {
		fmt.Fprintln(w, "tenderbot: no TENDERBOT_SMTP_URL: event pages say to register in chat")
		return
	}
	fmt.Fprintf(w, "tenderbot: registration on event pages; mail through %s\n", net.JoinHostPort(cfg.smtp.Host, strconv.Itoa(cfg.smtp.Port)))
	if cfg.SecretKey == "" {
		fmt.Fprintln(w, "tenderbot: TENDERBOT_SECRET_KEY is unset: forms and unsubscribe links signed with a key of this process only stop working at a restart")
	}
}
