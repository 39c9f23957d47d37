package feeds

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// The TED Search API v3: POST an expert query, get pages of notices with the
// fields asked for, and page on with the token each page ends with
// (paginationMode ITERATION, no limit on the number of notices). No key is
// needed to search published notices.

// TEDSearchURL is the address of the TED Search API v3 notice search.
const TEDSearchURL = "https://api.ted.europa.eu/v3/notices/search"

// TEDMaxLimit is the most notices the TED Search API returns on one page.
const TEDMaxLimit = 250

// tedFields are the fields asked for when a query names none: those the
// notice is made of.
var tedFields = []string{
	"publication-number", "publication-date", "notice-type", "form-type", "procedure-type",
	"notice-title", "description-proc", "buyer-name", "buyer-country", "classification-cpv",
	"place-of-performance", "deadline-receipt-tender-date-lot", "estimated-value-proc",
	"estimated-value-cur-proc",
}

// TEDQuery is a search of the TED Search API v3.
type TEDQuery struct {
	// Query is an expert query, e.g.
	// "place-of-performance=NLD AND publication-date>=20260101".
	Query string
	// Fields are the fields to return for each notice; nil asks for the
	// ones a notice is made of (publication number, title, buyer, CPV,
	// place, dates, value, types).
	Fields []string
	// Limit is the number of notices per page, 1 to TEDMaxLimit; 0 means
	// TEDMaxLimit.
	Limit int
}

// Body returns the JSON request body for one page of q in ITERATION mode:
// the first page when token is "", else the page after the one that
// returned token (see NextIterationToken).
func (q TEDQuery) Body(token string) ([]byte, error) {
	if strings.TrimSpace(q.Query) == "" {
		return nil, errors.New("ted query: the expert query is empty; e.g. place-of-performance=NLD AND publication-date>=20260101")
	}
	limit := q.Limit
	switch {
	case limit == 0:
		limit = TEDMaxLimit
	case limit < 0 || limit > TEDMaxLimit:
		return nil, fmt.Errorf("ted query: limit %d is out of range; use 1 to %d", limit, TEDMaxLimit)
	}
	fields := q.Fields
	if len(fields) == 0 {
		fields = tedFields
	}
	return json.Marshal(struct {
		Query              string   `json:"query"`
		Fields             []string `json:"fields"`
		Limit              int      `json:"limit"`
		PaginationMode     string   `json:"paginationMode"`
		IterationNextToken string   `json:"iterationNextToken,omitempty"`
	}{q.Query, fields, limit, "ITERATION", token})
}

// NextIterationToken returns the token of the page after data, a TED Search
// API response page; "" on the last page (no token, or no notices left).
func NextIterationToken(data []byte) string {
	var page struct {
		Notices            []json.RawMessage `json:"notices"`
		IterationNextToken *string           `json:"iterationNextToken"`
	}
	if json.Unmarshal(data, &page) != nil || page.IterationNextToken == nil || len(page.Notices) == 0 {
		return ""
	}
	return strings.TrimSpace(*page.IterationNextToken)
}

// SearchTED posts one page of q to the TED Search API at baseURL
// (TEDSearchURL, or a test server) and returns the response page as it
// came; token is "" for the first page. A 429 or 503 answer is a
// *ThrottledError, any other non-2xx answer an error with what the API
// said; a page larger than DefaultMaxBytes is an error too.
func SearchTED(ctx context.Context, client *http.Client, baseURL string, q TEDQuery, token string) ([]byte, error) {
	body, err := q.Body(token)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("ted search: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", DefaultUserAgent)
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ted search: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, DefaultMaxBytes+1))
	switch {
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable:
		return nil, fmt.Errorf("ted search: %w", &ThrottledError{Status: resp.StatusCode, RetryAfter: retryAfter(resp.Header.Get("Retry-After"), time.Now())})
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return nil, fmt.Errorf("ted search: server answered %s: %s", statusText(resp.StatusCode), truncate(plainText(string(data)), 300))
	case err != nil:
		return nil, fmt.Errorf("ted search: read: %w", err)
	case len(data) > DefaultMaxBytes:
		return nil, fmt.Errorf("ted search: %w of %s", errTooLarge, byteSize(DefaultMaxBytes))
	}
	return data, nil
}

