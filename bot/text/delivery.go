package text

// deliveryWords are the delivery modes of a profile in words, by their
// names, and how each delivers new matches.
var deliveryWords = map[string]struct{ mode, when string }{
	"instant": {N("instant"), N("as they arrive")},
	"daily":   {N("daily"), N("in your daily digest")},
	"weekly":  {N("weekly"), N("in your weekly digest")},
}

// DeliveryMode is a profile's delivery mode, by its name ("instant",
// "daily", "weekly"), in words: "direct", "dagelijks", "wekelijks" in
// Dutch. A mode of another name is named as it is.
func (p Printer) DeliveryMode(mode string) string {
	if w, ok := deliveryWords[mode]; ok {
		return p.Text(w.mode)
	}
	return mode
}

// DeliveryWhen says how a profile of the delivery mode gets new matches:
// "as they arrive", "in your daily digest"; a mode of another name as
// instant does.
func (p Printer) DeliveryWhen(mode string) string {
	if w, ok := deliveryWords[mode]; ok {
		return p.Text(w.when)
	}
	return p.Text(deliveryWords["instant"].when)
}
