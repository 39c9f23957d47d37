package feeds

import (
	"regexp"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// eformsSubtype is what the eForms SDK says of a notice subtype
// (notice-types.json): its form type and notice type.
type eformsSubtype struct{ formType, noticeType string }

// eformsSubtypes are the eForms notice subtypes of SDK 1.x, by id, as
// notice-types.json lists them. TenderNed's publicatiecode is "EF" and one
// of these ids.
var eformsSubtypes = func() map[string]eformsSubtype {
	m := map[string]eformsSubtype{}
	add := func(formType, noticeType string, ids ...string) {
		for _, id := range ids {
			m[id] = eformsSubtype{formType, noticeType}
		}
	}
	add("planning", "pin-buyer", "1", "2", "3")
	add("planning", "pin-only", "4", "5", "6", "E2")
	add("planning", "pin-rtl", "7", "8", "9")
	add("competition", "pin-cfc-standard", "10", "11", "CEI")
	add("competition", "pin-cfc-social", "12", "13", "14")
	add("competition", "qu-sy", "15")
	add("competition", "cn-standard", "16", "17", "18", "19", "E3")
	add("competition", "cn-social", "20", "21")
	add("competition", "subco", "22")
	add("competition", "cn-desg", "23", "24")
	add("dir-awa-pre", "veat", "25", "26", "27", "28")
	add("result", "can-standard", "29", "30", "31", "32", "E4")
	add("result", "can-social", "33", "34", "35")
	add("result", "can-desg", "36", "37")
	add("cont-modif", "can-modif", "38", "39", "40", "E6")
	add("consultation", "pmc", "E1")
	add("completion", "compl", "E5")
	add("planning", "pin-tran", "T01")
	add("result", "can-tran", "T02")
	add("bri", "brin-eeig", "X01")
	add("bri", "brin-ecs", "X02")
	return m
}()

// tenderNedTypes are the typePublicatie codes whose meaning is known.
var tenderNedTypes = map[string]bot.Kind{
	"AAO": bot.KindTender, // aankondiging opdracht
	"AGO": bot.KindAward,  // aankondiging gegunde opdracht
	"GUN": bot.KindAward,  // gunning
	"REC": bot.KindChange, // rectificatie
	"INT": bot.KindChange, // intrekking: withdrawn
	"VBE": bot.KindChange, // vroegtijdige beëindiging: stopped early
	"VOR": bot.KindEarly,  // vooraankondiging
	"VOP": bot.KindEarly,  // vooraankondiging (older code)
	"MAC": bot.KindEarly,  // marktconsultatie
}

// Kinds from TenderNed's words (typePublicatie's omschrijving), for codes
// not in tenderNedTypes.
var (
	tnEarlyWords  = regexp.MustCompile(`(?i)vooraankondiging|marktconsultatie|marktverkenning`)
	tnAwardWords  = regexp.MustCompile(`(?i)gegund|gunning`)
	tnChangeWords = regexp.MustCompile(`(?i)rectificatie|wijziging|intrekking|be[eë]indiging|ingetrokken`)
	tnTenderWords = regexp.MustCompile(`(?i)aankondiging (?:van (?:een )?)?opdracht|aanbesteding`)
)

// tenderNedKind classifies a publication. The eForms subtype in
// publicatiecode is the most precise signal and is read with the eForms
// parser's own table; a correction, withdrawal or early stop (typePublicatie
// REC, INT, VBE, or isVroegtijdigeBeeindiging) is the changes flag of that
// table, since such a notice keeps the subtype of the notice it changes.
// Without a known subtype, typePublicatie's code decides, else its words.
// why says which; unknown is the code that could not be read (the subtype's
// or typePublicatie's), "" when none.
func tenderNedKind(p tnPublication) (k bot.Kind, why, unknown string) {
	code := strings.ToUpper(p.TypePublicatie.Code)
	words := p.TypePublicatie.Words
	typeKind, typeKnown := tenderNedTypes[code]
	changes := typeKnown && typeKind == bot.KindChange || p.VroegtijdigeBeeindiging.Bool() ||
		!typeKnown && tnChangeWords.MatchString(words)

	pubcode := strings.ToUpper(p.Publicatiecode.Code)
	if subtype, ok := strings.CutPrefix(pubcode, "EF"); ok && subtype != "" {
		if st, ok := eformsSubtypes[subtype]; ok {
			k = eformsKind(st.formType, st.noticeType, "", changes)
			why = "publicatiecode " + pubcode + " (eForms " + st.noticeType + ")"
			if changes {
				why += " with typePublicatie " + firstNonEmpty(code, words)
			}
			if !typeKnown && code != "" {
				unknown = code
			}
			return k, why, unknown
		}
		unknown = pubcode
	}
	if typeKnown {
		return typeKind, "typePublicatie " + code, unknown
	}
	if code != "" && unknown == "" {
		unknown = code
	}
	switch {
	case words == "":
		return bot.KindOther, "no known code", firstNonEmpty(unknown, "(none)")
	case tnChangeWords.MatchString(words):
		k = bot.KindChange
	case tnAwardWords.MatchString(words):
		k = bot.KindAward
	case tnEarlyWords.MatchString(words):
		k = bot.KindEarly
	case tnTenderWords.MatchString(words):
		k = bot.KindTender
	default:
		return bot.KindOther, "typePublicatie " + firstNonEmpty(code, words) + " unknown", firstNonEmpty(unknown, words)
	}
	return k, "typePublicatie words " + `"` + words + `"`, unknown
}