// FetchTED runs q against the TED Search API at baseURL, page after page,
// for at most maxPages pages (at least one), and returns the notices read,
// each once, with Source set to source.
func FetchTED(ctx context.Context, client *http.Client, baseURL string, q TEDQuery, maxPages int, source string) ([]bot.Notice, error) {
	var notices []bot.Notice
	seen := map[string]bool{}
	token := ""
	for page := 0; page < max(maxPages, 1); page++ {
		data, err := SearchTED(ctx, client, baseURL, q, token)
		if err != nil {
			return nil, err
		}
		read, err := parseTED(data, source)
		if err != nil {
			return nil, fmt.Errorf("ted search: page %d: %w", page+1, err)
		}
		for _, n := range read {
			if !seen[n.ID] {
				seen[n.ID] = true
				notices = append(notices, n)
			}
		}
		next := NextIterationToken(data)
		if next == "" || next == token {
			break
		}
		token = next
	}
	return notices, nil
}

// parseTED reads a TED Search API response page ({"notices": […]}) or one
// notice record of it. A record that embeds its eForms notice (base64 in
// "content") is read from that; any other from its fields.
func parseTED(data []byte, source string) ([]bot.Notice, error) {
	data = trimDocument(data)
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, fmt.Errorf("malformed TED API JSON: %w", err)
	}
	var records []json.RawMessage
	switch {
	case top["notices"] != nil:
		// Into a fresh slice: RawMessage reuses the memory of elements
		// already there, and data must stay as it is.
		if err := json.Unmarshal(top["notices"], &records); err != nil {
			return nil, fmt.Errorf("malformed TED API page: notices: %w", err)
		}
	case top["publication-number"] != nil || top["ND"] != nil || top["content"] != nil:
		records = []json.RawMessage{data}
	default:
		return nil, errors.New("not a TED API response: it has neither notices nor a publication number")
	}
	var notices []bot.Notice
	seen := map[string]bool{}
	for _, raw := range records {
		var rec tedRecord
		if json.Unmarshal(raw, &rec) != nil {
			continue
		}
		n := rec.notice(source)
		if n.ID == "" || seen[n.ID] {
			continue
		}
		seen[n.ID] = true
		notices = append(notices, n)
	}
	return notices, nil
}

// tedRecord is one notice of a TED API response: field name to value. The
// API names fields in full ("publication-number") or, in older responses,
// by short aliases ("ND"); values are strings, numbers, lists, or maps from
// ISO 639-2 language code to text.
type tedRecord map[string]any

// notice normalises the record.
func (r tedRecord) notice(source string) bot.Notice {
	var n bot.Notice
	if content, ok := r["content"].(string); ok {
		if xmlData, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(content), "")); err == nil {
			if en, err := ParseEForms(xmlData, source); err == nil {
				n = en.Notice
			}
		}
	}
	if n.ID == "" {
		n = r.fieldsNotice(source)
	}
	if link := r.link(n.Language); link != "" {
		n.URL = link
	}
	return n
}

