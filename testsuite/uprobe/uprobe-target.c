// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe-target.c - the process-probe tests' program (relaytap.guest/uprobe.exp).
 *
 * uprobe-target N [SLEEP]: calls rt_counted(i, "tick") for i = 0..N-1 (returning 2i),
 * rt_lib_add() in libuprobe-lib.so as often, rt_fact(5) once (recursive: 5 calls,
 * returning 1, 2, 6, 24, 120), malloc(12345) once, fires the SDT mark
 * relaytap:tick(i, 2i) N times (only while its semaphore says that it is probed) and
 * relaytap:done once, then prints the sum.  With SLEEP,
 * it first sleeps that many seconds or until a SIGUSR1 (a process already running when
 * probes register).  Built -O0 -g and -O2 stripped by the tests (which name its lines).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#if __has_include(<sys/sdt.h>)
#define _SDT_HAS_SEMAPHORES 1	/* every mark has one: the kernel counts its probes there */
#include <sys/sdt.h>	/* Debian's systemtap-sdt-dev */
__extension__ unsigned short relaytap_tick_semaphore __attribute__((section(".probes")));
__extension__ unsigned short relaytap_done_semaphore __attribute__((section(".probes")));
#else
static unsigned short relaytap_tick_semaphore;
#define STAP_PROBE2(p, n, a, b) do { } while (0)
#define STAP_PROBE(p, n) do { } while (0)
#endif
#include "uprobe-lib.h"

#define RT_OUT __attribute__((noinline, noclone, used))

/**
 * rt_counted - 2 * @i; @s is a string the probes read with user_string()
 */
RT_OUT long rt_counted(long i, const char *s)
{
	long r = i * 2 + (s[0] != 't');

	__asm__ volatile("" : "+r"(r) : "r"(s));
	return r;
}

/** rt_fact - @n!, recursively (the asm keeps -O2 from turning it into a loop) */
RT_OUT long rt_fact(long n)
{
	long r;

	if (n <= 1)
		return 1;
	r = n * rt_fact(n - 1);
	__asm__ volatile("" : "+r"(r));
	return r;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10, i, sum = 0;
	const char *volatile tag = "tick";
	void *p;

	if (tag[0] != 't')	/* pages the string in before the probes read it */
		return 1;
	if (argc > 2)
		sleep(atoi(argv[2]));
	for (i = 0; i < n; i++) {
		sum = rt_lib_add(sum, rt_counted(i, tag));
		if (relaytap_tick_semaphore)	/* set only while a probe is on the mark */
			STAP_PROBE2(relaytap, tick, i, 2 * i);
	}
	sum += rt_fact(5);
	p = malloc(12345);
	__asm__ volatile("" : : "r"(p) : "memory");
	free(p);
	STAP_PROBE(relaytap, done);
	printf("%ld\n", sum);
	return 0;
}

/*
 * Down here so that the lines the tests name stay where they are: SIGUSR1 ends the SLEEP
 * early (the tests wake the program once the probes are in, however long that took).
 */
#include <signal.h>

static void wake(int sig)
{
}

__attribute__((constructor)) static void wake_on_usr1(void)
{
	signal(SIGUSR1, wake);
}
