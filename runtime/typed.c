// SPDX-License-Identifier: GPL-2.0
/*
 * typed.c - reads for typed kernel data (target variables, @cast, @entry): every read is
 * copy_from_kernel_nofault(), and a fault is SystemTap 4.8's run-time error
 * (runtime/loc2c-runtime.h STAP_MSG_LOC2C_01: "read fault [man error::fault] at 0x%lx",
 * then "near" the expression); guru-mode writes likewise (rt_kwrite: "write fault").
 * After an error the reads return 0 without reading, so
 * a chain of reads after a fault costs nothing and keeps the first message.
 */

/**
 * rt_kread - @size (1 to 8) bytes at kernel address @addr, zero-extended
 * @c:     the context (a fault is its error)
 * @addr:  the address
 * @size:  bytes
 * @where: the expression, for the error message
 */
static __always_inline uint64_t rt_kread(struct rt_context *c, uint64_t addr, int size,
					 const char *where)
{
	uint64_t v = 0;

	if (unlikely(c->error))
		return 0;
	if (unlikely(copy_from_kernel_nofault(&v, (const void *)(unsigned long)addr, size)))
		rt_failf(c, "read fault [man error::fault] at 0x%llx %s", addr, where);
	return v;
}

/**
 * rt_syscall_argp - where argument @n (1-6) of the system call that __x64_sys_NAME was
 * entered for is saved: its one parameter is the caller's struct pt_regs, whose registers
 * hold the arguments in the x86_64 syscall ABI's order (di, si, dx, r10, r8, r9).  The
 * caller reads (or, in guru mode, writes) it with rt_kread()/rt_kwrite().
 * @c:     the context (a kernel.function("__x64_sys_NAME") probe, at entry)
 * @n:     the argument number
 * @where: the target variable, for the error message
 *
 * Return: the address of the saved register; 0 after rt_failf() when there is none.
 */
static uint64_t rt_syscall_argp(struct rt_context *c, int64_t n, const char *where)
{
	static const unsigned int off[] = {
		offsetof(struct pt_regs, di), offsetof(struct pt_regs, si),
		offsetof(struct pt_regs, dx), offsetof(struct pt_regs, r10),
		offsetof(struct pt_regs, r8), offsetof(struct pt_regs, r9),
	};
	uint64_t regs = (uint64_t)rt_reg_arg(c, 1, where);

	if (c->error)
		return 0;
	if (n < 1 || n > 6) {
		rt_failf(c, "cannot access system call argument %lld %s", n, where);
		return 0;
	}
	return regs + off[n - 1];
}

/**
 * rt_dwreg - DWARF register @n of the probed instruction's registers: where the DWARF puts
 * a parameter of an inlined copy at its entry (the translator's kdwarf.c)
 * @c:     the context (a kernel.function probe on an inlined copy)
 * @n:     the x86_64 DWARF register number (System V psABI: 0 rax, 1 rdx, 2 rcx, 3 rbx,
 *         4 rsi, 5 rdi, 6 rbp, 7 rsp, 8-15 r8-r15)
 * @where: the target variable, for the error message
 *
 * Return: its value; 0 after rt_failf() when there is none.
 */
static uint64_t rt_dwreg(struct rt_context *c, int n, const char *where)
{
	struct pt_regs *r = c->regs;

	if (!r) {
		rt_failf(c, "cannot access registers in this context %s", where);
		return 0;
	}
	switch (n) {
	case 0: return r->ax;
	case 1: return r->dx;
	case 2: return r->cx;
	case 3: return r->bx;
	case 4: return r->si;
	case 5: return r->di;
	case 6: return r->bp;
	case 7: return r->sp;
	case 8: return r->r8;
	case 9: return r->r9;
	case 10: return r->r10;
	case 11: return r->r11;
	case 12: return r->r12;
	case 13: return r->r13;
	case 14: return r->r14;
	case 15: return r->r15;
	}
	rt_failf(c, "cannot read DWARF register %d %s", n, where);
	return 0;
}

/**
 * rt_kbits - a bitfield of @bits bits, @shift bits into the bytes at @addr, read from the
 * bytes it spans only (not past the end of its struct; a 64-bit one that is not byte
 * aligned spans 9)
 * @sign: sign-extend it
 */