// fieldsNotice normalises the record from its fields.
func (r tedRecord) fieldsNotice(source string) bot.Notice {
	n := bot.Notice{Source: source, Kind: bot.KindOther}
	n.ID = tedPublicationNumber(first(r.values("publication-number", "ND")))
	// The notice's own language: stated, else the one language its
	// description or buyer is given in (TED translates titles, not
	// those). The title is shown in it when there, else in English.
	lang := firstNonEmpty(languageFromCode(first(r.values("OL"))),
		r.onlyLanguage("description-proc"), r.onlyLanguage("buyer-name", "organisation-name-buyer"))
	title, titleLang := r.text(lang, "notice-title", "title-proc", "TI")
	n.Language = firstNonEmpty(titleLang, lang)
	n.Title = plainText(strings.Join(title, " "))
	description, _ := r.text(n.Language, "description-proc")
	n.Description = plainParagraphs(strings.Join(description, "\n"))
	buyers, _ := r.text(n.Language, "buyer-name", "organisation-name-buyer", "AU")
	n.Buyer = plainText(strings.Join(buyers, "; "))
	for _, c := range r.values("classification-cpv", "PC", "OC") {
		n.CPV = addCode(n.CPV, cpvCode(c))
	}
	n.CPV = dropCPVAncestors(n.CPV)
	var placeCountries []string
	for _, p := range r.values("place-of-performance", "RC") {
		if cc := iso3Countries[strings.ToUpper(p)]; cc != "" {
			placeCountries = addCode(placeCountries, cc)
		} else {
			n.NUTS = addCode(n.NUTS, nutsCode(p))
		}
	}
	n.NUTS = dropNUTSAncestors(n.NUTS)
	n.Country = country(n.NUTS, nil)
	if n.Country == "" {
		n.Country = firstNonEmpty(append(placeCountries, countryFromCode(first(r.values("buyer-country", "CY"))))...)
	}
	n.Published, _ = parseDate(first(r.values("publication-date", "PD")), time.UTC, false)
	var deadlines []time.Time
	for _, key := range []string{"deadline-receipt-tender-date-lot", "deadline-receipt-request-date-lot", "deadline", "DT"} {
		for _, d := range r.values(key) {
			if t, ok := parseDate(d, zone(n.Country, n.Language), true); ok {
				deadlines = append(deadlines, t)
			}
		}
	}
	n.Deadline = earliest(deadlines...)
	for _, pair := range [][2]string{{"estimated-value-proc", "estimated-value-cur-proc"}, {"total-value", "total-value-cur"}} {
		if n.Value = parseMoney(first(r.values(pair[0])), first(r.values(pair[1]))); n.Value != nil {
			break
		}
	}
	if n.ID != "" {
		n.Kind = eformsKind(first(r.values("form-type")), first(r.values("notice-type")), "", false)
		n.URL = tedNoticeURL(n.ID, n.Language)
	}
	n.ProcedureID = first(r.values("procedure-identifier"))
	return n
}

// values returns the value of the first of keys the record has, flattened
// to strings; a language map gives the texts of every language.
func (r tedRecord) values(keys ...string) []string {
	for _, k := range keys {
		if v, ok := r[k]; ok && v != nil {
			return flatten(v)
		}
	}
	return nil
}

// text returns the value of the first of keys the record has in lang, else
// in English, else in the first language there is; and the language it is
// in ("" when the value is no language map).
func (r tedRecord) text(lang string, keys ...string) (text []string, textLang string) {
	for _, k := range keys {
		v, ok := r[k]
		if !ok || v == nil {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return flatten(v), ""
		}
		langs := sortedKeys(m)
		pick := func(want string) (string, bool) {
			for _, l := range langs {
				if languageFromCode(l) == want {
					return l, true
				}
			}
			return "", false
		}
		key, ok := pick(lang)
		if !ok {
			key, ok = pick("en")
		}
		if !ok && len(langs) > 0 {
			key = langs[0]
		}
		return flatten(m[key]), languageFromCode(key)
	}
	return nil, ""
}

// onlyLanguage returns the language of the first of keys the record has,
// when its value is a language map with exactly one language; else "".
func (r tedRecord) onlyLanguage(keys ...string) string {
	for _, k := range keys {
		if v, ok := r[k]; ok && v != nil {
			if m, ok := v.(map[string]any); ok && len(m) == 1 {
				for l := range m {
					return languageFromCode(l)
				}
			}
			return ""
		}
	}
	return ""
}

// link returns the record's HTML link in lang, else in English, else any;
// "" when it has none.
func (r tedRecord) link(lang string) string {
	links, _ := r["links"].(map[string]any)
	for _, kind := range []string{"html", "htmlDirect"} {
		if url, _ := tedRecord(links).text(lang, kind); len(url) > 0 {
			return url[0]
		}
	}
	return ""
}

// flatten turns a JSON value into strings: a string or number is one, a list
// its elements', a map its values' in the order of its keys.
func flatten(v any) []string {
	switch v := v.(type) {
	case string:
		if v = strings.TrimSpace(v); v != "" {
			return []string{v}
		}
	case float64:
		return []string{strconv.FormatFloat(v, 'f', -1, 64)}
	case []any:
		var out []string
		for _, e := range v {
			out = append(out, flatten(e)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, k := range sortedKeys(v) {
			out = append(out, flatten(v[k])...)
		}
		return out
	}
	return nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// first returns the first of values, "" when there is none.
func first(values []string) string {
	if len(values) > 0 {
		return values[0]
	}
	return ""
}
