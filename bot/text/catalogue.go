package text

// dutch is the catalogue: the Dutch format of every message id. Each part
// of the bot keeps its messages in a file of its own (nl_*.go); a message
// id two parts share is translated once.
var dutch = merge(coreDutch, commandsDutch, eventsDutch, partnerDutch, chatDutch, queryDutch)

func merge(parts ...map[string]string) map[string]string {
	all := map[string]string{}
	for _, part := range parts {
		for id, t := range part {
			if _, ok := all[id]; !ok {
				all[id] = t
			}
		}
	}
	return all
}
