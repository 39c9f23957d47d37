package matching

import (
	"slices"
)

// key is a code key the index files profiles under: a CPV prefix, a NUTS
// prefix, a CPV×NUTS pair, a country or a kind, packed into 64 bits so that
// looking one up allocates nothing. Words and prefixes of words are keys
// too, but are looked up by their text (see indexKey).
type key uint64

// Key tags, in the top three bits.
const (
	tagCPV key = iota + 1
	tagNUTS
	tagPair
	tagCountry
	tagKind
	tagShift = 61
)

const (
	cpvBits  = 31 // 4 bits of length, 27 of value: 10^8 < 2^27
	nutsBits = 27 // five characters of 37 values: 37^5 < 2^27
)

// keyOfCPV returns the key of a CPV prefix of 2 to 8 digits.
func keyOfCPV(p string) (key, bool) {
	if len(p) < 2 || len(p) > cpvDigits {
		return 0, false
	}
	v := key(0)
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return 0, false
		}
		v = v*10 + key(p[i]-'0')
	}
	return tagCPV<<tagShift | key(len(p))<<27 | v, true
}

// keyOfNUTS returns the key of a NUTS code or prefix: 2 to 5 upper-case
// letters and digits.
func keyOfNUTS(c string) (key, bool) {
	v, ok := nutsValue(c)
	return tagNUTS<<tagShift | v, ok
}

// keyOfCountry returns the key of a two-letter country code in NUTS form.
func keyOfCountry(c string) (key, bool) {
	if len(c) != 2 {
		return 0, false
	}
	v, ok := nutsValue(c)
	return tagCountry<<tagShift | v, ok
}

// nutsValue packs a NUTS code into 27 bits, base 37, 0 for no character.
func nutsValue(c string) (key, bool) {
	if len(c) < 2 || len(c) > maxNUTS {
		return 0, false
	}
	v := key(0)
	for i := range maxNUTS {
		d := key(0)
		if i < len(c) {
			switch ch := c[i]; {
			case 'A' <= ch && ch <= 'Z':
				d = key(ch-'A') + 1
			case '0' <= ch && ch <= '9':
				d = key(ch-'0') + 27
			default:
				return 0, false
			}
		}
		v = v*37 + d
	}
	return v, true
}

// keyOfPair returns the key of a CPV prefix and a NUTS prefix together,
// from their keys.
func keyOfPair(cpv, nuts key) key {
	const cpvMask, nutsMask = 1<<cpvBits - 1, 1<<nutsBits - 1
	return tagPair<<tagShift | (cpv&cpvMask)<<nutsBits | nuts&nutsMask
}

// keyOfKind returns the key of the kind at place i of kinds.
func keyOfKind(i int) key { return tagKind<<tagShift | key(i) }

// keySet collects the code keys of a notice: every key a profile could be
// filed under and the notice satisfy. Its slices are reused from notice to
// notice.
type keySet struct {
	cpv  []key
	nuts []key
	all  []key
}

// collect sets ks to the code keys of d: each prefix of its CPV codes
// (2 to 8 digits) and of its NUTS codes and their renamed forms (2 to 5
// characters), its country as a NUTS code and as a country, every CPV×NUTS
// pair of those, and its kind. Each key is there once.
func (ks *keySet) collect(d *document) {
	ks.cpv, ks.nuts, ks.all = ks.cpv[:0], ks.nuts[:0], ks.all[:0]
	for _, c := range d.cpv {
		for l := 2; l <= min(len(c.code), cpvDigits); l++ {
			k, ok := keyOfCPV(c.code[:l])
			if !ok {
				break
			}
			ks.cpv = append(ks.cpv, k)
		}
	}
	for _, r := range d.nuts {
		ks.nuts = appendNUTSPrefixes(ks.nuts, r.code)
		ks.nuts = appendNUTSPrefixes(ks.nuts, r.alias)
	}
	if k, ok := keyOfNUTS(d.country); ok && len(d.country) == 2 {
		ks.nuts = append(ks.nuts, k)
	}
	slices.Sort(ks.cpv)
	ks.cpv = slices.Compact(ks.cpv)
	slices.Sort(ks.nuts)
	ks.nuts = slices.Compact(ks.nuts)

	ks.all = append(ks.all, ks.cpv...)
	ks.all = append(ks.all, ks.nuts...)
	for _, c := range ks.cpv {
		for _, n := range ks.nuts {
			ks.all = append(ks.all, keyOfPair(c, n))
		}
	}
	if k, ok := keyOfCountry(d.country); ok {
		ks.all = append(ks.all, k)
	}
	ks.all = append(ks.all, keyOfKind(kindIndex(d.kind)))
}

// appendNUTSPrefixes appends the keys of the prefixes of a NUTS code a
// profile's code could equal.
func appendNUTSPrefixes(dst []key, code string) []key {
	for l := 2; l <= min(len(code), maxNUTS); l++ {
		k, ok := keyOfNUTS(code[:l])
		if !ok {
			break
		}
		dst = append(dst, k)
	}
	return dst
}
