package matching

import (
	"fmt"
	"runtime"
	"sync"
	"testing"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/bot/bottest"
	"github.com/tenderbot/tenderbot/matching/workload"
)

// benchSizes are the numbers of profiles the benchmarks run at. A million
// is cmd/matchbench's job: building it takes longer than a benchmark
// should.
var benchSizes = []int{10_000, 100_000}

// bench is the setup the scan and index benchmarks of one size share.
type bench struct {
	index              *Index
	scan               *Scan
	notices            []bot.Notice
	indexBytes, qBytes float64 // per profile
}

var (
	benchMu    sync.Mutex
	benchCache = map[int]*bench{}
)

// heapBytes returns the bytes of live heap after collecting garbage.
func heapBytes() float64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc)
}

// setup builds, once per size, an index and a scan of n generated
// profiles (seed 1) and 1,000 notices to match (seed 2).
func setup(b *testing.B, n int) *bench {
	benchMu.Lock()
	defer benchMu.Unlock()
	if bs, ok := benchCache[n]; ok {
		return bs
	}
	g := workload.New(1)
	queries := g.Profiles(n)
	opts := Options{Clock: bottest.NewClock(workload.Now), Sample: workload.New(3).Notices(1000)}
	bs := &bench{notices: workload.New(2).Notices(1000)}

	before := heapBytes()
	bs.index = NewIndex(opts)
	for i, q := range queries {
		cq, err := bs.index.Compile(q)
		if err != nil {
			b.Fatalf("Compile(%q): %v", q, err)
		}
		bs.index.Put(int64(i+1), cq)
	}
	mid := heapBytes()
	bs.scan = NewScanWith(opts)
	for i, q := range queries {
		cq, _ := bs.scan.Compile(q)
		bs.scan.Put(int64(i+1), cq)
	}
	after := heapBytes()
	bs.indexBytes = (mid - before) / float64(n)
	bs.qBytes = (after - mid) / float64(n)
	benchCache[n] = bs
	return bs
}

func BenchmarkScan(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			bs := setup(b, n)
			b.ReportAllocs()
			matches := 0
			i := 0
			for b.Loop() {
				matches += len(bs.scan.Match(&bs.notices[i%len(bs.notices)]))
				i++
			}
			b.ReportMetric(float64(n), "candidates/op")
			b.ReportMetric(float64(matches)/float64(i), "matches/op")
			b.ReportMetric(bs.qBytes, "B/profile")
		})
	}
}

func BenchmarkIndex(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			bs := setup(b, n)
			cands := 0
			for i := range bs.notices {
				cands += bs.index.Candidates(&bs.notices[i])
			}
			b.ReportAllocs()
			matches := 0
			i := 0
			for b.Loop() {
				matches += len(bs.index.Match(&bs.notices[i%len(bs.notices)]))
				i++
			}
			b.ReportMetric(float64(cands)/float64(len(bs.notices)), "candidates/op")
			b.ReportMetric(float64(matches)/float64(i), "matches/op")
			b.ReportMetric(bs.indexBytes, "B/profile")
		})
	}
}

// BenchmarkIndexHotPath is Match without building its result: finding the
// candidates and evaluating them.
func BenchmarkIndexHotPath(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("profiles=%d", n), func(b *testing.B) {
			bs := setup(b, n)
			var ids []int64
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				ids = bs.index.AppendMatches(ids[:0], &bs.notices[i%len(bs.notices)])
				i++
			}
		})
	}
}
