// Command codelists writes the compact code lists built into tenderbot
// (matching/codes/*.csv.gz) from the reference lists: the CPV 2008 list
// and the NUTS list TED eForms validates against, each with English and
// Dutch labels (from the eForms SDK, CC BY 4.0). It keeps the code and the
// two labels, drops the other columns, and gzips the result.
//
//	go run ./cmd/codelists -cpv ../shared/reference/cpv_2008_en_nl.csv \
//	    -nuts ../shared/reference/nuts_eforms_en_nl.csv -out matching/codes
package main

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	cpv := flag.String("cpv", "", "the CPV list: code,division,significant_digits,label_en,label_nl")
	nuts := flag.String("nuts", "", "the NUTS list: code,level,label_en,label_nl,…")
	out := flag.String("out", "matching/codes", "directory to write cpv.csv.gz and nuts.csv.gz to")
	flag.Parse()
	if *cpv == "" || *nuts == "" {
		fmt.Fprintln(os.Stderr, "codelists: give -cpv and -nuts")
		os.Exit(2)
	}
	for _, l := range []struct{ in, name string }{{*cpv, "cpv.csv.gz"}, {*nuts, "nuts.csv.gz"}} {
		if err := compact(l.in, filepath.Join(*out, l.name)); err != nil {
			fmt.Fprintf(os.Stderr, "codelists: %v\n", err)
			os.Exit(1)
		}
	}
}

// keep are the columns written, in order.
var keep = []string{"code", "label_en", "label_nl"}

// compact writes the keep columns of the CSV list at in to out, gzipped.
func compact(in, out string) (err error) {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	cols := make([]int, len(keep))
	for i, name := range keep {
		if cols[i] = slices.Index(header, name); cols[i] < 0 {
			return fmt.Errorf("%s: no column %q in %s", in, name, strings.Join(header, ","))
		}
	}
	o, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, o.Close()) }()
	// No name or time in the gzip header: the same list gives the same bytes.
	z, err := gzip.NewWriterLevel(o, gzip.BestCompression)
	if err != nil {
		return err
	}
	w := csv.NewWriter(z)
	if err := w.Write(keep); err != nil {
		return err
	}
	row := make([]string, len(keep))
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", in, err)
		}
		for i, c := range cols {
			row[i] = rec[c]
		}
		if err := w.Write(row); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return z.Close()
}
