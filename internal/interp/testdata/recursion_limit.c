#include <stdio.h>
int depth(int n) { return depth(n + 1) + 1; }
int main(void) { printf("start\n"); return depth(0); }
