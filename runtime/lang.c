// SPDX-License-Identifier: GPL-2.0
/*
 * lang.c - run-time support for the script language: checks, arithmetic, strings,
 * context functions.  Called only from generated handlers (context held).
 */
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/cred.h>
#include <linux/timekeeping.h>
#include <linux/ptrace.h>
#include <linux/kallsyms.h>

/* a script's integer global as a module parameter (staprun NAME=VALUE, stap -G) */
static int rt_param_set_s64(const char *val, const struct kernel_param *kp)
{
	return kstrtos64(val, 0, kp->arg);
}

static int rt_param_get_s64(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lld\n", *(s64 *)kp->arg);
}

static const struct kernel_param_ops rt_param_ops_s64 __maybe_unused = {
	.set = rt_param_set_s64,
	.get = rt_param_get_s64,
};

/**
 * rt_actions - subtract @n actions from what the handler may still execute (MAXACTION)
 * @c:   the context
 * @n:   actions the translator counted since the last subtraction
 * @msg: the error when none remain ("MAXACTION exceeded near TOKEN at FILE:LINE:COL")
 *
 * The translator calls this where SystemTap 4.8's does (translate.cxx record_actions,
 * see translator-stubs/actions.c); like 4.8 it fails when the count reaches 0.
 * Return: whether the handler must stop (this or an earlier error).
 */
static __always_inline int rt_actions(struct rt_context *c, long n, const char *msg)
{
	if (unlikely(c->error))
		return 1;
	c->actions -= n;
	if (unlikely(c->actions <= 0)) {
		c->error = msg;
		c->error_at = 1;
	}
	return c->error != NULL;
}

/**
 * rt_fail - record a run-time error whose message names its place
 * @c:   the context
 * @msg: the message (static)
 */
static void rt_fail(struct rt_context *c, const char *msg)
{
	if (!c->error) {
		c->error = msg;
		c->error_at = 1;
	}
}

/** rt_div - a / b; division by zero is a run-time error (@msg names the place) */
static int64_t rt_div(struct rt_context *c, int64_t a, int64_t b, const char *msg)
{
	if (unlikely(!b)) {
		rt_fail(c, msg);
		return 0;
	}
	if (unlikely(b == -1))
		return -a;
	return div64_s64(a, b);
}

/** rt_mod - a % b; division by zero is a run-time error (@msg names the place) */
static int64_t rt_mod(struct rt_context *c, int64_t a, int64_t b, const char *msg)
{
	if (unlikely(!b)) {
		rt_fail(c, msg);
		return 0;
	}
	if (unlikely(b == -1))
		return 0;
	return a - div64_s64(a, b) * b;
}

/** rt_str_set - dst = src, truncated to MAXSTRINGLEN */
static const char *rt_str_set(char *dst, const char *src)
{
	if (dst != src)
		strscpy(dst, src, RT_MAXSTRINGLEN);
	return dst;
}

/**
 * rt_str_append - dst .= src, truncated to MAXSTRINGLEN
 *
 * @src may be @dst itself (s .= s doubles s, as 4.8's strlcat does): its length is
 * taken before anything is written.
 */
static const char *rt_str_append(char *dst, const char *src)
{
	size_t n = strnlen(dst, RT_MAXSTRINGLEN - 1);
	size_t k = min(strnlen(src, RT_MAXSTRINGLEN - 1), RT_MAXSTRINGLEN - 1 - n);

	memmove(dst + n, src, k);
	dst[n + k] = '\0';
	return dst;
}

/** rt_str_cat - tmp = a . b, truncated to MAXSTRINGLEN */
static const char *rt_str_cat(char *tmp, const char *a, const char *b)
{
	char buf[RT_MAXSTRINGLEN];

	strscpy(buf, a, sizeof(buf));
	rt_str_append(buf, b);
	memcpy(tmp, buf, RT_MAXSTRINGLEN);
	return tmp;
}

static int64_t rt_strlen(struct rt_context *c, const char *s)
{
	return strnlen(s, RT_MAXSTRINGLEN);
}

/** rt_target - the -x / -c pid, or 0 */
static int64_t rt_target(struct rt_context *c)
{
	return rt_target_pid;
}

static int64_t rt_cpu(struct rt_context *c)
{
	return smp_processor_id();
}

static int64_t rt_pid(struct rt_context *c)
{
	return current->tgid;
}

static int64_t rt_tid(struct rt_context *c)
{
	return current->pid;
}

/** rt_execname - the current task's name, into @tmp */
static const char *rt_execname(char *tmp)
{
	strscpy(tmp, current->comm, TASK_COMM_LEN);
	return tmp;
}

/** rt_error - the script's error(msg): a run-time error that ends the session */
static void rt_error(struct rt_context *c, const char *msg)
{
	if (!c->error) {
		strscpy(c->errbuf, msg, RT_MAXSTRINGLEN);
		c->error = c->errbuf;
		c->error_at = 1;
		c->error_plain = 1;
	}
}

/**
 * rt_catch - the catch of try/catch: take the handler's error, as 4.8's does
 * @c:   the context
 * @msg: the catch variable (MAXSTRINGLEN), or NULL: the message without its place (4.8
 *       keeps the place apart, in last_stmt)
 *
 * Return: whether the error was caught; MAXACTION cannot be, nor can no error at all.
 */
static bool rt_catch(struct rt_context *c, char *msg)
{
	const char *near;
	size_t n;

	if (!c->error || c->actions <= 0)
		return false;
	near = c->error_plain ? NULL : strstr(c->error, " near ");
	n = near ? near - c->error : strnlen(c->error, RT_MAXSTRINGLEN - 1);
	if (msg) {
		n = min_t(size_t, n, RT_MAXSTRINGLEN - 1);
		memmove(msg, c->error, n);
		msg[n] = '\0';
	}
	c->error = NULL;
	c->error_plain = 0;
	return true;
}

/** rt_failf - a run-time error with a message built from @fmt */
static __printf(2, 3) void rt_failf(struct rt_context *c, const char *fmt, ...)
{
	va_list ap;

	if (c->error)
		return;
	va_start(ap, fmt);
	vsnprintf(c->errbuf, RT_MAXSTRINGLEN, fmt, ap);
	va_end(ap);
	c->error = c->errbuf;
	c->error_at = 1;
}
