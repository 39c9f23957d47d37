package text

// chatDutch translates what the chats and pages show around the core's
// messages: labels of cards and buttons, forms, the public pages.
var chatDutch = map[string]string{}
