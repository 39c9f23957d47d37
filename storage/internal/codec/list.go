package codec

import (
	"encoding/json"
	"fmt"

	"github.com/tenderbot/tenderbot/bot"
)

// EncodeList returns v as a JSON array, or nil (NULL) when it has no
// elements: nil and empty lists are stored alike and both come back nil.
func EncodeList[T any](v []T) (any, error) {
	if len(v) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// DecodeList reads a list written by EncodeList; nil b is NULL.
func DecodeList[T any](b []byte) ([]T, error) {
	if b == nil {
		return nil, nil
	}
	var v []T
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("stored list %.40q: %w", b, err)
	}
	if len(v) == 0 {
		return nil, nil
	}
	return v, nil
}

// NoticeLists returns n's lists as stored: its CPV codes, NUTS codes, lots
// and sources.
func NoticeLists(n bot.Notice) (cpv, nuts, lots, sources any, err error) {
	if cpv, err = EncodeList(n.CPV); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("cpv: %w", err)
	}
	if nuts, err = EncodeList(n.NUTS); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("nuts: %w", err)
	}
	if lots, err = EncodeList(n.Lots); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("lots: %w", err)
	}
	if sources, err = EncodeList(n.Sources); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("sources: %w", err)
	}
	return cpv, nuts, lots, sources, nil
}

// SetNoticeLists reads into n the lists NoticeLists wrote.
func SetNoticeLists(n *bot.Notice, cpv, nuts, lots, sources []byte) error {
	var err error
	if n.CPV, err = DecodeList[string](cpv); err != nil {
		return fmt.Errorf("notice %s: cpv: %w", n.ID, err)
	}
	if n.NUTS, err = DecodeList[string](nuts); err != nil {
		return fmt.Errorf("notice %s: nuts: %w", n.ID, err)
	}
	if n.Lots, err = DecodeList[bot.Lot](lots); err != nil {
		return fmt.Errorf("notice %s: lots: %w", n.ID, err)
	}
	if n.Sources, err = DecodeList[bot.SourceLink](sources); err != nil {
		return fmt.Errorf("notice %s: sources: %w", n.ID, err)
	}
	return nil
}
