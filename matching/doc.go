// Package matching decides which profiles a procurement notice satisfies,
// and why. It holds the profile query language, the CPV and NUTS
// hierarchies, the Index that finds the profiles a notice satisfies among a
// million, the Scan that evaluates every profile and stays as the Index's
// oracle, Explain for "why not", and the vocabulary that names CPV and NUTS
// codes for people.
//
// # Query language
//
// A profile describes what a business sells:
//
//	renovatie dak*                  both words; dak* is a prefix
//	"zonnepanelen plaatsen"         a phrase: consecutive words in one field
//	schilderwerk -asbest            - excludes a word, phrase, field or group
//	bouw OR renovatie               either; AND binds tighter than OR
//	(bouw OR renovatie) nuts:NL21   brackets group
//	cpv:45 cpv:4521 cpv:45,09331200 CPV codes and their descendants
//	nuts:NL21 nuts:NL               NUTS regions and their subregions
//	title:renovatie buyer:"Gemeente Almelo" description:zonne*
//	                                words in one field only
//	country:NL,BE                   the notice's country
//	kind:early,tender               early engagement and calls for tender
//	value:>=50k value:<1m value:50k..2m value:>=50kEUR
//	                                the notice's value
//	deadline:>=7d deadline:7d..30d  days left until the deadline
//
// Words are compared case- and diacritic-insensitively as whole words
// (dializatorow matches dializatorów; bouw does not match bouwen) in a
// notice's title, description and buyer. A word is a maximal run of letters
// and digits, so a query word such as e-mail is the phrase "e mail". OR is an
// operator only in upper case; or is a word.
//
// A CPV code covers its descendants: the code is reduced to its significant
// digits (trailing zeros dropped, at least the two of the division), so
// cpv:45000000, cpv:4500 and cpv:45 are the same, and cpv:331 covers
// 33140000. A check digit (45210000-2) is ignored, and so is a trailing *.
// A notice matches on its own codes and on its lots' codes. A NUTS code
// covers the codes it prefixes (NL21 covers NL213); a two-letter country code
// also matches a notice whose Country is that country, and the ISO codes GR
// and GB stand for the NUTS codes EL and UK. The Dutch NUTS 2021 codes
// renamed in NUTS 2024 (NL33 became NL36, NL332 NL361, …) match both ways. A
// comma-separated list of codes matches any of them.
//
// value: compares the notice's amount in the notice's own currency; with a
// currency (value:>=50kEUR, value:EUR50k..) it matches only notices in that
// currency: amounts are never converted. k is a thousand and m a million;
// a range A..B includes both ends. A notice that states no value passes
// every value: filter, with the reason "value not stated". deadline:
// counts whole days from the clock the matcher was given; a notice without
// a deadline passes with "deadline not stated", one whose deadline has
// passed never does. kind: names kinds of notice (early, tender, award,
// change, other); a new profile whose query names no kind gets
// kind:early,tender added (CompileProfile), a search does not. kind: gives
// no reason, as an alert already says its kind.
//
// Compile turns a query into a *Query. Its String is the canonical form,
// which Compile maps to itself; Match says whether a notice satisfies it and
// gives the reasons in plain words; Explain says, condition by condition,
// why or why not; Keywords gives words a full-text index can narrow a
// search by. A malformed query is a *bot.Error with code bot.EINVALID whose
// message is written for the person who typed it. The Compile methods of
// Scan and Index check CPV and NUTS codes against their Vocabulary when it
// has the code lists loaded, and name the nearest real codes.
//
// # Structure
//
// A query is parsed (lexer.go, parser.go) into a tree of nodes (node.go):
// operators, text (words.go), and fields (fields.go and a file per field). A
// new field word is a new entry in the field table plus a node type. A
// notice is prepared once (notice.go) so that any number of queries can be
// evaluated against it (eval.go); Scan does exactly that for every profile.
//
// The Index (index*.go, program.go, postings.go) is a percolator in the
// manner of Lucene Monitor: each profile is filed under the keys a matching
// notice must have, the rarest its cover allows (index_cover.go), and a
// notice evaluates only the profiles filed under its own keys
// (index_match.go). To hold a million profiles in a few hundred bytes each,
// it keeps each profile as a few words of program over leaves that all
// profiles share, and evaluates each leaf once per notice. The Index returns
// exactly what the Scan returns, reasons and order included; the tests hold
// it to that over generated workloads (package workload) and fuzzed
// queries.
package matching
