// SPDX-License-Identifier: GPL-2.0
/*
 * kdwarf.c - the target kernel's DWARF, when it is installed, as an optional second
 * source beside the BTF: kernel.function("FUNC@FILE") matches the functions defined in
 * the source files FILE matches, as SystemTap 4.8 does (dwflpp.cxx: a function's
 * DW_AT_decl_file, the pattern matched with fnmatch() and no FNM_PATHNAME, so '*' also
 * crosses '/').
 *
 * The DWARF is Debian's linux-image-REL-dbg: /usr/lib/debug/boot/vmlinux-REL, or
 * /usr/lib/debug/lib/modules/REL/vmlinux.  It is read with libdw (elfutils); only the
 * compilation units whose file matches are walked, so a 600 MB vmlinux costs a fraction
 * of a second.  Without it, FUNC@FILE is an error that names the package.
 */
#include <elfutils/libdw.h>
#include <dwarf.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "ast.h"
#include "btf.h"
#include "typed.h"
#include "typed-int.h"

/**
 * kdwarf_path - the target kernel's vmlinux with DWARF, or NULL (ENOENT) when the
 * linux-image-REL-dbg package of its release is not installed
 * @opt: the command line (the target's release)
 */
const char *kdwarf_path(const struct options *opt)
{
	static char path[512];
	const char *rel = opt && opt->kernel ? opt->kernel(1) : NULL;

	if (!rel || !*rel) {
		errno = ENOENT;
		return NULL;
	}
	snprintf(path, sizeof(path), "/usr/lib/debug/boot/vmlinux-%s", rel);
	if (!access(path, R_OK))
		return path;
	snprintf(path, sizeof(path), "/usr/lib/debug/lib/modules/%s/vmlinux", rel);
	if (!access(path, R_OK))
		return path;
	errno = ENOENT;
	return NULL;
}

/** relative - @name without the compilation directory @dir (and its '/'), if it has it */
static const char *relative(const char *name, const char *dir)
{
	size_t n = dir ? strlen(dir) : 0;

	if (n && !strncmp(name, dir, n) && name[n] == '/')
		return name + n + 1;
	return name;
}

/** file_matches - source file @name (in @dir) matches 4.8's file pattern @pat */
static int file_matches(const char *pat, const char *name, const char *dir)
{
	char any[300];

	if (!fnmatch(pat, relative(name, dir), 0))
		return 1;
	snprintf(any, sizeof(any), "*/%s", pat);	/* 4.8: any directory above too */
	return pat[0] != '/' && !fnmatch(any, relative(name, dir), 0);
}

/** add_name - append @name to the vector @v of @n (growing), once */
static int add_name(char ***v, int *n, const char *name)
{
	char **nv;
	int i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i], name))
			return 0;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -1;
	*v = nv;
	(*v)[(*n)++] = xstrdup(name);
	return 0;
}

/*
 * The DWARF is opened once per run and kept: a syscall.* script asks for some 60 functions
 * that have no symbol (other architectures' syscalls), and opening and walking the 600 MB
 * vmlinux for each cost 12 s of CPU and 220 MB (bench/compile, syscall-glob rows).
 */
static struct {
	char *path;
	Dwarf *dw;
	int fd;
	struct kdabs *abs;	/* the abstract inline instances, by name (abs_index()) */
	size_t nabs;
	int indexed;
} kd = { .fd = -1 };

/** struct kdabs - an abstract instance of inline function @name in the CU at @cu */
struct kdabs {
	const char *name;	/* in the DWARF's string section: valid while kd.dw is open */
	Dwarf_Off cu;
};

static void init_text(Dwarf *dw);

