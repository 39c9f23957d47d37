// Package migration reads a store's embedded migrations, the NNNN_name.sql
// files every store keeps in its own folder, and names the refusal of a
// database whose schema is newer than the program: the rules are the same
// for every dialect, only the SQL differs.
package migration

import (
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
)

// File is one NNNN_name.sql file.
type File struct {
	Version int
	Name    string // the file name
	SQL     string
}

// Load reads the NNNN_name.sql files at the root of fsys, in version order.
// Any other file, or two files with one version, is an error: a migration
// that is silently skipped is worse than one that fails.
func Load(fsys fs.FS) ([]File, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var ms []File
	for _, e := range entries {
		name := e.Name()
		num, rest, _ := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		version, err := strconv.Atoi(num)
		if e.IsDir() || !strings.HasSuffix(name, ".sql") || len(num) != 4 || err != nil || version < 1 || rest == "" {
			return nil, fmt.Errorf("migration %q: want a file named NNNN_name.sql, NNNN from 0001", name)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, File{Version: version, Name: name, SQL: string(b)})
	}
	slices.SortFunc(ms, func(a, b File) int { return a.Version - b.Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("migrations %q and %q have the same version", ms[i-1].Name, ms[i].Name)
		}
	}
	return ms, nil
}

// Latest returns the version of the newest of ms, 0 when there are none.
func Latest(ms []File) int {
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].Version
}

// TooNewError is the refusal to open a database whose schema a newer
// program made: this one does not know it, and writing to it could lose
// data.
type TooNewError struct {
	Found, Known int
}

func (e *TooNewError) Error() string {
	return fmt.Sprintf("database schema version %d is newer than this program's %d: upgrade tenderbot", e.Found, e.Known)
}
