package interp

import (
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mmapplayground/playground/internal/engine"
)

const threadPrelude = "#include <stdio.h>\n#include <stdlib.h>\n#include <pthread.h>\n#include <unistd.h>\n#include <errno.h>\n" +
	"#include <stdint.h>\n#include <time.h>\n#include <sys/syscall.h>\n#include <linux/futex.h>\n"

// threadCases are programs whose threads meet (join, futexes, locks,
// barriers, sleeps) in ways that print the same on every native run.
var threadCases = []langCase{
	{"create and join", "static void *f(void *a) { return (void *)((intptr_t)a * 2); }\n" +
		"int main(void) { pthread_t t[3]; for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, f, (void *)(intptr_t)(i + 1));\n" +
		"long sum = 0; for (int i = 0; i < 3; i++) { void *r; if (pthread_join(t[i], &r)) return 1; sum += (intptr_t)r; }\n" +
		"printf(\"%ld %d %d\\n\", sum, pthread_equal(t[0], t[0]) != 0, pthread_equal(t[0], t[1]) != 0); return 0; }\n", "12 1 0\n"},
	{"self, join errors", "static pthread_t seen;\nstatic void *f(void *a) { seen = pthread_self(); return NULL; }\n" +
		"int main(void) { pthread_t t; pthread_create(&t, NULL, f, NULL); pthread_join(t, NULL);\n" +
		"printf(\"%d %d %d\\n\", pthread_equal(seen, t) != 0, pthread_equal(pthread_self(), t) != 0, pthread_join(pthread_self(), NULL) == EDEADLK); return 0; }\n", "1 0 1\n"},
	{"a sleep lets the thread run", "static volatile int ran;\nstatic void *f(void *a) { ran = 1; printf(\"thread\\n\"); fflush(stdout); pthread_exit(NULL); }\n" +
		"int main(void) { pthread_t t; pthread_create(&t, NULL, f, NULL); usleep(100000); printf(\"main %d\\n\", ran); return 0; }\n", "thread\nmain 1\n"},
	{"futex wait and wake", "static uint32_t word;\nstatic void *f(void *a) { long r = syscall(SYS_futex, &word, FUTEX_WAIT, 0, NULL, NULL, 0); printf(\"woken %ld %u\\n\", r, word); return NULL; }\n" +
		"int main(void) { pthread_t t; pthread_create(&t, NULL, f, NULL); usleep(100000);\n" +
		"long again = syscall(SYS_futex, &word, FUTEX_WAIT, 5, NULL, NULL, 0); int e = errno;\n" +
		"word = 1; long n = syscall(SYS_futex, &word, FUTEX_WAKE, 1, NULL, NULL, 0); pthread_join(t, NULL);\n" +
		"printf(\"%ld %d %ld\\n\", again, e == EAGAIN, n); return 0; }\n", "woken 0 1\n-1 1 1\n"},
	{"futex timeout", "int main(void) { uint32_t w = 7; struct timespec ts = { 0, 20000000 };\n" +
		"long r = syscall(SYS_futex, &w, FUTEX_WAIT_PRIVATE, 7, &ts, NULL, 0); printf(\"%ld %d\\n\", r, errno == ETIMEDOUT); return 0; }\n", "-1 1\n"},
	{"a lock held across a time slice", "static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;\nstatic long count;\n" +
		"static void *f(void *a) { for (int i = 0; i < 30000; i++) { pthread_mutex_lock(&mu); long c = count; for (volatile int k = 0; k < 3; k++); count = c + 1; pthread_mutex_unlock(&mu); } return NULL; }\n" +
		"int main(void) { pthread_t a, b; pthread_create(&a, NULL, f, NULL); pthread_create(&b, NULL, f, NULL); pthread_join(a, NULL); pthread_join(b, NULL);\n" +
		"printf(\"%ld %d\\n\", count, pthread_mutex_trylock(&mu)); printf(\"%d\\n\", pthread_mutex_trylock(&mu) == EBUSY); return 0; }\n", "60000 0\n1\n"},
	{"a spinning thread is preempted", "static volatile int flag;\nstatic void *f(void *a) { flag = 1; return NULL; }\n" +
		"int main(void) { pthread_t t; pthread_create(&t, NULL, f, NULL); long spins = 0; while (!flag) spins++; pthread_join(t, NULL); printf(\"%d\\n\", flag); return 0; }\n", "1\n"},
	{"barrier", "static pthread_barrier_t bar;\nstatic int serial;\nstatic void *f(void *a) { if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD) serial++; return NULL; }\n" +
		"int main(void) { pthread_t t[3]; pthread_barrier_init(&bar, NULL, 4); for (int i = 0; i < 3; i++) pthread_create(&t[i], NULL, f, NULL);\n" +
		"if (pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD) serial++; for (int i = 0; i < 3; i++) pthread_join(t[i], NULL); printf(\"%d\\n\", serial); return 0; }\n", "1\n"},
	// The thread prints after main has printed (a semaphore, not a sleep,
	// orders them natively too) and after main's pthread_exit.
	{"main's pthread_exit waits for the rest", "#include <semaphore.h>\nstatic sem_t printed;\nstatic void *f(void *a) { sem_wait(&printed); usleep(1000); printf(\"last\\n\"); return NULL; }\n" +
		"int main(void) { pthread_t t; sem_init(&printed, 0, 0); pthread_create(&t, NULL, f, NULL); printf(\"main\\n\"); fflush(stdout); sem_post(&printed); pthread_exit(NULL); }\n", "main\nlast\n"},
	{"attributes", "static void *f(void *a) { return a; }\nint main(void) { pthread_attr_t at; size_t s, g; pthread_attr_init(&at); pthread_attr_getstacksize(&at, &s); pthread_attr_getguardsize(&at, &g);\n" +
		"int e = pthread_attr_setstacksize(&at, 100); pthread_attr_setstacksize(&at, 1 << 20); pthread_attr_getstacksize(&at, &s); int ds; pthread_attr_getdetachstate(&at, &ds);\n" +
		"pthread_t t; void *r; pthread_create(&t, &at, f, (void *)3); pthread_join(t, &r); pthread_attr_destroy(&at);\n" +
		"printf(\"%zu %zu %d %d %ld\\n\", s, g, e == EINVAL, ds == PTHREAD_CREATE_JOINABLE, (long)r); return 0; }\n", "1048576 4096 1 1 3\n"},
	{"a joined thread's stack is reused", "static void *f(void *a) { return NULL; }\n" +
		"int main(void) { pthread_t a, b, c; pthread_attr_t at; pthread_attr_init(&at); pthread_attr_setstacksize(&at, 1 << 20);\n" +
		"pthread_create(&a, NULL, f, NULL); pthread_join(a, NULL); pthread_create(&b, NULL, f, NULL); pthread_join(b, NULL); pthread_create(&c, &at, f, NULL); pthread_join(c, NULL);\n" +
		"printf(\"%d %d\\n\", pthread_equal(a, b) != 0, pthread_equal(a, c) != 0); return 0; }\n", "1 0\n"},
	{"pthread_getattr_np", "static void *f(void *x) { pthread_attr_t a; void *addr; size_t s, g; int local;\n" +
		"pthread_getattr_np(pthread_self(), &a); pthread_attr_getstack(&a, &addr, &s); pthread_attr_getguardsize(&a, &g);\n" +
		"printf(\"%zu %zu %d\\n\", s, g, (char *)&local >= (char *)addr && (char *)&local < (char *)addr + s); return NULL; }\n" +
		"int main(void) { pthread_t t; pthread_attr_t at; pthread_attr_init(&at); pthread_attr_setstacksize(&at, 1 << 20); pthread_create(&t, &at, f, NULL); pthread_join(t, NULL);\n" +
		"pthread_attr_t a; void *addr; size_t s, g; int local; pthread_getattr_np(pthread_self(), &a); pthread_attr_getstack(&a, &addr, &s); pthread_attr_getguardsize(&a, &g);\n" +
		"printf(\"%d %zu %d\\n\", s <= 8 << 20, g, (char *)&local >= (char *)addr && (char *)&local < (char *)addr + s); return 0; }\n", "1048576 4096 1\n1 0 1\n"},
	{"sizes that overflow", "static void *f(void *a) { return NULL; }\nint main(void) { pthread_t t; pthread_attr_t at;\n" +
		"pthread_attr_init(&at); pthread_attr_setstacksize(&at, -1); int a = pthread_create(&t, &at, f, NULL);\n" +
		"pthread_attr_init(&at); pthread_attr_setguardsize(&at, -1); int b = pthread_create(&t, &at, f, NULL);\n" +
		"void *stk; pthread_attr_init(&at); int c = pthread_attr_setstack(&at, &stk, 100); printf(\"%d %d %d\\n\", a, b, c); return 0; }\n", "22 22 22\n"},
	{"condition variable", "static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;\nstatic pthread_cond_t cv = PTHREAD_COND_INITIALIZER;\nstatic int queue[4], n, done;\n" +
		"static void *consumer(void *a) { long sum = 0; pthread_mutex_lock(&mu); for (;;) { while (n == 0 && !done) pthread_cond_wait(&cv, &mu); if (n == 0) break; sum += queue[--n]; pthread_cond_signal(&cv); } pthread_mutex_unlock(&mu); return (void *)sum; }\n" +
		"int main(void) { pthread_t t; void *r; pthread_create(&t, NULL, consumer, NULL);\n" +
		"for (int i = 1; i <= 100; i++) { pthread_mutex_lock(&mu); while (n == 4) pthread_cond_wait(&cv, &mu); queue[n++] = i; pthread_cond_broadcast(&cv); pthread_mutex_unlock(&mu); }\n" +
		"pthread_mutex_lock(&mu); done = 1; pthread_cond_broadcast(&cv); pthread_mutex_unlock(&mu); pthread_join(t, &r); printf(\"%ld\\n\", (long)r); return 0; }\n", "5050\n"},
	{"timed waits that time out", "#include <semaphore.h>\nint main(void) { pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; pthread_cond_t cv = PTHREAD_COND_INITIALIZER; struct timespec ts; sem_t s;\n" +
		"clock_gettime(CLOCK_REALTIME, &ts); ts.tv_nsec += 1000000; if (ts.tv_nsec >= 1000000000) { ts.tv_sec++; ts.tv_nsec -= 1000000000; }\n" +
		"pthread_mutex_lock(&mu); int r = pthread_cond_timedwait(&cv, &mu, &ts); int relocked = pthread_mutex_trylock(&mu) == EBUSY;\n" +
		"sem_init(&s, 0, 0); int t = sem_trywait(&s); int e = errno; int w = sem_timedwait(&s, &ts); int e2 = errno;\n" +
		"printf(\"%d %d %d %d %d %d\\n\", r == ETIMEDOUT, relocked, t, e == EAGAIN, w, e2 == ETIMEDOUT); return 0; }\n", "1 1 -1 1 -1 1\n"},
	{"semaphores", "#include <semaphore.h>\nstatic sem_t ping, pong;\nstatic void *f(void *a) { for (int i = 0; i < 3; i++) { sem_wait(&ping); printf(\"pong %d\\n\", i); fflush(stdout); sem_post(&pong); } return NULL; }\n" +
		"int main(void) { pthread_t t; sem_init(&ping, 0, 0); sem_init(&pong, 0, 0); pthread_create(&t, NULL, f, NULL);\n" +
		"for (int i = 0; i < 3; i++) { printf(\"ping %d\\n\", i); fflush(stdout); sem_post(&ping); sem_wait(&pong); } pthread_join(t, NULL); int v; sem_getvalue(&ping, &v); printf(\"%d\\n\", v); return 0; }\n",
		"ping 0\npong 0\nping 1\npong 1\nping 2\npong 2\n0\n"},
}

