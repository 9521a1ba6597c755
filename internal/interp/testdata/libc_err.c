/* <err.h>: warn, warnx, vwarn, err with errno's message; stdout is not flushed first. */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static void complain(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
}

int main(void)
{
	printf("buffered line\n");
	if (open("missing.txt", O_RDONLY) == -1)
		warn("open %s", "missing.txt");
	warnx("%d pages", 3);
	complain("v%s", "warnx");
	errno = EINVAL;
	warn(NULL);
	errno = ENOMEM;
	printf("errno says %m\n");
	err(4, "giving up after %d tries", 2);
}
