package interp

import "sync"

// The part of the C library written in C: functions that call back into
// the program (qsort's comparison), compiled with it when it uses them.
// Their code carries no source position, so their events keep the
// position of the program's statement that called them.
const preludeSrc = `#include <stdlib.h>
#include <string.h>

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

var (
	preludeOnce sync.Once
	preludeToks []token
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
