// Package smtptest runs a real SMTP server on a local port for tests: it
// speaks the protocol (EHLO, STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA)
// through github.com/emersion/go-smtp and keeps every mail it accepts.
package smtptest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options configure a Server.
type Options struct {
	// Username and Password, when set, are required: the server then
	// offers STARTTLS with a certificate of its own (see Server.RootCAs)
	// and AUTH PLAIN only over TLS.
	Username, Password string
	// Reject, when set, answers each recipient: nil accepts it, an
	// *smtp.SMTPError refuses it with its code.
	Reject func(rcpt string) error
}

// Server is the running server.
type Server struct {
	// Addr is host:port to connect to.
	Addr string
	// RootCAs trusts the server's certificate; nil without TLS.
	RootCAs *x509.CertPool

	opts    Options
	srv     *smtp.Server
	mu      sync.Mutex
	mails   []Mail
	arrived chan struct{}
}

// Mail is one accepted mail.
type Mail struct {
	From string
	To   []string
	Data []byte // as received, headers and body
	// TLS and Authenticated say how it came.
	TLS, Authenticated bool
}

// New starts a server on a free local port, closed when the test ends.
func New(t testing.TB, opts Options) *Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s := &Server{Addr: l.Addr().String(), opts: opts, arrived: make(chan struct{}, 1)}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{server: s, conn: c}, nil
	}))
	s.srv.Domain = "smtptest.local"
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.MaxMessageBytes = 4 << 20
	if opts.Username != "" {
		cert, pool, err := selfSigned()
		if err != nil {
			t.Fatalf("smtptest: certificate: %v", err)
		}
		s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.RootCAs = pool
	}
	go s.srv.Serve(l)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// Mails returns every mail accepted so far.
func (s *Server) Mails() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mails...)
}

// Wait returns the first mail accepted for which match is true, waiting
// until ctx is done.
func (s *Server) Wait(ctx context.Context, match func(Mail) bool) (Mail, error) {
	for {
		for _, m := range s.Mails() {
			if match(m) {
				return m, nil
			}
		}
		select {
		case <-ctx.Done():
			return Mail{}, fmt.Errorf("smtptest: no such mail among %d: %w", len(s.Mails()), ctx.Err())
		case <-s.arrived:
		}
	}
}

// WaitN returns the nth mail accepted, from 1, waiting until ctx is done.
func (s *Server) WaitN(ctx context.Context, n int) (Mail, error) {
	for {
		if mails := s.Mails(); len(mails) >= n {
			return mails[n-1], nil
		}
		select {
		case <-ctx.Done():
			return Mail{}, fmt.Errorf("smtptest: %d mails, want %d: %w", len(s.Mails()), n, ctx.Err())
		case <-s.arrived:
		}
	}
}

type session struct {
	server *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

func (x *session) AuthMechanisms() []string {
	if x.server.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != x.server.opts.Username || pass != x.server.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		x.authed = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.server.opts.Username != "" && !x.authed {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "authentication required"}
	}
	x.from = from
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if r := x.server.opts.Reject; r != nil {
		if err := r(to); err != nil {
			return err
		}
	}
	x.to = append(x.to, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := x.conn.TLSConnectionState()
	s := x.server
	s.mu.Lock()
	s.mails = append(s.mails, Mail{From: x.from, To: x.to, Data: data, TLS: isTLS, Authenticated: x.authed})
	s.mu.Unlock()
	select {
	case s.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (x *session) Reset()        { x.from, x.to = "", nil }
func (x *session) Logout() error { return nil }

// Header returns the mail's header.
func (m Mail) Header() mail.Header {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return mail.Header{}
	}
	return msg.Header
}

// Part returns the decoded body of the mail's first part of the media type
// ("text/plain", "text/calendar"), searching nested multiparts; "" when
// there is none.
func (m Mail) Part(mediaType string) string {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return ""
	}
	body, _ := findPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, mediaType)
	return body
}

func findPart(contentType, encoding string, body io.Reader, want string) (string, bool) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", false
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return "", false
			}
			if s, ok := findPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, want); ok {
				return s, true
			}
		}
	}
	if mt != want {
		return "", false
	}
	var r io.Reader = body
	switch strings.ToLower(encoding) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64Reader(body)
	}
	b, err := io.ReadAll(r)
	if err != nil && !errors.Is(err, io.EOF) {
		return "", false
	}
	return string(b), true
}

// selfSigned makes a certificate for 127.0.0.1 and localhost, and a pool
// that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool, nil
}
