package fakeslack

import (
	"encoding/json"
	"strings"
)

// ButtonID returns the action_id of the first button in Block Kit blocks
// (as JSON text) whose action_id starts with prefix; ok is false when there
// is none.
func ButtonID(blocks, prefix string) (id string, ok bool) {
	var list []struct {
		Elements []struct {
			ActionID string `json:"action_id"`
		} `json:"elements"`
	}
	if json.Unmarshal([]byte(blocks), &list) != nil {
		return "", false
	}
	for _, b := range list {
		for _, e := range b.Elements {
			if strings.HasPrefix(e.ActionID, prefix) {
				return e.ActionID, true
			}
		}
	}
	return "", false
}
