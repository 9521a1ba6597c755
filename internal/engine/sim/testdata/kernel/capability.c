/* capget and capset as an unprivileged user: "name value" lines, each
   the errno's name (OK for success) or a number read back. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

static const char *rc(long r)
{
	static char b[16];
	if (r == 0)
		return "OK";
	switch (errno) {
	case EINVAL: return "EINVAL";
	case EPERM: return "EPERM";
	case ESRCH: return "ESRCH";
	case EFAULT: return "EFAULT";
	}
	snprintf(b, sizeof b, "E%d", errno);
	return b;
}

int main(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	memset(d, 0xff, sizeof d);
	printf("capget_v3 %s\n", rc(syscall(SYS_capget, &h, d)));
	printf("capget_v3_sets %x %x %x %x %x %x\n", d[0].effective, d[0].permitted, d[0].inheritable,
	       d[1].effective, d[1].permitted, d[1].inheritable);
	memset(d, 0xff, sizeof d);
	h.version = _LINUX_CAPABILITY_VERSION_1;
	printf("capget_v1 %s\n", rc(syscall(SYS_capget, &h, d)));
	printf("capget_v1_second %x\n", d[1].effective);
	h.version = 1;
	printf("capget_bad_version %s\n", rc(syscall(SYS_capget, &h, d)));
	printf("capget_bad_version_header %x\n", h.version);
	h.version = 1;
	printf("capget_bad_version_null %s\n", rc(syscall(SYS_capget, &h, NULL)));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	h.pid = -1;
	printf("capget_negative_pid %s\n", rc(syscall(SYS_capget, &h, d)));
	h.pid = 4000000;
	printf("capget_no_pid %s\n", rc(syscall(SYS_capget, &h, d)));
	h.pid = 0;
	printf("capget_bad_data %s\n", rc(syscall(SYS_capget, &h, (void *)8)));
	memset(d, 0, sizeof d);
	printf("capset_empty %s\n", rc(syscall(SYS_capset, &h, d)));
	d[0].effective = 1 << CAP_IPC_LOCK;
	printf("capset_effective %s\n", rc(syscall(SYS_capset, &h, d)));
	d[0].effective = 0;
	d[1].inheritable = 1;
	printf("capset_inheritable %s\n", rc(syscall(SYS_capset, &h, d)));
	d[1].inheritable = 0;
	h.pid = 1;
	printf("capset_other_pid %s\n", rc(syscall(SYS_capset, &h, d)));
	h.pid = getpid();
	printf("capset_own_pid %s\n", rc(syscall(SYS_capset, &h, d)));
	h.version = 2;
	printf("capset_bad_version %s\n", rc(syscall(SYS_capset, &h, d)));
	return 0;
}