static int64_t rt_kbits(struct rt_context *c, uint64_t addr, unsigned int shift,
			unsigned int bits, int sign, const char *where)
{
	unsigned int n = (shift + bits + 7) / 8;
	uint64_t v = rt_kread(c, addr, n > 8 ? 8 : n, where);

	v >>= shift;
	if (n > 8)
		v |= rt_kread(c, addr + 8, 1, where) << (64 - shift);
	if (bits < 64)
		v &= (1ULL << bits) - 1;
	if (sign && bits < 64 && (v >> (bits - 1)) & 1)
		v |= ~0ULL << bits;
	return v;
}

/**
 * rt_kread_str - a char array of @n bytes at @addr as a string (kernel_string's rules:
 * up to the first NUL, at most MAXSTRINGLEN - 1 bytes) into @tmp; @n is 0 for a flexible
 * array member (struct filename's "const char iname[]"), read up to its NUL as
 * kernel_string() reads
 */
static const char *rt_kread_str(struct rt_context *c, char *tmp, uint64_t addr, unsigned int n,
				const char *where)
{
	if (n > RT_MAXSTRINGLEN - 1)
		n = RT_MAXSTRINGLEN - 1;
	tmp[0] = '\0';
	if (unlikely(c->error))
		return tmp;
	if (!n ? rt_copy_string(tmp, addr, false) :
	    copy_from_kernel_nofault(tmp, (const void *)(unsigned long)addr, n)) {
		rt_failf(c, "read fault [man error::fault] at 0x%llx %s", addr, where);
		tmp[0] = '\0';
		return tmp;
	}
	if (n)
		tmp[n] = '\0';
	return tmp;
}

/**
 * rt_stack_arg - argument 6 + @k of the probed function, on the stack at its entry
 * (x86_64: the return address at sp, then the arguments past the sixth)
 */
static int64_t rt_stack_arg(struct rt_context *c, int k, const char *where)
{
	if (!c->regs || user_mode(c->regs)) {
		rt_failf(c, "cannot access function arguments in this context %s", where);
		return 0;
	}
	return rt_kread(c, kernel_stack_pointer(c->regs) + 8 * k, 8, where);
}

/**
 * rt_kwrite - store the low @size (1, 2, 4 or 8) bytes of @v at kernel address @addr
 * (a guru-mode target write: $p->member = v); a fault is SystemTap 4.8's run-time error
 * (runtime/loc2c-runtime.h: "write fault [man error::fault] at 0x%lx", then "near" the
 * expression).  copy_to_kernel_nofault() is not exported to modules (Module.symvers of
 * 6.1 and 6.12), so this is its body for one scalar: the kernel's own
 * __put_kernel_nofault() with page faults disabled, after a copy_from_kernel_nofault()
 * of the same bytes, which applies the kernel's address checks first (no user or
 * non-canonical address: there __put_kernel_nofault() would fault or #GP and warn).
 * @c:     the context (a fault is its error)
 * @addr:  the address
 * @v:     the value
 * @size:  bytes
 * @where: the expression, for the error message
 */
static void rt_kwrite(struct rt_context *c, uint64_t addr, uint64_t v, int size,
		      const char *where)
{
	void *dst = (void *)(unsigned long)addr;
	u8 v8 = v;
	u16 v16 = v;
	u32 v32 = v;
	u64 old;

	if (unlikely(c->error))
		return;
	if (copy_from_kernel_nofault(&old, dst, size))
		goto err_fault;
	pagefault_disable();
	switch (size) {
	case 1: __put_kernel_nofault(dst, &v8, u8, err_pagefault_enable); break;
	case 2: __put_kernel_nofault(dst, &v16, u16, err_pagefault_enable); break;
	case 4: __put_kernel_nofault(dst, &v32, u32, err_pagefault_enable); break;
	default: __put_kernel_nofault(dst, &v, u64, err_pagefault_enable); break;
	}
	pagefault_enable();
	return;
err_pagefault_enable:
	pagefault_enable();
err_fault:
	rt_failf(c, "write fault [man error::fault] at 0x%llx %s", addr, where);
}

/**
 * rt_kbits_set - store @v in the bitfield of @bits bits, @shift bits into the bytes at
 * @addr (read, merge, write back: not atomic against the kernel's own writes)
 */
