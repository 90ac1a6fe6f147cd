// SPDX-License-Identifier: GPL-2.0
/*
 * hwbkpt.c - kernel.data(ADDRESS|"SYMBOL")[.length(N)].write / .rw probes: hardware
 * watchpoints on every CPU (register_wide_hw_breakpoint), as SystemTap 4.8's
 * tapset hwbkpt probes.  A symbol's address is the translator's offset from 'jiffies' in
 * the target's symbol list plus &jiffies here: KASLR moves the kernel image as one block,
 * so the offset holds on every boot (modules cannot call kallsyms_lookup_name).
 * The handler runs in the debug exception, with the registers of the access.
 */
#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>

/**
 * struct rt_hwbkpt - one watchpoint probe of the script
 * @pi:    the probe
 * @fn:    the generated handler
 * @addr:  the watched address (kernel.data(ADDRESS)), or 0
 * @delta: a symbol's offset from jiffies (kernel.data("SYMBOL"))
 * @len:   bytes watched (HW_BREAKPOINT_LEN_1 .. _8)
 * @type:  HW_BREAKPOINT_W or HW_BREAKPOINT_RW
 * @bp:    the per-CPU perf events, once registered
 */
struct rt_hwbkpt {
	const struct rt_pinfo *pi;
	void (*fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
	unsigned long addr;
	long delta;
	int len;
	int type;
	struct perf_event * __percpu *bp;
};

/** rt_hwbkpt_hit - the perf overflow handler: run the probe's handler */
static void rt_hwbkpt_hit(struct perf_event *bp, struct perf_sample_data *data,
			  struct pt_regs *regs)
{
	struct rt_hwbkpt *h = bp->overflow_handler_context;

	h->fn(h->pi, regs);
}

/**
 * rt_hwbkpts_unregister - remove the script's watchpoints
 * Context: process.
 */
static void rt_hwbkpts_unregister(struct rt_hwbkpt *h, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (!h[i].bp)
			continue;
		unregister_wide_hw_breakpoint(h[i].bp);
		h[i].bp = NULL;
	}
}

/**
 * rt_hwbkpts_register - set the script's watchpoints on every CPU
 * Return: 0, or the first error (the x86 debug registers are four: a fifth watchpoint
 * fails with -ENOSPC), named in a message; everything is then removed.
 * Context: process.
 */
static int rt_hwbkpts_register(struct rt_hwbkpt *h, int n)
{
	struct perf_event_attr attr;
	char msg[RT_MAXSTRINGLEN];
	struct perf_event * __percpu *bp;
	int i;

	for (i = 0; i < n; i++) {
		hw_breakpoint_init(&attr);
		attr.bp_addr = h[i].addr ? h[i].addr : (unsigned long)&jiffies + h[i].delta;
		attr.bp_len = h[i].len;
		attr.bp_type = h[i].type;
		bp = register_wide_hw_breakpoint(&attr, rt_hwbkpt_hit, &h[i]);
		if (!IS_ERR(bp)) {
			h[i].bp = bp;
			continue;
		}
		snprintf(msg, sizeof(msg), "%s: cannot set a hardware watchpoint at 0x%llx: %ld",
			 h[i].pi->pp, (unsigned long long)attr.bp_addr, PTR_ERR(bp));
		rt_ctl_text(RT_TEXT_ERROR, msg);
		rt_hwbkpts_unregister(h, n);
		return PTR_ERR(bp);
	}
	return 0;
}
