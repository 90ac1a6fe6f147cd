// SPDX-License-Identifier: GPL-2.0
/*
 * print.c - script output: buffered per handler, written as one relay record.
 */

/**
 * rt_print_flush - write the handler's buffered output as one record
 * @c: the context (preemption disabled)
 *
 * A dropped record is counted by the relay.
 */
static void rt_print_flush(struct rt_context *c)
{
	if (!c->out_len)
		return;
	__rt_relay_write(rt_tp.chan, c->out, c->out_len);
	c->out_len = 0;
}

/**
 * rt_print_str - append @len bytes of @s to the handler's output
 * @c:   the context
 * @s:   bytes
 * @len: count
 */
static void rt_print_str(struct rt_context *c, const char *s, size_t len)
{
	size_t n;

	while (len) {
		if (c->out_len == RT_PRINT_BUF_SIZE)
			rt_print_flush(c);
		n = min_t(size_t, len, RT_PRINT_BUF_SIZE - c->out_len);
		memcpy(c->out + c->out_len, s, n);
		c->out_len += n;
		s += n;
		len -= n;
	}
}

/**
 * rt_printf - formatted output into the handler's buffer
 * @c:   the context
 * @fmt: printf format
 */
static __printf(2, 3) void rt_printf(struct rt_context *c, const char *fmt, ...)
{
	size_t room = RT_PRINT_BUF_SIZE - c->out_len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->out + c->out_len, room, fmt, ap);
	va_end(ap);
	if (n < room) {
		c->out_len += n;
		return;
	}
	rt_print_flush(c);
	va_start(ap, fmt);
	n = vsnprintf(c->out, RT_PRINT_BUF_SIZE, fmt, ap);
	va_end(ap);
	c->out_len = min_t(int, n, RT_PRINT_BUF_SIZE - 1);
}

/** rt_print_long - print(n): an integer in decimal */
static void rt_print_long(struct rt_context *c, int64_t v)
{
	char buf[24];

	rt_print_str(c, buf, snprintf(buf, sizeof(buf), "%lld", (long long)v));
}

/**
 * rt_print_fmt - the script's printf: format into the handler's buffer
 * @c: the context
 * @f: the split format
 * @a: its arguments
 *
 * One printf's output longer than the buffer is cut, and the cut is reported as a
 * warning.
 */
static void rt_print_fmt(struct rt_context *c, const struct rt_fmt *f, const union rt_farg *a)
{
	size_t room = RT_PRINT_BUF_SIZE - c->out_len, n;

	n = rt_format(c->out + c->out_len, room, f, a);
	if (n <= room) {
		c->out_len += n;
		return;
	}
	rt_print_flush(c);
	n = rt_format(c->out, RT_PRINT_BUF_SIZE, f, a);
	c->out_len = min_t(size_t, n, RT_PRINT_BUF_SIZE);
	if (n > RT_PRINT_BUF_SIZE)
		rt_ctl_text(RT_TEXT_WARNING, "printf output longer than the print buffer was cut");
}

/**
 * rt_sprintf - the script's sprintf, into string temporary @dst (cut at MAXSTRINGLEN)
 * @dst: the temporary
 * @f:   the split format
 * @a:   its arguments
 */
static const char *rt_sprintf(char *dst, const struct rt_fmt *f, const union rt_farg *a)
{
	size_t n = rt_format(dst, RT_MAXSTRINGLEN - 1, f, a);

	dst[min_t(size_t, n, RT_MAXSTRINGLEN - 1)] = '\0';
	return dst;
}

/** rt_skip - count a skipped probe hit; too many (MAXSKIPPED) end the session */
static void rt_skip(struct rt_context *c)
{
	static atomic_t reported = ATOMIC_INIT(0);

	c->skipped++;
	if (rt_skipped_total() <= RT_MAXSKIPPED || atomic_xchg(&reported, 1))
		return;
	atomic_inc(&rt_error_count);
	atomic_cmpxchg(&rt_session, RT_SESS_RUNNING, RT_SESS_ERROR);
	rt_ctl_text(RT_TEXT_ERROR, "Skipped too many probes, check MAXSKIPPED or try again "
		    "with stap -t for more details.");
	rt_request_exit();
}

/**
 * rt_probe_enter - claim this CPU's context for a handler
 * @pi:    the probe
 * @regs:  the interrupted registers, or NULL
 *
 * A handler runs only in its probe's session state (@pi->state); one that needs
 * RT_SESS_RUNNING also needs the transport running (no exit requested yet).
 * Return: the context with interrupts disabled, or NULL (hit skipped or not running).
 */
static struct rt_context *rt_probe_enter(const struct rt_pinfo *pi, struct pt_regs *regs)
{
	struct rt_context *c;
	unsigned long flags;

	local_irq_save(flags);
	c = &rt_contexts[smp_processor_id()];
	if (atomic_read(&rt_session) != pi->state)
		goto out;
	if (pi->state == RT_SESS_RUNNING && atomic_read(&rt_tp.state) != RT_STATE_RUNNING)
		goto out;
	if (c->busy) {
		rt_skip(c);
		goto out;
	}
	c->busy = 1;
	c->pi = pi;
	c->regs = regs;
	c->error = NULL;
	c->error_plain = 0;
	c->actions = RT_MAXACTION_INTERRUPTIBLE;	/* every probe kind: see context.c */
	c->nesting = 0;
	c->next = 0;
	c->out_len = 0;
	c->irqflags = flags;
	return c;
out:
	local_irq_restore(flags);
	return NULL;
}

/**
 * rt_probe_exit - flush output, report an error, release the context
 * @c: what rt_probe_enter() returned
 */
static void rt_probe_exit(struct rt_context *c)
{
	char msg[RT_MAXSTRINGLEN + 128];

	rt_print_flush(c);
	if (unlikely(c->error)) {
		atomic_inc(&rt_error_count);
		if (c->error_at)
			rt_ctl_text(RT_TEXT_ERROR, c->error);
		else {
			snprintf(msg, sizeof(msg), "%s near %s", c->error, c->pi->where);
			rt_ctl_text(RT_TEXT_ERROR, msg);
		}
		if (atomic_read(&rt_error_count) > RT_MAXERRORS) {
			atomic_set(&rt_session, RT_SESS_ERROR);
			rt_request_exit();
		}
	}
	c->busy = 0;
	local_irq_restore(c->irqflags);
}

/**
 * rt_exit - the script's exit(): end the session after this handler; no other probe
 * starts except end probes (4.8's logging.stp: the state becomes STOPPING, even in an
 * error probe, so the later error probes do not run)
 */
static void rt_exit(struct rt_context *c)
{
	atomic_set(&rt_session, RT_SESS_STOPPING);
	rt_request_exit();
}