static void rt_kbits_set(struct rt_context *c, uint64_t addr, unsigned int shift,
			 unsigned int bits, uint64_t v, const char *where)
{
	unsigned int n = (shift + bits + 7) / 8;
	int size = n > 4 ? 8 : n > 2 ? 4 : n;
	uint64_t mask = (bits < 64 ? (1ULL << bits) - 1 : ~0ULL) << shift;
	uint64_t old = rt_kread(c, addr, size, where);

	rt_kwrite(c, addr, (old & ~mask) | ((v << shift) & mask), size, where);
}

/**
 * rt_arg_set - set argument @n (1-6: its register; 7 on: its stack slot) of the probed
 * function to @v, at its entry (kernel.function, guru mode): the kprobe's pt_regs are
 * what the function runs with when the handler returns
 */
static void rt_arg_set(struct rt_context *c, int n, int64_t v, const char *where)
{
	struct pt_regs *r = c->regs;

	if (unlikely(c->error))
		return;
	if (!r || !c->pi->func || user_mode(r)) {
		rt_failf(c, "cannot access function arguments in this context %s", where);
		return;
	}
	switch (n) {
	case 1: r->di = v; return;
	case 2: r->si = v; return;
	case 3: r->dx = v; return;
	case 4: r->cx = v; return;
	case 5: r->r8 = v; return;
	case 6: r->r9 = v; return;
	}
	rt_kwrite(c, kernel_stack_pointer(r) + 8 * (n - 6), v, 8, where);
}

/** rt_return_set - set the probed function's return value (a .return probe, guru mode) */
static void rt_return_set(struct rt_context *c, int64_t v, const char *where)
{
	if (unlikely(c->error))
		return;
	if (!c->regs || !c->pi->func) {
		rt_failf(c, "cannot access the return value in this context %s", where);
		return;
	}
	regs_set_return_value(c->regs, v);
}

/* the kretprobe instance data of the return handler running on this CPU (kprobe.c) */
static DEFINE_PER_CPU(int64_t *, rt_entry_data);

/** rt_entry_slot - value @i the entry handler saved (@entry, parameters in .return) */
static __always_inline int64_t rt_entry_slot(struct rt_context *c, int i)
{
	int64_t *d = __this_cpu_read(rt_entry_data);

	return d ? d[i] : 0;
}

/** rt_tcat - append printf(@fmt, ...) to the string @s (MAXSTRINGLEN, cut there) */
static __printf(2, 3) void rt_tcat(char *s, const char *fmt, ...)
{
	size_t n = strnlen(s, RT_MAXSTRINGLEN - 1);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s + n, RT_MAXSTRINGLEN - n, fmt, ap);
	va_end(ap);
}

/**
 * rt_tcat_quoted - append the string in @c->sscratch to @s as 4.8's kernel_string_quoted()
 * writes it (_stp_text_str: in double quotes, non-printable bytes escaped, cut with "...),
 * in the room @s has left; with fewer than 5 bytes left nothing is appended (@s is cut
 * at MAXSTRINGLEN there anyway)
 */
static void rt_tcat_quoted(struct rt_context *c, char *s)
{
	size_t n = strnlen(s, RT_MAXSTRINGLEN - 1);

	if (RT_MAXSTRINGLEN - 1 - n >= 5)
		rt_text_strn(s + n, c->sscratch, RT_MAXSTRINGLEN - 1 - n, 1);
}

/**
 * rt_tcat_karr - append the char array of @n bytes at @addr (0: a flexible array, up to
 * its NUL), quoted and escaped as a string ("<unknown>" on a fault)
 */
static void rt_tcat_karr(struct rt_context *c, char *s, uint64_t addr, unsigned int n)
{
	char *buf = c->sscratch;

	if (n > RT_MAXSTRINGLEN - 1)
		n = RT_MAXSTRINGLEN - 1;
	if (!n ? rt_copy_string(buf, addr, false) :
	    copy_from_kernel_nofault(buf, (const void *)(unsigned long)addr, n)) {
		rt_tcat(s, "\"<unknown>\"");
		return;
	}
	if (n)
		buf[n] = '\0';
	rt_tcat_quoted(c, s);
}

/** rt_tcat_kstr - append the kernel string at @addr, quoted and escaped (its address on a fault) */
static void rt_tcat_kstr(struct rt_context *c, char *s, uint64_t addr)
{
	char *buf = c->sscratch;

	if (rt_copy_string(buf, addr, false)) {
		rt_tcat(s, "0x%llx", addr);
		return;
	}
	rt_tcat_quoted(c, s);
}