/** kd_open - the DWARF of @path, opened once and kept; NULL with errno */
static Dwarf *kd_open(const char *path)
{
	if (kd.dw && !strcmp(kd.path, path))
		return kd.dw;
	if (kd.dw) {
		dwarf_end(kd.dw);
		close(kd.fd);
		free(kd.path);
		free(kd.abs);
		memset(&kd, 0, sizeof(kd));
		kd.fd = -1;
	}
	kd.fd = open(path, O_RDONLY);
	if (kd.fd < 0)
		return NULL;
	kd.dw = dwarf_begin(kd.fd, DWARF_C_READ);
	if (!kd.dw) {
		close(kd.fd);
		kd.fd = -1;
		errno = ENODATA;
		return NULL;
	}
	kd.path = xstrdup(path);
	init_text(kd.dw);
	return kd.dw;
}

/* .init.text: its functions are freed after boot, and 4.8 does not list them */
static GElf_Addr init_lo, init_hi;

/** init_text - find .init.text in @dw's ELF file */
static void init_text(Dwarf *dw)
{
	Elf *elf = dwarf_getelf(dw);
	Elf_Scn *scn = NULL;
	const char *name;
	GElf_Shdr sh;
	size_t str;

	init_lo = init_hi = 0;
	if (!elf || elf_getshdrstrndx(elf, &str))
		return;
	while ((scn = elf_nextscn(elf, scn)) && gelf_getshdr(scn, &sh)) {
		name = elf_strptr(elf, str, sh.sh_name);
		if (name && !strcmp(name, ".init.text")) {
			init_lo = sh.sh_addr;
			init_hi = sh.sh_addr + sh.sh_size;
		}
	}
}

/*
 * SystemTap 4.8's blocklist for kernel.function (tapsets.cxx, build_blocklist(), as
 * `stap -vvv` prints it for x86_64): functions a kprobe must not hit, and files
 */
static const char blfn[] = "^(atomic_notifier_call_chain|default_do_nmi|__die|die_nmi|"
	"do_debug|do_general_protection|do_int3|do_IRQ|do_page_fault|do_sparc64_fault|do_trap|"
	"dummy_nmi_callback|flush_icache_range|ia64_bad_break|ia64_do_page_fault|ia64_fault|"
	"io_check_error|mem_parity_error|nmi_watchdog_tick|notifier_call_chain|oops_begin|"
	"oops_end|program_check_exception|single_step_exception|sync_regs|unhandled_fault|"
	"unknown_nmi_error|xen_[gs]et_debugreg|xen_irq_.*|xen_.*_fl_direct.*|check_events|"
	"xen_adjust_exception_frame|xen_iret.*|xen_sysret64.*|test_ti_thread_flag.*|"
	"inat_get_opcode_attribute|system_call_after_swapgs|HYPERVISOR_[gs]et_debugreg|"
	"HYPERVISOR_event_channel_op|hash_64|hash_ptr|native_set_pte|.*raw_.*_lock.*|"
	".*raw_.*_unlock.*|.*raw_.*_trylock.*|.*read_lock.*|.*read_unlock.*|.*read_trylock.*|"
	".*write_lock.*|.*write_unlock.*|.*write_trylock.*|.*write_seqlock.*|"
	".*write_sequnlock.*|.*spin_lock.*|.*spin_unlock.*|.*spin_trylock.*|.*spin_is_locked.*|"
	"rwsem_.*lock.*|.*mutex_.*lock.*|atomic_.*|atomic64_.*|get_bh|put_bh|.*apic.*|.*APIC.*|"
	".*softirq.*|.*IRQ.*|.*_intr.*|__delay|.*kernel_text.*|get_current|current_.*|"
	".*exception_tables.*|.*setup_rt_frame.*|.*preempt_count.*|preempt_schedule|"
	"__switch_to|special_mapping_.*|.*_pte_.*)$";
static const char blfile[] = "^(kernel/kprobes\\.c|arch/.*/kernel/kprobes\\.c|"
	".*/include/asm/io\\.h|.*/include/asm/io-defs\\.h|.*/include/asm/io_64\\.h|"
	".*/include/asm/bitops\\.h|drivers/ide/ide-iops\\.c|arch/.*/kernel/paravirt\\.c|"
	".*/include/asm/paravirt\\.h|fs/seq_file\\.c)$";

