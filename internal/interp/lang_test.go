package interp

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

// langCase is one construct of the C that gcc -std=gnu11 accepts: a
// program and what it prints.
type langCase struct {
	name string
	src  string
	want string
}

const langPrelude = "#include <stdio.h>\n#include <stdint.h>\n#include <stddef.h>\n#include <string.h>\n#include <signal.h>\n#include <sys/types.h>\n"

var langCases = []langCase{
	// Declaration specifiers in every order.
	{"static before typedef", "static uint64_t x = 5;\nint main(void) { printf(\"%lu\\n\", (unsigned long)x); return 0; }\n", "5\n"},
	{"inline static", "inline static size_t f(void) { return 3; }\nint main(void) { printf(\"%zu\\n\", f()); return 0; }\n", "3\n"},
	{"const typedef", "int main(void) { const size_t n = 4; const off_t o = -1; printf(\"%zu %ld\\n\", n, (long)o); return 0; }\n", "4 -1\n"},
	{"volatile sig_atomic_t", "volatile sig_atomic_t flag = 2;\nint main(void) { printf(\"%d\\n\", flag); return 0; }\n", "2\n"},
	{"register typedef", "int main(void) { register size_t r = 7; printf(\"%zu\\n\", r); return 0; }\n", "7\n"},
	{"long unsigned and friends", "int main(void) { long unsigned a = 1; unsigned long long int b = 2; long long signed c = -3; short unsigned int d = 65535; int long e = 5;\n" +
		"printf(\"%lu %llu %lld %u %ld %zu\\n\", a, b, c, d, e, sizeof(int long unsigned)); return 0; }\n", "1 2 -3 65535 5 8\n"},
	{"typedef after const", "typedef int T; int main(void) { T const a = 1; const T b = 2; printf(\"%d\\n\", a + b); return 0; }\n", "3\n"},
	// Enumerators wider than int take the enum's type, as gcc gives them
	// (mremap_test's `enum { ... = 2ULL << 30 }`).
	{"wide enumerators", "enum { A = 2ULL << 30, B = 1, C = 3ULL << 31, D = -1 };\nenum { E = 2ULL << 30 };\nenum { F = 1ULL << 40 };\n" +
		"int main(void) { printf(\"%zu %zu %zu %zu %zu\\n\", sizeof(A), sizeof(B), sizeof(C), sizeof(E), sizeof(F)); long x = A * 2L; printf(\"%d %d %ld %ld\\n\", A > 0, E > 0, x, (long)F); return 0; }\n",
		"8 4 8 4 8\n1 1 4294967296 1099511627776\n"},
	{"_Bool", "int main(void) { _Bool b = 5; b++; printf(\"%d %zu\\n\", b, sizeof b); return 0; }\n", "1 1\n"},
	{"_Noreturn and noreturn attribute", "#include <stdlib.h>\n_Noreturn void die(int c) { exit(c); }\n__attribute__((noreturn)) static void die2(void);\nstatic void die2(void) { exit(0); }\n" +
		"int main(void) { printf(\"x\\n\"); if (0) die(1); die2(); }\n", "x\n"},
	{"_Alignas", "struct s { char c; _Alignas(16) char d; };\nint main(void) { _Alignas(8) char b[3]; printf(\"%zu %zu %d\\n\", sizeof(struct s), offsetof(struct s, d), ((uintptr_t)b & 7) == 0); return 0; }\n", "32 16 1\n"},
	{"restrict spellings", "static void cp(char *restrict d, const char *__restrict s, size_t n) { memcpy(d, s, n); }\nint main(void) { char b[4]; char *__restrict__ p = b; cp(p, \"abc\", 4); printf(\"%s\\n\", b); return 0; }\n", "abc\n"},
	{"GNU keyword spellings", "static __inline__ int f(int x) { return x; }\nint main(void) { __const int a = 1; __volatile__ int b = 2; __signed__ char c = -1; __extension__ long long d = 4;\n" +
		"printf(\"%d\\n\", f(a + b + c + (int)d)); return 0; }\n", "6\n"},
	{"attributes anywhere", "struct __attribute__((packed)) p { char c; int i; } __attribute__((aligned(1)));\nstruct q { char c; int i __attribute__((packed)); };\n" +
		"static int u __attribute__((unused)) = 1;\nint __attribute__((noinline)) f(int x __attribute__((unused))) { return 2; }\n" +
		"int main(void) { int __attribute__((unused)) v; printf(\"%zu %zu %d\\n\", sizeof(struct p), sizeof(struct q), f(0) + u); return 0; }\n", "5 5 3\n"},
	{"aligned struct", "struct a { char c; } __attribute__((aligned(8)));\nstruct b { int x; } __attribute__((__aligned__));\nint main(void) { printf(\"%zu %zu\\n\", sizeof(struct a), sizeof(struct b)); return 0; }\n", "8 16\n"},
	{"fallthrough attribute", "int main(void) { int n = 0; switch (1) { case 1: n++; __attribute__((fallthrough)); case 2: n++; } printf(\"%d\\n\", n); return 0; }\n", "2\n"},
	{"asm barrier", "int main(void) { int x = 1; asm volatile(\"\" ::: \"memory\"); __asm__ __volatile__(\"mfence\" ::: \"memory\"); __asm__(\"\"); printf(\"%d\\n\", x); return 0; }\n", "1\n"},
	{"_Static_assert", "_Static_assert(sizeof(long) == 8, \"LP64\");\nstruct s { int a; _Static_assert(1, \"in a struct\"); };\nint main(void) { _Static_assert(sizeof(struct s) == 4, \"x\"); printf(\"ok\\n\"); return 0; }\n", "ok\n"},

	{"asm barrier with operands", "int main(void) { int tmp = 5; asm volatile(\"\" : \"+r\" (tmp)); __asm__ __volatile__(\"\" : : \"r\" (tmp) : \"memory\"); printf(\"%d\\n\", tmp); return 0; }\n", "5\n"},
	{"a typedef's name declared again", "typedef struct pin_args { int a, b; } pin_args;\ntypedef int count;\nstatic int f(pin_args *p) { return p->a + p->b; }\n" +
		"int main(void) { pin_args pin_args = { 1, 2 }; { int count = 3; printf(\"%d \", count); } count c = 4; printf(\"%d %d %d\\n\", pin_args.a + pin_args.b, f(&pin_args), c); return 0; }\n", "3 3 3 4\n"},
	{"constructors", "static void __attribute__((constructor)) a(void) { printf(\"a\\n\"); }\nstatic void b(void) __attribute__((constructor));\nstatic void b(void) { printf(\"b\\n\"); }\n" +
		"static void __attribute__((constructor(101))) early(void) { printf(\"early\\n\"); }\nint main(void) { printf(\"main\\n\"); return 0; }\n", "early\na\nb\nmain\n"},

	{"_Generic", "#define TYPE(x) _Generic((x), int: \"int\", long: \"long\", char *: \"char*\", const char *: \"const char*\", double: \"double\", default: \"other\")\n" +
		"int main(void) { const char *c = \"x\"; char a[2]; printf(\"%s %s %s %s %s %s %s\\n\", TYPE(1), TYPE(2L), TYPE(a), TYPE(c), TYPE(1.0), TYPE('c'), TYPE(1u)); return 0; }\n",
		"int long char* const char* double int other\n"},
	{"old-style definitions", "int kr(a, b) int a; char *b; { return a + (int)strlen(b); }\nstatic long twice(x) long x; { return 2 * x; }\n" +
		"int main(void) { printf(\"%d %ld\\n\", kr(1, \"ab\"), twice(21L)); return 0; }\n", "3 42\n"},
	{"a function returning a function pointer", "static int add(int a, int b) { return a + b; }\nstatic int (*pick(int k))(int, int) { return k ? add : 0; }\n" +
		"int main(void) { int (*tab[2])(int, int) = { add, add }; printf(\"%d %d %d\\n\", pick(1)(4, 5), tab[1](2, 3), ((int (*)(int, int))add)(1, 1)); return 0; }\n", "9 5 2\n"},
	{"flexible and zero-length arrays", "#include <stdlib.h>\nstruct msg { int n; char data[]; }; struct zl { int n; char d[0]; }; struct empty {};\n" +
		"int main(void) { struct msg *m = malloc(sizeof(struct msg) + 8); m->n = 3; strcpy(m->data, \"abc\"); printf(\"%zu %zu %zu %s\\n\", sizeof(struct msg), sizeof(struct zl), sizeof(struct empty), m->data); return 0; }\n",
		"4 4 0 abc\n"},
	{"literals", "int main(void) { printf(\"%d %d %c%c %d\\n\", 0b1011, 0x1F, '\\101', \"\\x42\"[0], '\\e'); return 0; }\n", "11 31 AB 27\n"},

	{"bit and overflow built-ins", "#include <limits.h>\nint main(void) { unsigned long long v = 0x10; int r; unsigned u; long l;\n" +
		"printf(\"%d %d %d %d %d %d %x %lx\\n\", __builtin_popcount(0xff), __builtin_ctzll(v), __builtin_clz(1), __builtin_ffs(8), __builtin_parity(7), __builtin_clzl(1), __builtin_bswap32(0x11223344), (unsigned long)__builtin_bswap64(0x1122334455667788ULL));\n" +
		"int o1 = __builtin_add_overflow(INT_MAX, 1, &r); int o2 = __builtin_mul_overflow(3, 4, &u); printf(\"%d %d %d %u \", o1, r, o2, u);\n" +
		"int o3 = __builtin_sub_overflow(0, 1, &u); int o4 = __builtin_mul_overflow(1L << 40, 1L << 30, &l); printf(\"%d %u %d %ld\\n\", o3, u, o4, l); return 0; }\n",
		"8 4 31 4 1 63 44332211 8877665544332211\n1 -2147483648 0 12 1 4294967295 1 0\n"},
	{"library built-ins and compound literals' addresses", "struct pt { int x, y; };\nint main(void) { char b[8]; __builtin_memcpy(b, \"hey\", 4); __builtin_prefetch(b); struct pt *p = &(struct pt){ 1, 2 }; int *ip = &(int){ 42 };\n" +
		"printf(\"%s %zu %d %d\\n\", b, __builtin_strlen(b), p->y, *ip); return 0; }\n", "hey 3 2 42\n"},

	{"atomic built-ins", "#include <stdbool.h>\nint main(void) { int x = 5; long y = 10; bool b = false; unsigned u = 1;\n" +
		"int o = __sync_fetch_and_add(&x, 3); long n = __sync_add_and_fetch(&y, 5); int c1 = __sync_bool_compare_and_swap(&b, false, true); int c2 = __sync_bool_compare_and_swap(&b, false, true);\n" +
		"int v = __sync_val_compare_and_swap(&x, 8, 1); __sync_synchronize(); unsigned a = __atomic_add_fetch(&u, 2, __ATOMIC_SEQ_CST); unsigned f = __atomic_fetch_or(&u, 8, __ATOMIC_RELAXED);\n" +
		"int exp = 7; bool ok = __atomic_compare_exchange_n(&x, &exp, 9, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); __atomic_store_n(&y, 42, __ATOMIC_RELEASE);\n" +
		"printf(\"%d %d %ld %d %d %d %d %u %u %u %d %d %ld\\n\", o, x, n, c1, c2, b, v, a, f, u, ok, exp, __atomic_load_n(&y, __ATOMIC_ACQUIRE)); return 0; }\n",
		"5 1 15 1 0 1 8 3 3 11 0 1 42\n"},
	{"a static object in its own initialiser", "struct node { const char *name; struct node *prev; };\nstatic struct node head = { .name = \"global\", .prev = &head, };\n" +
		"int main(void) { static int *self = (int *)&self; printf(\"%s %d\\n\", head.prev->name, self == (int *)&self); return 0; }\n", "global 1\n"},

	// Constant expressions.
	{"sizeof a literal in an array size", "int main(void) { char buf[sizeof(\"literal\") + 20]; printf(\"%zu\\n\", sizeof buf); return 0; }\n", "28\n"},
	{"enum from sizeof and offsetof", "struct pt { int x, y; }; struct ln { struct pt a, b; };\nenum { A = sizeof(\"ab\") * 2, B = offsetof(struct ln, b.y), C = (char)300, D = 1 ? 5 : 6 };\n" +
		"int main(void) { printf(\"%d %d %d %d\\n\", A, B, C, D); return 0; }\n", "6 12 44 5\n"},
	{"sizeof a variable in an array size", "static int tab[10];\nint main(void) { int copy[sizeof tab / sizeof tab[0]]; char c[sizeof(tab[0]) * 2]; printf(\"%zu %zu\\n\", sizeof copy, sizeof c); return 0; }\n", "40 8\n"},
	{"case labels fold", "#define K 3\nint main(void) { int n = 0; for (int i = 0; i < 8; i++) switch (i) { case (int)sizeof(int): n += 1; break; case K * 2 - 1: n += 10; break; case 1 ? 7 : 0: n += 100; } printf(\"%d\\n\", n); return 0; }\n", "111\n"},
	{"static initialisers fold", "static const int n = sizeof(\"abc\") + 1;\nstatic long x = (long)(char)257 + (1 ? 2 : 3);\nstatic char *p = \"hello\" + 1;\nstatic int arr[4];\nstatic int *q = &arr[2];\nstatic int *r = arr + 3;\n" +
		"int main(void) { printf(\"%d %ld %s %td %td\\n\", n, x, p, q - arr, r - arr); return 0; }\n", "5 3 ello 2 3\n"},
	{"function pointers in static tables", "static int one(void) { return 1; } static int two(void) { return 2; }\nstruct op { const char *name; int (*fn)(void); };\nstatic struct op ops[] = { { \"one\", one }, { .fn = two, .name = \"two\" } };\n" +
		"int main(void) { for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) printf(\"%s=%d\\n\", ops[i].name, ops[i].fn()); return 0; }\n", "one=1\ntwo=2\n"},

	// Variable length arrays.
	{"VLA", "static int sum(int n) { int a[n]; for (int i = 0; i < n; i++) a[i] = i * i; int s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }\n" +
		"int main(void) { printf(\"%d %d\\n\", sum(4), sum(10)); return 0; }\n", "14 285\n"},
	{"sizeof a VLA", "int main(int argc, char **argv) { size_t size = 100 + argc; char data[size]; memset(data, 'x', sizeof data); printf(\"%zu %zu %c\\n\", sizeof data, sizeof(data) / sizeof(data[0]), data[size - 1]); return 0; }\n", "101 101 x\n"},
	{"VLA in a loop", "int main(void) { long t = 0; for (int i = 1; i <= 1000; i++) { char b[i * 64]; b[0] = 1; b[i * 64 - 1] = 2; t += b[0] + b[i * 64 - 1] + (long)sizeof b; if (i == 3) continue; } printf(\"%ld\\n\", t); return 0; }\n", "32035000\n"},

	// GNU extensions.
	{"statement expressions", "#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })\n" +
		"int main(void) { int x = 3; long y = 9; int z = ({ int t = x * 2; t + 1; }); printf(\"%ld %d %d\\n\", max(x, y), max(x++, 2), z); return 0; }\n", "9 3 7\n"},
	{"typeof", "int main(void) { int x = 5; typeof(x) y = 6; __typeof__(&x) p = &y; typeof(int *) q = &x; typeof(char[3]) s = \"ab\"; printf(\"%d %d %zu %s\\n\", *p, *q, sizeof s, s); return 0; }\n", "6 5 3 ab\n"},
	{"__auto_type", "int main(void) { __auto_type a = 2.5; __auto_type b = 7L; printf(\"%.1f %zu\\n\", a, sizeof b); return 0; }\n", "2.5 8\n"},
	{"comma paste of __VA_ARGS__", "#define e(fmt, ...) printf(\"[\" fmt \"]\\n\", ##__VA_ARGS__)\n#define f(fmt, args...) printf(fmt, ## args)\n" +
		"int main(void) { e(\"plain\"); e(\"%d %s\", 1, \"two\"); f(\"a\\n\"); f(\"%s\\n\", \"b\"); return 0; }\n", "[plain]\n[1 two]\na\nb\n"},
	{"__VA_OPT__", "#define o(fmt, ...) printf(fmt __VA_OPT__(,) __VA_ARGS__)\nint main(void) { o(\"x\\n\"); o(\"%d\\n\", 5); return 0; }\n", "x\n5\n"},
	{"case ranges", "static int k(int c) { switch (c) { case 'a' ... 'z': return 1; case '0' ... '9': return 2; case -5 ... -1: return 3; default: return 0; } }\n" +
		"int main(void) { printf(\"%d %d %d %d %d\\n\", k('q'), k('0'), k('9'), k(-3), k('A')); return 0; }\n", "1 2 2 3 0\n"},
	{"builtins", "struct s { int a; char b[4]; };\nint main(void) { int x = 1; if (__builtin_expect(x == 1, 1)) printf(\"%zu %d %d %d %d\\n\", __builtin_offsetof(struct s, b[2]), __builtin_types_compatible_p(int, typeof(x)),\n" +
		"__builtin_types_compatible_p(long, long long), __builtin_constant_p(4 * 2), __builtin_constant_p(x)); return 0; }\n", "6 1 0 1 0\n"},
	{"a string in braces", "static const char g[16] = {\"READONLY\"};\nint main(void) { char l[] = { \"ab\" }; printf(\"%s %zu %s %zu\\n\", g, sizeof g, l, sizeof l); return 0; }\n", "READONLY 16 ab 3\n"},
	{"designated initialisers", "struct pt { int x, y; }; struct ln { struct pt a, b; int w[3]; };\nstatic struct ln g = { .b.x = 7, .w[1] = 3, .a = { 1, 2 } };\n" +
		"int main(void) { int t[] = { [4] = 9, [1] = 2, 3 }; struct ln l = { .b = { .y = 5 }, .w = { [2] = 8 } }; int r[6] = { [1 ... 3] = 7 };\n" +
		"printf(\"%d %d %d %d | %zu %d %d %d | %d %d | %d %d %d\\n\", g.a.x, g.a.y, g.b.x, g.w[1], sizeof t / sizeof *t, t[1], t[2], t[4], l.b.y, l.w[2], r[0], r[2], r[4]); return 0; }\n",
		"1 2 7 3 | 5 2 3 9 | 5 8 | 0 7 0\n"},
	{"brace elision", "struct ln { int a[2]; int b; };\nint main(void) { int m[2][3] = { 1, 2, 3, 4, 5, 6 }; struct ln l = { 1, 2, 3 }; struct ln ls[2] = { 1, 2, 3, 4, 5, 6 };\n" +
		"printf(\"%d %d %d %d %d\\n\", m[1][0], l.b, ls[1].a[0], ls[1].b, m[0][2]); return 0; }\n", "4 3 4 6 3\n"},
	{"compound literals", "struct pt { int x, y; };\nstatic int sum(const int *a, int n) { int s = 0; while (n--) s += a[n]; return s; }\n" +
		"int main(void) { struct pt p = (struct pt){ .y = 2 }; printf(\"%d %d %d\\n\", p.x, p.y, sum((int[]){ 1, 2, 3 }, 3)); return 0; }\n", "0 2 6\n"},
	{"elvis", "int main(void) { int a = 0, b = 4; printf(\"%d %d\\n\", a ?: 9, b ?: 9); return 0; }\n", "9 4\n"},
	{"function names and lines", "static void f(void) { printf(\"%s %s %d\\n\", __func__, __FUNCTION__, __LINE__); }\nint main(void) { f(); printf(\"%s\\n\", __FILE__); return 0; }\n", "f f 7\nprog.c\n"},
	{"predefined macros", "int main(void) {\n#if defined(__GNUC__) && __GNUC__ >= 4 && defined(__x86_64__) && defined(__linux__) && __LP64__ && __SIZEOF_POINTER__ == 8 && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && __STDC_VERSION__ == 201112L\n" +
		"printf(\"gnu %d.%d\\n\", __GNUC__, __GNUC_MINOR__);\n#endif\n#ifdef __OPTIMIZE__\nprintf(\"optimised\\n\");\n#endif\nreturn 0; }\n", "gnu 12.2\n"},
	{"#if arithmetic is unsigned where an operand is", "#include <limits.h>\n#if ULONG_MAX > 0xffffffffUL && -1 < 0 && !(-1 < 0u) && (0u - 1) / 2 > 0x7000000000000000 && (-1 >> 1) == -1 && 18446744073709551615 > 0 && (1 ? -1 : 0u) > 0\n#define B 64\n#else\n#define B 32\n#endif\n" +
		"int main(void) { printf(\"%d\\n\", B); return 0; }\n", "64\n"},
	{"__has_include", "#if __has_include(<sys/mman.h>) && !__has_include(\"nosuch.h\")\n#define OK 1\n#endif\n#if defined(__has_attribute) && __has_attribute(unused) && __has_builtin(__builtin_expect)\n#define OK2 1\n#endif\n" +
		"int main(void) { printf(\"%d %d\\n\", OK, OK2); return 0; }\n", "1 1\n"},
	{"pragma once and warning", "#pragma once\n#warning this is a warning\nint main(void) { printf(\"w\\n\"); return 0; }\n", "w\n"},
	{"__COUNTER__", "int main(void) { printf(\"%d %d\\n\", __COUNTER__, __COUNTER__); return 0; }\n", "0 1\n"},

	// What the fused instructions stand for.
	{"element plus a constant", "int main(void) { unsigned char a[3] = { 250, 1, 128 }; signed char s[2] = { 127, -128 }; short h[2] = { 32767, 0 }; long l[2] = { -1, 5 }; int v[2] = { 0, 0 };\n" +
		"for (int i = 0; i < 3; i++) { a[i] += 10; a[i] = a[i] - 3; a[i]++; } for (int i = 0; i < 2; i++) { s[i] = s[i] + 1; h[i] -= 2; l[i]--; ++v[i]; v[i] += -7; }\n" +
		"int x = (a[0] += 1); printf(\"%d %d %d | %d %d | %d %d | %ld %ld | %d %d | %d\\n\", a[0], a[1], a[2], s[0], s[1], h[0], h[1], l[0], l[1], v[0], v[1], x); return 0; }\n",
		"3 9 136 | -128 -127 | 32765 -2 | -2 4 | -6 -6 | 3\n"},
	{"integer conversions", "int main(void) { signed char c = -1; short s = -2; unsigned u = c; unsigned short us = c; unsigned u2 = s; unsigned long l = u, l2 = u2; long sl = c;\n" +
		"unsigned char uc = 200; int i = uc; printf(\"%lu %lu %u %d %ld %d\\n\", l, l2, us, u == 4294967295u, sl, i); return 0; }\n", "4294967295 4294967294 65535 1 -1 200\n"},
	{"for loops", "static int calls; static int lim(void) { calls++; return 5; }\nint main(void) { int n = 0; for (int i = 0; i < lim(); i++) { if (i == 1) continue; if (i == 4) break; n += i; }\n" +
		"unsigned t = 0; for (unsigned j = 0; j < 10u; j += 3) t += j; long m = 0; for (long k = 10; k < 5; k++) m++; int w = 0; for (int q = 2147483640; q < 2147483647; q++) w++;\n" +
		"printf(\"%d %d %u %ld %d\\n\", n, calls, t, m, w); return 0; }\n", "5 5 18 0 7\n"},

	// Bit-fields, laid out as gcc lays them out on x86-64.
	{"bit-field values", "struct bf { unsigned a:3; int b:5; unsigned c:1; unsigned long d:40; char e; };\n" +
		"int main(void) { struct bf v; memset(&v, 0, sizeof v); v.a = 9; v.b = -3; v.c = 1; v.d = 0xffffffffffULL; v.e = 'x'; v.b += 20; v.a++;\n" +
		"printf(\"%zu %u %d %u %lx %c\\n\", sizeof v, v.a, v.b, v.c, (unsigned long)v.d, v.e); return 0; }\n", "8 2 -15 1 ffffffffff x\n"},
	{"bit-field layout", "struct a { char x; int y:4; int :0; int z:3; }; struct b { unsigned char p:4, q:4; short r:9; }; struct c { char c; int i:31; int j:2; };\n" +
		"struct d { long l:1; }; struct e { char c; long l:60; }; struct f { int :5; char c; }; union u { int a:3; char b:7; long long c:33; };\n" +
		"int main(void) { printf(\"%zu %zu %zu %zu %zu %zu %zu\\n\", sizeof(struct a), sizeof(struct b), sizeof(struct c), sizeof(struct d), sizeof(struct e), sizeof(struct f), sizeof(union u)); return 0; }\n",
		"8 4 12 8 16 2 8\n"},
	{"bit-fields through a union", "union u { struct { unsigned lo:4, hi:4; unsigned char rest:1, more:7; } n; unsigned short word; };\n" +
		"int main(void) { union u x; x.word = 0xa5c3; printf(\"%u %u %u %u\\n\", x.n.lo, x.n.hi, x.n.rest, x.n.more); x.n.hi = 1; x.n.more = 0; printf(\"%#x\\n\", x.word); return 0; }\n",
		"3 12 1 82\n0x113\n"},
	{"bit-field initialisers", "struct b { unsigned char p:4, q:4; short r:9; int :3; int s:2; };\nstatic struct b g = { 3, 15, -200, 1 };\n" +
		"int main(void) { struct b l = { .q = 2, .s = -1 }; printf(\"%u %u %d %d | %u %u %d %d\\n\", g.p, g.q, g.r, g.s, l.p, l.q, l.r, l.s); return 0; }\n", "3 15 -200 1 | 0 2 0 -1\n"},
	{"packed bit-fields", "struct __attribute__((packed)) p { unsigned char a:3; unsigned int b:20; unsigned char c; };\n" +
		"int main(void) { struct p v = { 5, 0xabcde, 7 }; printf(\"%zu %u %x %u\\n\", sizeof v, v.a, v.b, v.c); return 0; }\n", "4 5 abcde 7\n"},
	// Structs and unions through "...", and va_arg of them.
	{"struct and union through varargs", "#include <stdarg.h>\nunion semun { int val; void *buf; };\nstruct big { long a[5]; };\n" +
		"static long f(int n, ...) { va_list ap; long t = 0; va_start(ap, n); for (int i = 0; i < n; i++) { struct big b = va_arg(ap, struct big); union semun u = va_arg(ap, union semun); t += b.a[0] + b.a[4] + u.val; } va_end(ap); return t; }\n" +
		"int main(void) { struct big b = {{1, 2, 3, 4, 5}}, c = b; union semun u; u.val = 10; c.a[4] = 100; printf(\"%ld\\n\", f(2, b, u, c, u)); return 0; }\n", "127\n"},
	// <asm-generic/ioctl.h>: request numbers made from a type's size.
	{"ioctl request macros", "#include <sys/ioctl.h>\n#include <linux/types.h>\nstruct pin { __u64 addr; __u64 size; __u32 flags; };\n" +
		"int main(void) { unsigned long r = _IOWR('g', 2, struct pin); printf(\"%lx %lx %lx %lu %lu\\n\", r, (unsigned long)_IO('u', 1), (unsigned long)_IOR('x', 3, __u64), (unsigned long)_IOC_SIZE(r), (unsigned long)_IOC_NR(r)); return 0; }\n",
		"c0186702 7501 80087803 24 2\n"},
	// #line and cpp's line markers move __LINE__ and __FILE__.
	{"#line", "#define WHERE() printf(\"%s:%d\\n\", __FILE__, __LINE__)\n#define L 100\nint main(void) {\n\tWHERE();\n#line 40 \"other.h\"\n\tWHERE();\n" +
		"\tprintf(\"%d\\n\",\n\t       __LINE__);\n#line L\n\tWHERE();\n# 7 \"third.c\" 2\n\tWHERE(); printf(\"%s\\n\", __BASE_FILE__);\n# 3 \"fourth.c\"\n\tWHERE();\n\treturn 0;\n}\n",
		"prog.c:10\nother.h:40\n42\nother.h:100\nother.h:102\nprog.c\nfourth.c:3\n"},
	// x86-64's long double: 16 bytes, 16-aligned (computed as a double).
	{"long double", "#include <math.h>\nstruct s { char c; long double d; int x; };\nlong double g = 2.5L;\nlong double arr[3] = {1.0L, 2.0L, 3.5L};\n" +
		"static long double half(long double x) { return x / 2; }\nint main(void) { long double a = 1.25L, b = g * 2; float f = a; double d = b; struct s v = { 'x', 7.5L, 3 };\n" +
		"printf(\"%zu %zu %zu %zu %zu %zu\\n\", sizeof(long double), _Alignof(long double), sizeof(struct s), offsetof(struct s, x), sizeof(a + 1), sizeof arr);\n" +
		"printf(\"%.3Lf %.3Lf %.3f %.3f %.3Lf %d %Lg %d\\n\", a, b, f, d, half(arr[2]), (int)v.d + v.x, arr[1] + arr[2], a < b); return 0; }\n",
		"16 16 48 32 16 48\n1.250 5.000 1.250 5.000 1.750 10 5.5 1\n"},
	// exit's order: atexit's functions, the last first (an exit among them
	// goes on with the rest), then destructors, then stdio's flush.
	{"atexit and destructors", "#include <stdlib.h>\n__attribute__((destructor)) static void d1(void) { printf(\"d1\\n\"); }\n__attribute__((destructor)) static void d2(void) { printf(\"d2\\n\"); }\n" +
		"__attribute__((destructor(300))) static void d300(void) { printf(\"d300\\n\"); }\n__attribute__((destructor(200))) static void d200(void) { printf(\"d200\\n\"); }\n" +
		"static void a1(void) { printf(\"a1\\n\"); }\nstatic void a2(void) { printf(\"a2\\n\"); exit(0); }\n__attribute__((constructor)) static void c1(void) { printf(\"c1\\n\"); atexit(a1); }\n" +
		"int main(int argc, char **argv) { atexit(a2); printf(\"main\\n\"); return 4; }\n", "c1\nmain\na2\na1\nd2\nd1\nd300\nd200\n"},
	{"alloca", "#include <alloca.h>\n#include <stdlib.h>\nstatic char *f(int n) { char *a = alloca(n); memset(a, 'x', n - 1); a[n - 1] = 0; printf(\"%s\\n\", a); return a; }\n" +
		"int main(void) { for (int i = 2; i < 5; i++) f(i); char *b = __builtin_alloca(16); strcpy(b, \"builtin\"); printf(\"%s %d\\n\", b, ((unsigned long)b & 15) == 0); return 0; }\n",
		"x\nxx\nxxx\nbuiltin 1\n"},
	// setjmp/longjmp unwind the frames; sigsetjmp's mask lets a handler's
	// siglongjmp catch the same fault again.
	{"setjmp and longjmp", "#include <setjmp.h>\n#include <sys/mman.h>\nstatic jmp_buf env;\nstatic sigjmp_buf senv;\nstatic int depth;\nstatic void deep(int n) { if (n == 0) longjmp(env, 7); deep(n - 1); }\nstatic void onsegv(int sig) { siglongjmp(senv, 2); }\nint main(void) {\n\tvolatile int count = 0;\n\tint r = setjmp(env);\n\tprintf(\"setjmp %d\\n\", r);\n\tif (r == 0) deep(5);\n\tif (++count < 3) longjmp(env, 0);\n\tprintf(\"count %d\\n\", count);\n\tstruct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = onsegv; sigaction(SIGSEGV, &sa, NULL);\n\tchar *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);\n\tfor (int i = 0; i < 2; i++) {\n\t\tif (sigsetjmp(senv, 1) == 0) { p[0] = 1; printf(\"not reached\\n\"); }\n\t\telse printf(\"caught SIGSEGV %d\\n\", i);\n\t}\n\tmprotect(p, 4096, PROT_READ | PROT_WRITE); p[0] = 5;\n\tprintf(\"%d\\n\", p[0]);\n\treturn 0;\n}\n",
		"setjmp 0\nsetjmp 7\nsetjmp 1\nsetjmp 1\ncount 3\ncaught SIGSEGV 0\ncaught SIGSEGV 1\n5\n"},
	// sizeof an array its initializer sized is a constant while parsing
	// goes on (the kernel's BUILD_BUG_ON is a bit-field of that width).
	{"sizeof an initializer-sized array in a constant", "#define ARRAY_LEN(X) (sizeof (X) / sizeof (*(X)))\n#define BUILD_BUG_ON(e) ((void)(sizeof(struct { int:(-!!(e)); })))\n" +
		"struct s { int a; long b; };\nstatic const char name[] = \"abc\";\nint g[] = { [4] = 1, 2 };\n" +
		"int main(void) { struct s arr[] = { {1, 2}, {3, 4} }; int m[3]; char str[] = \"hello\";\n" +
		"BUILD_BUG_ON(ARRAY_LEN(arr) != 2); BUILD_BUG_ON(ARRAY_LEN(m) != 3); BUILD_BUG_ON(sizeof name != 4); BUILD_BUG_ON(ARRAY_LEN(g) != 6); BUILD_BUG_ON(sizeof str != 6);\n" +
		"_Static_assert(sizeof arr == 32, \"arr\"); printf(\"%zu %zu %zu %zu\\n\", sizeof arr, sizeof g, sizeof name, sizeof str); return 0; }\n", "32 24 4 6\n"},
	// A file-scope object's declarations (extern, tentative) and its
	// definition are one object: an address taken before the definition
	// is the defined object's (kselftest_harness.h's FIXTURE_VARIANT_ADD).
	{"declarations then the definition", "struct v { int a, b; };\nextern const struct v x;\nstatic const struct v *px = &x;\nint t;\nint *pt = &t;\nint t = 5;\n" +
		"extern int arr[];\nint *pa = arr;\nint arr[3] = {7, 8, 9};\nstatic int s;\nstatic int *ps = &s;\nstatic int s = 11;\nextern int late[];\nint *pl = late + 1;\nint late[4];\n" +
		"const struct v x = { 3, 4 };\nstatic int *f(void) { static int t; return &t; }\n" +
		"int main(void) { printf(\"%d %d %d %d %d %zu %zu\\n\", px->a, px->b, *pt, pa[1], *ps, sizeof arr, sizeof late);\n" +
		"printf(\"%d %d\\n\", px == &x && pt == &t && pa == arr && ps == &s && pl == &late[1], f() != &t); return 0; }\n", "3 4 5 8 11 12 16\n1 1\n"},
	// SIGSTKSZ and MINSIGSTKSZ are constants unless _GNU_SOURCE (or
	// _DYNAMIC_STACK_SIZE_SOURCE) was defined before the first header
	// (testdata/signals.c has them as sysconf's).
	{"signal stack sizes", "int main(void) { printf(\"%ld %ld\\n\", (long)SIGSTKSZ, (long)MINSIGSTKSZ); return 0; }\n", "8192 2048\n"},
	// tmpfile: an unnamed file (O_TMPFILE in /tmp), read and written.
	{"tmpfile", "#include <sys/stat.h>\nint main(void) { FILE *f = tmpfile(); fprintf(f, \"hello %d\\n\", 42); rewind(f); char b[32]; fgets(b, sizeof b, f);\n" +
		"struct stat st; fstat(fileno(f), &st); printf(\"%s%lu %ld\\n\", b, (unsigned long)st.st_nlink, (long)st.st_size); return fclose(f); }\n", "hello 42\n0 9\n"},
	// syscall() with a path the kernel cannot read: EFAULT, not a fault.
	{"syscall with a bad path", "#include <errno.h>\n#include <unistd.h>\n#include <sys/syscall.h>\nint main(void) { long r = syscall(SYS_memfd_create, (char *)0, 0); printf(\"%ld %d\\n\", r, errno);\n" +
		"r = syscall(SYS_openat, -100, (char *)8, 0); printf(\"%ld %d\\n\", r, errno); return 0; }\n", "-1 14\n-1 14\n"},
	// <ucontext.h>: coroutines on stacks of the program's own.
	{"ucontext coroutines", "#include <ucontext.h>\n#include <stdlib.h>\nstatic ucontext_t um, u1, u2;\nstatic int shared;\n" +
		"static void f1(int a, int b) { printf(\"f1 %d %d\\n\", a, b); shared += a; swapcontext(&u1, &u2); printf(\"f1 back %d\\n\", shared); }\n" +
		"static void f2(void) { printf(\"f2\\n\"); swapcontext(&u2, &u1); printf(\"f2 back\\n\"); }\n" +
		"int main(void) { static char s1[16384], s2[16384]; volatile int round = 0;\n" +
		"getcontext(&u1); u1.uc_stack.ss_sp = s1; u1.uc_stack.ss_size = sizeof s1; u1.uc_link = &um; makecontext(&u1, (void (*)(void))f1, 2, 7, 8);\n" +
		"getcontext(&u2); u2.uc_stack.ss_sp = s2; u2.uc_stack.ss_size = sizeof s2; u2.uc_link = &u1; makecontext(&u2, f2, 0);\n" +
		"swapcontext(&um, &u1); printf(\"main %d\\n\", shared);\n" +
		"ucontext_t here; getcontext(&here); if (++round < 3) setcontext(&here); printf(\"round %d\\n\", round); return 0; }\n",
		"f1 7 8\nf2\nf1 back 7\nmain 7\nround 3\n"},
}

