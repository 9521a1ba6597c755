#include <stdio.h>
#include <math.h>
#include <stdlib.h>

static double mean(const double *v, int n)
{
	double s = 0;
	for (int i = 0; i < n; i++)
		s += v[i];
	return s / n;
}

struct sample { float f; double d; int i; };

int main(void)
{
	double v[4] = { 1.5, 2.25, -3.0, 10 };
	float f = 1.0f / 3;
	int pages = 300, present = 77;
	printf("%f %.2f %e %g %g %g\n", mean(v, 4), 100.0 * present / pages, 12345.678, 0.0001, 1e20, 100000.0);
	printf("%.10f %f %d %u %ld\n", f, (double)f * 3, (int)2.99, (unsigned)3.7, (long)-2.5);
	printf("[%8.3f] [%-8.2f] [%08.2f] [%+.1f] [%.0f] [%#.0f] [%g] [%G]\n", 3.14159, 2.5, -1.5, 2.0, 2.5, 3.0, 1.0 / 0, -0.0 / 1);
	printf("%.3f %.3f %.1f %.1f %.3f\n", sqrt(2.0), pow(2, 10), floor(-1.5), ceil(1.2), fabs(-0.125));
	struct sample s = { 0.1f, 0.1, 3 };
	s.f += 1;
	s.d *= 2;
	printf("%.9f %.17g %zu %d\n", s.f, s.d, sizeof s, s.f > 1.0);
	double x = 0.0;
	for (int i = 0; i < 10; i++)
		x += 0.1;
	printf("%.17g %d %d %d\n", x, x == 1.0, x < 1.0, !x);
	double big = 1e19;
	unsigned long ub = big;
	printf("%lu %ld %.1f %.1f\n", ub, (long)1e18, (double)ub, (double)-7 / 2);
	x = 5;
	x++;
	--x;
	printf("%g %g %g %a\n", x, atof("  2.5e3xyz"), (float)16777217, 1.5);
	return 0;
}
