package workload_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tenderbot/tenderbot/matching"
	"github.com/tenderbot/tenderbot/matching/workload"
)

func TestSameSeedSameWorkload(t *testing.T) {
	a, b := workload.New(7), workload.New(7)
	if pa, pb := a.Profiles(200), b.Profiles(200); !reflect.DeepEqual(pa, pb) {
		t.Errorf("profiles differ for the same seed")
	}
	if na, nb := a.Notices(200), b.Notices(200); !reflect.DeepEqual(na, nb) {
		t.Errorf("notices differ for the same seed")
	}
	if reflect.DeepEqual(workload.New(1).Profiles(50), workload.New(2).Profiles(50)) {
		t.Errorf("seeds 1 and 2 give the same profiles")
	}
}

func TestProfilesCompile(t *testing.T) {
	for _, q := range workload.New(11).Profiles(5000) {
		if _, err := matching.Compile(q); err != nil {
			t.Errorf("generated profile %q: %v", q, err)
		}
	}
}

// TestSkew checks the shape the benchmarks rely on: construction the
// commonest division, a third of values missing, some profiles of
// exclusions only.
func TestSkew(t *testing.T) {
	g := workload.New(3)
	divisions := map[string]int{}
	noValue := 0
	notices := g.Notices(5000)
	for _, n := range notices {
		divisions[n.CPV[0][:2]]++
		if n.Value == nil {
			noValue++
		}
		if n.ID == "" || n.Title == "" || n.Country == "" || len(n.CPV) == 0 {
			t.Fatalf("notice lacks a field: %+v", n)
		}
	}
	for d, c := range divisions {
		if c > divisions["45"] {
			t.Errorf("division %s (%d notices) is commoner than 45 (%d)", d, c, divisions["45"])
		}
	}
	if share := float64(noValue) / float64(len(notices)); share < 0.25 || share > 0.35 {
		t.Errorf("%.0f%% of notices state no value, want about 30%%", 100*share)
	}
	exclusionsOnly := 0
	for _, q := range g.Profiles(50000) {
		if strings.HasPrefix(q, "-") {
			exclusionsOnly++
		}
	}
	if exclusionsOnly == 0 {
		t.Errorf("no profile of exclusions only among 50,000")
	}
}

// TestBroadProfiles checks what the fan-out benchmark relies on: broad
// profiles are deterministic, compile, and a notice that can alert matches
// several percent of them, far more than of Profile's mix.
func TestBroadProfiles(t *testing.T) {
	if a, b := workload.New(5).BroadProfiles(200), workload.New(5).BroadProfiles(200); !reflect.DeepEqual(a, b) {
		t.Errorf("broad profiles differ for the same seed")
	}
	g := workload.New(5)
	queries, notices := g.BroadProfiles(2000), g.Notices(200)
	index := matching.NewIndex(matching.Options{Clock: fixedClock(workload.Now)})
	for i, q := range queries {
		if !strings.HasPrefix(q, "cpv:") {
			t.Errorf("broad profile %q names no division", q)
		}
		cq, err := index.CompileProfile(q)
		if err != nil {
			t.Fatalf("broad profile %q: %v", q, err)
		}
		index.Put(int64(i+1), cq)
	}
	hits := 0
	for i := range notices {
		hits += len(index.Match(&notices[i]))
	}
	if share := float64(hits) / float64(len(notices)*len(queries)); share < 0.03 {
		t.Errorf("a notice matches %.2f%% of broad profiles, want several percent", 100*share)
	}
}

// fixedClock is a clock that always says the same time.
type fixedClock time.Time

func (c fixedClock) Now() time.Time { return time.Time(c) }
