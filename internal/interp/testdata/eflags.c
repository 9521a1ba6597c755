/* The flags register as a user program reads and writes it: IF and the
 * reserved bit set; popf changes ID (and the arithmetic flags), not IF. */
#include <stdio.h>
#include <asm/processor-flags.h>

int main(void)
{
	unsigned long f = __builtin_ia32_readeflags_u64();
	printf("IF %d FIXED %d TF %d ID %d\n", !!(f & X86_EFLAGS_IF), !!(f & X86_EFLAGS_FIXED),
	       !!(f & X86_EFLAGS_TF), !!(f & X86_EFLAGS_ID));
	__builtin_ia32_writeeflags_u64((f | X86_EFLAGS_ID) & ~X86_EFLAGS_IF);
	f = __builtin_ia32_readeflags_u64();
	printf("after popf: IF %d ID %d\n", !!(f & X86_EFLAGS_IF), !!(f & X86_EFLAGS_ID));
	__builtin_ia32_writeeflags_u64(f & ~X86_EFLAGS_ID);
	f = __builtin_ia32_readeflags_u64();
	printf("ID cleared: %d\n", !(f & X86_EFLAGS_ID));
	return 0;
}
