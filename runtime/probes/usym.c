// SPDX-License-Identifier: GPL-2.0
/*
 * usym.c - user-space addresses, symbols and stacks: uaddr(), umodname(), usymname(),
 * usymdata(), usymfileline(), usymfile(), usymline(), ubacktrace(), sprint_ubacktrace(),
 * print_ubacktrace().
 *
 * The translator emits the function and data symbols of each file the script probes
 * (and of each -d FILE) as file offsets, sorted, and for the source line functions the
 * DWARF line tables of those that have one (made when translating, as 4.8 makes its line
 * data then).  An address of the current process maps to a file and a file offset
 * through its mapping (vma), found with a trylock of the process's mmap lock (a handler
 * cannot sleep; when the lock is busy the address stays a number).  Stacks are walked by
 * frame pointers only: frames of code built without them (-fomit-frame-pointer, the
 * default of -O2) are missed or end the walk; there is no DWARF or .eh_frame unwinding
 * (stap(1) says so).
 */
#include <linux/mmap_lock.h>
#include <linux/sched/task_stack.h>

#ifndef RT_MAXBACKTRACE
#define RT_MAXBACKTRACE	20	/* frames in a user stack, as SystemTap's MAXBACKTRACE */
#endif

/**
 * struct rt_usym - one symbol of a file
 * @off:  its file offset
 * @size: its size in bytes (0: up to the next symbol)
 * @name: its name
 */
struct rt_usym {
	unsigned long off;
	unsigned long size;
	const char *name;
};

/**
 * struct rt_uline - one row of a file's DWARF line table (translator-stubs/uline.c)
 * @off:  the file offset where the row's code starts
 * @line: its source line, or 0 where a sequence ends (no line up to the next row)
 * @src:  its source file, an index into the file's @srcs
 */
struct rt_uline {
	unsigned long off;
	unsigned int line;
	unsigned int src;
};

/**
 * struct rt_ufile - a file whose symbols the module has
 * @file: its path
 * @syms: its symbols, by offset
 * @n:    how many
 * @lines: its line table by offset, when the script asks for lines and it has DWARF
 * @nlines: how many rows
 * @srcs: the source files' full names the rows name
 * @path: the file, held while the probes run (its inode identifies mappings)
 * @held: @path is held
 */
struct rt_ufile {
	const char *file;
	const struct rt_usym *syms;
	int n;
	const struct rt_uline *lines;
	int nlines;
	const char *const *srcs;
	struct path path;
	int held;
};

static struct rt_ufile *rt_ufiles;
static int rt_nufiles;

/**
 * rt_ufiles_hold - look the symbol files up, for the handlers (files that are missing
 * on the target are left out: their addresses stay numbers)
 * @fs: the files
 * @n:  how many
 *
 * Context: process.
 */
static void rt_ufiles_hold(struct rt_ufile *fs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fs[i].held = !kern_path(fs[i].file, LOOKUP_FOLLOW, &fs[i].path);
	rt_ufiles = fs;
	rt_nufiles = n;
}

/** rt_ufiles_release - undo rt_ufiles_hold(), once no handler runs */
static void rt_ufiles_release(struct rt_ufile *fs, int n)
{
	int i;

	rt_nufiles = 0;
	for (i = 0; i < n; i++) {
		if (fs[i].held)
			path_put(&fs[i].path);
		fs[i].held = 0;
	}
}

/**
 * struct rt_uloc - where a user address is
 * @f:    the file with symbols it is in, or NULL
 * @off:  its file offset
 * @name: the mapped file's name (umodname()), or ""
 */
struct rt_uloc {
	struct rt_ufile *f;
	unsigned long off;
	char name[128];
};

/**
 * rt_ulocate - the file and offset of @addr in the current process; 0 or -ENOENT
 *
 * Context: a probe handler, interrupts off.  On PREEMPT_RT the mmap lock is an rwsem whose
 * unlock may turn interrupts back on (rwbase_rt, when a writer waits), and d_path() may
 * take sleeping locks, so there the address is never located (it prints as a number).
 */
