package slack

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/adapters/slack/fakeslack"
	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/text"
)

// TestCommandsCarryTheUsersSlackLocale: users.info with include_locale
// says what language a person's Slack is in, and the core gets it with
// their commands; it is asked once for many commands, and a person Slack
// does not know reports no locale.
func TestCommandsCarryTheUsersSlackLocale(t *testing.T) {
	core := &stubCore{}
	fake, _, srv := startHTTPApp(t, core)
	fake.SetLocale("U0ANN", "nl-NL")
	for i, tt := range []struct{ user, want string }{{"U0ANN", "nl-NL"}, {"U0ANN", "nl-NL"}, {"U0NOBODY", ""}} {
		cmd := fake.SlashCommand(fakeslack.SlashCommand{User: tt.user, Channel: "C0CHAN", Text: "profiles"})
		if got, _ := post(t, srv, CommandsPath, cmd, testSecret, time.Now()); got != http.StatusOK {
			t.Fatalf("got %d", got)
		}
		responseTo(t, fake, cmd.ResponseURL)
		if got := core.snapshot().commands[i].Locale; got != tt.want {
			t.Errorf("command %d from %s: locale %q, want %q", i+1, tt.user, got, tt.want)
		}
	}
	var asked []string
	for _, c := range fake.Calls("users.info") {
		if c.Param("include_locale") != "true" {
			t.Errorf("users.info without include_locale: %+v", c.Form)
		}
		asked = append(asked, c.Param("user"))
	}
	if got := strings.Join(asked, ","); got != "U0ANN,U0NOBODY" {
		t.Errorf("users.info asked for %s, want U0ANN,U0NOBODY (once each)", got)
	}
}

// TestDutchBlocks: a message in Dutch has Dutch buttons and amounts, and
// a Dutch reader's form and home tab are in Dutch; the English ones stay
// as the golden files have them.
func TestDutchBlocks(t *testing.T) {
	nl := text.For(text.Dutch)
	blocks, err := json.Marshal(renderMessage(bot.Message{Cards: []bot.Card{testCard()}, Language: text.Dutch}, amsterdam(t), messageBlockLimit).blocks)
	if err != nil {
		t.Fatal(err)
	}
	form, _ := json.Marshal(formView(nl, formMeta{}))
	home, _ := json.Marshal(homeView(nl, bot.Message{Language: text.Dutch}, amsterdam(t)))
	for _, tt := range []struct {
		name, got string
		want      []string
	}{
		{"card", string(blocks), []string{"Aankondiging openen", "€ 450.000", "*Waarde*"}},
		{"form", string(form), []string{"Nieuw profiel", "Bekijken", "Annuleren", "Meldingen krijg je in een privébericht.", "Wat je verkoopt, in gewone woorden", "Regio's (NUTS-codes)", "Dagelijks: één overzicht per dag"}},
		{"home", string(home), []string{"Aanbestedingen voor je bedrijf", "Nieuw profiel"}},
	} {
		for _, w := range tt.want {
			if !strings.Contains(tt.got, w) {
				t.Errorf("%s lacks %q:\n%s", tt.name, w, tt.got)
			}
		}
	}
}

// TestDutchViewsFitSlack: Slack refuses a modal whose title or buttons
// are longer than it takes; the Dutch words are longer than the English.
func TestDutchViewsFitSlack(t *testing.T) {
	for _, lang := range []text.Language{text.Dutch, text.English} {
		p := text.For(lang)
		for name, view := range map[string]any{
			"profile form": formView(p, formMeta{Channel: "C0TEAM"}),
			"preview":      previewView(p, bot.Message{Text: "…", Cards: []bot.Card{testCard()}, Language: lang}, formMeta{}, amsterdam(t)),
			"event form":   eventView(p, formMeta{}),
			"question":     askView(p, formMeta{Event: 1}),
		} {
			raw, err := json.Marshal(view)
			if err != nil {
				t.Fatal(err)
			}
			if err := fakeslack.CheckView(raw); err != nil {
				t.Errorf("the %s in %s: %v", name, lang.Name(), err)
			}
		}
	}
}

// TestInstallPageFollowsTheBrowser: the Add to Slack page speaks the
// browser's language, with a switch, and the choice is kept for the page
// Slack sends the browser back to.
func TestInstallPageFollowsTheBrowser(t *testing.T) {
	d := startDistributedApp(t)
	b := browser(t)
	req, _ := http.NewRequest(http.MethodGet, d.srv.URL+InstallPath, nil)
	req.Header.Set("Accept-Language", "nl-NL,nl;q=0.9")
	resp, err := b.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	for _, w := range []string{`<html lang="nl">`, "Voeg tenderbot toe aan je Slack", ">Toevoegen aan Slack</a>", `href="/slack/install?lang=en"`} {
		if !strings.Contains(body, w) {
			t.Errorf("the Dutch install page lacks %q:\n%s", w, body)
		}
	}
	status, english := get(t, b, d.srv.URL+InstallPath+"?lang=en")
	if status != http.StatusOK || !strings.Contains(english, `<html lang="en">`) || !strings.Contains(english, "<h1>Add tenderbot to your Slack</h1>") {
		t.Errorf("the switch to English: %d\n%s", status, english)
	}
	// Back from Slack without a valid state: refused, in the language
	// chosen on the switch.
	_, refused := get(t, b, d.srv.URL+OAuthCallbackPath+"?state=x&code=y&lang=nl")
	if !strings.Contains(refused, "Deze installatielink is niet geldig") {
		t.Errorf("the refusal is not in Dutch:\n%s", refused)
	}
}

func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	var sb strings.Builder
	if _, err := io.Copy(&sb, resp.Body); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}