// TestThreads runs each program on the simulated engine and holds what it
// prints to gcc's build, where gcc is installed.
func TestThreads(t *testing.T) {
	gcc, _ := exec.LookPath("gcc")
	for _, tc := range threadCases {
		t.Run(tc.name, func(t *testing.T) {
			src := threadPrelude + tc.src
			r := runProgram(t, src, nil, nil)
			assert.Equal(t, tc.want, r.stdout)
			assert.Equal(t, 0, r.exit.Status, r.exit.Err)
			if gcc == "" {
				return
			}
			assert.Equal(t, tc.want, gccOutput(t, gcc, src, "-pthread"), "gcc's build")
		})
	}
}

// A thread's stack is mapped as glibc maps it, and its pthread_t is where
// glibc's descriptor would be.
func TestThreadStack(t *testing.T) {
	r := runProgram(t, threadPrelude+"static void *f(void *a) { return NULL; }\n"+
		"int main(void) { pthread_t t; pthread_create(&t, NULL, f, NULL); pthread_join(t, NULL); printf(\"%lx %lx\\n\", (unsigned long)t, (unsigned long)pthread_self()); return 0; }\n", nil, nil)
	assert.Equal(t, "7ffff7dd16c0 7ffff7dd2740\n", r.stdout) // as natively, with ASLR off
	var guard, stack bool
	require.NotEmpty(t, r.events)
	exit := r.events[len(r.events)-1]
	require.Equal(t, engine.EvExit, exit.Type)
	for _, v := range exit.VMAs {
		guard = guard || v.Start == 0x7ffff75d1000 && v.End == 0x7ffff75d2000 && v.Perms == "---p"
		stack = stack || v.Start == 0x7ffff75d2000 && v.Perms == "rw-p"
	}
	assert.True(t, guard && stack, "the thread's guard page and stack: %v", exit.VMAs)
}

// A wait nothing can end is a deadlock the run reports, as a hang would be
// natively.
func TestThreadDeadlock(t *testing.T) {
	r := runProgram(t, threadPrelude+"static uint32_t w;\nstatic void *f(void *a) { syscall(SYS_futex, &w, FUTEX_WAIT, 0, NULL, NULL, 0); return NULL; }\n"+
		"int main(void) { pthread_t t; pthread_create(&t, NULL, f, NULL); pthread_join(t, NULL); printf(\"never\\n\"); return 0; }\n", nil, nil)
	assert.Equal(t, "", r.stdout)
	var msgs []string
	for _, e := range r.events {
		if e.Type == engine.EvError {
			msgs = append(msgs, e.Message)
		}
	}
	assert.Equal(t, []string{"deadlock: every process is waiting"}, msgs)
}
