// SPDX-License-Identifier: GPL-2.0
/*
 * module.c - module load and unload for every generated probe module.
 */

/**
 * rt_module_init - set up contexts, the script's globals and the transport
 *
 * The probes start only when staprun sends START.
 */
static int __init rt_module_init(void)
{
	int ret;

	ret = rt_contexts_alloc(rt_gen_frame_size());
	if (ret)
		return ret;
	ret = rt_gen_init();
	if (ret)
		goto free_contexts;
	ret = rt_transport_init();
	if (ret)
		goto gen_exit;
	return 0;

gen_exit:
	rt_gen_exit();
free_contexts:
	rt_contexts_free();
	return ret;
}

/** rt_module_exit - stop a running session and free everything */
static void __exit rt_module_exit(void)
{
	rt_transport_exit();
	rt_gen_exit();
	rt_contexts_free();
}

module_init(rt_module_init);
module_exit(rt_module_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("relaytap probe module");
