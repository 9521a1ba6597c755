package engine

import "testing"

// The answers of mremap on Linux 6.18 for an old address where nothing is
// mapped (a program compiled with gcc and run natively): the argument
// checks come first, so each of these is EINVAL, not EFAULT.
func TestCheckMremap(t *testing.T) {
	const u, a = 0x7f0000000000, 0x7f0000100000
	tests := []struct {
		name                string
		old, oldLen, newLen uint64
		flags               int64
		newAddr             uint64
		want                Errno
	}{
		{"plain grow", u, PageSize, 2 * PageSize, MREMAP_MAYMOVE, 0, 0},
		{"an unaligned hint is ignored", u, PageSize, 2 * PageSize, MREMAP_MAYMOVE, a + 1, 0},
		{"fixed move", u, PageSize, PageSize, MREMAP_FIXED | MREMAP_MAYMOVE, a, 0},
		{"dontunmap", u, PageSize, PageSize, MREMAP_DONTUNMAP | MREMAP_MAYMOVE, 0, 0},
		{"unknown flag", u, PageSize, PageSize, 0x80, 0, EINVAL},
		{"fixed without maymove", u, PageSize, PageSize, MREMAP_FIXED, a, EINVAL},
		{"dontunmap without maymove", u, PageSize, PageSize, MREMAP_DONTUNMAP, 0, EINVAL},
		{"dontunmap with two lengths", u, PageSize, 2 * PageSize, MREMAP_DONTUNMAP | MREMAP_MAYMOVE, 0, EINVAL},
		{"dontunmap unaligned hint", u, PageSize, PageSize, MREMAP_DONTUNMAP | MREMAP_MAYMOVE, a + 1, EINVAL},
		{"unaligned old", u + 1, PageSize, PageSize, 0, 0, EINVAL},
		{"new length 0", u, PageSize, 0, MREMAP_MAYMOVE, 0, EINVAL},
		{"new length past TASK_SIZE", u, PageSize, 1 << 48, MREMAP_MAYMOVE, 0, EINVAL},
		{"fixed unaligned new", u, PageSize, PageSize, MREMAP_FIXED | MREMAP_MAYMOVE, a + 1, EINVAL},
		{"fixed overlapping", u, 2 * PageSize, 2 * PageSize, MREMAP_FIXED | MREMAP_MAYMOVE, u + PageSize, EINVAL},
		{"fixed past TASK_SIZE", u, PageSize, PageSize, MREMAP_FIXED | MREMAP_MAYMOVE, 1 << 47, EINVAL},
	}
	for _, tt := range tests {
		if got := CheckMremap(tt.old, tt.oldLen, tt.newLen, tt.flags, tt.newAddr); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
