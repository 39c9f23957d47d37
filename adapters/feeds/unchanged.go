package feeds

import (
	"crypto/sha256"
	"encoding/json"
	"sync"

	"github.com/tenderbot/tenderbot/bot"
)

// itemHash is a digest of everything a parsed notice says.
type itemHash [sha256.Size]byte

// itemMemory remembers what each feed's items said at its last stored
// read, so that a feed read again hands the core only the items that
// changed: a conditional GET at the grain of an item, for the feeds whose
// server sends no validators. A 100,000-item feed read again as it was then
// costs its parse and nothing else. The memory holds one hash per item of
// each feed's last read; it starts empty, and the first read after a start
// goes whole to the core, which writes nothing for what is stored already.
type itemMemory struct {
	mu    sync.Mutex
	feeds map[int64]map[string]itemHash
}

// changed returns the notices that differ from what feed id's last read
// said, in their order, and the hashes of every notice read, for remember.
func (m *itemMemory) changed(id int64, notices []bot.Notice) ([]bot.Notice, map[string]itemHash) {
	m.mu.Lock()
	last := m.feeds[id]
	m.mu.Unlock()
	seen := make(map[string]itemHash, len(notices))
	var fresh []bot.Notice
	for _, n := range notices {
		h, ok := hashItem(n)
		if !ok || last[n.ID] != h {
			fresh = append(fresh, n)
		}
		if ok {
			seen[n.ID] = h
		}
	}
	return fresh, seen
}

// remember makes seen what feed id's last read said, once it is stored.
func (m *itemMemory) remember(id int64, seen map[string]itemHash) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.feeds == nil {
		m.feeds = map[int64]map[string]itemHash{}
	}
	m.feeds[id] = seen
}

// hashItem digests n; ok is false when it cannot be (it is then always
// handed on).
func hashItem(n bot.Notice) (itemHash, bool) {
	b, err := json.Marshal(n)
	if err != nil {
		return itemHash{}, false
	}
	return sha256.Sum256(b), true
}

// forget drops what feed id's last read said: another replica has read
// the feed since, and the core's store is what knows its items now.
func (m *itemMemory) forget(id int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.feeds, id)
}
