// SPDX-License-Identifier: GPL-2.0
/*
 * uprobe.c - process("PATH").function("sym") probes, entry and .return, through the
 * kernel's exported uprobe API (kernel/events/uprobes.c).
 *
 * The translator resolved each symbol to a file offset with libelf.  A uprobe belongs to
 * the file's inode, not to a process: every process that maps the file, already running
 * or started later, hits it.  The probe keeps a reference to the file's path (as the
 * kernel's own trace_uprobe does), so the inode stays the one lookups find, also on file
 * systems that drop unused dentries (9p without a cache makes a new inode per lookup).
 * A file replaced while the session runs is a new inode: its processes are not probed,
 * and the old inode stays valid until the probe is removed.
 */
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/uprobes.h>

/**
 * struct rt_uprobe - one process probe of the script
 * @pi:       the probe (pp(), probefunc())
 * @fn:       the generated handler
 * @file:     the probed file (absolute path, as resolved by the translator)
 * @offset:   file offset of the probed instruction
 * @ref_ctr:  file offset of an SDT semaphore, or 0
 * @ret:      a .return probe (a uretprobe)
 * @registered: registration succeeded
 * @path:     the file, held while registered
 * @handle:   what rt_uprobe_unregister() needs
 * @uc:       the consumer
 */
struct rt_uprobe {
	const struct rt_pinfo *pi;
	void (*fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
	const char *file;
	loff_t offset;
	loff_t ref_ctr;
	int ret;
	int registered;
	struct path path;
	struct uprobe *handle;
	struct uprobe_consumer uc;
};

static int rt_uprobe_hit(struct uprobe_consumer *uc, struct pt_regs *regs)
{
	struct rt_uprobe *p = container_of(uc, struct rt_uprobe, uc);

	p->fn(p->pi, regs);
	return 0;
}

static int rt_uretprobe_hit(struct uprobe_consumer *uc, unsigned long func,
			    struct pt_regs *regs)
{
	struct rt_uprobe *p = container_of(uc, struct rt_uprobe, uc);

	p->fn(p->pi, regs);
	return 0;
}

/**
 * rt_ureg_set - with -g, write @v to argument register @n (1-6, the SysV order) of a
 * process function probe's user registers at entry, or to its return value register
 * (@n 0) in .return: the process goes on with it (udwarf.c's $name = v, $return = v)
 * @c:     the context
 * @where: the assignment, for the error message
 *
 * Return: @v.
 */
static __maybe_unused int64_t rt_ureg_set(struct rt_context *c, int n, int64_t v,
					  const char *where)
{
	struct pt_regs *r = c->regs;

	if (!r || !c->pi->func || !user_mode(r)) {
		rt_failf(c, "cannot write a process function's registers here %s", where);
		return v;
	}
	switch (n) {
	case 0: r->ax = v; break;
	case 1: r->di = v; break;
	case 2: r->si = v; break;
	case 3: r->dx = v; break;
	case 4: r->cx = v; break;
	case 5: r->r8 = v; break;
	case 6: r->r9 = v; break;
	}
	return v;
}

/**
 * rt_uprobe_register_one - hold @p's file and register its uprobe
 * @p: the probe
 *
 * Context: process.  Return: 0 or -errno (nothing is held then).
 */
static int rt_uprobe_register_one(struct rt_uprobe *p)
{
	int ret;

	ret = kern_path(p->file, LOOKUP_FOLLOW, &p->path);
	if (ret)
		return ret;
	if (!d_is_reg(p->path.dentry)) {
		ret = -EINVAL;
		goto put_path;
	}
	if (p->ret)
		p->uc.ret_handler = rt_uretprobe_hit;
	else
		p->uc.handler = rt_uprobe_hit;
	ret = rt_uprobe_register(d_real_inode(p->path.dentry), p->offset, p->ref_ctr, &p->uc,
				 &p->handle);
	if (ret)
		goto put_path;
	p->registered = 1;
	return 0;

put_path:
	path_put(&p->path);
	return ret;
}

/**
 * rt_uprobes_unregister - remove the script's process probes, wait for running handlers,
 * release the files
 * @ps: the probes
 * @n:  how many
 *
 * Context: process.
 */
static void rt_uprobes_unregister(struct rt_uprobe *ps, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (ps[i].registered)
			rt_uprobe_unregister(d_real_inode(ps[i].path.dentry), ps[i].offset,
					     &ps[i].uc, ps[i].handle);
	rt_uprobe_unregister_sync();
	for (i = 0; i < n; i++) {
		if (!ps[i].registered)
			continue;
		path_put(&ps[i].path);
		ps[i].registered = 0;
	}
}

/**
 * rt_uprobes_register - register the script's process probes
 * @ps: the probes
 * @n:  how many
 *
 * A probe that cannot be registered fails the session with a message naming the file,
 * the offset and the probe point; everything registered before it is removed again.
 * Context: process.  Return: 0 or the first -errno.
 */
static int rt_uprobes_register(struct rt_uprobe *ps, int n)
{
	char msg[RT_MAXSTRINGLEN];
	int i, ret;

	for (i = 0; i < n; i++) {
		ret = rt_uprobe_register_one(&ps[i]);
		if (!ret)
			continue;
		snprintf(msg, sizeof(msg), "%s: cannot probe '%s' at offset 0x%llx: %s (%d)",
			 ps[i].pi->pp, ps[i].file, (unsigned long long)ps[i].offset,
			 ret == -ENOENT ? "no such file" : ret == -EINVAL ?
			 "not a regular file, or an offset the kernel cannot probe" :
			 ret == -ENOSYS ? "the kernel has no uprobes (CONFIG_UPROBES)" :
			 "registration failed", ret);
		rt_ctl_text(RT_TEXT_ERROR, msg);
		rt_uprobes_unregister(ps, i);
		return ret;
	}
	return 0;
}
