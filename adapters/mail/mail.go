package mail

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	gomail "github.com/wneessen/go-mail"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/email"
	"github.com/tenderbot/tenderbot/bot/text"
)

// Server is where the mail goes, read from an smtp:// or smtps:// URL.
type Server struct {
	Host     string
	Port     int
	Username string
	Password string
	// ImplicitTLS is set for smtps://: TLS from the first byte. Otherwise
	// the connection is upgraded with STARTTLS, which is required when
	// there is a password to send.
	ImplicitTLS bool
}

// ParseURL reads the SMTP server's URL: smtp://user:pass@host:587
// (STARTTLS; port 587 by default) or smtps://user:pass@host:465 (implicit
// TLS; port 465 by default). Its errors never contain the password.
func ParseURL(raw string) (Server, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Server{}, errors.New("not a URL such as smtp://user:password@smtp.example.org:587")
	}
	var s Server
	switch u.Scheme {
	case "smtp":
		s.Port = 587
	case "smtps":
		s.Port, s.ImplicitTLS = 465, true
	default:
		return Server{}, fmt.Errorf("scheme %q: use smtp:// (STARTTLS) or smtps:// (implicit TLS)", u.Scheme)
	}
	s.Host = u.Hostname()
	if s.Host == "" {
		return Server{}, errors.New("no host; write smtp://user:password@smtp.example.org:587")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Server{}, fmt.Errorf("port %q is not a port", p)
		}
		s.Port = n
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return Server{}, errors.New("the URL takes no path or query; write smtp://user:password@host:port")
	}
	return s, nil
}

// Options configure a Mailer.
type Options struct {
	Server Server
	// From is the sender, an address or "Name <address>".
	From string
	// Unsubscribe returns the one-click unsubscribe link of mail to an
	// address (RFC 8058); required.
	Unsubscribe func(addr string) string
	// Site is the public address the footer names ("https://…"); "" to
	// name none.
	Site string
	// TLS is the client's TLS configuration; nil: the system's roots and
	// the server's host name.
	TLS *tls.Config
	// Timeout bounds one send: connect, hand over, quit; zero: 30s.
	Timeout time.Duration
	Logger  *slog.Logger
}

// Mailer sends messages by e-mail. Each Send opens its own connection:
// the outbox sends one delivery at a time, and event mail is rare.
type Mailer struct {
	opts   Options
	from   string
	domain string // of the sender, for Message-IDs
}

var _ bot.Messenger = (*Mailer)(nil)

// New returns a Mailer; an error when From is not an address.
func New(opts Options) (*Mailer, error) {
	if opts.Unsubscribe == nil {
		return nil, errors.New("mail: no unsubscribe link")
	}
	m := gomail.NewMsg()
	if err := m.From(opts.From); err != nil {
		return nil, fmt.Errorf("mail: sender %q: %w", opts.From, err)
	}
	from := m.GetFromString()
	if len(from) != 1 {
		return nil, fmt.Errorf("mail: sender %q is not one address", opts.From)
	}
	_, domain, _ := strings.Cut(addrOnly(from[0]), "@")
	if opts.Timeout <= 0 {
		opts.Timeout = 30 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Mailer{opts: opts, from: opts.From, domain: domain}, nil
}

// addrOnly is the address of "Name <address>", or s.
func addrOnly(s string) string {
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		return strings.TrimSuffix(s[i+1:], ">")
	}
	return s
}

// MessageID is the Message-ID of the mail sent with delivery key key,
// without its angle brackets: the same for every attempt, so a mail sent
// twice after a crash is recognisable as one (mail programs and servers
// that deduplicate by it show it once).
func MessageID(key, domain string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:20]) + "@" + domain
}

// Send mails m to a person registered by e-mail and returns the mail's
// Message-ID. A refusal the server calls temporary (4xx) is a
// *bot.RetryAfterError; one for the recipient that is final (5xx) is a
// *bot.PermanentError; a server that cannot be reached is a plain error,
// which the outbox retries.
func (x *Mailer) Send(ctx context.Context, to bot.Subscriber, m bot.Message) (string, error) {
	if to.Platform != email.Platform {
		return "", &bot.PermanentError{Err: fmt.Errorf("mail: %s is not an e-mail registrant", to.Key())}
	}
	addr, err := email.Parse(to.User)
	if err != nil {
		return "", &bot.PermanentError{Err: fmt.Errorf("mail: %q is not an address", to.User)}
	}
	msg, id, err := x.compose(addr, m)
	if err != nil {
		return "", &bot.PermanentError{Err: err}
	}
	client, err := x.client()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, x.opts.Timeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return "", classify(err)
	}
	x.opts.Logger.Debug("mail sent", "message_id", id)
	return id, nil
}

// classify turns go-mail's error into the outbox's kinds.
func classify(err error) error {
	var se *gomail.SendError
	if errors.As(err, &se) {
		switch {
		case se.IsTemp():
			return &bot.RetryAfterError{RetryAfter: 5 * time.Minute, Err: fmt.Errorf("mail: %w", err)}
		case se.Reason == gomail.ErrSMTPRcptTo || se.Reason == gomail.ErrSMTPData:
			return &bot.PermanentError{Err: fmt.Errorf("mail: %w", err)}
		}
	}
	return fmt.Errorf("mail: %w", err)
}

