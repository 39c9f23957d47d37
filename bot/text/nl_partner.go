package text

// partnerDutch translates what the partners' feeds, roles, installations,
// e-mail addresses and the stores' errors say.
var partnerDutch = map[string]string{
	// Feeds: proposing one (`feed add`).
	"add feeds": "feeds toevoegen",
	"Give the feed's address, e.g. `feed add https://www.example.nl/aanbestedingen.rss Twente Business Desk`, or a national source: `feed add tenderned` (TenderNed), `feed add de` (Germany's daily exports).": "Geef het adres van de feed, bijvoorbeeld `feed add https://www.example.nl/aanbestedingen.rss Twente Business Desk`, of een landelijke bron: `feed add tenderned` (TenderNed), `feed add de` (de dagelijkse exports van Duitsland).",
	"This bot cannot read new feeds from chat.":                              "Deze bot kan geen nieuwe feeds uit de chat lezen.",
	"That address is a %s feed with no items; I would have nothing to read.": "Dat adres is een %s-feed zonder items; ik zou niets te lezen hebben.",
	"Added feed #%d %q. I read it from the next round on; its first read stores what it holds without alerting, and later items alert as \"via %s\".": "Feed #%d %q is toegevoegd. Ik lees hem vanaf de volgende ronde; de eerste keer bewaar ik wat erin staat zonder meldingen, latere items komen als melding met \"via %s\".",
	"Its items that say no kind count as %s.":                                                                                                         "Items zonder soort tellen als %s.",
	"`%s`: %s For example `feed add https://www.example.nl/aanbestedingen.rss kind=tender`.":                                                          "`%s`: %s Bijvoorbeeld `feed add https://www.example.nl/aanbestedingen.rss kind=tender`.",
	"I could not read that feed: it did not answer, or not with a feed I can read. Check the address in a browser; the details are in the bot's log.": "Ik kon die feed niet lezen: er kwam geen antwoord, of geen feed die ik kan lezen. Controleer het adres in een browser; de details staan in het logboek van de bot.",
	"I cannot use that feed: %s.": "Ik kan die feed niet gebruiken: %s.",
	"I cannot use that feed: %s. A closed deployment that trusts its partners allows it with `%s`.":                   "Ik kan die feed niet gebruiken: %s. Een gesloten installatie die haar partners vertrouwt, staat dit toe met `%s`.",
	"%q is a %s feed with %d items. Found in them: CPV codes in %d, a region in %d, a value in %d, a deadline in %d.": "%q is een %s-feed met %d items. Daarin gevonden: CPV-codes in %d, een regio in %d, een waarde in %d, een sluitingsdatum in %d.",
	"%d current profile(s) would have matched its items of the last 30 days.":                                         "%d huidige profiel(en) hadden gepast bij de items van de afgelopen 30 dagen.",
	"To save it, send `feed add %s %s%s confirm`. The newest items:":                                                  "Stuur `feed add %s %s%s confirm` om hem te bewaren. De nieuwste items:",

	// Feeds: managing one's own.
	"Write `feed add <url> [name] [kind=tender]` (or `feed add tenderned`, `feed add de`), `feed list`, `feed pause|resume|remove <id>` or `feed stats <id>`.": "Schrijf `feed add <url> [name] [kind=tender]` (of `feed add tenderned`, `feed add de`), `feed list`, `feed pause|resume|remove <id>` of `feed stats <id>`.",
	"Give the feed's number as `feed list` shows it, e.g. `feed pause 3`.":                                                                                     "Geef het nummer van de feed zoals `feed list` het toont, bijvoorbeeld `feed pause 3`.",
	"Feed #%d is configured by the operator (TENDERBOT_FEEDS); it is changed there, not in chat.":                                                              "Feed #%d is ingesteld door de beheerder van de bot (TENDERBOT_FEEDS); hij wordt daar gewijzigd, niet in de chat.",
	"Feed #%d belongs to another partner; only they and admins can change it.":                                                                                 "Feed #%d hoort bij een andere partner; alleen die partner en beheerders kunnen hem wijzigen.",
	"There is no feed #%d; `feed list` shows them.":                                                                                                            "Er is geen feed #%d; `feed list` toont ze.",
	"Feed #%d %q is read again from the next round.":                                                                                                           "Feed #%d %q wordt vanaf de volgende ronde weer gelezen.",
	"Feed #%d %q is paused; `feed resume %d` reads it again.":                                                                                                  "Feed #%d %q is gepauzeerd; met `feed resume %d` lees ik hem weer.",
	"Removed feed #%d %q. The notices it brought stay searchable.":                                                                                             "Feed #%d %q is verwijderd. De aankondigingen die hij bracht, blijven vindbaar.",
	"Feed #%d %q: %d notices read; they matched profiles %d times; %d alerts were delivered; %d registrations for events about them. (Totals only: who they reached stays private.)": "Feed #%d %q: %d aankondigingen gelezen; die pasten %d keer bij een profiel; %d meldingen zijn bezorgd; %d aanmeldingen voor bijeenkomsten erover. (Alleen totalen: wie ze bereikten, blijft privé.)",

	// Feeds: the list (`feed list`, `feeds`).
	"I read no feeds.":                    "Ik lees geen feeds.",
	"Feeds (%d):":                         "Feeds (%d):",
	"the operator":                        "de beheerder van de bot",
	"a partner, now the operator's":       "een partner, nu van de beheerder van de bot",
	"auto-detected":                       "vorm zelf herkend",
	"items without a kind count as %s":    "items zonder soort tellen als %s",
	"#%d %s — added by %s, %s, %d alerts": "#%d %s — toegevoegd door %s, %s, %d meldingen",
	"paused: %s":                          "gepauzeerd: %s",
	"disabled: %s":                        "uitgezet: %s",
	"paused by %s":                        "gepauzeerd door %s",
	"paused":                              "gepauzeerd",
	"failed %d times in a row, last: %s":  "%d keer op rij mislukt, de laatste keer: %s",
	"; next read %s":                      "; volgende keer lezen: %s",
	"not read yet":                        "nog niet gelezen",
	"never read successfully":             "nog nooit goed gelezen",
	"last read %s with %d items":          "laatst gelezen %s met %d items",
	"failing (%d in a row): %s; %s":       "mislukt (%d keer op rij): %s; %s",
	"read %s, %d items":                   "gelezen %s, %d items",
	"server answered %s":                  "de server antwoordde %s",
	"%d notices read today":               "vandaag %d aankondigingen gelezen",
	"1 detail pending":                    "1 detail nog op te halen",
	"%d details pending":                  "%d details nog op te halen",
	"unknown codes %s":                    "onbekende codes %s",
	"complete up to %s":                   "compleet tot en met %s",
	"no day complete yet":                 "nog geen dag compleet",
	"silent: nothing new since %s, though it usually brings something every %s":                   "stil: niets nieuws sinds %s, terwijl er meestal elke %s iets nieuws komt",
	"the feed could not be read (it did not answer, or not with a feed; the log has the details)": "de feed kon niet worden gelezen (er kwam geen antwoord, of geen feed; de details staan in het logboek)",

	// Feeds: reading them now (`feeds poll`).
	"read feeds out of turn": "feeds buiten de vaste rondes lezen",
	"Write `feeds` for the list, or `feeds poll [n]` to read feed #n (or every feed) now.":  "Schrijf `feeds` voor de lijst, of `feeds poll [n]` om feed #n (of elke feed) nu te lezen.",
	"This bot reads its feeds on its schedule only.":                                        "Deze bot leest zijn feeds alleen volgens zijn vaste schema.",
	"%q is not a feed number; `feeds` lists them (#1, #2, …).":                              "%q is geen nummer van een feed; `feeds` toont ze (#1, #2, …).",
	"There is no feed #%d that I read; `feeds` lists them.":                                 "Er is geen feed #%d die ik lees; `feeds` toont ze.",
	"#%d %s: another replica of the bot reads this feed; its next read brings what is new.": "#%d %s: een ander exemplaar van de bot leest deze feed; wat nieuw is, komt bij de volgende keer lezen.",
	"#%d %s: the read failed; `feeds` shows how its reads went, the log has the details.":   "#%d %s: lezen is mislukt; `feeds` toont hoe het lezen ging, de details staan in het logboek.",
	"#%d %s: read now, nothing changed since the last read.":                                "#%d %s: nu gelezen, niets veranderd sinds de vorige keer.",
	"#%d %s: read now, %d items; what is new alerts its profiles as usual.":                 "#%d %s: nu gelezen, %d items; wat nieuw is, komt zoals altijd als melding bij de profielen die erbij passen.",

	// Feeds: telling their owner.
	"I stopped reading your feed #%d %q: it failed %d times in a row, last: %s. Fix it and send `feed resume %d`.": "Ik lees je feed #%d %q niet meer: lezen mislukte %d keer op rij, de laatste keer: %s. Herstel de feed en stuur `feed resume %d`.",
	"Your feed #%d %q usually brings something new every %s, but nothing since %s. Is it still the right address?": "Je feed #%d %q brengt meestal elke %s iets nieuws, maar sinds %s niets meer. Klopt het adres nog?",

	// Roles.
	"grant and revoke roles":    "rollen toekennen en intrekken",
	"list who holds which role": "zien wie welke rol heeft",
	"You hold no roles: you can subscribe, search and follow, as everyone can.": "Je hebt geen rollen: je kunt je abonneren, zoeken en volgen, zoals iedereen.",
	"Your roles: %s.": "Je rollen: %s.",
	"Write `role grant <user> admin|partner|staff` or `role revoke <user> <role>`; `role` shows yours.":                                                                        "Schrijf `role grant <user> admin|partner|staff` of `role revoke <user> <role>`; `role` toont de jouwe.",
	"%s is not a user in this workspace, so nobody got a role. Mention them so the chat links the name (type @ and pick them from the list), or give their member id (U…). %s": "%s is geen gebruiker in deze werkruimte, dus niemand heeft een rol gekregen. Noem de persoon zo dat de chat de naam koppelt (typ @ en kies uit de lijst), of geef het lid-id (U…). %s",
	"%q is not a user; mention them (@name) or give their user id. %s":                                                                                                         "%q is geen gebruiker; noem de persoon (@naam) of geef het gebruikers-id. %s",
	"%q is not a role. %s":                          "%q is geen rol. %s",
	"%s now holds the %s role.":                     "%s heeft nu de rol %s.",
	"%s no longer holds the %s role.":               "%s heeft de rol %s niet meer.",
	"Roles:":                                        "Rollen:",
	"  admin — %s (configured in TENDERBOT_ADMINS)": "  admin — %s (ingesteld in TENDERBOT_ADMINS)",
	"  nobody holds a role":                         "  niemand heeft een rol",

	// The stores' errors that reach a person: SQLite and PostgreSQL say
	// the same.
	"A feed with that address or the name %q is read already; `feed list` shows it.": "Een feed met dat adres of de naam %q wordt al gelezen; `feed list` toont hem.",
	"there is no event %d":                        "er is geen bijeenkomst %d",
	"there is no feed %d":                         "er is geen feed %d",
	"there is no profile %d":                      "er is geen profiel %d",
	"there is no notice %q":                       "er is geen aankondiging %q",
	"there is no delivery %d":                     "er is geen bezorging %d",
	"you already have a profile named %q":         "je hebt al een profiel met de naam %q",
	"%s would have two profiles named %q":         "%s zou twee profielen met de naam %q hebben",
	"%s does not hold the %s role":                "%s heeft de rol %s niet",
	"the bot is not installed in %s workspace %s": "de bot is niet geïnstalleerd in %s-werkruimte %s",

	// E-mail addresses, as people type them into a form.
	"Give your e-mail address, such as name@company.nl.":                                                "Geef je e-mailadres, bijvoorbeeld naam@bedrijf.nl.",
	"That e-mail address is longer than an address can be (254 characters).":                            "Dat e-mailadres is langer dan een adres kan zijn (254 tekens).",
	"An e-mail address has no spaces, brackets, quotes, commas or colons; write it as name@company.nl.": "Een e-mailadres heeft geen spaties, haakjes, aanhalingstekens, komma's of dubbele punten; schrijf het als naam@bedrijf.nl.",
	"%q is not an e-mail address; write it as name@company.nl.":                                         "%q is geen e-mailadres; schrijf het als naam@bedrijf.nl.",
	"The part before the @ is longer than an address allows (64 characters).":                           "Het deel vóór de @ is langer dan een adres toestaat (64 tekens).",
	"%q has no domain such as company.nl after the @.":                                                  "%q heeft na de @ geen domein zoals bedrijf.nl.",
	"%q: the domain after the @ is not a domain name such as company.nl.":                               "%q: het domein na de @ is geen domeinnaam zoals bedrijf.nl.",

	// Installations.
	"an installation needs a platform, a workspace and a bot token": "een installatie heeft een platform, een werkruimte en een bot-token nodig",
}
