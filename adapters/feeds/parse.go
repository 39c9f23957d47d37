package feeds

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tenderbot/tenderbot/bot"
)

// errNotFeed is wrapped by Parse when the data is no feed at all.
var errNotFeed = errors.New("not an RSS, Atom or JSON feed")

// parseSyndication reads an RSS (0.9–2.0), Atom or JSON Feed document and
// returns its items as notices, in feed order, with Source set to source.
// Items without title and link are skipped; of items with the same ID the
// first is kept; an Atom tombstone (at:deleted-entry) is no item.
//
// Besides the feed's own fields, each notice is read from its text: CPV and
// NUTS codes, value, deadline, buyer, reference and kind (see extract.go),
// and from the structured CODICE elements an entry may carry (see
// codice.go). A document that is no feed (an HTML page, say) is an error
// that says what it looks like instead.
func parseSyndication(data []byte, source string) ([]bot.Notice, error) {
	feed, err := parseFeed(data)
	if err != nil {
		return nil, err
	}
	feedLang := languageFromCode(feed.Language)
	notices := make([]bot.Notice, 0, len(feed.Items))
	seen := make(map[string]bool, len(feed.Items))
	for _, item := range feed.Items {
		if item == nil {
			continue
		}
		n, ok := notice(item, feedLang, source)
		if !ok || seen[n.ID] {
			continue
		}
		seen[n.ID] = true
		notices = append(notices, n)
	}
	return notices, nil
}

// parseFeed runs gofeed on data. It turns a panic in gofeed into an error: a
// feed is input from strangers, and one bad document must not take the bot
// down.
func parseFeed(data []byte) (feed *gofeed.Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			feed, err = nil, fmt.Errorf("parse feed: the feed parser failed on this document (%v)", r)
		}
	}()
	feed, err = gofeed.NewParser().Parse(bytes.NewReader(data))
	switch {
	case errors.Is(err, gofeed.ErrFeedTypeNotDetected):
		return nil, fmt.Errorf("%w: %s", errNotFeed, sniff(data))
	case err != nil:
		return nil, fmt.Errorf("malformed %s feed: %w", feedTypeName(data), err)
	case feed.FeedType == "json" && len(feed.Items) == 0 && !strings.Contains(feed.FeedVersion, "jsonfeed.org"):
		// gofeed takes any JSON object for a JSON Feed.
		return nil, fmt.Errorf("%w: it looks like JSON, but not a JSON Feed (no jsonfeed.org version)", errNotFeed)
	}
	return feed, nil
}

// sniff says what data looks like, for a person who expected a feed.
func sniff(data []byte) string {
	data = trimDocument(data)
	if len(data) == 0 {
		return "the document is empty"
	}
	head := strings.ToLower(string(data[:min(len(data), 1024)]))
	switch {
	case strings.Contains(head, "<!doctype html") || strings.Contains(head, "<html"):
		return "it looks like an HTML page; use the address of the site's RSS or Atom feed instead"
	case head[0] == '{' || head[0] == '[':
		return "it looks like JSON, but not a JSON Feed, an OCDS package or a TED API response"
	case strings.HasPrefix(head, "%pdf"):
		return "it looks like a PDF document"
	case head[0] == '<':
		return "it looks like XML, but its root element is not rss, RDF or feed"
	}
	return "it does not look like XML or JSON"
}

func feedTypeName(data []byte) string {
	switch gofeed.DetectFeedType(bytes.NewReader(data)) {
	case gofeed.FeedTypeRSS:
		return "RSS"
	case gofeed.FeedTypeAtom:
		return "Atom"
	case gofeed.FeedTypeJSON:
		return "JSON"
	}
	return ""
}

// notice normalises one feed item; ok is false when the item has neither
// title nor link.
func notice(item *gofeed.Item, feedLang, source string) (n bot.Notice, ok bool) {
	title := plainText(item.Title)
	link := strings.TrimSpace(item.Link)
	if link == "" && len(item.Links) > 0 {
		link = strings.TrimSpace(item.Links[0])
	}
	if title == "" && link == "" {
		return bot.Notice{}, false
	}

	// The description is often a summary of the content; keep the fuller.
	descLines, contentLines := plainLines(item.Description), plainLines(item.Content)
	if textLen(contentLines) > textLen(descLines) {
		descLines, contentLines = contentLines, descLines
	}
	var categories []string
	for _, c := range item.Categories {
		if c = plainText(c); c != "" {
			categories = append(categories, c)
		}
	}
	// Labels may stand anywhere: in either text, and in categories where
	// some portals put "CPV: …" or "NUTS: …".
	lines := slices.Concat([]string{title}, descLines, contentLines, categories)

	if title == "" && len(descLines) > 0 {
		title = truncate(descLines[0], 120)
	}
	n = bot.Notice{
		Source:      source,
		Title:       title,
		Description: strings.Join(descLines, "\n"),
		Published:   published(item),
		URL:         link,
	}
	n.ID = itemID(item, link, title, n.Published)
	n.Language = itemLanguage(item, feedLang, title+" "+n.Description)
	n.Buyer = buyerFromText(lines)
	if n.Buyer == "" {
		n.Buyer = author(item)
	}
	n.CPV = cpvCodes(lines, categories)
	n.NUTS = nutsCodes(lines)
	n.Country = country(n.NUTS, lines)
	n.Value = value(lines, n.Language)
	n.Deadline = deadline(lines, n.Country, n.Language)
	n.ProcedureID = procedureID(lines)
	applyCODICE(&n, item.Extensions)
	if n.Kind == "" {
		n.Kind = kind(n.Title, strings.Join(lines[1:], "\n"), !n.Deadline.IsZero())
	}
	return n, true
}

func textLen(lines []string) int {
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	return n
}

// itemID is the item's GUID, else its link, else a hash of its title and
// publication time, which stays the same from one poll to the next.
func itemID(item *gofeed.Item, link, title string, published time.Time) string {
	id := strings.TrimSpace(item.GUID)
	if id == "" {
		id = link
	}
	if id == "" || len(id) > 512 {
		if id == "" {
			id = title + "\n" + published.Format(time.RFC3339)
		}
		sum := sha256.Sum256([]byte(id))
		id = "sha256:" + hex.EncodeToString(sum[:16])
	}
	return id
}

func published(item *gofeed.Item) time.Time {
	switch {
	case item.PublishedParsed != nil:
		return item.PublishedParsed.UTC()
	case item.UpdatedParsed != nil:
		return item.UpdatedParsed.UTC()
	}
	return time.Time{}
}

// itemLanguage is the item's own dc:language, else the language its text is
// clearly written in, else the feed's. The text wins over the feed because
// feeds often state a default ("en-US" on a Dutch site) or mix languages.
func itemLanguage(item *gofeed.Item, feedLang, text string) string {
	if item.DublinCoreExt != nil {
		for _, l := range item.DublinCoreExt.Language {
			if code := languageFromCode(l); code != "" {
				return code
			}
		}
	}
	if guess := guessLanguage(text); guess != "" {
		return guess
	}
	return feedLang
}

// author is the item's first named author (RSS author or dc:creator, Atom
// author, JSON Feed author). A bare e-mail address names no buyer.
func author(item *gofeed.Item) string {
	for _, p := range item.Authors {
		if p != nil {
			if name := plainText(p.Name); name != "" {
				return truncate(name, 200)
			}
		}
	}
	return ""
}