// client makes the SMTP client for one send.
func (x *Mailer) client() (*gomail.Client, error) {
	s := x.opts.Server
	opts := []gomail.Option{gomail.WithPort(s.Port), gomail.WithTimeout(x.opts.Timeout)}
	tlsConfig := x.opts.TLS
	if tlsConfig == nil {
		tlsConfig = &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	}
	opts = append(opts, gomail.WithTLSConfig(tlsConfig))
	switch {
	case s.ImplicitTLS:
		opts = append(opts, gomail.WithSSL())
	case s.Password != "":
		// A password goes over TLS or not at all.
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.Username), gomail.WithPassword(s.Password))
	}
	c, err := gomail.NewClient(s.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("mail: client for %s: %w", s.Host, err)
	}
	return c, nil
}

// compose writes m as a mail to addr: plain text with an HTML
// alternative, the calendar file or export attached, and the unsubscribe
// link in the headers (RFC 2369, RFC 8058) and in the body.
func (x *Mailer) compose(addr string, m bot.Message) (*gomail.Msg, string, error) {
	msg := gomail.NewMsg()
	if err := msg.From(x.from); err != nil {
		return nil, "", fmt.Errorf("mail: sender: %w", err)
	}
	if err := msg.To(addr); err != nil {
		return nil, "", fmt.Errorf("mail: recipient: %w", err)
	}
	id := MessageID(m.Key, x.domain)
	if m.Key == "" {
		msg.SetMessageID()
		id = strings.Trim(msg.GetMessageID(), "<>")
	} else {
		msg.SetMessageIDWithValue(id)
	}
	msg.SetDate()
	p := m.Printer()
	msg.Subject(subject(p, m.Text))
	unsubscribe := x.opts.Unsubscribe(addr)
	msg.SetGenHeader(gomail.Header("List-Unsubscribe"), "<"+unsubscribe+">")
	msg.SetGenHeader(gomail.Header("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click")
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	if m.Language != "" {
		msg.SetGenHeader(gomail.Header("Content-Language"), string(p.Language()))
	}
	// The page the body's link opens speaks the mail's language.
	page := unsubscribe
	if p.Language() != text.English {
		page = withLanguage(unsubscribe, p.Language())
	}
	msg.SetBodyString(gomail.TypeTextPlain, plainBody(p, m, x.opts.Site, page))
	msg.AddAlternativeString(gomail.TypeTextHTML, htmlBody(p, m, x.opts.Site, page))
	if a := m.Attachment; a != nil {
		if err := msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, "", fmt.Errorf("mail: attach %s: %w", a.Name, err)
		}
	}
	return msg, id, nil
}

// subject is the first line of the text, shortened to fit a mail
// program's list.
func subject(p text.Printer, body string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(body), "\n")
	line = strings.TrimSpace(line)
	if line == "" {
		return p.Sprintf("tenderbot: events")
	}
	if utf8.RuneCountInString(line) > 110 {
		line = string([]rune(line)[:109]) + "…"
	}
	return line
}

// withLanguage is the unsubscribe link with the language its page is to
// speak.
func withLanguage(link string, l text.Language) string {
	u, err := url.Parse(link)
	if err != nil {
		return link
	}
	q := u.Query()
	q.Set("lang", string(l))
	u.RawQuery = q.Encode()
	return u.String()
}

// footer says why the mail came and how to stop it.
func footer(p text.Printer, site string) string {
	if site == "" {
		return p.Sprintf("You get this mail because you registered for an event with tenderbot.")
	}
	return p.Sprintf("You get this mail because you registered for an event on %s.", site+"/events")
}

// plainBody is the mail's text.
func plainBody(p text.Printer, m bot.Message, site, unsubscribe string) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(m.Text))
	b.WriteString("\n\n-- \n")
	b.WriteString(footer(p, site))
	b.WriteString("\n" + p.Sprintf("To unsubscribe (this gives up your place): %s", unsubscribe) + "\n")
	return b.String()
}

// htmlBody is the mail's text as HTML, each line kept, the unsubscribe
// link a link.
func htmlBody(p text.Printer, m bot.Message, site, unsubscribe string) string {
	var b strings.Builder
	if m.Language != "" {
		fmt.Fprintf(&b, "<!doctype html><html lang=\"%s\"><body style=\"font-family:sans-serif\">", p.Language())
	} else {
		b.WriteString("<!doctype html><html><body style=\"font-family:sans-serif\">")
	}
	for para := range strings.SplitSeq(strings.TrimSpace(m.Text), "\n\n") {
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			b.WriteString(html.EscapeString(line))
		}
		b.WriteString("</p>")
	}
	b.WriteString(`<hr><p style="color:#596570;font-size:small">`)
	b.WriteString(p.Sprintf(`%s <a href="%s">Unsubscribe</a> (this gives up your place).`, html.EscapeString(footer(p, site)), html.EscapeString(unsubscribe)))
	b.WriteString(`</p></body></html>`)
	return b.String()
}