static int rt_ulocate(unsigned long addr, struct rt_uloc *l)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma;
	struct inode *inode;
	const char *s;
	int i, ret = -ENOENT;

	l->f = NULL;
	l->name[0] = '\0';
	if (IS_ENABLED(CONFIG_PREEMPT_RT) || !mm || (current->flags & PF_KTHREAD) ||
	    !mmap_read_trylock(mm))
		return ret;
	vma = find_vma(mm, addr);
	if (vma && addr >= vma->vm_start && vma->vm_file) {
		inode = file_inode(vma->vm_file);
		l->off = addr - vma->vm_start + (vma->vm_pgoff << PAGE_SHIFT);
		for (i = 0; i < rt_nufiles; i++)
			if (rt_ufiles[i].held && d_real_inode(rt_ufiles[i].path.dentry) == inode)
				l->f = &rt_ufiles[i];
		s = d_path(&vma->vm_file->f_path, l->name, sizeof(l->name));
		if (IS_ERR(s))
			l->name[0] = '\0';
		else
			memmove(l->name, s, strlen(s) + 1);
		ret = 0;
	}
	mmap_read_unlock(mm);
	return ret;
}

/** rt_usym_find - the symbol of @f holding file offset @off, or NULL */
static const struct rt_usym *rt_usym_find(const struct rt_ufile *f, unsigned long off)
{
	int lo = 0, hi = f->n - 1, mid;
	const struct rt_usym *s = NULL;

	while (lo <= hi) {		/* the last symbol at or below @off */
		mid = lo + (hi - lo) / 2;
		if (f->syms[mid].off <= off) {
			s = &f->syms[mid];
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	if (s && s->size && off >= s->off + s->size)
		return NULL;
	return s;
}

/**
 * rt_usym_text - @addr as usymdata() writes it: "name+0xoff/0xsize [module]", or
 * "name" for usymname(); an unknown address is "0x..." (SystemTap 4.8's
 * _stp_snprint_addr, tapset/linux/ucontext-symbols.stp)
 */
static const char *rt_usym_text(char *tmp, unsigned long addr, bool data)
{
	const struct rt_usym *s = NULL;
	struct rt_uloc l;

	if (!rt_ulocate(addr, &l) && l.f)
		s = rt_usym_find(l.f, l.off);
	if (!s)
		snprintf(tmp, RT_MAXSTRINGLEN, "0x%lx", addr);
	else if (!data)
		snprintf(tmp, RT_MAXSTRINGLEN, "%s", s->name);
	else
		snprintf(tmp, RT_MAXSTRINGLEN, "%s+0x%lx/0x%lx [%s]", s->name, l.off - s->off,
			 s->size, kbasename(l.name));
	return tmp;
}

static const char *rt_usymname(struct rt_context *c, char *tmp, int64_t addr)
{
	return rt_usym_text(tmp, addr, false);
}

static const char *rt_usymdata(struct rt_context *c, char *tmp, int64_t addr)
{
	return rt_usym_text(tmp, addr, true);
}

/**
 * rt_uline_text - @addr as usymfileline() (@what 3), usymfile() (1) or usymline() (2)
 * write it: "FILE:LINE", "FILE" or "LINE" from the row of the line table holding it; an
 * address without a line is "0x..." (4.8's _stp_snprint_addr with _STP_SYM_FILENAME and
 * _STP_SYM_LINENUMBER, tapset/linux/ucontext-symbols.stp)
 */
static const char *rt_uline_text(char *tmp, unsigned long addr, int what)
{
	const struct rt_uline *r = NULL;
	int lo = 0, hi = -1, mid;
	struct rt_uloc l;

	if (!rt_ulocate(addr, &l) && l.f)
		hi = l.f->nlines - 1;
	while (lo <= hi) {		/* the last row at or below the offset */
		mid = lo + (hi - lo) / 2;
		if (l.f->lines[mid].off <= l.off) {
			r = &l.f->lines[mid];
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	if (!r || !r->line)
		snprintf(tmp, RT_MAXSTRINGLEN, "0x%lx", addr);
	else if (what == 3)
		snprintf(tmp, RT_MAXSTRINGLEN, "%s:%u", l.f->srcs[r->src], r->line);
	else if (what == 1)
		snprintf(tmp, RT_MAXSTRINGLEN, "%s", l.f->srcs[r->src]);
	else
		snprintf(tmp, RT_MAXSTRINGLEN, "%u", r->line);
	return tmp;
}

static const char *rt_usymfileline(struct rt_context *c, char *tmp, int64_t addr)
{
	return rt_uline_text(tmp, addr, 3);
}

static const char *rt_usymfile(struct rt_context *c, char *tmp, int64_t addr)
{
	return rt_uline_text(tmp, addr, 1);
}

static const char *rt_usymline(struct rt_context *c, char *tmp, int64_t addr)
{
	return rt_uline_text(tmp, addr, 2);
}

/**
 * rt_symfileline - symfileline(), symfile() and symline() of a kernel address: the module
 * carries no kernel line table (Debian's kernels come without vmlinux DWARF), so each is
 * the address in hex, 4.8's answer for an address without line data (_stp_snprint_addr)
 */
static const char *rt_symfileline(struct rt_context *c, char *tmp, int64_t addr)
{
	snprintf(tmp, RT_MAXSTRINGLEN, "0x%llx", (unsigned long long)addr);
	return tmp;
}

#define rt_symfile	rt_symfileline
#define rt_symline	rt_symfileline

/** rt_umodname - umodname(addr): the file mapped at @addr, or "<unknown>" */
static const char *rt_umodname(struct rt_context *c, char *tmp, int64_t addr)
{
	struct rt_uloc l;

	if (rt_ulocate(addr, &l) || !l.name[0])
		strscpy(tmp, "<unknown>", RT_MAXSTRINGLEN);
	else
		strscpy(tmp, l.name, RT_MAXSTRINGLEN);
	return tmp;
}

/** rt_uregs - the user registers of the current task: the probe's, or its saved ones */
static struct pt_regs *rt_uregs(struct rt_context *c)
{
	if (c->regs && user_mode(c->regs))
		return c->regs;
	if (!current->mm || (current->flags & PF_KTHREAD))
		return NULL;
	return task_pt_regs(current);
}

static int64_t rt_uaddr(struct rt_context *c)
{
	struct pt_regs *r = rt_uregs(c);

	return r ? instruction_pointer(r) : 0;
}

/**
 * rt_ustack - the user stack by frame pointers: the pc, then return addresses
 * @c:  the context
 * @pc: filled with up to RT_MAXBACKTRACE addresses
 *
 * At a function's entry (a process .function probe) its frame is not built yet: the
 * return address is at the stack pointer, and the frame pointer is still the caller's.
 * Return: how many.
 */
static int rt_ustack(struct rt_context *c, unsigned long *pc)
{
	struct pt_regs *r = rt_uregs(c);
	unsigned long fp, frame[2];
	int n = 0, entry;

	if (!r)
		return 0;
	pc[n++] = instruction_pointer(r);
	entry = r == c->regs && c->pi->func && !c->pi->sdt &&
		!strstr(c->pi->pp, ".return");
	if (entry && !copy_from_user_nofault(&frame[1], (void __user *)r->sp, sizeof(long)))
		pc[n++] = frame[1];
	for (fp = r->bp; n < RT_MAXBACKTRACE && fp; fp = frame[0]) {
		if (copy_from_user_nofault(frame, (void __user *)fp, sizeof(frame)) || !frame[1])
			break;
		pc[n++] = frame[1];
		if (frame[0] <= fp)	/* callers' frames are above: a loop or the end */
			break;
	}
	return n;
}

/** rt_ubacktrace - ubacktrace(): the stack's addresses, "0x... 0x..." */
static const char *rt_ubacktrace(struct rt_context *c, char *tmp)
{
	unsigned long pc[RT_MAXBACKTRACE];
	int i, n = rt_ustack(c, pc);
	size_t len = 0;

	tmp[0] = '\0';
	for (i = 0; i < n; i++)
		len += scnprintf(tmp + len, RT_MAXSTRINGLEN - len, "%s0x%lx", i ? " " : "", pc[i]);
	return tmp;
}

/** rt_sprint_ubacktrace - sprint_ubacktrace(): one "usymdata" line per frame */
static const char *rt_sprint_ubacktrace(struct rt_context *c, char *tmp)
{
	unsigned long pc[RT_MAXBACKTRACE];
	int i, n = rt_ustack(c, pc);
	char one[RT_MAXSTRINGLEN];
	size_t len = 0;

	tmp[0] = '\0';
	for (i = 0; i < n; i++)
		len += scnprintf(tmp + len, RT_MAXSTRINGLEN - len, "%s%s", i ? "\n" : "",
				 rt_usym_text(one, pc[i], true));
	return tmp;
}

/** rt_print_ubacktrace - print_ubacktrace(): " 0xADDR : usymdata" per frame */
static int64_t rt_print_ubacktrace(struct rt_context *c)
{
	unsigned long pc[RT_MAXBACKTRACE];
	int i, n = rt_ustack(c, pc);
	char one[RT_MAXSTRINGLEN], line[RT_MAXSTRINGLEN + 32];

	for (i = 0; i < n; i++)
		rt_print_str(c, line, scnprintf(line, sizeof(line), " 0x%lx : %s\n", pc[i],
						rt_usym_text(one, pc[i], true)));
	return 0;
}
