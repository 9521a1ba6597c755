package web

import "io/fs"

func walkFiles(f func(name string, data []byte)) error {
	return fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(files, p)
		if err != nil {
			return err
		}
		f(p, b)
		return nil
	})
}
