package interp

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDiagnostics holds the compiler to gcc's words and positions.
func TestDiagnostics(t *testing.T) {
	seed, err := os.ReadFile("testdata/seed002_as_printed.c.txt")
	require.NoError(t, err)
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"seed 002 as printed", string(seed), []string{
			"28:44: error: 'o' undeclared (first use in this function)",
			"43:1: error: expected declaration or statement at end of input",
		}},
		{"unknown function", "int main(void) {\n  foo(1);\n  return 0;\n}\n", []string{
			"2:3: error: implicit declaration of function 'foo'",
		}},
		{"several errors", "#include <stdio.h>\nint main(void) {\n  int x = 1 / ;\n  return y + z;\n}\n", []string{
			"3:15: error: expected expression before ';' token",
			"4:10: error: 'y' undeclared (first use in this function)",
			"4:14: error: 'z' undeclared (first use in this function)",
		}},
		{"undeclared once per function", "int main(void) {\n  q = 1;\n  q = 2;\n  return 0;\n}\n", []string{
			"2:3: error: 'q' undeclared (first use in this function)",
		}},
		{"unknown header", "#include <nosuch.h>\nint main(void) { return 0; }\n", []string{
			"1:10: error: nosuch.h: No such file or directory",
		}},
		{"missing semicolon after declaration", "int main(void) {\n  int x = 1\n  return x;\n}\n", []string{
			"3:3: error: expected ',' or ';' before 'return'",
		}},
		{"missing semicolons", "int main(void) {\n  int x = 1\n  int y = 2;\n  foo(x)\n  return y;\n}\n", []string{
			"3:3: error: expected ',' or ';' before 'int'",
			// gcc 12 checks the call before the ';' is missed too (its
			// warning there is an error from gcc 14 on, and here).
			"4:3: error: implicit declaration of function 'foo'",
			"4:9: error: expected ';' before 'return'",
		}},
		{"a misspelt type", "#include <stdio.h>\nint main(void) {\n  unsinged int x = 5;\n  size_t n = x;\n  printf(\"%d\\n\", x);\n  return 0;\n}\n", []string{
			"3:3: error: 'unsinged' undeclared (first use in this function)",
			"3:11: error: expected ';' before 'int'",
			"4:14: error: 'x' undeclared (first use in this function)",
		}},
		{"a struct's ';' forgotten", "#include <stdio.h>\nstruct s { int a; }\nint main(void) {\n  struct s v = {1};\n  printf(\"%d\\n\", v.a);\n  return 0;\n}\n", []string{
			"3:1: error: expected ';', identifier or '(' before 'int'",
		}},
		{"missing semicolon same line", "#include <stdio.h>\nint main(void){return 0 }\n", []string{
			"2:24: error: expected ';' before '}' token",
		}},
		{"missing paren", "int main(void){\n  int x = (1 + 2;\n  return x;\n}\n", []string{
			"2:17: error: expected ')' before ';' token",
		}},
		{"unterminated string", "int main(void){\n  char *s = \"abc;\n  return 0;\n}\n", []string{
			"2:13: error: missing terminating \" character",
			"3:3: error: expected expression before 'return'",
		}},
		{"stray brace", "int main(void){\n  if (1) {\n    return 0;\n  }\n  }\n}\n", []string{
			"6:1: error: expected identifier or '(' before '}' token",
		}},
		{"continue outside loop", "int main(void){\n  continue;\n  return 0;\n}\n", []string{
			"2:3: error: continue statement not within a loop",
		}},
		{"member of a pointer to int", "int main(void){\n  int *p;\n  p->x = 1;\n  return 0;\n}\n", []string{
			"3:4: error: request for member 'x' in something not a structure or union",
		}},
		{"library call arity", "#include <sys/mman.h>\n#include <stdio.h>\nint main(void){\n  void *p = mmap(NULL, 4096);\n  return 0;\n}\n", []string{
			"4:13: error: too few arguments to function 'mmap'",
		}},
		{"redeclaration", "int main(void){\n  int x;\n  int x;\n  return 0;\n}\n", []string{
			"3:7: error: redeclaration of 'x' with no linkage",
		}},
		{"array assignment", "int main(void){\n  int a[3];\n  a = 0;\n  return 0;\n}\n", []string{
			"3:5: error: assignment to expression with array type",
		}},
		{"incomplete struct", "int main(void){\n  struct foo f;\n  return 0;\n}\n", []string{
			"2:14: error: storage size of 'f' isn't known",
		}},
		{"too many arguments", "int f(void);\nint main(void){\n  return f(1);\n}\nint f(void){return 0;}\n", []string{
			"3:10: error: too many arguments to function 'f'",
		}},
		{"const", "int main(void){\n  const int x = 1;\n  const char *p = \"ab\";\n  char *const q = 0;\n  x = 2;\n  x++;\n  p[0] = 1;\n  *p = 2;\n  p[1] = 3;\n  q = 0;\n  p = 0;\n  *q = 1;\n  return 0;\n}\n", []string{
			"5:5: error: assignment of read-only variable 'x'",
			"6:4: error: increment of read-only variable 'x'",
			"7:8: error: assignment of read-only location '*p'",
			"8:6: error: assignment of read-only location '*p'",
			"9:8: error: assignment of read-only location '*(p + 1)'",
			"10:5: error: assignment of read-only variable 'q'",
		}},
		{"members", "#include <sys/stat.h>\nint main(void) {\n  struct stat sb;\n  struct stat *ps = &sb;\n  return sb.st_foo + ps->st_bar + ps.st_size;\n}\n", []string{
			"5:13: error: 'struct stat' has no member named 'st_foo'; did you mean 'st_ino'?",
			"5:24: error: 'struct stat' has no member named 'st_bar'",
			"5:37: error: 'ps' is a pointer; did you mean to use '->'?",
		}},
		{"break outside loop", "int main(void) {\n  break;\n}\n", []string{
			"2:3: error: break statement not within loop or switch",
		}},
		{"too few arguments", "int f(int a, int b) { return a + b; }\nint main(void) {\n  return f(1);\n}\n", []string{
			"3:10: error: too few arguments to function 'f'",
		}},
		{"not an lvalue", "int main(void) {\n  1 = 2;\n  return 0;\n}\n", []string{
			"2:5: error: lvalue required as left operand of assignment",
		}},
		{"a declaration stands after its missing ';'", "#include <stdio.h>\nint main(void) {\n  int x = 1\n  x++;\n  printf(\"%d\\n\", x)\n  char *s = \"a\";\n  return x + s[0];\n}\n", []string{
			"4:3: error: expected ',' or ';' before 'x'",
			"5:20: error: expected ';' before 'char'",
			"7:14: error: 's' undeclared (first use in this function)",
		}},
		{"constant-expression errors", "int n = 3;\nchar buf[n];\n_Static_assert(sizeof(int) == 8, \"int is 8\");\nstruct s { int a:3; };\nint main(void) {\n  struct s v;\n  int *p = &v.a;\n  int m = 2;\n  static int st[m];\n  switch (m) { case 1 ... 3: case 2: break; }\n  return 0;\n}\n", []string{
			"2:6: error: variably modified 'buf' at file scope",
			"3:1: error: static assertion failed: \"int is 8\"",
			"7:12: error: cannot take address of bit-field 'a'",
			"9:14: error: storage size of 'st' isn't constant",
			"10:30: error: duplicate case value",
		}},
		{"unknown type names", "struct a {\n\tfoo_t x;\n\tfoo_t y;\n\tint z;\n};\nbar_t g;\nstatic bar_t *h;\nbar_t f(int);\nint k(bar_t a, int b);\n" +
			"int main(void) {\n\tbaz_t v = 1;\n\tstruct a s;\n\ts.z = 2;\n\tconst foo_t q = 0;\n\tfoo_t *p, t;\n\tfor (foo_t i = 0; i < 3; i++) ;\n\tg = v + q;\n\th->n = *p;\n\treturn s.z + (int)sizeof(foo_t);\n}\n", []string{
			"2:9: error: unknown type name 'foo_t'",
			"3:9: error: unknown type name 'foo_t'",
			"6:1: error: unknown type name 'bar_t'",
			"7:8: error: unknown type name 'bar_t'",
			"8:1: error: unknown type name 'bar_t'",
			"9:7: error: unknown type name 'bar_t'",
			"11:9: error: unknown type name 'baz_t'",
			"14:15: error: unknown type name 'foo_t'",
			"15:9: error: unknown type name 'foo_t'",
			"16:14: error: unknown type name 'foo_t'",
			"18:10: error: request for member 'n' in something not a structure or union",
			"19:34: error: 'foo_t' undeclared (first use in this function)",
		}},
		{"member of an incomplete struct", "struct cs;\nstruct cs *get(void);\nint main(void) {\n  struct cs *p = get();\n  return p->nr + (*p).x;\n}\n", []string{
			"5:11: error: invalid use of undefined type 'struct cs'",
			"5:22: error: invalid use of undefined type 'struct cs'",
		}},
		{"#line operands", "int main(void) {\n#line x\n#line 5 y\nreturn 0;\n}\n", []string{
			"2:7: error: \"x\" after #line is not a positive integer",
			"3:9: error: \"y\" is not a valid filename",
		}},
		{"incomplete type, then its uses", "struct foo;\nint g(struct foo *);\nint main(void) {\n  struct foo ev, evs[4];\n  int x = 1;\n  ev.a = 1;\n  g(&ev);\n  x = evs[0].b + 1;\n  return x + y;\n}\n", []string{
			"4:14: error: storage size of 'ev' isn't known",
			"4:18: error: array type has incomplete element type 'struct foo'",
			"9:14: error: 'y' undeclared (first use in this function)",
		}},
		{"deref int", "int main(void) {\n  int x = 0;\n  return *x;\n}\n", []string{
			"3:10: error: invalid type argument of unary '*' (have 'int')",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prog, diags := Compile("prog.c", tt.src)
			assert.Nil(t, prog)
			var got []string
			for _, d := range diags {
				got = append(got, d.Error())
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestCompileAccepts compiles the C mmap programs are written in.
func TestCompileAccepts(t *testing.T) {
	src := `#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <stdint.h>
#include <stdbool.h>
#include <inttypes.h>
#include <playground.h>
#define LEN 4096
#define SQUARE(x) ((x) * (x))
#define CHECK(c, msg) do { if (!(c)) { perror(msg); exit(1); } } while (0)
#ifndef LEN
#error no
#endif
#if LEN > 100 && defined(_GNU_SOURCE)
static const int big = 1;
#else
static const int big = 0;
#endif
struct pair { int a; long b; };
typedef struct pair pair_t;
enum color { RED, GREEN = 5, BLUE };
static int counter;
int add(int a, int b);
int add(int a, int b) { return a + b; }
static long fact(long n) { return n <= 1 ? 1 : n * fact(n - 1); }
int main(int argc, char *argv[])
{
	char *p = mmap(NULL, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED, "mmap");
	if (p == (void *)-1) return 1;
	uint64_t x = UINT64_MAX; int32_t y = INT32_MIN; size_t n = sizeof(struct stat);
	pair_t pr = { 1, 2 }; struct pair *pp = &pr; pp->b += pr.a;
	int arr[3][4]; arr[1][2] = SQUARE(3);
	bool ok = true; unsigned short us = 65535; us++;
	switch (argc) { case 1: counter++; break; case 2: default: counter--; }
	for (int i = 0, j = 10; i < j; i++, j--) { if (i == 2) continue; }
	int k = 0; do { k += 2; } while (k < 10);
	k = k > 5 ? k << 2 : k >> 1; k ^= 3; k |= 1; k &= ~4; k %= 7;
	printf("%" PRIu64 " %d %zu %ld %d %d %d %s\n", x, y, n, pp->b, arr[1][2], ok, big, argv[0]);
	struct stat sb; if (fstat(0, &sb) == -1) perror("fstat");
	printf("%ld %o\n", (long)sb.st_size, sb.st_mode & 0777);
	munmap(p, LEN);
	return add(RED, BLUE) + (int)fact(3) - 12 + errno * 0;
}
`
	_, diags := Compile("prog.c", src)
	assert.Empty(t, diags)
}

// FuzzCompile: no input makes Compile panic or hang.
func FuzzCompile(f *testing.F) {
	f.Add("int main(void) { return 0; }")
	f.Add("#include <stdio.h>\nint main(int argc, char *argv[]) { printf(\"%d\\n\", argc); }")
	f.Add("#define F(x) x+\nint main(void) { int a[3] = {1,2}; return F(a[1]) 1; }")
	f.Add("struct s { int a; }; int main(void) { struct s v; return v.a ? (int)sizeof v : -1; }")
	f.Add("int main(void) { for (;;) { switch (1) { case 1: break; } } }")
	// Issue 11's blow-ups: expansion that doubles, many uses of a macro,
	// large initialised globals.
	f.Add("#define D(x) x x\n#define E(x) D(D(D(D(D(x)))))\n#define F(x) E(E(E(E(E(E(x))))))\nint main(void) { F(;) return 0; }\n")
	f.Add("#define E\nint main(void) {\n" + strings.Repeat("E ", 500) + "\nreturn 0; }\n")
	f.Add("char g0[16 << 20] = {1};\nchar g1[16 << 20] = {1};\nint main(void) { return g0[0]; }\n")
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 4096 {
			return
		}
		// Expansion is bounded (maxExpansion counts every copy), so
		// macros need no filter; a panic recovered into a diagnostic is
		// still a bug.
		_, diags := Compile("prog.c", src)
		for _, d := range diags {
			if strings.Contains(d.Message, "internal compiler error") {
				t.Fatalf("%s", d.Message)
			}
		}
	})
}
