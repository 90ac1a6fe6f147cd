// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe-threads.c - the process lifetime tests' program (relaytap.guest/uprobe.exp).
 *
 * uprobe-threads T [SLEEP]: with SLEEP, first sleeps that many seconds (a process that
 * already runs when the probes register); then starts T threads, each of which calls
 * rt_thread_work(k) and exits, joins them, and exits 0.  Threads start one after the other
 * (each is joined before the next starts), so their ids are distinct and in order.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define RT_OUT __attribute__((noinline, noclone, used))

/** rt_thread_work - @k, as the probes see it (the asm keeps the call) */
RT_OUT long rt_thread_work(long k)
{
	__asm__ volatile("" : "+r"(k));
	return k;
}

static void *rt_thread(void *arg)
{
	return (void *)rt_thread_work((long)arg);
}

int main(int argc, char **argv)
{
	long t = argc > 1 ? atol(argv[1]) : 3, k;
	pthread_t th;

	if (argc > 2)
		sleep(atoi(argv[2]));
	for (k = 0; k < t; k++) {
		if (pthread_create(&th, NULL, rt_thread, (void *)k))
			return 1;
		pthread_join(th, NULL);
	}
	return 0;
}
