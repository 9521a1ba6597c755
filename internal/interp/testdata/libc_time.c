// Broken-down time as glibc's: gmtime, localtime (UTC: no TZ, and this
// machine's /etc/localtime is Etc/UTC), their shared static struct tm,
// mktime's normalising, asctime and ctime, strftime's conversions and
// flags in the C locale, and the years that do not fit an int.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void show(const char *what, const struct tm *t) {
	printf("%s: %d-%d-%d %d:%d:%d wday %d yday %d isdst %d gmtoff %ld zone %s\n", what, t->tm_year, t->tm_mon,
	       t->tm_mday, t->tm_hour, t->tm_min, t->tm_sec, t->tm_wday, t->tm_yday, t->tm_isdst, t->tm_gmtoff, t->tm_zone);
}

int main(void) {
	time_t t = 1234567890;
	struct tm *g = gmtime(&t);
	show("gmtime", g);
	struct tm *l = localtime(&t);
	show("localtime", l);
	printf("one static struct tm: %s\n", g == l ? "yes" : "no");
	char b[300];
	strftime(b, sizeof b, "%a %A %b %B %c|%C %d %D %e %F %g %G %h %H %I %j %k %l %m %M", l);
	printf("[%s]\n", b);
	strftime(b, sizeof b, "%p %P %r %R %s %S %T %u %U %V %w %W %x %X %y %Y %z %Z %%|%n|%t|", l);
	printf("[%s]\n", b);
	printf("%s", ctime(&t));
	printf("%s", asctime(g));
	char *c1 = ctime(&t), *c2 = asctime(g);
	printf("one static buffer: %s\n", c1 == c2 ? "yes" : "no");

	t = 67768036191676800;
	errno = 0;
	printf("gmtime past the last year: %s, %s\n", gmtime(&t) ? "a tm" : "NULL", strerror(errno));
	errno = 0;
	printf("ctime past it: %s, %s\n", ctime(&t) ? "text" : "NULL", strerror(errno));
	t = 67768036191676799;
	g = gmtime(&t);
	printf("the last year: %d\n", g->tm_year);
	errno = 0;
	printf("its asctime: %s, %s\n", asctime(g) ? "text" : "NULL", strerror(errno));
	t = -1;
	printf("%s", asctime(gmtime(&t)));

	struct tm x = {0};
	x.tm_year = 126, x.tm_mon = 13, x.tm_mday = 35, x.tm_hour = 25, x.tm_isdst = 1;
	time_t r = mktime(&x);
	printf("mktime %ld\n", (long)r);
	show("normalised", &x);
	x.tm_wday = 9, x.tm_mon = -1;
	printf("asctime out of range: %s", asctime(&x));
	x.tm_wday = 7, x.tm_mon = 12;
	strftime(b, sizeof b, "[%a|%A|%b|%B|%c]", &x);
	printf("%s\n", b);
	memset(&x, 0, sizeof x);
	x.tm_year = 76, x.tm_mon = 6, x.tm_mday = 4, x.tm_hour = 12;
	printf("timegm %ld\n", (long)timegm(&x));
	show("timegm's", &x);

	int years[] = {-1900 + 999, -1900 + 5, -1900 - 50, 8100, 130};
	for (int i = 0; i < 5; i++) {
		memset(&x, 0, sizeof x);
		x.tm_year = years[i], x.tm_mday = 1, x.tm_wday = 3;
		size_t n = strftime(b, sizeof b, "[%Y|%C|%y|%G|%g|%V|%F|%5Y|%_5Y|%-Y|%+Y|%Z|%z]", &x);
		printf("%zu %s\n", n, b);
	}
	memset(&x, 0, sizeof x);
	x.tm_mday = 7, x.tm_yday = 6, x.tm_year = 120, x.tm_zone = "ABC", x.tm_gmtoff = -(5 * 3600 + 30 * 60);
	size_t n = strftime(b, sizeof b,
			    "[%I|%l|%p|%P|%^p|%#p|%^a|%#A|%#Z|%Z|%U|%W|%u|%w|%j|%10j|%-j|%_j|%s|%z|%Ey|%Od|%q|%-%|%5a|%05e|%e|%k]", &x);
	printf("%zu %s\n", n, b);
	for (int i = 1; i < 5; i++) {
		x.tm_yday = 360 + i, x.tm_wday = i, x.tm_year = 120 + i;
		strftime(b, sizeof b, "%G-W%V-%u %g %U %W", &x);
		printf("%s\n", b);
	}
	memset(b, 'x', sizeof b);
	n = strftime(b, 9, "abc%Ydef", &x);
	printf("too small: %zu, [%.10s]\n", n, b);
	printf("fits: %zu, empty: %zu\n", strftime(b, 7, "abcdef", &x), strftime(b, 10, "", &x));
	t = 0;
	struct tm r1;
	char ab[26];
	printf("[%s]", ctime_r(&t, ab));
	printf("[%s]", asctime_r(gmtime_r(&t, &r1), ab));
	x.tm_year = 9000;
	printf("asctime_r of a 5-digit year: %s\n", asctime_r(&x, ab) ? "text" : "NULL");
	printf("difftime %.1f\n", difftime(10, 3));
	return 0;
}