/** blocked - function @name of file @file is on 4.8's blocklist (which is then skipped) */
static int blocked(const char *name, const char *file)
{
	static regex_t fn, fl;
	static int ready;

	if (!ready) {
		ready = regcomp(&fn, blfn, REG_EXTENDED | REG_NOSUB) ? -1 : 1;
		if (ready > 0 && regcomp(&fl, blfile, REG_EXTENDED | REG_NOSUB)) {
			regfree(&fn);
			ready = -1;
		}
	}
	return ready > 0 && (!regexec(&fn, name, 0, NULL, 0) || !regexec(&fl, file, 0, NULL, 0));
}

/** cu_functions - the functions CU @cu defines in a file @file matches, named as @func */
static int cu_functions(Dwarf_Die *cu, const char *func, const char *file, char ***v, int *n)
{
	Dwarf_Attribute a;
	const char *dir = dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &a)), *name, *decl;
	Dwarf_Addr base, low, high;
	Dwarf_Die d;

	if (dwarf_child(cu, &d))
		return 0;
	do {
		if (dwarf_tag(&d) != DW_TAG_subprogram ||
		    dwarf_ranges(&d, 0, &base, &low, &high) <= 0)
			continue;	/* only functions with code of their own (not inlined) */
		if (low >= init_lo && low < init_hi)
			continue;
		name = dwarf_formstring(dwarf_attr_integrate(&d, DW_AT_name, &a));
		decl = dwarf_decl_file(&d);	/* a concrete copy: its abstract origin's */
		if (!name || !decl || fnmatch(func, name, 0) || !file_matches(file, decl, dir) ||
		    blocked(name, relative(decl, dir)))
			continue;
		if (add_name(v, n, name))
			return -1;
	} while (!dwarf_siblingof(&d, &d));
	return 0;
}

/**
 * kdwarf_functions - the kernel functions named as @func that are defined in a source file
 * that @file matches (kernel.function("FUNC@FILE"), 4.8's rules above)
 * @path: the vmlinux with DWARF (kdwarf_path())
 * @func: the function pattern (fnmatch)
 * @file: the file pattern ("net/socket.c", "fs/proc*.c")
 * @n:    set to how many
 *
 * Return: the names (allocated, in DWARF order), or NULL with errno (*@n is then 0 when
 * the file has no DWARF or cannot be read).
 */
char **kdwarf_functions(const char *path, const char *func, const char *file, int *n)
{
	Dwarf_Off off = 0, next;
	Dwarf_Attribute a;
	size_t hsize;
	char **v = NULL;
	const char *name, *dir;
	Dwarf_Die cu;
	Dwarf *dw;
	int err = 0;

	*n = 0;
	dw = kd_open(path);
	if (!dw)
		return NULL;
	while (!err && !dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL)) {
		if (dwarf_offdie(dw, off + hsize, &cu) && (name = dwarf_diename(&cu))) {
			dir = dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &a));
			if (file_matches(file, name, dir))
				err = cu_functions(&cu, func, file, &v, n);
		}
		off = next;
	}
	if (err) {
		errno = ENOMEM;
		return NULL;
	}
	if (!v)
		v = xcalloc(1, sizeof(*v));
	return v;
}

