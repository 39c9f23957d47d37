package text

// coreDutch translates what the core says (package bot): replies to
// commands, alerts, cards, digests, help.
var coreDutch = map[string]string{
	" and ": " en ",
	"%s":    "%s",

	// Cards.
	"Buyer":                 "Opdrachtgever",
	"Kind":                  "Soort",
	"Region":                "Regio",
	"Value":                 "Waarde",
	"Deadline":              "Sluitingsdatum",
	"Why it matched":        "Waarom dit past",
	"Profile":               "Profiel",
	"via %s":                "via %s",
	"Untitled notice":       "Aankondiging zonder titel",
	"not stated":            "niet vermeld",
	"value not stated":      "waarde niet vermeld",
	"(closed)":              "(gesloten)",
	"(closes within a day)": "(sluit binnen een dag)",
	"(1 day left)":          "(nog 1 dag)",
	"(%d days left)":        "(nog %d dagen)",
	"Open notice":           "Aankondiging openen",
	"early engagement":      "vroege marktverkenning",
	"tender":                "aanbesteding",
	"award":                 "gunning",
	"change":                "wijziging",
	"notice":                "aankondiging",

	// Alerts.
	"New %s for your profile %s:":  "Nieuwe %s voor je profiel %s:",
	"New %s for your profiles %s:": "Nieuwe %s voor je profielen %s:",

	// Commands.
	"Type `help` to see what I can do.":                                                   "Typ `help` om te zien wat ik kan.",
	"I don't know the command %q. %s":                                                     "Het commando %q ken ik niet. %s",
	"Type `help` for all commands.":                                                       "Typ `help` voor alle commando's.",
	"Did you mean `%s`? Type `help` for all commands.":                                    "Bedoel je `%s`? Typ `help` voor alle commando's.",
	"Something went wrong on our side; it has been logged. Please try again in a minute.": "Er ging bij ons iets mis; dat is vastgelegd. Probeer het over een minuut opnieuw.",

	// Language.
	"I speak %s here. Choose with `language nl` (Nederlands) or `language en` (English).": "Ik spreek hier %s. Kies met `language nl` (Nederlands) of `language en` (English).",
	"I speak English and Dutch: write `language en` or `language nl`.":                    "Ik spreek Engels en Nederlands: schrijf `language en` of `language nl`.",
	"From now on I speak %s to you.":                                                      "Vanaf nu spreek ik %s met je.",
	"From now on I speak %s in this channel.":                                             "Vanaf nu spreek ik %s in dit kanaal.",
	"Only the channel's managers and admins can change the language of its alerts.":       "Alleen de beheerders van het kanaal en admins kunnen de taal van de meldingen hier wijzigen.",
}
