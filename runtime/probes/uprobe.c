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
 * and the old inode stays valid until the probe is removed.  With staprun -c or -x only
 * the target and its descendants fire the probes, as in SystemTap 4.8.
 */
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/uprobes.h>

/**
 * struct rt_uprobe - one process probe of the script
 * @pi:       the probe (pp(), probefunc())
 * @fn:       the generated handler
 * @file:     the probed file (absolute path, as resolved by the translator)
 * @exe:      for process("EXE").library(...) probes, EXE: only its processes fire, or NULL
 * @offset:   file offset of the probed instruction
 * @ref_ctr:  file offset of an SDT semaphore, or 0
 * @ret:      a .return probe (a uretprobe)
 * @registered: registration succeeded
 * @path:     the file, held while registered
 * @exe_path: @exe, held while registered
 * @handle:   what rt_uprobe_unregister() needs
 * @uc:       the consumer
 */
struct rt_uprobe {
	const struct rt_pinfo *pi;
	void (*fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
	const char *file;
	const char *exe;
	loff_t offset;
	loff_t ref_ctr;
	int ret;
	int registered;
	struct path path;
	struct path exe_path;
	struct uprobe *handle;
	struct uprobe_consumer uc;
};

/**
 * rt_uprobe_exe_ok - whether @p fires in the current process: always, or for a .library
 * probe when the process runs its program (the inode of mm->exe_file)
 *
 * Context: a uprobe handler (process context of the probed task).
 */
static bool rt_uprobe_exe_ok(const struct rt_uprobe *p)
{
	struct file *exe;
	bool ok;

	if (!p->exe)
		return true;
	if (!current->mm)
		return false;
	rcu_read_lock();
	exe = rcu_dereference(current->mm->exe_file);
	ok = exe && file_inode(exe) == d_real_inode(p->exe_path.dentry);
	rcu_read_unlock();
	return ok;
}

/**
 * rt_in_target_tree - with staprun -c or -x, whether task @t is of the target process or
 * of a descendant of it; always true without a target
 * @t: the task (current, or one pinned by the caller)
 *
 * SystemTap 4.8 restricts every process probe to the target's process hierarchy then
 * (stapprobes(3stap); its task finder attaches to the target and what it forks, and
 * runtime/linux/uprobes-inode.c ignores a hit in another process).  It tracks the tree
 * from the forks; here the parent chain is walked when asked, so a descendant whose
 * parent exited (reparented to init or a subreaper) is no longer in it.
 * Context: any (rcu_read_lock is taken).
 */
static bool rt_in_target_tree(struct task_struct *t)
{
	bool in = false;

	if (!rt_target_pid)
		return true;
	rcu_read_lock();
	for (; !in && t->pid > 1; t = rcu_dereference(t->real_parent))
		in = t->tgid == rt_target_pid;
	rcu_read_unlock();
	return in;
}

static int rt_uprobe_hit(struct uprobe_consumer *uc, struct pt_regs *regs)
{
	struct rt_uprobe *p = container_of(uc, struct rt_uprobe, uc);

	if (rt_uprobe_exe_ok(p) && rt_in_target_tree(current))
		p->fn(p->pi, regs);
	return 0;
}

static int rt_uretprobe_hit(struct uprobe_consumer *uc, unsigned long func,
			    struct pt_regs *regs)
{
	struct rt_uprobe *p = container_of(uc, struct rt_uprobe, uc);

