// SPDX-License-Identifier: GPL-2.0
/*
 * uplt.c - process("PATH").plt("PAT") and .plt("PAT").return: one uprobe on each entry of
 * the file's procedure linkage table whose symbol matches PAT (.plt alone is .plt("*")).
 *
 * The entries are found as SystemTap 4.8 finds them (dwflpp::iterate_over_plt in
 * dwflpp.cxx): the n-th relocation of .rela.plt (.rel.plt) belongs to the n-th entry of
 * .plt after its 16-byte header PLT0, or of .plt.sec (no header) when the file has one
 * (-fcf-protection); each x86 entry is 16 bytes.  The entry's name is the relocation's
 * symbol (none for an R_X86_64_IRELATIVE entry: $$name is "" there, as in 4.8).  4.8 names
 * the derived probe process("PATH").statement(0xADDR) with ADDR the entry's address in the
 * file's layout, and that is pp(); stap -l lists process("PATH").plt("NAME").
 */
#include <fnmatch.h>
#include <gelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"

#define PLT_ENTRY	16	/* x86_64 and i386 (dwflpp.cxx: plt_entry_size) */

/** plt_section - the section named @want, with its header in @sh, or NULL */
static Elf_Scn *plt_section(Elf *elf, const char *want, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;
	size_t ns;

	if (elf_getshdrstrndx(elf, &ns))
		return NULL;
	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, sh) && !strcmp(elf_strptr(elf, ns, sh->sh_name) ?: "", want))
			return scn;
	return NULL;
}

/**
 * plt_name - the symbol name of relocation @i of the PLT relocation section
 * @elf: the file
 * @d:   the relocations
 * @rela: they are Elf_Rela (else Elf_Rel)
 * @i:   which
 * @sym: the symbol table's data; @strndx its string table
 *
 * Return: the name, "" for a relocation without a symbol, or NULL for a bad entry.
 */
static const char *plt_name(Elf *elf, Elf_Data *d, int rela, size_t i, Elf_Data *sym,
			    size_t strndx)
{
	GElf_Rela ra;
	GElf_Rel rl;
	GElf_Sym s;
	size_t k;

	if (rela ? !gelf_getrela(d, i, &ra) : !gelf_getrel(d, i, &rl))
		return NULL;
	k = rela ? GELF_R_SYM(ra.r_info) : GELF_R_SYM(rl.r_info);
	if (!k)
		return "";
	if (!sym || !gelf_getsym(sym, k, &s))
		return NULL;
	return elf_strptr(elf, strndx, s.st_name);
}

/**
 * plt_clone - the probe of one PLT entry: @p itself for the first (@k == 0), else a copy
 * linked after @last
 */
static struct probe *plt_clone(struct probe *p, struct probe *last, int k)
{
	struct probe *c;

	if (!k)
		return p;
	c = xcalloc(1, sizeof(*c));
	*c = *p;
	c->locals = NULL;
	c->next = last->next;
	last->next = c;
	return c;
}

/**
 * uplt_point - resolve process("PATH").plt("PAT")[.return] in file @path
 * @p:    the probe (P_UPROBE; more probes follow it for more entries)
 * @elf:  the file, open
 * @path: its absolute path
 * @pat:  the entry name's pattern (fnmatch)
 * @ret:  a .return probe
 * @q:    silent (an optional point)
 *
 * Return: 0, or -1 after a diagnostic (no PLT, or no entry matches).
 */
int uplt_point(struct probe *p, Elf *elf, const char *path, const char *pat, int ret, int q)
{
	GElf_Shdr plt, rs, ss;
	struct probe *last = p, *c;
	Elf_Scn *scn, *rscn;
	Elf_Data *d, *sym;
	uint64_t head = PLT_ENTRY, v, off;
	size_t i, n;
	const char *name;
	int rela = 1, k = 0;
	char buf[PATH_MAX + 64];

	scn = plt_section(elf, ".plt.sec", &plt);
	if (scn)
		head = 0;
	else
		scn = plt_section(elf, ".plt", &plt);
	rscn = plt_section(elf, ".rela.plt", &rs);
	if (!rscn) {
		rscn = plt_section(elf, ".rel.plt", &rs);
		rela = 0;
	}
	d = rscn ? elf_getdata(rscn, NULL) : NULL;
	if (!scn || !d || !rs.sh_entsize) {
		qdiag(q, &p->loc, "no .plt entry of '%s' matches '%s' (it has no procedure "
		      "linkage table)", path, pat);
		return -1;
	}
	sym = gelf_getshdr(elf_getscn(elf, rs.sh_link), &ss) ?
	      elf_getdata(elf_getscn(elf, rs.sh_link), NULL) : NULL;
	n = rs.sh_size / rs.sh_entsize;
	for (i = 0; i < n; i++) {
		name = plt_name(elf, d, rela, i, sym, ss.sh_link);
		v = plt.sh_addr + head + i * PLT_ENTRY;
		if (!name || fnmatch(pat, name, 0) || v + PLT_ENTRY > plt.sh_addr + plt.sh_size ||
		    uprobe_vaddr_off(elf, v, &off))
			continue;
		c = plt_clone(p, last, k++);
		last = c;
		snprintf(buf, sizeof(buf), "process(\"%s\").statement(0x%llx)%s", path,
			 (unsigned long long)v, ret ? ".return" : "");
		c->point = xstrdup(buf);
		c->symbol = xstrdup(name);
		c->file = (char *)path;
		c->offset = off;
		c->ret = ret;
		c->plt = 1;
	}
	if (k)
		return 0;
	qdiag(q, &p->loc, "no .plt entry of '%s' matches '%s'", path, pat);
	return -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/**
 * uplt_list - stap -l of resolved process probes @p...: each point, a .plt one as
 * process("PATH").plt("NAME")[.return], sorted and once each, as 4.8 lists them; with
 * @vars (stap -L) each followed by its target variables (udwarf_list_vars)
 */
void uplt_list(const struct probe *p, int vars)
{
	const struct probe *q;
	char **v;
	int n = 0, i;
	size_t len;

	for (q = p; q; q = q->next)
		n++;
	v = xcalloc(n, sizeof(*v));
	for (q = p, n = 0; q; q = q->next) {
		len = strlen(q->point) + (q->file ? strlen(q->file) : 0) +
		      (q->symbol ? strlen(q->symbol) : 0) + 32 + (vars ? 4096 : 0);
		v[n] = xcalloc(1, len);
		if (!q->plt)
			snprintf(v[n], len, "%s", q->point);
		else
			snprintf(v[n], len, "process(\"%s\").plt(\"%s\")%s", q->file, q->symbol,
				 q->ret ? ".return" : "");
		if (vars && q->kind == P_UPROBE)
			udwarf_list_vars(q, v[n] + strlen(v[n]), len - strlen(v[n]));
		n++;
	}
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++)
		if (!i || strcmp(v[i], v[i - 1]))
			puts(v[i]);
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
