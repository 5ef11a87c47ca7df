/* Native side of the differential tests: one "a b c d" line of decimal u64 per call on stdin, one result per line. */
#include <stdio.h>
#include "diff.h"

int main(void)
{
    u64 a, b, c, d;
    while (scanf("%llu %llu %llu %llu", &a, &b, &c, &d) == 4) printf("%llu\n", diff_main(a, b, c, d));
    return 0;
}
