package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// Defaults for FetcherOptions.
const (
	DefaultMaxBytes  = 10 << 20 // 10 MiB
	DefaultUserAgent = "tenderbot (+https://github.com/tenderbot/tenderbot)"
	defaultTimeout   = 30 * time.Second
)

// acceptHeader prefers feed types but takes anything: some portals serve
// their RSS as text/html, and Parse tells a person what came back instead.
const acceptHeader = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.1"

// errTooLarge is wrapped by Fetch when a body exceeds the cap.
var errTooLarge = errors.New("feed is larger than the size cap")

// FetcherOptions configure a Fetcher. The zero value is usable.
type FetcherOptions struct {
	// Client sends the requests; nil means a client of our own with a 30s
	// timeout. Tests pass one whose transport targets a local server.
	Client *http.Client
	// MaxBytes caps the size of a feed; 0 means DefaultMaxBytes.
	MaxBytes int64
	// UserAgent is sent with every request; "" means DefaultUserAgent.
	UserAgent string
	// HostGap is the least time between two requests to one host; 0 means
	// DefaultHostGap, a negative value none. Requests to one host never run
	// at the same time.
	HostGap time.Duration
	// Guard checks untrusted requests (partners' feeds); nil means a guard
	// that refuses every private address.
	Guard *Guard
	// TEDURL is the TED Search API endpoint ted: feeds query; "" means
	// TEDSearchURL.
	TEDURL string
	// TenderNedURL is the TenderNed publications API the tenderned source
	// and TenderNed Atom feeds read from; "" means TenderNedAPIURL.
	TenderNedURL string
	// ExportsURL is the German notice export service the de source reads
	// from; "" means ExportsAPIURL.
	ExportsURL string
	// RetryWait is the first wait before a detail request that failed with
	// 429 or 5xx is asked again (doubling after that, or what Retry-After
	// says); 0 means DefaultRetryWait.
	RetryWait time.Duration
	// Now is the clock that tells named sources which day it is; nil
	// means time.Now.
	Now func() time.Time
}

// DefaultRetryWait is the default first wait before a failed detail
// request is retried.
const DefaultRetryWait = 2 * time.Second

// DefaultHostGap is the default least time between requests to one host.
const DefaultHostGap = time.Second

// Request is one fetch, with the validators of the previous response so an
// unchanged feed costs no download.
type Request struct {
	Location string
	// Untrusted requests (a partner's feed, not the operator's) go through
	// the guard: only public http(s) addresses, checked at every hop.
	Untrusted    bool
	ETag         string // sent as If-None-Match
	LastModified string // sent as If-Modified-Since when there is no ETag
	// JoinDetails reads a TenderNed list from the web to its last page and
	// joins each publication of it, or of a TenderNed Atom feed, to its
	// detail: for a one-off read (tenderbot ingest), not for polling,
	// which reads each detail once through the tenderned source.
	JoinDetails bool
}

// Response is what a fetch brought back.
type Response struct {
	Body        []byte
	NotModified bool // 304: the previous body still holds; Body is nil
	// ETag and LastModified are the validators to send next time.
	ETag         string
	LastModified string
	// MaxAge is how long the server said the feed stays fresh
	// (Cache-Control max-age), 0 when it did not say.
	MaxAge time.Duration
	// PublishesIn, when positive, is how soon the feed has more to say:
	// the built-in example feed's promise, which the poller keeps by
	// reading it again then, interval or not.
	PublishesIn time.Duration
	// Source is how a named source (tenderned, de) stands after the read;
	// nil for other feeds.
	Source *bot.SourceHealth
}

// ThrottledError reports a 429 or 503 answer: the server asks us to come
// back later, after RetryAfter when it said (0 when it did not).
type ThrottledError struct {
	Status     int
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("server answered %s; it asks to retry after %s", statusText(e.Status), e.RetryAfter)
	}
	return fmt.Sprintf("server answered %s", statusText(e.Status))
}

// StatusError reports an answer other than 2xx, 304, 429 and 503.
type StatusError struct {
	Status int
}

func (e *StatusError) Error() string { return "server answered " + statusText(e.Status) }

// Fetcher reads feeds from the web, the local disk, or the binary. It is safe
// for concurrent use.
type Fetcher struct {
	client       *http.Client
	guard        *Guard
	guarded      *http.Client // enforces guard, for untrusted requests
	tedURL       string
	tenderNedURL string
	exportsURL   string
	retryWait    time.Duration
	now          func() time.Time
	maxBytes     int64
	userAgent    string
	hosts        *hostGates
	builtin      builtinReads
}

