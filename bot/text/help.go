package text

// QueryHelp explains the query language in a few lines, as help shows it
// under subscribe and search. The query's own words stay as typed.
func (p Printer) QueryHelp() string { return p.Text(queryHelp) }

var queryHelp = N(`Queries:
  renovatie sporthal   both words (any case, accents ignored)
  zonne*               words starting with "zonne"
  "openbare verlichting"  the exact phrase
  -asbest              without this word
  groen OR bomen       either; use ( ) to group
  cpv:45               CPV code 45000000 and everything under it (cpv:45,09331200 = either)
  nuts:NL21            region NL21 (Overijssel) and its parts; nuts:NL = the Netherlands
  value:>=50k          value at least 50,000 (value:<1m, value:50k..2m; value:>=50kEUR only in euros)
  deadline:>=7d        at least 7 days left to respond
  kind:early,tender    early engagement and tenders (what a new profile gets unless you say)
  buyer:"Gemeente Almelo"  title:renovatie  country:NL   words in one field; the buyer's country
Example: subscribe cpv:45 nuts:NL21 -asbest value:>=50k`)

// ChatHelp says how the commands are typed in the chat platform ("slack",
// "discord"), when that differs from writing them as help shows them: ""
// elsewhere. It starts with a blank line, to follow help.
func (p Printer) ChatHelp(platform string) string {
	switch platform {
	case "slack":
		return "\n\n" + p.Sprintf("In Slack, put /tender before a command (`/tender events`), or write it to me in a direct message.")
	case "discord":
		return "\n\n" + p.Sprintf("In Discord, each command is a /tender subcommand with its options: `/tender search query:zonnepanelen`, "+
			"`/tender events`, and the event commands after do: — `/tender event do:rsvp 1 going`, `/tender event do:ask 1 <question>`.")
	}
	return ""
}
