/* SPDX-License-Identifier: GPL-2.0 */
/*
 * relay_user.h - the kernel primitives the relay core needs, for the user-space build.
 *
 * Used by the host unit tests, the fuzz target and the native benchmark.  A thread plays
 * a CPU: it sets rt_user_cpu, and only it writes that CPU's buffer; a signal handler on
 * that thread plays a nested interrupt.  local_t maps to unlocked x86 instructions as in the kernel (one writer
 * thread, possibly interrupted by its own signal handler), the barriers to C11 fences.
 */
#ifndef _RT_RELAY_USER_H
#define _RT_RELAY_USER_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef unsigned int umode_t;

typedef struct {
	long a;
} local_t;

/*
 * local_t as the kernel's x86 implementation: single instructions without the lock
 * prefix, atomic with respect to a signal handler on the same thread (the "nested
 * writer"), as the kernel's are with respect to interrupts on the same CPU.
 */
static inline long local_read(const local_t *l)
{
	return __atomic_load_n(&l->a, __ATOMIC_RELAXED);
}

static inline void local_set(local_t *l, long v)
{
	__atomic_store_n(&l->a, v, __ATOMIC_RELAXED);
}

static inline void local_inc(local_t *l)
{
	asm volatile("incq %0" : "+m" (l->a));
}

static inline long local_add_return(long v, local_t *l)
{
	long i = v;

	asm volatile("xaddq %0, %1" : "+r" (v), "+m" (l->a) : : "memory");
	return v + i;
}

static inline long local_cmpxchg(local_t *l, long old, long new)
{
	long prev;

	asm volatile("cmpxchgq %2, %1"
		     : "=a" (prev), "+m" (l->a)
		     : "r" (new), "0" (old)
		     : "memory");
	return prev;
}

#define cmpxchg(p, o, n) ({ \
	__typeof__(*(p)) __old = (o); \
	__atomic_compare_exchange_n((p), &__old, (n), false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
	__old; \
})
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#endif
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define smp_load_acquire(p)	__atomic_load_n((p), __ATOMIC_ACQUIRE)
#define preempt_disable_notrace()	do { } while (0)
#define preempt_enable_notrace()	do { } while (0)
#define min(a, b)		((a) < (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))

extern __thread unsigned int rt_user_cpu;
#define smp_processor_id()	rt_user_cpu

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (64 - __builtin_clzl(n - 1));
}

static inline unsigned int ilog2(unsigned long n)
{
	return 63 - __builtin_clzl(n);
}

/** rt_clock_ns - the user build's clock: the TSC (invariant on the machines we use) */
static __always_inline u64 rt_clock_ns(void)
{
	return __rdtsc();
}

#include "../uapi/relaytap.h"
#include "relay_types.h"

static void rt_relay_default_deliver(struct rt_relay_buf *buf, u64 seq);
static void *rt_relay_default_create_buf_file(const char *filename, void *parent,
					      umode_t mode, struct rt_relay_buf *buf);
static void rt_relay_default_remove_buf_file(void *file);

#include "relay_api.h"

#endif /* _RT_RELAY_USER_H */
