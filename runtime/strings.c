// SPDX-License-Identifier: GPL-2.0
/*
 * strings.c - the script's string functions, context functions and safe memory reads.
 * Called only from generated handlers (context held, interrupts off).
 */

/** rt_substr - substr(s, start, len): @len bytes from offset @start (0-based) */
static const char *rt_substr(char *tmp, const char *s, int64_t start, int64_t len)
{
	size_t n = strnlen(s, RT_MAXSTRINGLEN - 1);

	if (start < 0 || len <= 0 || start >= n) {
		tmp[0] = '\0';
		return tmp;
	}
	len = min_t(int64_t, len, n - start);
	memmove(tmp, s + start, len);
	tmp[len] = '\0';
	return tmp;
}

/** rt_isinstr - isinstr(s1, s2): whether @s2 occurs in @s1 */
static int64_t rt_isinstr(const char *s1, const char *s2)
{
	return strstr(s1, s2) != NULL;
}

/** rt_strtol - strtol(s, base): the number @s begins with, 0 when none */
static int64_t rt_strtol(struct rt_context *c, const char *s, int64_t base, const char *where)
{
	if (base != 0 && (base < 2 || base > 36)) {
		rt_failf(c, "invalid base %lld for strtol %s", base, where);
		return 0;
	}
	return simple_strtoll(skip_spaces(s), NULL, base);
}

/** rt_str_replace - str_replace(src, old, new): every @old in @src replaced by @rep */
static const char *rt_str_replace(char *tmp, const char *src, const char *old, const char *rep)
{
	size_t olen = strlen(old), rlen = strlen(rep), n = 0, k;
	char buf[RT_MAXSTRINGLEN];
	const char *hit;

	while (*src && n < sizeof(buf) - 1) {
		hit = olen ? strstr(src, old) : NULL;
		k = min(hit ? (size_t)(hit - src) : strlen(src), sizeof(buf) - 1 - n);
		memcpy(buf + n, src, k);
		n += k;
		if (!hit)
			break;
		k = min(rlen, sizeof(buf) - 1 - n);
		memcpy(buf + n, rep, k);
		n += k;
		src = hit + olen;
	}
	buf[n] = '\0';
	memcpy(tmp, buf, n + 1);
	return tmp;
}

/** rt_text_str - text_str(s): text_strn(s, 0, 0) */
static const char *rt_text_str(char *tmp, const char *s)
{
	return rt_text_strn(tmp, s, 0, 0);
}

/**
 * rt_copy_string - copy a NUL-terminated string from a kernel or user address, safely
 * @dst:  MAXSTRINGLEN bytes
 * @addr: the address
 * @user: a user-space address
 *
 * Return: 0, or -EFAULT when the first byte cannot be read (a fault further on ends the
 * string there).
 */
/*
 * Byte by byte with copy_from_{kernel,user}_nofault() rather than the kernel's
 * strncpy_from_{kernel,user}_nofault(): those two are not exported to modules on Debian's
 * 6.1 kernels (modpost: undefined), so a module cannot call them.
 */
static int rt_copy_string(char *dst, unsigned long addr, bool user)
{
	size_t n;
	long ret;

	for (n = 0; n < RT_MAXSTRINGLEN - 1; n++) {
		ret = user ? copy_from_user_nofault(dst + n, (const void __user *)(addr + n), 1) :
			copy_from_kernel_nofault(dst + n, (const void *)(addr + n), 1);
		if (ret) {
			dst[n] = '\0';
			return n ? 0 : -EFAULT;
		}
		if (!dst[n])
			return 0;
	}
	dst[n] = '\0';
	return 0;
}

/** rt_kernel_string - kernel_string(addr); a fault is a run-time error naming @where */
static const char *rt_kernel_string(struct rt_context *c, char *tmp, int64_t addr,
				    const char *where)
{
	if (rt_copy_string(tmp, addr, false))
		rt_failf(c, "kernel string copy fault at 0x%llx %s", addr, where);
	return tmp;
}

