//go:build !linux

package nativec

import "os"

// dropCache does nothing where there is no posix_fadvise to ask.
func dropCache(f *os.File) error { return nil }
