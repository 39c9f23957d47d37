package discord

import (
	stdflag "flag" // flag is the name of a boolean option
	"path/filepath"
	"testing"

	"github.com/bwmarrin/discordgo"

	"github.com/tenderbot/tenderbot/bot/bottest"
)

var updateGolden = stdflag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenMessage is a rendered message as Discord receives it.
type goldenMessage struct {
	Content    string                       `json:"content,omitempty"`
	Embeds     []*discordgo.MessageEmbed    `json:"embeds,omitempty"`
	Components []discordgo.MessageComponent `json:"components,omitempty"`
	File       string                       `json:"file,omitempty"`
}

// TestSamplesGolden renders the core's sample messages as Discord
// messages; the console and Slack adapters render the same samples into
// their own golden files.
func TestSamplesGolden(t *testing.T) {
	for _, s := range bottest.SampleMessages() {
		t.Run(s.Name, func(t *testing.T) {
			var msgs []goldenMessage
			for _, o := range render(s.Message, nil) {
				g := goldenMessage{Content: o.content, Embeds: o.embeds, Components: o.rows}
				if o.file != nil {
					g.File = o.file.Name
				}
				msgs = append(msgs, g)
			}
			bottest.GoldenJSON(t, filepath.Join("testdata", "samples", s.Name+".json"), msgs, *updateGolden)
		})
	}
}
