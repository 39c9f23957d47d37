package feeds

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// ExampleFeedURL is the location of the example feed embedded in the binary:
// about twenty realistic notices around Almelo and Twente, and a few from
// elsewhere, so a fresh install has something to match against.
const ExampleFeedURL = builtinScheme + "example"

const builtinScheme = "builtin:"

//go:embed builtin/*.xml
var builtinFeeds embed.FS

// readBuiltin returns the embedded feed builtin/NAME.xml.
func readBuiltin(name string) ([]byte, error) {
	valid := name != "" && strings.IndexFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
	if valid {
		data, err := builtinFeeds.ReadFile(path.Join("builtin", name+".xml"))
		if err == nil {
			return data, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("no built-in feed %q: built-in feeds are %s", name, strings.Join(builtinNames(), ", "))
}

// builtinNames lists the embedded feeds as locations, sorted.
func builtinNames() []string {
	entries, _ := builtinFeeds.ReadDir("builtin") // cannot fail: the directory is embedded
	var names []string
	for _, e := range entries {
		if n, ok := strings.CutSuffix(e.Name(), ".xml"); ok {
			names = append(names, builtinScheme+n)
		}
	}
	sort.Strings(names)
	return names
}