// An asm statement that would do something compiles, as gcc's does, and
// stops the program only when it runs.
func TestAsmRefusedOnlyWhenRun(t *testing.T) {
	for _, tc := range []struct {
		name, body, stdout, err string
	}{
		{"not reached", `if (argc > 5) asm volatile(".byte 0x0f,0x01,0xee" : "=a"(x) : "c"(0)); printf("ran %d\n", x);`, "ran 0\n", ""},
		{"run", `printf("before\n"); fflush(stdout); asm("movl $1, %0" : "=r"(x)); printf("after\n");`, "before\n",
			`inline assembly is not supported by the playground ("movl $1, %0": it runs only the syscall instruction and a call into the vDSO)`},
		{"syscall result in a register it does not write", `asm volatile("syscall" : "=D"(x) : "a"(39));`, "",
			`inline assembly is not supported by the playground ("syscall": it runs only the syscall instruction and a call into the vDSO)`},
		{"syscall", `asm volatile("syscall" : "=a"(x) : "a"(39) : "rcx", "r11"); printf("pid %d\n", x > 0);`, "pid 1\n", ""},
		{"call of no vDSO function", `unsigned long f = getauxval(AT_SYSINFO_EHDR) + 1; asm volatile("call *%0" : "+a"(f)); printf("%lx\n", f);`, "",
			"inline assembly calls 0x7ffff7fc8001, which is no vDSO or vsyscall entry: the playground runs no machine code"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "#include <stdio.h>\nint main(int argc, char **argv) {\nunsigned x = 0;\n" + tc.body + "\nreturn 0;\n}\n"
			r := runProgram(t, src, nil, nil)
			assert.Equal(t, tc.stdout, r.stdout)
			var msgs []string
			for _, e := range r.events {
				if e.Type == engine.EvError {
					msgs = append(msgs, fmt.Sprintf("%d: %s", e.Line, e.Message))
				}
			}
			if tc.err == "" {
				assert.Empty(t, msgs)
				assert.Equal(t, 0, r.exit.Status)
				return
			}
			assert.Equal(t, []string{"4: " + tc.err}, msgs)
		})
	}
}

