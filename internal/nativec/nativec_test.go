package nativec

import (
	"context"
	"strings"
	"testing"
)

const probe = `#include <playground.h>
#include <stdio.h>
#include <sys/mman.h>

int main(int argc, char *argv[])
{
	char *p = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("argc %d %s\n", argc, argv[1]);
	printf("present %d\n", present_pages(p, 8 * 4096));
	p[0] = 1;
	p[3 * 4096] = 1;
	printf("present %d\n", present_pages(p, 8 * 4096));
	printf("areas %d\n", vma_count(p, 8 * 4096));
	mprotect(p + 4096, 4096, PROT_READ);
	printf("areas %d\n", vma_count(p, 8 * 4096));
	show_maps();
	show_pages(p, 2 * 4096);
	checkpoint("end");
	*(volatile char *)(p + 4096) = 1;
	return 0;
}
`

func TestProbe(t *testing.T) {
	bin := Build(t, probe)
	stdout, _, status, sig, err := Run(context.Background(), bin, t.TempDir(), []string{"x"})
	if err != nil {
		t.Fatal(err)
	}
	if sig != "SIGSEGV" || status != 128+11 {
		t.Errorf("ended with %d %q, want SIGSEGV", status, sig)
	}
	want := "argc 2 x\npresent 0\npresent 2\nareas 1\nareas 3\n"
	if got := StripInspection(stdout); got != want {
		t.Errorf("stripped output %q, want %q", got, want)
	}
	masked := MaskAddresses(stdout)
	for _, s := range []string{"ADDR-ADDR rw-p 00000000 00:00 0\n", "ADDR-ADDR r--p 00000000 00:00 0\n", "[heap]", "[stack]", "ADDR present exclusive", "ADDR none\n"} {
		if !strings.Contains(masked, s) {
			t.Errorf("show_maps/show_pages output lacks %q:\n%s", s, masked)
		}
	}
	for _, s := range []string{"libc", "ld-linux", "[vdso]", "[vvar]", "/prog"} {
		if strings.Contains(stdout, s) {
			t.Errorf("show_maps shows %q, not the program's own:\n%s", s, stdout)
		}
	}
}

func TestCompileError(t *testing.T) {
	if !HaveGCC() {
		t.Skip("gcc not found")
	}
	_, diag, err := Compile(context.Background(), t.TempDir(), "bad.c", "int main(void) { return o; }\n")
	if err == nil || !strings.Contains(diag, "bad.c:1:25: error: 'o' undeclared") {
		t.Errorf("err %v, diagnostics %q", err, diag)
	}
}

// TestRunHasNoASLR: a native run's addresses repeat from run to run, as
// under `setarch -R`, where the host randomises them (randomize_va_space 2).
func TestRunHasNoASLR(t *testing.T) {
	bin := Build(t, `#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(void)
{
	int local;
	void *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("%p %p %p %p\n", m, (void *)&local, malloc(16), (void *)main);
	return 0;
}
`)
	var first string
	for i := 0; i < 3; i++ {
		stdout, _, status, _, err := Run(context.Background(), bin, t.TempDir(), nil)
		if err != nil || status != 0 {
			t.Fatalf("run %d: status %d, %v", i, status, err)
		}
		if i == 0 {
			first = stdout
		} else if stdout != first {
			t.Fatalf("addresses differ between native runs (ASLR on):\n%s%s", first, stdout)
		}
	}
	if !strings.HasPrefix(first, "0x7ffff7") {
		t.Errorf("the first mapping is at %s; with ASLR off it is just below the C library, at 0x7ffff7...", first)
	}
}
