package feeds

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/tenderbot/tenderbot/bot"
)

// ZIP archives of eForms notices (Germany's daily exports): read entry by
// entry, each streamed and bounded, so that neither a huge entry nor a
// small file that inflates to gigabytes (a ZIP bomb) can fill the memory.

// ZIP limits.
const (
	// MaxZIPEntryBytes is the largest entry read, uncompressed; a larger
	// one is skipped, named in an error. An eForms notice is some tens of
	// kilobytes.
	MaxZIPEntryBytes = 50 << 20
	// MaxZIPRatio is the most an entry may inflate, uncompressed size to
	// compressed; past it the entry is taken for a ZIP bomb and skipped.
	MaxZIPRatio = 100
	// MaxZIPTotalBytes bounds what one archive may inflate to, all its
	// entries together; past it the rest is not read.
	MaxZIPTotalBytes = 2 << 30
	// MaxZIPEntries bounds the entries read of one archive.
	MaxZIPEntries = 100_000
	// MaxZIPBytes is the largest archive downloaded.
	MaxZIPBytes = 1 << 30
)

// zipMagic starts every ZIP archive that has an entry; an empty archive
// starts with its end record.
var zipMagic = [][]byte{[]byte("PK\x03\x04"), []byte("PK\x05\x06")}

// isZIP reports whether data starts like a ZIP archive.
func isZIP(data []byte) bool {
	for _, m := range zipMagic {
		if bytes.HasPrefix(data, m) {
			return true
		}
	}
	return false
}

// zipLimits are the bounds an archive is read within; tests lower them.
type zipLimits struct {
	entryBytes, totalBytes int64
	ratio                  int64
	entries                int
}

var defaultZIPLimits = zipLimits{entryBytes: MaxZIPEntryBytes, totalBytes: MaxZIPTotalBytes, ratio: MaxZIPRatio, entries: MaxZIPEntries}

// parseZIPBytes reads an archive held in memory (one small enough to be
// fetched as a feed body).
func parseZIPBytes(data []byte, source string) ([]bot.Notice, []string, error) {
	return parseZIP(bytes.NewReader(data), int64(len(data)), source, defaultZIPLimits)
}

// parseZIP reads the eForms notices of an archive, entry by entry, in the
// order of its directory. An entry too large, inflating too much, or not
// an eForms notice is skipped with a problem naming it; the rest is read.
// An archive that cannot be opened, or none of whose entries could be
// read, is an error.
func parseZIP(r io.ReaderAt, size int64, source string, limits zipLimits) (notices []bot.Notice, problems []string, err error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, nil, fmt.Errorf("malformed ZIP archive: %w", err)
	}
	seen := map[string]bool{}
	var total int64
	read := 0
	for _, file := range zr.File {
		if file.FileInfo().IsDir() {
			continue
		}
		name := zipEntryName(file.Name)
		if read == limits.entries {
			problems = append(problems, fmt.Sprintf("the archive has more than %d entries; %s and those after it were not read", limits.entries, name))
			break
		}
		read++
		if problem := checkZIPEntry(file, limits); problem != "" {
			problems = append(problems, fmt.Sprintf("%s skipped: %s", name, problem))
			continue
		}
		if total+int64(file.UncompressedSize64) > limits.totalBytes {
			problems = append(problems, fmt.Sprintf("the archive inflates to more than %s; %s and the entries after it were not read", byteSize(limits.totalBytes), name))
			break
		}
		data, err := readZIPEntry(file, limits.entryBytes)
		total += int64(len(data))
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s skipped: %v", name, err))
			continue
		}
		en, err := parseZIPNotice(data, source)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s skipped: %v", name, err))
			continue
		}
		if !seen[en.ID] {
			seen[en.ID] = true
			notices = append(notices, en)
		}
	}
	if len(notices) == 0 && len(problems) > 0 {
		return nil, problems, fmt.Errorf("no notice of the archive could be read; the first: %s", problems[0])
	}
	return notices, problems, nil
}

// zipEntryName is an entry's name fit for a message: its base name, at most
// 200 bytes.
func zipEntryName(name string) string {
	return fmt.Sprintf("entry %q", truncate(path.Base(strings.ReplaceAll(name, `\`, "/")), 200))
}

// checkZIPEntry says why an entry is not to be read, from its header: too
// large, or inflating past the ratio; "" when it may be read.
func checkZIPEntry(file *zip.File, limits zipLimits) string {
	size, packed := file.UncompressedSize64, file.CompressedSize64
	switch {
	case size > uint64(limits.entryBytes):
		return fmt.Sprintf("it is %s uncompressed, more than the %s an entry may have", byteSize(int64(size)), byteSize(limits.entryBytes))
	case size > 0 && (packed == 0 || size/packed > uint64(limits.ratio) || size/packed == uint64(limits.ratio) && size%packed > 0):
		return fmt.Sprintf("it inflates %s to %s, more than %d:1 (a ZIP bomb?)", byteSize(int64(packed)), byteSize(int64(size)), limits.ratio)
	}
	return ""
}

// readZIPEntry streams an entry into memory, never more than max bytes
// (the header may lie about the size; archive/zip stops at the size it
// states, and this stops at max whatever it states).
func readZIPEntry(file *zip.File, max int64) ([]byte, error) {
	rc, err := file.Open()
	if err != nil {
		return nil, fmt.Errorf("cannot be opened: %w", err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, max+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("cannot be read: %w", err)
	case int64(len(data)) > max:
		return nil, fmt.Errorf("it is larger uncompressed than the %s an entry may have", byteSize(max))
	}
	return data, nil
}

// parseZIPNotice reads one entry as an eForms notice (the German profile,
// eForms-DE, is the same UBL; its extensions are ignored).
func parseZIPNotice(data []byte, source string) (bot.Notice, error) {
	if err := checkXMLShape(trimDocument(data)); err != nil {
		return bot.Notice{}, err
	}
	en, err := ParseEForms(data, source)
	if err != nil {
		return bot.Notice{}, err
	}
	return en.Notice, nil
}
