package feeds

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
)

// wordedError is a failure to reach a feed said in words its owner can
// act on; the cause, with the resolver, addresses and socket outcome it
// names, is for the log (ErrorDetail).
type wordedError struct {
	words string
	cause error
}

func (e *wordedError) Error() string { return e.words }
func (e *wordedError) Unwrap() error { return e.cause }

// ErrorDetail returns what err says in full for the log, where the error
// itself says it in words: the resolver and addresses involved. It is ""
// when err carries nothing more than its words.
func ErrorDetail(err error) string {
	var w *wordedError
	if errors.As(err, &w) && w.cause != nil {
		return w.cause.Error()
	}
	var refused *RefusedError
	if errors.As(err, &refused) && refused.cause != nil {
		return refused.cause.Error()
	}
	return ""
}

// inWords turns a failure to reach or read a feed's server into words:
// could not resolve, refused, timed out, reset, unreachable, certificate.
// Other errors, and refusals by the guard, which are in words already, are
// returned as they are.
func inWords(err error) error {
	var refused *RefusedError
	var dns *net.DNSError
	var certInvalid x509.CertificateInvalidError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var verify *tls.CertificateVerificationError
	var words string
	switch {
	case err == nil || errors.As(err, &refused):
		return err
	case errors.As(err, &dns) && dns.IsTimeout:
		words = fmt.Sprintf("timed out resolving the host name %s", dns.Name)
	case errors.As(err, &dns):
		words = fmt.Sprintf("could not resolve the host name %s", dns.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		words = "the server refused the connection"
	case errors.Is(err, syscall.ECONNRESET):
		words = "the server reset the connection"
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		words = "the server could not be reached"
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || isTimeout(err):
		words = "timed out"
	case errors.As(err, &verify) || errors.As(err, &certInvalid) || errors.As(err, &unknownAuthority) || errors.As(err, &hostname):
		words = "its TLS certificate could not be verified"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		words = "the server closed the connection before it answered"
	default:
		return err
	}
	return &wordedError{words: words, cause: err}
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}