// NewFetcher returns a Fetcher with opts, defaults filled in.
func NewFetcher(opts FetcherOptions) *Fetcher {
	gap := opts.HostGap
	if gap == 0 {
		gap = DefaultHostGap
	}
	f := &Fetcher{client: opts.Client, maxBytes: opts.MaxBytes, userAgent: opts.UserAgent, hosts: newHostGates(max(gap, 0))}
	if f.client == nil {
		f.client = &http.Client{Timeout: defaultTimeout}
	}
	f.guard = opts.Guard
	if f.guard == nil {
		f.guard = &Guard{}
	}
	f.guarded = f.guard.Client(f.client.Timeout)
	f.tedURL = opts.TEDURL
	if f.tedURL == "" {
		f.tedURL = TEDSearchURL
	}
	f.tenderNedURL = strings.TrimRight(firstNonEmpty(opts.TenderNedURL, TenderNedAPIURL), "/")
	f.exportsURL = firstNonEmpty(opts.ExportsURL, ExportsAPIURL)
	f.retryWait = opts.RetryWait
	if f.retryWait <= 0 {
		f.retryWait = DefaultRetryWait
	}
	f.now = opts.Now
	if f.now == nil {
		f.now = time.Now
	}
	if f.maxBytes <= 0 {
		f.maxBytes = DefaultMaxBytes
	}
	if f.userAgent == "" {
		f.userAgent = DefaultUserAgent
	}
	return f
}

// Fetch returns the bytes of the feed at location, which is one of
//
//   - an http:// or https:// URL, read with GET;
//   - a file:// URL or a plain local path, read from disk;
//   - builtin:NAME, a feed embedded in the binary (see ExampleFeedURL).
//
// It fails on a non-2xx answer, on a body larger than the cap, and on any
// other scheme. Errors name the location without its credentials.
func (f *Fetcher) Fetch(ctx context.Context, location string) ([]byte, error) {
	resp, err := f.Get(ctx, Request{Location: location})
	return resp.Body, err
}

// Get fetches r.Location like Fetch, conditionally over HTTP: with an ETag
// it sends If-None-Match (an ETag wins over Last-Modified), else
// If-Modified-Since, and a 304 comes back as NotModified without a body. A
// 429 or 503 is a *ThrottledError carrying the server's Retry-After.
// Requests to one host wait their turn and keep the host gap.
func (f *Fetcher) Get(ctx context.Context, r Request) (Response, error) {
	resp, err := f.get(ctx, r)
	if err != nil {
		return Response{}, fmt.Errorf("fetch %s: %w", Redact(r.Location), err)
	}
	return resp, nil
}

func (f *Fetcher) get(ctx context.Context, r Request) (Response, error) {
	location := strings.TrimSpace(r.Location)
	if r.Untrusted {
		if err := f.guard.CheckURL(ctx, location); err != nil {
			return Response{}, err
		}
		u, _ := url.Parse(location) // checked
		return f.getHTTP(ctx, u, r)
	}
	if name, ok := strings.CutPrefix(location, builtinScheme); ok {
		return f.builtin.read(name)
	}
	u, err := url.Parse(location)
	if err != nil {
		// Not a URL; a path such as "feeds/my feed%.xml" still is a file.
		return body(f.readFile(location))
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return f.getHTTP(ctx, u, r)
	case "file":
		if u.Host != "" && u.Host != "localhost" {
			return Response{}, fmt.Errorf("file URL names host %q: only local files can be read", u.Host)
		}
		return body(f.readFile(u.Path))
	case "":
		return body(f.readFile(location))
	}
	if len(u.Scheme) == 1 {
		return body(f.readFile(location)) // a Windows drive letter: C:\feeds\x.xml
	}
	return Response{}, fmt.Errorf("unsupported scheme %q: use an http:// or https:// URL, a file:// URL or local path, or builtin:NAME", u.Scheme)
}

// body wraps bytes read from a place without HTTP semantics.
func body(data []byte, err error) (Response, error) {
	return Response{Body: data}, err
}

func (f *Fetcher) getHTTP(ctx context.Context, u *url.URL, r Request) (Response, error) {
	resp, release, err := f.openHTTP(ctx, u, r)
	if err != nil {
		return Response{}, err
	}
	defer release()
	defer resp.Body.Close()
	out := Response{
		ETag:         resp.Header.Get("ETag"),
		LastModified: resp.Header.Get("Last-Modified"),
		MaxAge:       maxAge(resp.Header.Get("Cache-Control")),
	}
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.NotModified = true
		// A 304 may omit the validators; the ones sent still hold.
		if out.ETag == "" {
			out.ETag = r.ETag
		}
		if out.LastModified == "" {
			out.LastModified = r.LastModified
		}
		return out, nil
	case resp.ContentLength > f.maxBytes:
		return Response{}, f.tooLarge()
	}
	out.Body, err = f.readCapped(resp.Body)
	if err != nil {
		return Response{}, err
	}
	return out, nil
}

