package text

// chatDutch translates what the chats and pages show around the core's
// messages: labels of cards and buttons, forms, the public pages.
var chatDutch = map[string]string{
	// Console.
	"Published":                  "Gepubliceerd",
	"About":                      "Over",
	"Link":                       "Link",
	"Ref":                        "Ref",
	"(`follow %s` to follow it)": "(`follow %s` om te volgen)",
	"--- %s (%s, %d bytes): not text, so not shown here ---": "--- %s (%s, %d bytes): geen tekst, dus hier niet getoond ---",
	"--- %s (%s) ---":     "--- %s (%s) ---",
	"--- end of %s ---":   "--- einde van %s ---",
	"! input stopped: %v": "! invoer gestopt: %v",
	"! That line is longer than 64 KiB; I did not read it. Type a shorter command.": "! Die regel is langer dan 64 KiB; ik heb hem niet gelezen. Typ een korter commando.",
}
