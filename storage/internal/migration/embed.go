package migration

import "io/fs"

// Dir returns the folder dir of an embedded file system, where a store's
// migrations are: fs.Sub of a folder that is embedded cannot fail.
func Dir(embedded fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(embedded, dir)
	if err != nil {
		panic(err)
	}
	return sub
}
