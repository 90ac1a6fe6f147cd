/* RT_HAVE_HRTIMER_SETUP: hrtimer_setup() (6.13; hrtimer_init() is gone from 6.15) */
#include <linux/hrtimer.h>
static enum hrtimer_restart rt_probe_fn(struct hrtimer *t)
{
	return HRTIMER_NORESTART;
}

void rt_probe(struct hrtimer *t)
{
	hrtimer_setup(t, rt_probe_fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
}
