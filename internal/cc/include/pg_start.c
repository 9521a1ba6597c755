/*
 * pg_start.c is linked into every program the real engine builds. Its
 * constructor runs after the dynamic loader and the C library have set the
 * process up and before the program's own constructors and main: it tells
 * the tracer (with playground.h's marker) where the program's own part of
 * the run begins. The loader's calls before it are counted, not shown.
 */
#include "playground.h"

__attribute__((constructor(101))) static void pg_start(void)
{
	pg_marker(PG_MARK_START, 0);
}
