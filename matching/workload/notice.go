package workload

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/tenderbot/tenderbot/bot"
)

// Notices returns n notices.
func (g *Generator) Notices(n int) []bot.Notice {
	out := make([]bot.Notice, n)
	for i := range out {
		out[i] = g.Notice()
	}
	return out
}

// Notice returns one notice: Zipf-weighted codes and words, a region by
// country volume, a kind, and a value and deadline where that kind of
// notice states them.
func (g *Generator) Notice() bot.Notice {
	ctry, code := g.region(g.noticeNUTSLevel())
	n := bot.Notice{
		ID:          fmt.Sprintf("gen-%016x", g.r.Uint64()),
		Source:      "workload",
		Title:       g.text(4 + g.r.IntN(9)),
		Description: g.text(20 + g.r.IntN(100)),
		Buyer:       g.buyer[g.r.IntN(len(g.buyer))],
		Kind:        []bot.Kind{bot.KindEarly, bot.KindTender, bot.KindAward, bot.KindChange, bot.KindOther}[g.pick(0.15, 0.55, 0.22, 0.05, 0.03)],
		Country:     ctry.code,
		Published:   Now.Add(-time.Duration(g.r.IntN(72)) * time.Hour),
	}
	if code != ctry.code {
		n.NUTS = []string{code}
		if g.chance(0.05) {
			_, other := g.region(3)
			n.NUTS = append(n.NUTS, other)
		}
	}
	main := g.cpvCode(g.noticeCPVDepth())
	n.CPV = []string{pad(main)}
	for range g.pick(0.7, 0.2, 0.1) {
		if g.chance(0.7) {
			n.CPV = append(n.CPV, pad(g.cpvUnder(main[:2], g.noticeCPVDepth())))
		} else {
			n.CPV = append(n.CPV, pad(g.cpvCode(g.noticeCPVDepth())))
		}
	}
	if g.chance(0.2) {
		for l := range 2 + g.r.IntN(4) {
			n.Lots = append(n.Lots, bot.Lot{
				ID:    fmt.Sprintf("LOT-%04d", l+1),
				Title: g.text(3 + g.r.IntN(4)),
				CPV:   []string{pad(g.cpvUnder(main[:2], g.noticeCPVDepth()))},
			})
		}
	}
	if !g.chance(0.3) {
		cur := ctry.currency
		if cur != "EUR" && g.chance(0.3) {
			cur = "EUR"
		}
		amount := math.Round(math.Exp(math.Log(250000) + 1.4*g.r.NormFloat64()))
		n.Value = &bot.Money{Amount: amount, Currency: cur}
	}
	if n.Kind == bot.KindTender || (n.Kind == bot.KindEarly && g.chance(0.3)) {
		n.Deadline = Now.Add(time.Duration(3*24+g.r.IntN(57*24)) * time.Hour)
	}
	return n
}

// noticeNUTSLevel draws how precisely a notice names its region: mostly
// NUTS 3, sometimes only the country.
func (g *Generator) noticeNUTSLevel() int {
	return []int{0, 1, 2, 3}[g.pick(0.1, 0.05, 0.15, 0.7)]
}

// text returns n Zipf-drawn words, capitalised like a sentence.
func (g *Generator) text(n int) string {
	var b strings.Builder
	for i := range n {
		w := g.words[g.zWord.draw(g.r)]
		if i == 0 && w[0] >= 'a' && w[0] <= 'z' {
			w = strings.ToUpper(w[:1]) + w[1:]
		} else if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}
