package slack

import (
	"net/url"
	"strings"
	"unicode/utf8"

	slackapi "github.com/slack-go/slack"
)

// mrkdwnEscaper escapes the three characters Slack's mrkdwn reserves for
// links and mentions. Backticks stay: the core's `code` is Slack's too.
var mrkdwnEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// mrkdwn makes plain text safe to show as mrkdwn.
func mrkdwn(s string) string { return mrkdwnEscaper.Replace(s) }

// mrkdwnText is a mrkdwn text object.
func mrkdwnText(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.MarkdownType, s, false, false)
}

// plainText is a plain_text object, as buttons, labels and titles need.
func plainText(s string) *slackapi.TextBlockObject {
	return slackapi.NewTextBlockObject(slackapi.PlainTextType, s, false, false)
}

// link is mrkdwn for text linking to u, or the text alone when u is not a
// web URL.
func link(u, text string) string {
	if !isWebURL(u) {
		return mrkdwn(text)
	}
	// The URL must not end the link early: < > | close or split it.
	u = strings.NewReplacer("<", "%3C", ">", "%3E", "|", "%7C", " ", "%20").Replace(u)
	return "<" + u + "|" + mrkdwn(strings.ReplaceAll(text, "|", "¦")) + ">"
}

// isWebURL reports whether u is an absolute http or https URL, the only
// kind a notice link may be.
func isWebURL(u string) bool {
	parsed, err := url.Parse(u)
	return err == nil && (parsed.Scheme == "https" || parsed.Scheme == "http") && parsed.Host != "" && len(u) <= 3000
}

// truncate shortens s to at most n characters (runes), marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// oneLine joins the lines of s and collapses runs of white space.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// splitText cuts s into pieces of at most n characters, at line breaks
// where it can. Empty text gives no pieces.
func splitText(s string, n int) []string {
	s = strings.TrimRight(s, "\n")
	var pieces []string
	for s != "" {
		if utf8.RuneCountInString(s) <= n {
			pieces = append(pieces, s)
			break
		}
		cut := string([]rune(s)[:n])
		if i := strings.LastIndex(cut, "\n"); i > 0 {
			cut = cut[:i]
		}
		pieces = append(pieces, cut)
		s = strings.TrimLeft(s[len(cut):], "\n")
	}
	return pieces
}