// TestLanguage runs each construct on the simulated engine and, where gcc
// is installed, holds its expected output to gcc -std=gnu11 -O0's build.
func TestLanguage(t *testing.T) {
	gcc, _ := exec.LookPath("gcc")
	for _, tc := range langCases {
		t.Run(tc.name, func(t *testing.T) {
			src := langPrelude + tc.src
			r := runProgram(t, src, nil, nil)
			assert.Equal(t, tc.want, r.stdout)
			assert.Equal(t, 0, r.exit.Status, r.exit.Err)
			if gcc == "" {
				return
			}
			assert.Equal(t, tc.want, gccOutput(t, gcc, src), "gcc's build")
		})
	}
}

// gccOutput builds src with gcc -std=gnu11 -O0 and the extra flags, runs it
// and returns its standard output.
func gccOutput(t *testing.T, gcc, src string, flags ...string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "prog.c"), []byte(src), 0o644))
	cc := exec.Command(gcc, append(append([]string{"-std=gnu11", "-O0", "-w"}, flags...), "-o", "prog", "prog.c")...)
	cc.Dir = dir
	out, err := cc.CombinedOutput()
	require.NoError(t, err, string(out))
	cmd := exec.Command("./prog")
	cmd.Dir = dir
	native, err := cmd.Output()
	require.NoError(t, err)
	return string(native)
}

// A longjmp to a jmp_buf whose function has returned ends the run, saying
// so (natively it is undefined behaviour: a crash, or worse).
func TestLongjmpToAReturnedFunction(t *testing.T) {
	r := runProgram(t, "#include <stdio.h>\n#include <setjmp.h>\nstatic jmp_buf env;\nstatic void f(void) { setjmp(env); }\n"+
		"int main(void) { f(); printf(\"before\\n\"); fflush(stdout); longjmp(env, 1); }\n", nil, nil)
	assert.Equal(t, "before\n", r.stdout)
	var msgs []string
	for _, e := range r.events {
		if e.Type == engine.EvError {
			msgs = append(msgs, e.Message)
		}
	}
	assert.Equal(t, []string{"longjmp to a jmp_buf that setjmp did not fill, or whose function has returned"}, msgs)
}
