package feeds

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// ExampleFeedURL is the location of the example feed embedded in the binary:
// about twenty realistic notices around Almelo and Twente, and a few from
// elsewhere, so a fresh install has something to match against.
const ExampleFeedURL = builtinScheme + "example"

const builtinScheme = "builtin:"

//go:embed builtin/*.xml builtin/later/*.xml
var builtinFeeds embed.FS

// laterDelay is how long after its first read a built-in feed with later
// items (builtin/later/NAME.xml) publishes them: long enough to come after
// the first read's baseline, short enough that a newcomer's first session
// shows an alert.
const laterDelay = 2 * time.Second

// builtinReads counts the reads of each built-in feed: from the second
// on, a feed's later items are part of it.
type builtinReads struct {
	mu    sync.Mutex
	count map[string]int
}

// read returns built-in feed name as it stands at this read.
func (r *builtinReads) read(name string) (Response, error) {
	data, err := readBuiltin(name)
	if err != nil {
		return Response{}, err
	}
	later, err := builtinFeeds.ReadFile(path.Join("builtin", "later", name+".xml"))
	if err != nil {
		return Response{Body: data}, nil // nothing more to publish
	}
	r.mu.Lock()
	if r.count == nil {
		r.count = map[string]int{}
	}
	r.count[name]++
	first := r.count[name] == 1
	r.mu.Unlock()
	if first {
		return Response{Body: data, PublishesIn: laterDelay}, nil
	}
	end := bytes.LastIndex(data, []byte("</channel>"))
	if end < 0 {
		return Response{}, fmt.Errorf("built-in feed %q has no </channel>", name)
	}
	return Response{Body: slices.Concat(data[:end], later, data[end:])}, nil
}

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