	if (rt_uprobe_exe_ok(p) && rt_in_target_tree(current))
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

#define RT_REG(n, m, size, byte) { n, offsetof(struct pt_regs, m) + (byte), size }

/**
 * rt_register_read - register(name) and u_register(name): the probe's register @name, as 4.8's
 * tapset/x86_64/registers.stp names them (pt_regs' 64-bit ones, their 32-, 16- and 8-bit
 * parts), sign-extended for register() (@sign) and not for u_register(); the registers are
 * the probed context's (a process probe's are the user's)
 * @c:     the context
 * @name:  the register's name
 * @sign:  sign-extend a part
 * @where: the call, for the error message
 */
static __maybe_unused int64_t rt_register_read(struct rt_context *c, const char *name,
					       int sign, const char *where)
{
	static const struct { const char *name; unsigned short off, size; } regs[] = {
		RT_REG("r15", r15, 8, 0), RT_REG("r14", r14, 8, 0), RT_REG("r13", r13, 8, 0),
		RT_REG("r12", r12, 8, 0), RT_REG("rbp", bp, 8, 0), RT_REG("rbx", bx, 8, 0),
		RT_REG("r11", r11, 8, 0), RT_REG("r10", r10, 8, 0), RT_REG("r9", r9, 8, 0),
		RT_REG("r8", r8, 8, 0), RT_REG("rax", ax, 8, 0), RT_REG("rcx", cx, 8, 0),
		RT_REG("rdx", dx, 8, 0), RT_REG("rsi", si, 8, 0), RT_REG("rdi", di, 8, 0),
		RT_REG("orig_rax", orig_ax, 8, 0), RT_REG("rip", ip, 8, 0),
		RT_REG("xcs", cs, 8, 0), RT_REG("eflags", flags, 8, 0), RT_REG("rsp", sp, 8, 0),
		RT_REG("xss", ss, 8, 0), RT_REG("ebp", bp, 4, 0), RT_REG("ebx", bx, 4, 0),
		RT_REG("eax", ax, 4, 0), RT_REG("ecx", cx, 4, 0), RT_REG("edx", dx, 4, 0),
		RT_REG("esi", si, 4, 0), RT_REG("edi", di, 4, 0), RT_REG("orig_eax", orig_ax, 4, 0),
		RT_REG("eip", ip, 4, 0), RT_REG("esp", sp, 4, 0), RT_REG("bp", bp, 2, 0),
		RT_REG("bx", bx, 2, 0), RT_REG("ax", ax, 2, 0), RT_REG("cx", cx, 2, 0),
		RT_REG("dx", dx, 2, 0), RT_REG("si", si, 2, 0), RT_REG("di", di, 2, 0),
		RT_REG("orig_ax", orig_ax, 2, 0), RT_REG("ip", ip, 2, 0), RT_REG("cs", cs, 2, 0),
		RT_REG("flags", flags, 2, 0), RT_REG("sp", sp, 2, 0), RT_REG("ss", ss, 2, 0),
		RT_REG("al", ax, 1, 0), RT_REG("ah", ax, 1, 1), RT_REG("bl", bx, 1, 0),
		RT_REG("bh", bx, 1, 1), RT_REG("cl", cx, 1, 0), RT_REG("ch", cx, 1, 1),
		RT_REG("dl", dx, 1, 0), RT_REG("dh", dx, 1, 1),
	};
	const char *r = (const char *)c->regs;
	size_t i;

	if (!r) {
		rt_failf(c, "No registers available in this context %s", where);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		if (strcmp(regs[i].name, name))
			continue;
		switch (regs[i].size) {
		case 1: return sign ? *(s8 *)(r + regs[i].off) : *(u8 *)(r + regs[i].off);
		case 2: return sign ? *(s16 *)(r + regs[i].off) : *(u16 *)(r + regs[i].off);
		case 4: return sign ? *(s32 *)(r + regs[i].off) : *(u32 *)(r + regs[i].off);
		}
		return *(s64 *)(r + regs[i].off);
	}
	rt_failf(c, "Unknown register: %s %s", name, where);
	return 0;
}

static __maybe_unused int64_t rt_register(struct rt_context *c, const char *name,
					  const char *where)
{
	return rt_register_read(c, name, 1, where);
}

static __maybe_unused int64_t rt_u_register(struct rt_context *c, const char *name,
					    const char *where)
{
	return rt_register_read(c, name, 0, where);
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
	if (p->exe) {
		ret = kern_path(p->exe, LOOKUP_FOLLOW, &p->exe_path);
		if (ret)
			goto put_path;
	}
	if (p->ret)
		p->uc.ret_handler = rt_uretprobe_hit;
	else
		p->uc.handler = rt_uprobe_hit;
	ret = rt_uprobe_register(d_real_inode(p->path.dentry), p->offset, p->ref_ctr, &p->uc,
				 &p->handle);
	if (ret)
		goto put_exe;
	p->registered = 1;
	return 0;

put_exe:
	if (p->exe)
		path_put(&p->exe_path);
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
		if (ps[i].exe)
			path_put(&ps[i].exe_path);
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
