#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void logf_(const char *tag, const char *fmt, ...)
{
	va_list ap;
	printf("[%s] ", tag);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static long sum(int n, ...)
{
	va_list ap;
	long s = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s += va_arg(ap, int);
	va_end(ap);
	return s;
}

static double avg(int n, ...)
{
	va_list ap;
	double s = 0;
	va_start(ap, n);
	for (int i = 0; i < n; i++)
		s += va_arg(ap, double);
	va_end(ap);
	return s / n;
}

static void die(const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "fatal: %s (%zu chars)\n", buf, strlen(buf));
	exit(2);
}

int main(void)
{
	logf_("info", "mapped %d pages at offset %ld: %s", 16, 4096L, "ok");
	printf("%ld %.2f\n", sum(4, 1, 2, 3, -4), avg(3, 1.0, 2.5, 4.0));
	die("cannot map %s: %d", "data.bin", 22);
	return 0;
}
