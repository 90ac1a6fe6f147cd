// SPDX-License-Identifier: GPL-2.0
/*
 * sdt.c - the arguments of process("PATH").mark("NAME") probes: $argN and $$parms.
 *
 * An SDT mark (<sys/sdt.h>, the .note.stapsdt ELF note) describes each argument as an
 * assembler operand with a size: "-4@%edi" (a register), "8@-24(%rbp)" (memory at a
 * register plus a displacement), "8@(%rax,%rdx,8)" (with an index and scale), "4@$5" (a
 * constant).  A negative size is a signed value.  The translator parsed the operands into
 * struct rt_sdt_arg; here they are evaluated against the registers at the mark, reading
 * the process's memory without faulting.  Operands naming a symbol are not supported:
 * using one is a run-time error.
 */

enum { RT_SDT_REG, RT_SDT_MEM, RT_SDT_CONST, RT_SDT_UNSUP };

/**
 * struct rt_sdt_arg - one argument of an SDT mark
 * @kind:  RT_SDT_*
 * @size:  its size in bytes, negative when signed (1, 2, 4 or 8)
 * @base:  RT_SDT_REG, RT_SDT_MEM: offsetof(struct pt_regs, reg), or -1 for none
 * @index: RT_SDT_MEM: the index register's offset, or -1
 * @scale: RT_SDT_MEM: the index's factor
 * @disp:  RT_SDT_MEM: the displacement; RT_SDT_CONST: the value
 * @text:  the operand as the note has it (for errors)
 */
struct rt_sdt_arg {
	int kind;
	int size;
	int base;
	int index;
	int scale;
	long disp;
	const char *text;
};

static unsigned long rt_sdt_reg(struct pt_regs *regs, int off)
{
	return off < 0 ? 0 : *(unsigned long *)((char *)regs + off);
}

/** rt_sdt_extend - @v cut to @size bytes, sign-extended when @size is negative */
static int64_t rt_sdt_extend(u64 v, int size)
{
	switch (size) {
	case -1: return (s8)v;
	case 1: return (u8)v;
	case -2: return (s16)v;
	case 2: return (u16)v;
	case -4: return (s32)v;
	case 4: return (u32)v;
	}
	return v;
}

/**
 * rt_sdt_value - the value of argument @n (1-based) of the mark being hit
 * @c:     the context (its probe's pinfo holds the arguments)
 * @n:     the argument
 * @where: the place of $argN, for errors
 *
 * Return: the value; 0 after a run-time error (no such argument, not a mark probe, an
 * unsupported operand, memory that cannot be read).
 */
static int64_t rt_sdt_value(struct rt_context *c, int64_t n, const char *where)
{
	const struct rt_sdt_arg *a;
	u64 v = 0;

	if (!c->regs || !c->pi->sdt) {
		rt_failf(c, "$arg%lld is only known in a process(\"PATH\").mark(\"NAME\") probe %s",
			 n, where);
		return 0;
	}
	if (n < 1 || n > c->pi->nsdt) {
		rt_failf(c, "the mark has %d argument%s, not %lld %s", c->pi->nsdt,
			 c->pi->nsdt == 1 ? "" : "s", n, where);
		return 0;
	}
	a = &c->pi->sdt[n - 1];
	switch (a->kind) {
	case RT_SDT_REG:
		return rt_sdt_extend(rt_sdt_reg(c->regs, a->base), a->size);
	case RT_SDT_CONST:
		return a->disp;
	case RT_SDT_MEM:
		if (copy_from_user_nofault(&v, (const void __user *)(rt_sdt_reg(c->regs, a->base) +
					   a->disp + rt_sdt_reg(c->regs, a->index) * a->scale),
					   abs(a->size))) {
			rt_failf(c, "cannot read $arg%lld ('%s') from the process %s", n, a->text,
				 where);
			return 0;
		}
		return rt_sdt_extend(v, a->size);
	}
	rt_failf(c, "$arg%lld of the mark ('%s') is an operand relaytap does not read %s", n,
		 a->text, where);
	return 0;
}

/**
 * rt_sdt_parms - $$parms: "$arg1=0x... $arg2=0x..." (SystemTap 4.8's format for marks,
 * recorded in relaytap.guest/uprobe48/functions.out)
 * @c:     the context
 * @tmp:   MAXSTRINGLEN bytes for the result
 * @where: the place of $$parms, for errors
 */
static const char *rt_sdt_parms(struct rt_context *c, char *tmp, const char *where)
{
	size_t len = 0;
	int i;

	tmp[0] = '\0';
	for (i = 1; c->pi->sdt && i <= c->pi->nsdt && !c->error; i++)
		len += scnprintf(tmp + len, RT_MAXSTRINGLEN - len, "%s$arg%d=0x%llx",
				 i > 1 ? " " : "", i, (unsigned long long)rt_sdt_value(c, i, where));
	if (!c->pi->sdt)
		rt_failf(c, "$$parms is only known in a process(\"PATH\").mark(\"NAME\") probe %s",
			 where);
	return tmp;
}