/** dw_type - parameter @p's type as the BTF names it, in @buf, and its pointer levels */
static void dw_type(Dwarf_Die *p, char *buf, size_t size, int *depth)
{
	static const struct { int tag; const char *pfx; } kinds[] = {
		{ DW_TAG_structure_type, "struct " }, { DW_TAG_union_type, "union " },
		{ DW_TAG_enumeration_type, "enum " },
	};
	const char *pfx = "", *name;
	Dwarf_Attribute a;
	Dwarf_Die t = *p;
	unsigned int i;
	int tag;

	*depth = 0;
	for (;;) {
		if (!dwarf_attr_integrate(&t, DW_AT_type, &a) || !dwarf_formref_die(&a, &t)) {
			snprintf(buf, size, "void");
			return;
		}
		tag = dwarf_tag(&t);
		if (tag == DW_TAG_pointer_type)
			(*depth)++;
		else if (tag != DW_TAG_const_type && tag != DW_TAG_volatile_type &&
			 tag != DW_TAG_restrict_type)
			break;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (tag == kinds[i].tag)
			pfx = kinds[i].pfx;
	name = dwarf_diename(&t);
	snprintf(buf, size, "%s%s", pfx, name ? name : "?");
}

/** dw_loc - where parameter @p is at address @pc: its DWARF location there, if simple */
static void dw_loc(Dwarf_Die *p, Dwarf_Addr pc, struct kdparm *q)
{
	Dwarf_Attribute a;
	Dwarf_Op *op;
	size_t n;
	int sv;
	unsigned int at;

	q->loc = KD_NONE;
	q->why = "it has no location there (optimized out)";
	if (!dwarf_attr_integrate(p, DW_AT_location, &a) ||
	    dwarf_getlocation_addr(&a, pc, &op, &n, 1) != 1 || !n)
		return;
	sv = n == 2 && op[1].atom == DW_OP_stack_value;
	at = op[0].atom;
	q->why = "its DWARF location there is not one relaytap reads (a constant, a register, "
		 "or memory at a register and an offset)";
	if (n != 1 && !sv)
		return;
	if (sv && at >= DW_OP_lit0 && at <= DW_OP_lit31) {
		q->loc = KD_CONST;
		q->val = at - DW_OP_lit0;
	} else if (sv && ((at >= DW_OP_const1u && at <= DW_OP_consts) || at == DW_OP_constu)) {
		q->loc = KD_CONST;
		q->val = (int64_t)op[0].number;
	} else if (!sv && at >= DW_OP_reg0 && at <= DW_OP_reg31) {
		q->loc = KD_REG;
		q->reg = at - DW_OP_reg0;
	} else if (at >= DW_OP_breg0 && at <= DW_OP_breg31) {
		q->loc = sv ? KD_ADDR : KD_MEM;
		q->reg = at - DW_OP_breg0;
		q->val = (int64_t)op[0].number;
	}
}

/** add_site - inlined copy @d of the function, in @caller (which starts at @lo) */
static int add_site(Dwarf_Die *d, const char *caller, Dwarf_Addr lo, struct kdsite **v,
		    int *n)
{
	struct kdsite *s, *nv = realloc(*v, (*n + 1) * sizeof(**v));
	Dwarf_Attribute a;
	Dwarf_Addr pc;
	Dwarf_Die c;
	const char *name;

	if (!nv)
		return -1;
	*v = nv;
	if (dwarf_entrypc(d, &pc) || pc < lo)
		return 0;
	s = &nv[*n];
	memset(s, 0, sizeof(*s));
	s->caller = xstrdup(caller);
	s->off = pc - lo;
	if (!dwarf_child(d, &c)) {
		do {
			if (dwarf_tag(&c) != DW_TAG_formal_parameter || s->nparms == KD_MAXPARMS)
				continue;
			name = dwarf_formstring(dwarf_attr_integrate(&c, DW_AT_name, &a));
			snprintf(s->parms[s->nparms].name, sizeof(s->parms[0].name), "%s",
				 name ? name : "?");
			dw_type(&c, s->parms[s->nparms].type, sizeof(s->parms[0].type),
				&s->parms[s->nparms].depth);
			dw_loc(&c, pc, &s->parms[s->nparms++]);
		} while (!dwarf_siblingof(&c, &c));
	}
	(*n)++;
	return 0;
}

/** find_sites - the inlined copies of @func under @d, in @caller (starting at @lo) */
static int find_sites(Dwarf_Die *d, const char *func, const char *caller, Dwarf_Addr lo,
		      struct kdsite **v, int *n)
{
	Dwarf_Attribute a;
	const char *name;
	Dwarf_Addr l;
	Dwarf_Die c;
	int tag;

	if (dwarf_child(d, &c))
		return 0;
	do {
		tag = dwarf_tag(&c);
		name = NULL;
		if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine)
			name = dwarf_formstring(dwarf_attr_integrate(&c, DW_AT_name, &a));
		if (tag == DW_TAG_subprogram && !dwarf_lowpc(&c, &l) && name) {
			if (find_sites(&c, func, name, l, v, n))	/* a function of its own */
				return -1;
			continue;
		}
		if (tag == DW_TAG_inlined_subroutine && caller && name && !strcmp(name, func) &&
		    add_site(&c, caller, lo, v, n))
			return -1;
		if ((tag == DW_TAG_lexical_block || tag == DW_TAG_inlined_subroutine) &&
		    find_sites(&c, func, caller, lo, v, n))
			return -1;
	} while (!dwarf_siblingof(&c, &c));
	return 0;
}

