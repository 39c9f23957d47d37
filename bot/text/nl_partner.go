package text

// partnerDutch translates what the partners' feeds, roles, installations,
// e-mail addresses and the stores' errors say.
var partnerDutch = map[string]string{}
