// Package matching decides which profiles a procurement notice satisfies,
// and why. It holds the profile query language, the CPV and NUTS
// hierarchies, the scan that evaluates every profile against a notice, and
// the vocabulary that names CPV and NUTS codes for people.
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
// and GB stand for the NUTS codes EL and UK. A comma-separated list of codes
// matches any of them.
//
// Compile turns a query into a *Query. Its String is the canonical form,
// which Compile maps to itself; Match says whether a notice satisfies it and
// gives the reasons in plain words; Keywords gives words a full-text index
// can narrow a search by. A malformed query is a *bot.Error with code
// bot.EINVALID whose message is written for the person who typed it.
//
// # Structure
//
// A query is parsed (lexer.go, parser.go) into a tree of nodes (node.go):
// operators, text (words.go), and fields (fields.go, cpv.go, nuts.go). A new
// field word is a new entry in the field table plus a node type. A notice is
// prepared once (notice.go) so that any number of queries can be evaluated
// against it; Scan does exactly that for every profile, and stays as the
// oracle an index must agree with.
package matching
