// Package feeds reads procurement notices from syndication feeds, OCDS,
// TED eForms and the TED Search API, and hands them to the core as
// bot.Notice values.
//
// Three pieces, each usable alone:
//
//   - Fetcher reads a feed's bytes from an http(s) URL, a local file, or a
//     feed embedded in the binary ("builtin:example"), with a size cap and a
//     timeout, and without leaking credentials from the URL into errors.
//   - Parse turns a document into notices, its format detected (Detect;
//     ParseFormat takes it as given): RSS 0.9–2.0, Atom or JSON Feed; OCDS
//     release and record packages (ocds.go); TED eForms notices (eforms.go);
//     TED Search API pages (tedapi.go, which also queries the API);
//     TenderNed's publications API (tenderned*.go); ZIP archives of eForms
//     notices (zip.go). Feeds
//     carry little structure, so most of a notice (CPV and NUTS codes, value,
//     deadline, buyer, kind) is read from the wording portals use in the item
//     text: "CPV: 45210000-2", "Geraamde waarde: € 450.000",
//     "Sluitingsdatum: 15-01-2027 12:00", "marktconsultatie"; structured
//     CODICE elements in an entry (Spain's PLACSP) win over the text
//     (codice.go). NextPage and NextIterationToken tell a fetch loop where
//     a paged source goes on.
//   - Two named sources read a national service by publication day, keeping
//     where they are in the feed's validator between polls: "tenderned"
//     (tenderned_source.go) and "de", Germany's daily eForms exports
//     (exports.go).
//   - Poller polls every feed the core knows on an interval and reports each
//     outcome back to it, so one broken feed never stops the others.
//
// Nothing from gofeed or net/http crosses into package bot.
package feeds