/** cmp_abs - order struct kdabs by name, then CU */
static int cmp_abs(const void *a, const void *b)
{
	const struct kdabs *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->cu > y->cu) - (x->cu < y->cu);
}

/**
 * abs_index - one walk of every CU's top-level DIEs: the abstract instances of inline
 * functions (DW_AT_inline), sorted by name, so that each kdwarf_inline_sites() walks only
 * the CUs that inline its function
 * Return: 0, or -1 with errno.
 */
static int abs_index(Dwarf *dw)
{
	Dwarf_Off off = 0, next;
	struct kdabs *nv;
	size_t hsize, cap = 0;
	const char *name;
	Dwarf_Die cu, d;

	kd.indexed = 1;
	for (; !dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL); off = next) {
		if (!dwarf_offdie(dw, off + hsize, &cu) || dwarf_child(&cu, &d))
			continue;
		do {
			if (dwarf_tag(&d) != DW_TAG_subprogram ||
			    !dwarf_hasattr(&d, DW_AT_inline) || !(name = dwarf_diename(&d)))
				continue;
			if (kd.nabs == cap) {
				cap = cap ? 2 * cap : 4096;
				nv = realloc(kd.abs, cap * sizeof(*nv));
				if (!nv)
					return -1;
				kd.abs = nv;
			}
			kd.abs[kd.nabs].name = name;
			kd.abs[kd.nabs++].cu = off;
		} while (!dwarf_siblingof(&d, &d));
	}
	qsort(kd.abs, kd.nabs, sizeof(*kd.abs), cmp_abs);
	return 0;
}

/**
 * kdwarf_inline_sites - the inlined copies of kernel function @func (4.8 probes each one
 * at its entry, DW_AT_entry_pc), with their parameters' types and DWARF locations there
 * @path:  the vmlinux with DWARF (kdwarf_path())
 * @func:  the function's name
 * @sites: set to the copies (allocated)
 *
 * Only the compilation units that hold an abstract instance of @func are walked (an index
 * of them is built on the first call, abs_index()).
 * Return: how many, or -1 with errno.
 */
