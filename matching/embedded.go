package matching

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
)

// The CPV 2008 and NUTS code lists built into the binary, with English and
// Dutch labels, so codes are checked and labelled out of the box; the
// configured files (TENDERBOT_CPV_FILE, TENDERBOT_NUTS_FILE) take their
// place. They are derived from the eForms SDK's code lists (CC BY 4.0): the
// code and the two labels of each, gzipped.
//
//go:generate go run ../cmd/codelists -cpv ../../shared/reference/cpv_2008_en_nl.csv -nuts ../../shared/reference/nuts_eforms_en_nl.csv -out codes

//go:embed codes/cpv.csv.gz codes/nuts.csv.gz
var embeddedCodes embed.FS

// LoadEmbedded loads the code lists built into the binary: the CPV list and
// the NUTS list, each with English and Dutch labels.
func (v *Vocabulary) LoadEmbedded() error {
	if err := v.LoadEmbeddedCPV(); err != nil {
		return err
	}
	return v.LoadEmbeddedNUTS()
}

// LoadEmbeddedCPV loads the built-in CPV list, for a deployment that
// configures a file for the NUTS list only.
func (v *Vocabulary) LoadEmbeddedCPV() error {
	return v.loadEmbeddedList("codes/cpv.csv.gz", v.LoadCPV)
}

// LoadEmbeddedNUTS loads the built-in NUTS list.
func (v *Vocabulary) LoadEmbeddedNUTS() error {
	return v.loadEmbeddedList("codes/nuts.csv.gz", v.LoadNUTS)
}

func (v *Vocabulary) loadEmbeddedList(name string, load func(io.Reader) error) error {
	data, err := embeddedCodes.ReadFile(name)
	if err != nil {
		return fmt.Errorf("matching: built-in %s: %w", name, err)
	}
	z, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("matching: built-in %s: %w", name, err)
	}
	defer z.Close()
	return load(z)
}
