package corpus

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// The selftests are built against the kernel's own user-space headers
// (their Makefiles use the tree's usr/include, made by `make
// headers_install`): Debian 12's linux-libc-dev is Linux 6.1's and lacks
// what 6.12's tests use (PAGEMAP_SCAN, MADV_COLLAPSE, __NR_mseal). This is
// headers_install for x86-64, done as scripts/headers_install.sh does it,
// with asm/unistd_64.h made from the syscall table as the kernel's
// build makes it. Headers the kernel generates from asm-generic for x86
// ("generic-y") are not made: the system's come next on the include path.

var headerEdits = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`([[:space:](])(__user|__force|__iomem)[[:space:]]`), "$1"},
	{regexp.MustCompile(`__attribute_const__([[:space:]]|$)`), "$1"},
	{regexp.MustCompile(`(?m)^#include <linux/compiler(|_types)\.h>`), ""},
	{regexp.MustCompile(`(^|[^a-zA-Z0-9])__packed([^a-zA-Z0-9_]|$)`), "${1}__attribute__((packed))$2"},
	{regexp.MustCompile(`(?m)#(ifndef|define|endif[[:space:]]*/[*])[[:space:]]*_UAPI`), "#$1 "},
}

// installHeaders writes root/usr/include from root/include/uapi and
// root/arch/x86/include/uapi.
func installHeaders(root string) error {
	out := filepath.Join(root, "usr/include")
	for _, src := range []struct{ from, to string }{
		{"include/uapi", ""},
		{"arch/x86/include/uapi", ""},
	} {
		base := filepath.Join(root, src.from)
		err := filepath.WalkDir(base, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".h") {
				return err
			}
			rel, _ := filepath.Rel(base, path)
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			s := string(b)
			for _, e := range headerEdits {
				s = e.re.ReplaceAllString(s, e.with)
			}
			dst := filepath.Join(out, src.to, rel)
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return err
			}
			return os.WriteFile(dst, []byte(s), 0o644)
		})
		if err != nil {
			return err
		}
	}
	return writeUnistd64(filepath.Join(root, "arch/x86/entry/syscalls/syscall_64.tbl"), filepath.Join(out, "asm/unistd_64.h"))
}

// writeUnistd64 makes asm/unistd_64.h from syscall_64.tbl's common and
// 64-bit rows, as arch/x86/entry/syscalls/Makefile does.
func writeUnistd64(tbl, dst string) error {
	calls, err := ReadSyscallTable(tbl)
	if err != nil {
		return err
	}
	var sb strings.Builder
	sb.WriteString("#ifndef _ASM_UNISTD_64_H\n#define _ASM_UNISTD_64_H\n\n")
	for _, c := range calls {
		fmt.Fprintf(&sb, "#define __NR_%s %d\n", c.Name, c.Nr)
	}
	sb.WriteString("\n#endif /* _ASM_UNISTD_64_H */\n")
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, []byte(sb.String()), 0o644)
}

// TableCall is one x86-64 row of the kernel's syscall_64.tbl.
type TableCall struct {
	Nr   int
	Name string
}

// ReadSyscallTable reads syscall_64.tbl's common and 64-bit rows (the x32
// ones are another ABI's), in the table's order.
func ReadSyscallTable(tbl string) ([]TableCall, error) {
	f, err := os.Open(tbl)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []TableCall
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fl := strings.Fields(sc.Text())
		if len(fl) < 3 || strings.HasPrefix(fl[0], "#") || (fl[1] != "common" && fl[1] != "64") {
			continue
		}
		nr, err := strconv.Atoi(fl[0])
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %v", tbl, sc.Text(), err)
		}
		out = append(out, TableCall{Nr: nr, Name: fl[2]})
	}
	return out, sc.Err()
}
