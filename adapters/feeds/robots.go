package feeds

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	// robotsTTL is how long a host's robots.txt is believed.
	robotsTTL = 24 * time.Hour
	// robotsMaxBytes caps how much of a robots.txt is read.
	robotsMaxBytes = 64 << 10
	// robotsTimeout bounds reading a robots.txt, within the feed's budget.
	robotsTimeout = 10 * time.Second
	// maxCrawlDelay caps a host's Crawl-delay, so that a feed of several
	// pages is still read within its round's budget.
	maxCrawlDelay = 30 * time.Second
)

// crawlDelay reads the Crawl-delay the host of u asks of this bot in its
// robots.txt, through client; 0 when it asks none or cannot be read. Only
// the delay is taken: a feed is a document its publisher offers to
// readers, not a page to crawl, so Disallow lines do not apply to it.
func (f *Fetcher) crawlDelay(ctx context.Context, u *url.URL, client *http.Client) time.Duration {
	ctx, cancel := context.WithTimeout(ctx, robotsTimeout)
	defer cancel()
	robots := url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, robots.String(), nil)
	if err != nil {
		return 0
	}
	req.Header.Set("User-Agent", f.userAgent)
	resp, err := client.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, robotsMaxBytes))
	if err != nil {
		return 0
	}
	return parseCrawlDelay(body, f.userAgent)
}

// parseCrawlDelay returns the Crawl-delay that robots.txt body sets for the
// user agent: the group naming its product token ("tenderbot" of
// "tenderbot (+https://…)") wins over the group for every agent ("*").
// Seconds may have a fraction; the delay is capped at maxCrawlDelay.
func parseCrawlDelay(body []byte, userAgent string) time.Duration {
	token := strings.ToLower(strings.Fields(userAgent + " x")[0])
	if i := strings.IndexByte(token, '/'); i >= 0 {
		token = token[:i]
	}
	var (
		agents         []string // of the group being read
		inRules        bool     // the group's rules have begun
		own, all       time.Duration
		ownSet, allSet bool
	)
	scanner := bufio.NewScanner(bytes.NewReader(body))
	for scanner.Scan() {
		line, _, _ := strings.Cut(scanner.Text(), "#")
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		if key == "user-agent" {
			if inRules {
				agents, inRules = nil, false
			}
			agents = append(agents, strings.ToLower(value))
			continue
		}
		inRules = true
		if key != "crawl-delay" {
			continue
		}
		secs, err := strconv.ParseFloat(value, 64)
		if err != nil || secs < 0 || secs != secs {
			continue
		}
		d := maxCrawlDelay
		if secs < maxCrawlDelay.Seconds() {
			d = time.Duration(secs * float64(time.Second))
		}
		for _, a := range agents {
			switch {
			case a == "*":
				all, allSet = d, true
			case a != "" && strings.HasPrefix(token, a):
				own, ownSet = d, true
			}
		}
	}
	switch {
	case ownSet:
		return own
	case allSet:
		return all
	}
	return 0
}