// openHTTP sends the request for u in the host's turn (after its
// robots.txt Crawl-delay, learnt when stale) and returns the answer, 2xx or
// 304, with its body to read and close, and release to call once it is
// read. Any other answer is an error: a *ThrottledError for 429 and 503,
// else a *StatusError.
func (f *Fetcher) openHTTP(ctx context.Context, u *url.URL, r Request) (*http.Response, func(), error) {
	client := f.client
	if r.Untrusted {
		client = f.guarded
	}
	turn, err := f.hosts.acquire(ctx, u.Host)
	if err != nil {
		return nil, nil, err
	}
	if f.hosts.polite() && turn.robotsStale(time.Now()) {
		turn.learn(f.crawlDelay(ctx, u, client), time.Now())
		if err := turn.wait(ctx); err != nil {
			turn.release()
			return nil, nil, err
		}
	}
	resp, err := f.send(ctx, client, u, r)
	if err != nil {
		turn.release()
		return nil, nil, err
	}
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		resp.Body.Close()
		turn.release()
		return nil, nil, &ThrottledError{Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())}
	case resp.StatusCode != http.StatusNotModified && (resp.StatusCode < 200 || resp.StatusCode > 299):
		resp.Body.Close()
		turn.release()
		return nil, nil, &StatusError{Status: resp.StatusCode}
	}
	return resp, turn.release, nil
}

// send sends one GET of u with client and the validators of r.
func (f *Fetcher) send(ctx context.Context, client *http.Client, u *url.URL, r Request) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", acceptHeader)
	req.Header.Set("User-Agent", f.userAgent)
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	} else if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	resp, err := client.Do(req)
	if err != nil {
		// *url.Error repeats the URL, user name and query included; the
		// caller names the location, redacted.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, inWords(err)
	}
	return resp, nil
}

func (f *Fetcher) readFile(path string) ([]byte, error) {
	if path == "" {
		return nil, errors.New("empty location: give an http(s) URL, a local path, or builtin:NAME")
	}
	file, err := os.Open(path)
	if err != nil {
		// The caller names the path already; keep only the reason.
		var perr *fs.PathError
		if errors.As(err, &perr) {
			err = perr.Err
		}
		return nil, err
	}
	defer file.Close()
	return f.readCapped(file)
}

// readCapped reads r to the end, or fails once it passes the cap: one byte
// over is enough to know, and nothing larger is held in memory.
func (f *Fetcher) readCapped(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, f.maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", inWords(err))
	}
	if int64(len(data)) > f.maxBytes {
		return nil, f.tooLarge()
	}
	return data, nil
}

func (f *Fetcher) tooLarge() error {
	return fmt.Errorf("%w of %s", errTooLarge, byteSize(f.maxBytes))
}

func statusText(code int) string {
	if t := http.StatusText(code); t != "" {
		return fmt.Sprintf("%d %s", code, t)
	}
	return fmt.Sprint(code)
}

// byteSize writes n the way people read a limit: "10 MiB", "512 KiB", "300 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// secretParams are query parameters whose values are credentials often put in
// feed URLs; Redact hides them.
var secretParams = []string{"key", "token", "secret", "password", "passwd", "pwd", "auth", "signature", "sig", "session"}

// Redact returns location fit for a log line or an error: without user name
// and password, and with credential-like query values replaced.
func Redact(location string) string {
	u, err := url.Parse(strings.TrimSpace(location))
	if err != nil || u.Scheme == "" || u.Opaque != "" {
		return location
	}
	u.User = nil
	if u.RawQuery != "" {
		q := u.Query()
		for name := range q {
			lower := strings.ToLower(name)
			for _, s := range secretParams {
				if strings.Contains(lower, s) {
					q[name] = []string{"REDACTED"}
					break
				}
			}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// urlInText finds what looks like a URL inside text: a scheme, "://" and
// everything up to white space or a quote.
var urlInText = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`)

// RedactText returns text with every URL in it redacted as Redact does, for
// log lines and errors that quote URLs among other words.
func RedactText(text string) string {
	if !strings.Contains(text, "://") {
		return text
	}
	return urlInText.ReplaceAllStringFunc(text, Redact)
}
