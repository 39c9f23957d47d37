package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
)

// csrfCookie holds the random value a browser's registration forms are
// bound to: the form's hidden field carries its HMAC, which a page on
// another site can neither read nor make.
const csrfCookie = "tenderbot_form"

// csrfField is the hidden field of the registration form.
const csrfField = "csrf"

// sign is the HMAC-SHA256 of the parts under key, each part framed by its
// purpose so a token for one use is never valid for another.
func sign(key []byte, purpose string, parts ...string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(purpose))
	for _, p := range parts {
		mac.Write([]byte{0})
		mac.Write([]byte(p))
	}
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// validSignature reports whether token is the signature of the parts, in
// constant time.
func validSignature(key []byte, token, purpose string, parts ...string) bool {
	return token != "" && hmac.Equal([]byte(token), []byte(sign(key, purpose, parts...)))
}

// formToken returns the token for the registration form of this browser,
// setting the browser's cookie when it has none yet.
func (g *registration) formToken(w http.ResponseWriter, r *http.Request, secure bool) string {
	value := ""
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		value = c.Value
	} else {
		b := make([]byte, 32)
		rand.Read(b) // never fails
		value = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(w, &http.Cookie{
			Name: csrfCookie, Value: value, Path: "/events", MaxAge: 24 * 60 * 60,
			HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode,
		})
	}
	return sign(g.key, "csrf", value)
}

// validCSRF reports whether the post carries the token of its browser's
// cookie.
func (g *registration) validCSRF(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	return validSignature(g.key, r.PostFormValue(csrfField), "csrf", c.Value)
}

// UnsubscribeURL is the one-click unsubscribe link of a mail to addr,
// under the site's base ("https://tenderbot.example.org"), signed with the
// key given to MountRegistration.
func UnsubscribeURL(base string, key []byte, addr string) string {
	q := url.Values{"a": {addr}, "t": {sign(key, "unsubscribe", addr)}}
	return strings.TrimRight(base, "/") + "/unsubscribe?" + q.Encode()
}

// validUnsubscribe reports whether token is the signature of addr's
// unsubscribe link.
func validUnsubscribe(key []byte, addr, token string) bool {
	return addr != "" && validSignature(key, token, "unsubscribe", addr)
}