/** rt_user_string - user_string(addr); a fault is a run-time error naming @where */
static const char *rt_user_string(struct rt_context *c, char *tmp, int64_t addr,
				  const char *where)
{
	if (rt_copy_string(tmp, addr, true))
		rt_failf(c, "user string copy fault at 0x%llx %s", addr, where);
	return tmp;
}

/**
 * rt_string_or - kernel_string(addr, err) or user_string(addr, err): the string at
 * @addr, or @err when its first byte cannot be read (SystemTap 4.8's two-argument forms)
 * @tmp:  MAXSTRINGLEN bytes for the result
 * @addr: the address
 * @err:  the string returned instead of an error
 * @user: a user-space address
 */
static const char *rt_string_or(char *tmp, int64_t addr, const char *err, bool user)
{
	if (rt_copy_string(tmp, addr, user))
		strscpy(tmp, err, RT_MAXSTRINGLEN);
	return tmp;
}

/** rt_kernel_pointer - kernel_pointer(addr): the pointer stored at @addr */
static int64_t rt_kernel_pointer(struct rt_context *c, int64_t addr, const char *where)
{
	unsigned long v = 0;

	if (copy_from_kernel_nofault(&v, (const void *)(unsigned long)addr, sizeof(v)))
		rt_failf(c, "kernel pointer read fault at 0x%llx %s", addr, where);
	return v;
}

/**
 * rt_reg_arg - argument @n (1-6) of the probed function, from the x86_64 registers
 * @c:     the context
 * @n:     the argument number
 * @where: the call, for the error message
 */
static int64_t rt_reg_arg(struct rt_context *c, int64_t n, const char *where)
{
	struct pt_regs *r = c->regs;

	if (!r || !c->pi->func) {	/* a function probe's: kernel or user registers */
		rt_failf(c, "cannot access function arguments in this context %s", where);
		return 0;
	}
	switch (n) {
	case 1: return r->di;
	case 2: return r->si;
	case 3: return r->dx;
	case 4: return r->cx;
	case 5: return r->r8;
	case 6: return r->r9;
	}
	rt_failf(c, "cannot access argument %lld (1-6 are in registers) %s", n, where);
	return 0;
}

/** rt_returnval - the probed function's return value (.return probes) */
static int64_t rt_returnval(struct rt_context *c, const char *where)
{
	if (!c->regs || !c->pi->func) {
		rt_failf(c, "cannot access the return value in this context %s", where);
		return 0;
	}
	return regs_return_value(c->regs);
}

static const char *rt_pp(struct rt_context *c)
{
	return c->pi->pp;
}

/** rt_probefunc - the probed function, or the one the timer interrupted, or "" */
static const char *rt_probefunc(struct rt_context *c, char *tmp)
{
	if (c->pi->func)
		return c->pi->func;
	if (c->regs && !user_mode(c->regs))
		snprintf(tmp, RT_MAXSTRINGLEN, "%ps", (void *)instruction_pointer(c->regs));
	else
		tmp[0] = '\0';
	return tmp;
}

static int64_t rt_ppid(struct rt_context *c)
{
	int64_t v;

	rcu_read_lock();
	v = task_tgid_nr(rcu_dereference(current->real_parent));
	rcu_read_unlock();
	return v;
}

static int64_t rt_uid(struct rt_context *c)
{
	return from_kuid_munged(current_user_ns(), current_uid());
}

static int64_t rt_jiffies(struct rt_context *c)
{
	return jiffies;
}

static int64_t rt_gettimeofday_ns(struct rt_context *c)
{
	return ktime_get_real_fast_ns();
}

static int64_t rt_gettimeofday_us(struct rt_context *c)
{
	return div_s64(ktime_get_real_fast_ns(), NSEC_PER_USEC);
}

static int64_t rt_gettimeofday_ms(struct rt_context *c)
{
	return div_s64(ktime_get_real_fast_ns(), NSEC_PER_MSEC);
}

static int64_t rt_gettimeofday_s(struct rt_context *c)
{
	return div_s64(ktime_get_real_fast_ns(), NSEC_PER_SEC);
}
