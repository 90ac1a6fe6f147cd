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
	__rt_relay_write(rt_chan, c->out, c->out_len);
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

/**
 * rt_probe_enter - claim this CPU's context for a handler
 * @pp:    the probe point, for error messages
 * @state: the session state the handler needs (RT_STATE_RUNNING, or -1 for any)
 *
 * Return: the context with interrupts disabled, or NULL (hit skipped or not running).
 */
static struct rt_context *rt_probe_enter(const char *pp, int state)
{
	struct rt_context *c;
	unsigned long flags;

	local_irq_save(flags);
	c = &rt_contexts[smp_processor_id()];
	if (state >= 0 && atomic_read(&rt_state) != state)
		goto out;
	if (c->busy) {
		c->skipped++;
		goto out;
	}
	c->busy = 1;
	c->pp = pp;
	c->error = NULL;
	c->actions = 0;
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
	char msg[192];

	rt_print_flush(c);
	if (unlikely(c->error)) {
		atomic_inc(&rt_error_count);
		if (c->error_at)
			rt_ctl_text(RT_TEXT_ERROR, c->error);
		else {
			snprintf(msg, sizeof(msg), "%s near %s", c->error, c->pp);
			rt_ctl_text(RT_TEXT_ERROR, msg);
		}
		rt_request_exit();
	}
	c->busy = 0;
	local_irq_restore(c->irqflags);
}

/** rt_exit - the script's exit(): end the session after this handler */
static void rt_exit(struct rt_context *c)
{
	rt_request_exit();
}

