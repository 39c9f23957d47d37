package matching_test

import (
	"fmt"

	"github.com/tenderbot/tenderbot/bot"
	"github.com/tenderbot/tenderbot/matching"
)

func ExampleCompile() {
	q, err := matching.Compile(`(Renovatie OR "zonne* panelen") cpv:45000000,09331200-2 nuts:nl21 -asbest`)
	if err != nil {
		fmt.Println(bot.ErrorMessage(err))
		return
	}
	fmt.Println(q)
	fmt.Println(q.Keywords())

	_, err = matching.Compile("cpv:4x21")
	fmt.Println(bot.ErrorMessage(err))
	// Output:
	// (renovatie OR "zonne* panelen") cpv:093312,45 nuts:NL21 -asbest
	// [panelen renovatie]
	// cpv:4x21 — a CPV code is 2 to 8 digits, like cpv:45 or cpv:45210000
}

func ExampleQuery_Match() {
	q, err := matching.Compile("(renovatie OR zonne*) cpv:45 nuts:NL21")
	if err != nil {
		panic(err)
	}
	n := &bot.Notice{
		Title:       "Renovatie gemeentehuis",
		Description: "Plaatsen van zonnepanelen",
		CPV:         []string{"71000000"},
		Lots:        []bot.Lot{{ID: "2", CPV: []string{"45210000-2"}}},
		NUTS:        []string{"NL213"},
	}
	reasons, ok := q.Match(n)
	fmt.Println(ok)
	for _, r := range reasons {
		fmt.Println(r)
	}
	// Output:
	// true
	// "renovatie" in title
	// "zonne*" in description (zonnepanelen)
	// cpv 45210000 under 45 in lot 2
	// region NL213 under NL21
}

func ExampleScan() {
	s := matching.NewScan()
	for id, query := range map[int64]string{1: "renovatie", 2: "cpv:72", 3: "nuts:NL"} {
		q, err := s.Compile(query)
		if err != nil {
			panic(err)
		}
		s.Put(id, q)
	}
	for _, h := range s.Match(&bot.Notice{Title: "Renovatie school", Country: "NL"}) {
		fmt.Println(h.ProfileID, h.Reasons)
	}
	// Output:
	// 1 ["renovatie" in title]
	// 3 [country NL]
}
