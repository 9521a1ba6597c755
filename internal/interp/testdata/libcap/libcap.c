/* libcap's API as an unprivileged user: the process has no capability, so
   capset may set only empty sets. (Built with -lcap: not one of
   testdata/*.c, which TestNative builds without it.) */
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <sys/capability.h>
int main(void) {
	cap_t c = cap_get_proc();
	cap_flag_value_t v = 7;
	printf("get %d %d\n", c != NULL, cap_get_flag(c, CAP_IPC_LOCK, CAP_EFFECTIVE, &v));
	printf("ipc_lock %d\n", v);
	cap_value_t caps[2] = { CAP_IPC_LOCK, CAP_SYS_ADMIN };
	printf("set_flag %d\n", cap_set_flag(c, CAP_EFFECTIVE, 2, caps, CAP_SET));
	cap_get_flag(c, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v); printf("sys_admin %d\n", v);
	cap_get_flag(c, CAP_SYS_ADMIN, CAP_PERMITTED, &v); printf("permitted %d\n", v);
	errno = 0; int r = cap_set_proc(c); printf("set_proc %d %s\n", r, strerror(errno));
	errno = 0; r = cap_set_flag(c, 5, 1, caps, CAP_SET); printf("bad flag %d %d\n", r, errno);
	cap_clear(c); cap_get_flag(c, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v); printf("cleared %d\n", v);
	cap_t d = cap_dup(c);
	printf("set_proc %d\n", cap_set_proc(d));
	printf("free %d %d %d\n", cap_free(c), cap_free(d), cap_free(NULL));
	cap_t e = cap_init();
	printf("init set_proc %d %d\n", cap_set_proc(e), CAP_LAST_CAP);
	cap_free(e);
	return 0;
}
