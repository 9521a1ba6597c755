package interp

import "sync"

// The part of the C library written in C: functions that call back into
// the program (qsort's comparison), compiled with it when it uses them.
// Their code carries no source position, so their events keep the
// position of the program's statement that called them.
const preludeSrc = `#include <stdlib.h>
#include <string.h>
#include <link.h>

/* glibc's dl_iterate_phdr (elf/dl-iteratephdr.c): the callback with each
   object of ld.so's list in turn (the engine's LinkMaps: __pg_dl_object
   fills the info from the object's ELF header in memory), until one call
   returns non-zero; that value is dl_iterate_phdr's. The name is in the
   caller's frame (glibc's is ld.so's: it stays after the call). */
int dl_iterate_phdr(int (*callback)(struct dl_phdr_info *info, size_t size, void *data), void *data)
{
	struct dl_phdr_info info;
	char name[256];
	int ret = 0;
	for (int i = 0; ret == 0 && __pg_dl_object(i, &info, name, sizeof(name)); i++)
		ret = callback(&info, sizeof(info), data);
	return ret;
}

/* glibc 2.36's qsort is this merge sort (msort_with_tmp): stable, with a
   temporary buffer on the stack below 1024 bytes and from malloc above. */
static void __pg_msort(char *b, size_t n, size_t s, int (*cmp)(const void *, const void *), char *t)
{
	if (n <= 1)
		return;
	size_t n1 = n / 2, n2 = n - n1;
	char *b1 = b, *b2 = b + n1 * s, *tmp = t;
	__pg_msort(b1, n1, s, cmp, t);
	__pg_msort(b2, n2, s, cmp, t);
	while (n1 > 0 && n2 > 0) {
		if (cmp(b1, b2) <= 0) {
			memcpy(tmp, b1, s);
			b1 += s;
			n1--;
		} else {
			memcpy(tmp, b2, s);
			b2 += s;
			n2--;
		}
		tmp += s;
	}
	if (n1 > 0)
		memcpy(tmp, b1, n1 * s);
	memcpy(b, t, (n - n2) * s);
}

void qsort(void *b, size_t n, size_t s, int (*cmp)(const void *, const void *))
{
	if (n * s < 1024) {
		char buf[1024];
		__pg_msort(b, n, s, cmp, buf);
	} else {
		char *t = malloc(n * s);
		__pg_msort(b, n, s, cmp, t);
		free(t);
	}
}

void *bsearch(const void *key, const void *base, size_t n, size_t s, int (*cmp)(const void *, const void *))
{
	size_t l = 0, u = n;
	while (l < u) {
		size_t idx = (l + u) / 2;
		const char *p = (const char *)base + idx * s;
		int c = cmp(key, p);
		if (c < 0)
			u = idx;
		else if (c > 0)
			l = idx + 1;
		else
			return (void *)p;
	}
	return NULL;
}
`

// getoptSrc is POSIX getopt as glibc's behaves for options before the
// operands (it does not permute argv), with glibc's messages; compiled in
// only for a program that names getopt or its variables.
const getoptSrc = `#include <stdio.h>
#include <string.h>

char *optarg;
int optind = 1, opterr = 1, optopt = '?';
static int __pg_optpos = 1;

int getopt(int argc, char *const argv[], const char *opts)
{
	const char *o = opts;
	int quiet = 0;
	if (*o == '+' || *o == '-')
		o++;
	if (*o == ':')
		quiet = 1;
	optarg = NULL;
	if (optind >= argc || argv[optind] == NULL || argv[optind][0] != '-' || argv[optind][1] == 0)
		return -1;
	if (strcmp(argv[optind], "--") == 0) {
		optind++;
		return -1;
	}
	int c = (unsigned char)argv[optind][__pg_optpos];
	const char *spec = c == ':' ? NULL : strchr(o, c);
	if (spec == NULL) {
		optopt = c;
		if (opterr && !quiet)
			fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], c);
		if (argv[optind][++__pg_optpos] == 0) {
			optind++;
			__pg_optpos = 1;
		}
		return '?';
	}
	if (spec[1] == ':') {
		if (argv[optind][__pg_optpos + 1] != 0) {
			optarg = &argv[optind][__pg_optpos + 1];
			optind++;
		} else if (spec[2] == ':') {
			optind++;
		} else if (optind + 1 >= argc) {
			optopt = c;
			optind++;
			__pg_optpos = 1;
			if (quiet)
				return ':';
			if (opterr)
				fprintf(stderr, "%s: option requires an argument -- '%c'\n", argv[0], c);
			return '?';
		} else {
			optarg = argv[optind + 1];
			optind += 2;
		}
		__pg_optpos = 1;
		return c;
	}
	if (argv[optind][++__pg_optpos] == 0) {
		optind++;
		__pg_optpos = 1;
	}
	return c;
}
`

