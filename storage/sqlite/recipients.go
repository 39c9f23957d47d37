package sqlite

import (
	"slices"
	"sync"

	"github.com/tenderbot/tenderbot/bot"
)

// recipientsCap bounds the profiles recipientFacts holds, about 100 MB of
// them: at a million profiles, holding all would cost more memory than the
// lookups it saves are worth. Past it, an eighth of them, taken at random,
// make room.
const recipientsCap = 1 << 18

// recipientFacts remembers what a fan-out reads of its recipients — their
// profiles, their profiles' muted buyers and their settings — as read from
// the file. A fan-out reads them for every subscriber a notice matches;
// from the file each is a keyed lookup whose pages the readers' caches
// have lost at the last commit (SQLite drops a reader's cache whenever
// another connection writes), and those lookups were a third of a fan-out.
//
// Profiles are remembered as read, up to recipientsCap: all of them when
// the bot loads them at start (ProfilesAfter, a page at a time), one more
// whenever a lookup misses. Mutes and settings are read whole, in one
// query each, the first time they are asked for, so that a subscriber
// without settings is answered too.
//
// The store is the only writer of its file, so it knows when what it
// remembers goes stale: every write to a profile, a mute or settings tells
// recipientFacts once it has committed, which forgets or updates what
// changed. A read that began before such a write never fills in what it
// read (gen), so nothing stale outlives the write.
type recipientFacts struct {
	mu       sync.Mutex
	limit    int // profiles held at most
	gen      uint64
	profiles map[int64]bot.Profile
	mutes    map[int64][]string              // nil until read whole; profiles that mute nobody are absent
	settings map[bot.Subscriber]bot.Settings // nil until read whole; subscribers who never stored any are absent
}

// newRecipientFacts returns an empty memory holding at most limit
// profiles.
func newRecipientFacts(limit int) *recipientFacts {
	return &recipientFacts{limit: max(1, limit), profiles: map[int64]bot.Profile{}}
}

// begin returns the generation a read starts at.
func (f *recipientFacts) begin() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gen
}

// forgetAll forgets everything, as after a write that may change many
// profiles, mutes and settings at once.
func (f *recipientFacts) forgetAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	f.profiles = map[int64]bot.Profile{}
	f.mutes, f.settings = nil, nil
}

// forgetProfile forgets profile id, changed or deleted; a deleted
// profile's mutes go with it.
func (f *recipientFacts) forgetProfile(id int64, deleted bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	delete(f.profiles, id)
	if deleted && f.mutes != nil {
		delete(f.mutes, id)
	}
}

// profilesByID returns the remembered profiles of ids, in the order of
// ids, the ids it does not remember, and the generation to fill those in
// at.
func (f *recipientFacts) profilesByID(ids []int64) (known []bot.Profile, missing []int64, gen uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, id := range ids {
		if p, ok := f.profiles[id]; ok {
			known = append(known, p)
		} else {
			missing = append(missing, id)
		}
	}
	return known, missing, f.gen
}

// addProfiles remembers ps, read at generation gen.
func (f *recipientFacts) addProfiles(gen uint64, ps []bot.Profile) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if gen != f.gen {
		return
	}
	for _, p := range ps {
		if len(f.profiles) >= f.limit {
			f.evict(max(1, f.limit/8))
		}
		f.profiles[p.ID] = p
	}
}

// evict forgets n profiles, in the map's random order.
func (f *recipientFacts) evict(n int) {
	for id := range f.profiles {
		if n == 0 {
			return
		}
		delete(f.profiles, id)
		n--
	}
}

// mutedBuyers adds the muted buyers of ids to muted; ok is false when the
// mutes are not read yet.
func (f *recipientFacts) mutedBuyers(ids []int64, muted map[int64][]string) (ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.mutes == nil {
		return false
	}
	for _, id := range ids {
		if buyers, ok := f.mutes[id]; ok {
			muted[id] = buyers
		}
	}
	return true
}

// setMutes remembers every mute, read whole at generation gen.
func (f *recipientFacts) setMutes(gen uint64, all map[int64][]string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if gen == f.gen {
		f.mutes = all
	}
}

// muted records that profile id mutes buyer.
func (f *recipientFacts) muted(id int64, buyer string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	if f.mutes == nil {
		return
	}
	buyers := f.mutes[id]
	if i, found := slices.BinarySearch(buyers, buyer); !found {
		f.mutes[id] = slices.Insert(slices.Clone(buyers), i, buyer)
	}
}

// settingsOf adds the settings of subs that have any to out; ok is false
// when the settings are not read yet.
func (f *recipientFacts) settingsOf(subs []bot.Subscriber, out map[bot.Subscriber]bot.Settings) (ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.settings == nil {
		return false
	}
	for _, sub := range subs {
		if s, ok := f.settings[sub]; ok {
			out[sub] = s
		}
	}
	return true
}

// setSettings remembers every subscriber's settings, read whole at
// generation gen.
func (f *recipientFacts) setSettings(gen uint64, all map[bot.Subscriber]bot.Settings) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if gen == f.gen {
		f.settings = all
	}
}

// saved records sub's new settings.
func (f *recipientFacts) saved(sub bot.Subscriber, s bot.Settings) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	if f.settings == nil {
		return
	}
	f.settings[sub] = s
}