int kdwarf_inline_sites(const char *path, const char *func, struct kdsite **sites)
{
	struct kdabs key = { func, 0 }, *a, *end;
	size_t hsize, lo = 0, hi, mid;
	Dwarf_Off next;
	Dwarf_Die cu;
	Dwarf *dw;
	int n = 0;

	*sites = NULL;
	dw = kd_open(path);
	if (!dw || (!kd.indexed && abs_index(dw)))
		return -1;
	for (hi = kd.nabs; lo < hi; ) {		/* the first entry not before @key */
		mid = (lo + hi) / 2;
		if (cmp_abs(&kd.abs[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	end = kd.abs + kd.nabs;
	for (a = kd.abs + lo; a < end && !strcmp(a->name, func); a++) {
		if (a > kd.abs + lo && a->cu == a[-1].cu)
			continue;
		if (dwarf_nextcu(dw, a->cu, &next, &hsize, NULL, NULL, NULL) ||
		    !dwarf_offdie(dw, a->cu + hsize, &cu))
			continue;
		if (find_sites(&cu, func, NULL, 0, sites, &n)) {
			errno = ENOMEM;
			return -1;
		}
	}
	return n;
}

/** ptr_to - the BTF's pointer type to @id (or to what @id strips to), or -1 */
static int ptr_to(const struct btf *b, int id)
{
	int n = btf__type_cnt(b), i, pass;
	const struct btf_type *t;

	for (pass = 0; pass < 2; pass++) {
		for (i = 1; i < n; i++) {
			t = btf__type_by_id(b, i);
			if (btf_is_ptr(t) && (pass ? kbtf_strip(b, t->type) == kbtf_strip(b, id) :
					      (int)t->type == id))
				return i;
		}
	}
	return -1;
}

/** parm_btf - the BTF type of DWARF parameter @q (its type name and pointer levels), or -1 */
static int parm_btf(const struct btf *b, const struct kdparm *q)
{
	int id = 0, i;

	if (!strncmp(q->type, "struct ", 7) || !strncmp(q->type, "union ", 6) ||
	    !strncmp(q->type, "enum ", 5))
		id = kbtf_named(b, q->type);
	else if (strcmp(q->type, "void"))
		id = btf__find_by_name_kind(b, q->type, BTF_KIND_TYPEDEF);
	if (id < 0 || (!id && strcmp(q->type, "void")))
		id = btf__find_by_name_kind(b, q->type, BTF_KIND_INT);
	for (i = 0; id >= 0 && i < q->depth; i++)
		id = ptr_to(b, id);
	return id;
}

/**
 * tbase_kdwarf - $name in a probe on an inlined copy (kdwarf_inline_sites()): the
 * parameter where the DWARF puts it at the copy's entry, typed by the BTF type of the
 * same name
 * Return: 0, or -1 after a diagnostic (unless quiet).
 */
int tbase_kdwarf(struct twalk *w, const struct expr *e)
{
	const struct kdsite *s = w->p->site;
	const struct kdparm *q = NULL;
	char list[400] = "";
	int i, id;

	for (i = 0; i < s->nparms; i++) {
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s$%s", i ? " " : "",
			 s->parms[i].name);
		if (!strcmp(s->parms[i].name, e->tgt->name))
			q = &s->parms[i];
	}
	if (e->tgt->base != TG_VAR) {
		twarn(w, &e->loc, "'$$%s' is not available in a probe on an inlined copy of '%s' "
		      "(name its parameters: %s)", e->tgt->name, w->p->symbol, list);
		return -1;
	}
	if (!q) {
		twarn(w, &e->loc, "unable to find target variable '$%s' in inlined function '%s' "
		      "(alternatives: %s)", e->tgt->name, w->p->symbol, *list ? list : "none");
		return -1;
	}
	id = parm_btf(w->b, q);
	if (id < 0 || q->loc == KD_NONE) {
		twarn(w, &e->loc, "'$%s' of '%s' inlined in '%s' cannot be read: %s", q->name,
		      w->p->symbol, s->caller, id < 0 ? "its type is not in the BTF" : q->why);
		return -1;
	}
	if (w->store && !e->tgt->ncomps && q->loc != KD_MEM) {
		twarn(w, &e->loc, "'$%s' of '%s' inlined in '%s' cannot be written: it is not "
		      "in memory there", q->name, w->p->symbol, s->caller);
		return -1;
	}
	w->type = id;
	w->mem = q->loc == KD_MEM;
	if (q->loc == KD_CONST) {
		tprintf(w, "(uint64_t)%lldLL", (long long)q->val);
		return 0;
	}
	tprintf(w, "(uint64_t)rt_dwreg(c, %d, ", q->reg);
	twhere(w);
	tprintf(w, ") + %lldLL", q->loc == KD_REG ? 0LL : (long long)q->val);
	return 0;
}
