// Package workload generates synthetic profiles and notices for testing and
// benchmarking the matcher. A Generator is deterministic: the same seed
// gives the same profiles and notices, on any machine, so a benchmark
// figure can be reproduced exactly.
//
// The draws are skewed the way public procurement is: CPV divisions are
// Zipf-weighted (45 construction, 72 IT, 71 engineering, 79 business
// services, 33 medical first), codes deepen from division to full code,
// regions follow each country's share of TED notices, words follow a Zipf
// law over a vocabulary of real procurement words and a long synthetic
// tail, values are log-normal with 30% not stated, and a few profiles are
// exclusions only. BroadProfile draws wider profiles (a division or two, in
// a country or anywhere) for measuring the fan-out from a notice to the
// alerts it causes.
package workload

import (
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"time"
)

// Now is the time the generated notices' deadlines are relative to: pass a
// clock stopped at Now to the matcher that evaluates them.
var Now = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Generator draws profiles and notices.
type Generator struct {
	r     *rand.Rand
	words []string // the vocabulary, most frequent first
	zWord *zipf    // over words
	zProf *zipf    // over words a profile picks: rarer than the commonest
	zDiv  *zipf    // over cpvDivisions
	zDig  *zipf    // over the digits 1–9 of a CPV level
	zReg  *zipf    // over the digits of a NUTS level
	zCtry *table   // over countries
	buyer []string // buyer names
}

// shared are the tables every Generator draws from, built once: they do
// not depend on the seed, and are never written after.
var shared = sync.OnceValues(func() ([]string, []string) { return vocabulary(), buyers() })

// New returns a Generator for the seed.
func New(seed uint64) *Generator {
	words, buyerNames := shared()
	return &Generator{
		r:     rand.New(rand.NewPCG(seed, 0x7e4d5b07)),
		words: words,
		zWord: newZipf(len(words), 1.0),
		zProf: newZipf(len(words)-profileSkip, 0.9),
		zDiv:  newZipf(len(cpvDivisions), 1.1),
		zDig:  newZipf(9, 0.8),
		zReg:  newZipf(9, 0.7),
		zCtry: newTable(countryWeights()),
		buyer: buyerNames,
	}
}

// zipf draws 0..n-1 with probability proportional to 1/(i+1)^s.
type zipf struct{ cdf []float64 }

func newZipf(n int, s float64) *zipf {
	cdf := make([]float64, n)
	sum := 0.0
	for i := range n {
		sum += 1 / math.Pow(float64(i+1), s)
		cdf[i] = sum
	}
	for i := range cdf {
		cdf[i] /= sum
	}
	return &zipf{cdf: cdf}
}

func (z *zipf) draw(r *rand.Rand) int {
	return min(sort.SearchFloat64s(z.cdf, r.Float64()), len(z.cdf)-1)
}

// table draws an index with the given weights.
type table struct{ cdf []float64 }

func newTable(weights []float64) *table {
	cdf := make([]float64, len(weights))
	sum := 0.0
	for i, w := range weights {
		sum += w
		cdf[i] = sum
	}
	for i := range cdf {
		cdf[i] /= sum
	}
	return &table{cdf: cdf}
}

func (t *table) draw(r *rand.Rand) int {
	return min(sort.SearchFloat64s(t.cdf, r.Float64()), len(t.cdf)-1)
}

// chance reports true with probability p.
func (g *Generator) chance(p float64) bool { return g.r.Float64() < p }

// pick returns one of the choices by weight: pick(0.3, 0.5, 0.2) is 0, 1
// or 2.
func (g *Generator) pick(weights ...float64) int {
	x := g.r.Float64() * sumOf(weights)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

func sumOf(ws []float64) float64 {
	s := 0.0
	for _, w := range ws {
		s += w
	}
	return s
}