var (
	preludeOnce sync.Once
	preludeToks []token
	getoptOnce  sync.Once
	getoptToks  []token
)

// preludeUnit parses the prelude afresh (its AST is the compiler's to
// annotate) from tokens lexed once, with their positions cleared.
func preludeUnit() *unit {
	preludeOnce.Do(func() {
		var d []Diagnostic
		preludeToks = preprocess("prelude.c", preludeSrc, &d)
		if len(d) > 0 {
			panic("prelude: " + d[0].Error())
		}
		for i := range preludeToks {
			preludeToks[i].line, preludeToks[i].col = 0, 0
		}
	})
	var d []Diagnostic
	u := parse(append([]token(nil), preludeToks...), &d)
	if len(d) > 0 {
		panic("prelude: " + d[0].Error())
	}
	return u
}

// usesGetopt reports whether the program names getopt or its variables.
func usesGetopt(toks []token) bool {
	for _, t := range toks {
		if t.kind == tIdent {
			switch t.text {
			case "getopt", "optind", "optarg", "opterr", "optopt":
				return true
			}
		}
	}
	return false
}

// withGetopt puts getopt and its variables, those the program does not
// define itself, in front of its own.
func withGetopt(u *unit, toks []token) {
	if !usesGetopt(toks) {
		return
	}
	getoptOnce.Do(func() {
		var d []Diagnostic
		getoptToks = preprocess("getopt.c", getoptSrc, &d)
		if len(d) > 0 {
			panic("getopt prelude: " + d[0].Error())
		}
		for i := range getoptToks {
			getoptToks[i].line, getoptToks[i].col = 0, 0
		}
	})
	var d []Diagnostic
	gu := parse(append([]token(nil), getoptToks...), &d)
	if len(d) > 0 {
		panic("getopt prelude: " + d[0].Error())
	}
	defined := map[string]bool{}
	for _, it := range u.order {
		switch x := it.(type) {
		case *funcDecl:
			defined[x.name] = true
		case *decl:
			if x.t.k != kFunc && x.st != stExtern {
				defined[x.name] = true
			}
		}
	}
	var order []any
	for _, it := range gu.order {
		switch x := it.(type) {
		case *funcDecl:
			if !defined[x.name] {
				order = append(order, x)
			}
		case *decl:
			if !defined[x.name] {
				order = append(order, x)
				u.globals = append(u.globals, x)
			}
		}
	}
	u.order = append(order, u.order...)
}

// withPrelude puts the prelude's functions the program does not define
// itself in front of its own.
func withPrelude(u *unit) {
	mine := map[string]bool{}
	for _, it := range u.order {
		switch d := it.(type) {
		case *funcDecl:
			mine[d.name] = true
		case *decl:
			mine[d.name] = true
		}
	}
	if mine["qsort"] && mine["bsearch"] {
		return
	}
	pu := preludeUnit()
	var order []any
	for _, it := range pu.order {
		if fd, ok := it.(*funcDecl); ok && !mine[fd.name] {
			order = append(order, fd)
		}
	}
	u.order = append(order, u.order...)
}
