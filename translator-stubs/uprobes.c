// SPDX-License-Identifier: GPL-2.0
/*
 * uprobes.c - process("PATH") probe points: a function's entry (.function, .call) or
 * return (.return), or an SDT mark (.mark), with wildcards, resolved to file offsets
 * with libelf.
 *
 * The module registers a uprobe at inode + file offset (runtime/probes/uprobe.c), so an
 * address becomes a file offset here: st_value is a virtual address of the file's own
 * layout (0-based for PIE executables and shared libraries), and the PT_LOAD program
 * header that holds it maps it to the file (SystemTap 4.8 does the same in
 * tapsets.cxx, uprobe_derived_probe, through libdwfl).
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ast.h"

static int quiet;

#define udiag(loc, ...) qdiag(quiet, loc, __VA_ARGS__)

/** struct usym - a function symbol: its name, file offset and size */
struct usym {
	char *name;
	uint64_t off;
	uint64_t size;
};

/**
 * struct ufile - what the probes need from one ELF file
 * @path:   its absolute path
 * @syms:   its function symbols, sorted by name, unique
 * @n:      how many
 * @symtab: it has a .symtab (else only .dynsym: stripped)
 * @fd:     the open file
 * @elf:    its libelf handle
 */
struct ufile {
	char *path;
	struct usym *syms;
	int n;
	int symtab;
	int fd;
	Elf *elf;
};

/**
 * vaddr_to_off - the file offset of virtual address @v, through the PT_LOAD headers
 * @elf:  the file
 * @v:    an address of the file's layout
 * @exec: require an executable segment
 * @off:  set to the offset
 *
 * Return: 0, or -1 when no loaded segment holds @v.
 */
static int vaddr_to_off(Elf *elf, uint64_t v, int exec, uint64_t *off)
{
	GElf_Phdr ph;
	size_t i, n;

	if (elf_getphdrnum(elf, &n))
		return -1;
	for (i = 0; i < n; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (exec && !(ph.p_flags & PF_X))
			continue;
		if (v >= ph.p_vaddr && v < ph.p_vaddr + ph.p_filesz) {
			*off = v - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -1;
}

/** uprobe_vaddr_off - the file offset of code address @v of @elf; 0, or -1 when unmapped */
int uprobe_vaddr_off(Elf *elf, uint64_t v, uint64_t *off)
{
	return vaddr_to_off(elf, v, 1, off);
}

static int cmp_usym(const void *a, const void *b)
{
	const struct usym *x = a, *y = b;
	int d = strcmp(x->name, y->name);

	return d ? d : (x->off > y->off) - (x->off < y->off);
}

/** section_of - the first section of type @type, or NULL */
static Elf_Scn *section_of(Elf *elf, GElf_Word type, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type == type)
			return scn;
	return NULL;
}

/** read_funcs - @f's defined function symbols from .symtab, else .dynsym */
static void read_funcs(struct ufile *f)
{
	Elf_Scn *scn;
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf_Data *d;
	size_t i, cnt;
	int k = 0;

	scn = section_of(f->elf, SHT_SYMTAB, &sh);
	f->symtab = scn != NULL;
	if (!scn)
		scn = section_of(f->elf, SHT_DYNSYM, &sh);
	d = scn ? elf_getdata(scn, NULL) : NULL;
	if (!d || !sh.sh_entsize)
		return;
	cnt = sh.sh_size / sh.sh_entsize;
	f->syms = xcalloc(cnt + 1, sizeof(*f->syms));
	for (i = 0; i < cnt; i++) {
		const char *name;

		if (!gelf_getsym(d, i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
		    sym.st_shndx == SHN_UNDEF || !sym.st_value)
			continue;
		name = elf_strptr(f->elf, sh.sh_link, sym.st_name);
		if (!name || !*name || vaddr_to_off(f->elf, sym.st_value, 1, &f->syms[k].off))
			continue;
		f->syms[k].size = sym.st_size;
		f->syms[k++].name = xstrdup(name);
	}
	qsort(f->syms, k, sizeof(*f->syms), cmp_usym);
	for (i = 0, f->n = 0; i < (size_t)k; i++)	/* one per name: the lowest address */
		if (!f->n || strcmp(f->syms[f->n - 1].name, f->syms[i].name))
			f->syms[f->n++] = f->syms[i];
}

/**
 * find_in_path - @name (no '/') in the directories of $PATH, as SystemTap does
 * @name: a command name
 * @buf:  PATH_MAX bytes for the result
 *
 * Return: @buf, or NULL when no directory has an executable @name.
 */
static char *find_in_path(const char *name, char *buf)
{
	const char *path = getenv("PATH"), *p, *end;

	for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchr(p, ':');
		if (!end)
			end = p + strlen(p);
		if (snprintf(buf, PATH_MAX, "%.*s/%s", end == p ? 1 : (int)(end - p),
			     end == p ? "." : p, name) >= PATH_MAX)
			continue;
		if (!access(buf, X_OK))
			return buf;
	}
	return NULL;
}

/**
 * elf_machine_diag - @path is ELF of another machine or class than x86_64's (a 32-bit
 * i386 library under /usr/lib32, as /lib*\/libc.so.6 matches first).  SystemTap 4.8
 * (dwflpp::validate_module_elf) takes i386 files too, for 32-bit processes; relaytap
 * reads arguments, registers and SDT operands by the x86_64 ABI only, so it refuses them
 * here rather than find no function or mark later.
 */
static void elf_machine_diag(const struct loc *loc, const char *path, int machine, int cls)
{
	if (machine == EM_386)
		udiag(loc, "cannot probe '%s': it is a 32-bit i386 ELF file, not x86_64 "
		      "(32-bit processes are not probed; see stap(1))", path);
	else
		udiag(loc, "cannot probe '%s': not an x86_64 ELF file (ELF machine %d, %d-bit)",
		      path, machine, cls == ELFCLASS32 ? 32 : 64);
}

/**
 * open_file - the ELF file named by a process("PATH") point, opened once per path
 * @loc:  the probe, for errors
 * @name: PATH as written
 *
 * Return: the file, or NULL after a diagnostic.
 */
static struct ufile *files[64];	/* every file met, for the symbol tables */
static int nfiles;
static int want_symbols;		/* the script calls a user symbol function */
static int want_lines;			/* ... a source line one (uline.c's tables) */

static struct ufile *open_file(const struct loc *loc, const char *name)
{
	char buf[PATH_MAX], real[PATH_MAX];
	const char *path = name;
	struct ufile *f;
	struct stat st;
	GElf_Ehdr eh;
	int i;

	if (!strchr(name, '/') && !(path = find_in_path(name, buf))) {
		udiag(loc, "cannot find '%s' in the directories of $PATH", name);
		return NULL;
	}
	if (!realpath(path, real)) {
		udiag(loc, "cannot probe '%s': %s", name, strerror(errno));
		return NULL;
	}
	for (i = 0; i < nfiles; i++)
		if (!strcmp(files[i]->path, real))
			return files[i];
	f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(real);
	f->fd = open(real, O_RDONLY | O_CLOEXEC);
	if (f->fd < 0 || fstat(f->fd, &st) || !S_ISREG(st.st_mode)) {
		udiag(loc, "cannot probe '%s': %s", real, f->fd < 0 ? strerror(errno) :
		      "not a regular file");
		if (f->fd >= 0)
			close(f->fd);
		return NULL;
	}
	elf_version(EV_CURRENT);
	f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
	if (!f->elf || elf_kind(f->elf) != ELF_K_ELF || !gelf_getehdr(f->elf, &eh) ||
	    (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)) {
		udiag(loc, "cannot probe '%s': not an ELF executable or shared library", real);
		errno = ENOEXEC;
		return NULL;
	}
	if (eh.e_machine != EM_X86_64 || gelf_getclass(f->elf) != ELFCLASS64) {
		elf_machine_diag(loc, real, eh.e_machine, gelf_getclass(f->elf));
		errno = ENOTSUP;	/* for stap -d FILE's message */
		return NULL;
	}
	read_funcs(f);
	if (nfiles < 64)
		files[nfiles++] = f;
	return f;
}

/**
 * not_a_function - diagnose @name in @f, which is no function symbol: the symbol's
 * type when it has one, else that it is missing (and whether the file is stripped)
 */
static void not_a_function(const struct loc *loc, struct ufile *f, const char *name)
{
	static const char *const types[] = {
		[STT_NOTYPE] = "an untyped symbol", [STT_OBJECT] = "a data object",
		[STT_SECTION] = "a section", [STT_FILE] = "a file name", [STT_COMMON] = "a common "
		"symbol", [STT_TLS] = "a thread-local variable", [STT_GNU_IFUNC] = "an indirect "
		"function (its resolver runs once, at load)",
	};
	GElf_Shdr sh;
	GElf_Sym sym;
	Elf_Data *d;
	Elf_Scn *scn;
	size_t i;
	int t;

	scn = section_of(f->elf, f->symtab ? SHT_SYMTAB : SHT_DYNSYM, &sh);
	d = scn ? elf_getdata(scn, NULL) : NULL;
	for (i = 0; d && sh.sh_entsize && i < sh.sh_size / sh.sh_entsize; i++) {
		const char *s;

		if (!gelf_getsym(d, i, &sym) || sym.st_shndx == SHN_UNDEF)
			continue;
		s = elf_strptr(f->elf, sh.sh_link, sym.st_name);
		if (!s || strcmp(s, name))
			continue;
		t = GELF_ST_TYPE(sym.st_info);
		udiag(loc, "'%s' in '%s' is not a function: it is %s", name, f->path,
		      t < (int)(sizeof(types) / sizeof(*types)) && types[t] ? types[t] :
		      "a symbol of another type");
		return;
	}
	udiag(loc, "no function '%s' in '%s'%s", name, f->path, f->symtab ? "" :
	      " (the file is stripped: it has no .symtab, and .dynsym has only its exports)");
}

/** clone_uprobe - a copy of @p for function @s of file @f, with its own point */
static struct probe *clone_uprobe(const struct probe *p, const struct ufile *f,
				  const struct usym *s, const char *suffix)
{
	struct probe *c = xcalloc(1, sizeof(*c));
	char point[PATH_MAX + 600];

	*c = *p;
	c->locals = NULL;
	snprintf(point, sizeof(point), "process(\"%s\").function(\"%s\")%s", f->path, s->name,
		 suffix);
	c->point = xstrdup(point);
	c->symbol = s->name;
	c->file = f->path;
	c->offset = s->off;
	return c;
}

/**
 * function_point - process("PATH").function("PAT")[.call|.return]: one probe per
 * function matching PAT, or per function that "FUNC@FILE[:LINE]" names (uline_funcs)
 */
static int function_point(struct probe *p, struct ufile *f, const char *pat,
			  const char *suffix)
{
	struct probe *last = p, *c;
	char **names = NULL;
	int i, j, k = 0, n = 0;

	p->ret = !strcmp(suffix, ".return");
	if (strchr(pat, '@'))
		n = uline_funcs(f->path, pat, &names);
	if (n < 0) {
		udiag(&p->loc, n == -1 ? "'%s' has no debug information (DWARF): "
		      ".function(\"%s\") needs it to find the function's source file" :
		      "'%s': .function(\"%s\") is not NAME, NAME@FILE or NAME@FILE:LINE",
		      f->path, pat);
		return -1;
	}
	for (i = 0; i < f->n; i++) {
		for (j = 0; j < n && strcmp(names[j], f->syms[i].name); j++)
			;
		if (names ? j == n : fnmatch(pat, f->syms[i].name, 0))
			continue;
		c = clone_uprobe(p, f, &f->syms[i], suffix);
		if (!k++) {
			p->point = c->point;
			p->symbol = c->symbol;
			p->file = c->file;
			p->offset = c->offset;
			free(c);
			continue;
		}
		c->next = last->next;
		last->next = c;
		last = c;
	}
	for (j = 0; j < n; j++)
		free(names[j]);
	free(names);
	if (k)
		return 0;
	if (strpbrk(pat, "*?[@"))
		udiag(&p->loc, "no function of '%s' matches '%s'%s", f->path, pat, f->symtab ? "" :
		      " (the file is stripped: it has no .symtab, and .dynsym has only its exports)");
	else
		not_a_function(&p->loc, f, pat);
	return -1;
}

/**
 * struct umark - an SDT mark of a file (the .note.stapsdt note, <sys/sdt.h>)
 * @name:    its name
 * @off:     file offset of its instruction (a nop)
 * @sema:    file offset of its semaphore, or 0
 * @args:    its operands
 */
struct umark {
	const char *name;
	uint64_t off;
	uint64_t sema;
	const char *args;
};

/**
 * read_mark - decode one stapsdt note's descriptor: three addresses (the mark, the
 * .stapsdt.base section's address when linked, the semaphore), provider, name, operands
 * @f:    the file
 * @d:    the note's descriptor
 * @n:    its size
 * @base: the .stapsdt.base section's address now (prelink may have moved it), or 0
 * @m:    filled in
 *
 * The layout is <sys/sdt.h>'s _SDT_NOTE; SystemTap 4.8 reads it in tapsets.cxx
 * (sdt_query::handle_probe_entry).  Return: 0, or -1 for a malformed or unmapped note.
 */
static int read_mark(struct ufile *f, const char *d, size_t n, uint64_t base, struct umark *m)
{
	int w = gelf_getclass(f->elf) == ELFCLASS32 ? 4 : 8;
	uint64_t a[3] = { 0, 0, 0 };
	const char *prov, *end = d + n;
	int i;

	if (n < (size_t)3 * w + 3 || d[n - 1])
		return -1;
	for (i = 0; i < 3; i++) {
		uint32_t v32;

		if (w == 4) {
			memcpy(&v32, d + i * 4, 4);
			a[i] = v32;
		} else {
			memcpy(&a[i], d + i * 8, 8);
		}
	}
	prov = d + 3 * w;
	m->name = prov + strlen(prov) + 1;
	if (m->name >= end)
		return -1;
	m->args = m->name + strlen(m->name) + 1;
	if (m->args >= end)
		m->args = "";
	if (base && a[1]) {		/* the file was prelinked: move by as much */
		a[0] += base - a[1];
		if (a[2])
			a[2] += base - a[1];
	}
	m->sema = 0;
	if (vaddr_to_off(f->elf, a[0], 1, &m->off))
		return -1;
	return a[2] && vaddr_to_off(f->elf, a[2], 0, &m->sema) ? -1 : 0;
}

/**
 * mark_point - process("PATH").mark("PAT"): one probe per SDT mark matching PAT (each
 * place a mark is written in the source is one note, so one name may give several)
 */
static int mark_point(struct probe *p, struct ufile *f, const char *pat)
{
	struct probe *last = p, *c;
	GElf_Shdr sh;
	GElf_Nhdr nh;
	Elf_Scn *scn = NULL;
	uint64_t base = 0;
	size_t pos, name, desc, ns;
	struct umark m;
	int k = 0, notes = 0;
	Elf_Data *d;

	elf_getshdrstrndx(f->elf, &ns);
	while ((scn = elf_nextscn(f->elf, scn)))
		if (gelf_getshdr(scn, &sh) &&
		    !strcmp(elf_strptr(f->elf, ns, sh.sh_name) ?: "", ".stapsdt.base"))
			base = sh.sh_addr;
	while ((scn = elf_nextscn(f->elf, scn))) {
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE ||
		    !(d = elf_getdata(scn, NULL)))
			continue;
		for (pos = 0; (pos = gelf_getnote(d, pos, &nh, &name, &desc)) > 0;) {
			if (nh.n_type != 3 || nh.n_namesz != 8 ||
			    memcmp((char *)d->d_buf + name, "stapsdt", 8))
				continue;
			notes++;
			if (read_mark(f, (char *)d->d_buf + desc, nh.n_descsz, base, &m) ||
			    fnmatch(pat, m.name, 0))
				continue;
			c = k++ ? xcalloc(1, sizeof(*c)) : p;
			if (c != p) {
				*c = *p;
				c->locals = NULL;
				c->next = last->next;
				last->next = c;
				last = c;
			}
			c->point = xcalloc(1, strlen(f->path) + strlen(m.name) + 32);
			sprintf(c->point, "process(\"%s\").mark(\"%s\")", f->path, m.name);
			c->symbol = xstrdup(m.name);
			c->file = f->path;
			c->offset = m.off;
			c->ref_ctr = m.sema;
			c->sdt_args = xstrdup(m.args);
		}
	}
	if (k)
		return 0;
	udiag(&p->loc, "no mark %s'%s' in '%s'%s", strpbrk(pat, "*?[") ? "matches " : "", pat,
	      f->path, notes ? "" : " (it has no .note.stapsdt: no <sys/sdt.h> marks)");
	return -1;
}

/**
 * arg_of - the string argument of "@what(\"...\")" at @s
 * @s:    where the component starts
 * @what: its name
 * @buf:  filled in
 * @size: its size
 *
 * Return: what follows the component, or NULL when @s is not one.
 */
static const char *arg_of(const char *s, const char *what, char *buf, size_t size)
{
	size_t n = strlen(what);
	const char *end;

	if (strncmp(s, what, n) || strncmp(s + n, "(\"", 2))
		return NULL;
	s += n + 2;
	end = strstr(s, "\")");
	if (!end || end == s || (size_t)(end - s) >= size)
		return NULL;
	memcpy(buf, s, end - s);
	buf[end - s] = '\0';
	return end + 2;
}

/** is_uproc - @rest is a process lifetime suffix (.begin, .end, .thread.begin/end) */
static int is_uproc(const char *rest)
{
	return !strcmp(rest, ".begin") || !strcmp(rest, ".end") ||
	       !strcmp(rest, ".thread.begin") || !strcmp(rest, ".thread.end");
}

/**
 * pid_point - process.SUFFIX or process(PID).SUFFIX, of a lifetime suffix (uproc.c)
 * Return: 1 when @p is not one, 0 when resolved, -1 after a diagnostic.
 */
static int pid_point(struct probe *p, int q)
{
	const char *s = p->point;
	char *end;
	long pid = 0;

	if (strncmp(s, "process", 7))
		return 1;
	s += 7;
	if (*s == '(') {
		errno = 0;
		pid = strtol(s + 1, &end, 10);
		if (end != s + 1 && *end == ')' && end[1] == '.' && !is_uproc(end + 1)) {
			qdiag(q, &p->loc, "probe point '%s' needs the program's path: "
			      "process(\"PATH\")%s (a process ID names a process of the machine the "
			      "module runs on, which the translator cannot read)", p->point, end + 1);
			return -1;
		}
		if (end == s + 1 || *end != ')' || !is_uproc(end + 1))
			return 1;
		if (errno || pid <= 0 || pid > 4194304) {
			qdiag(q, &p->loc, "probe point '%s': '%.*s' is not a process ID", p->point,
			      (int)(end - s - 1), s + 1);
			return -1;
		}
		s = end + 1;
	}
	if (!pid && *s == '.' && !is_uproc(s))
		return ulib_point(p, NULL, s, q);	/* the -c command's program */
	return is_uproc(s) ? uproc_point(p, s, NULL, pid, q) : 1;
}

/**
 * statement_point - .statement(ARG) of file @f (uline.c), @arg after the '(': ARG is
 * "FUNC@FILE:LINE", or an address with or without .absolute
 */
static int statement_point(struct probe *p, struct ufile *f, const char *arg, int q)
{
	const char *end = strrchr(arg, ')');
	char buf[PATH_MAX + 300];
	int ret;

	if (!end || (end[1] && (arg[0] == '"' || strcmp(end + 1, ".absolute"))) ||
	    (size_t)(end - arg) >= sizeof(buf)) {
		udiag(&p->loc, "probe point '%s' is not supported: .statement takes "
		      "(\"FUNC@FILE:LINE\") or (ADDRESS) (see stap(1))", p->point);
		return -1;
	}
	memcpy(buf, arg, end - arg);
	buf[end - arg] = '\0';
	ret = uline_point(p, f->elf, f->path, buf, q);
	if (!ret && arg[0] != '"') {	/* pp() names the address as 4.8 does: hex */
		snprintf(buf, sizeof(buf), "process(\"%s\").statement(0x%llx)", f->path,
			 strtoull(arg, NULL, 0));
		p->point = xstrdup(buf);
	}
	return ret;
}

/**
 * plt_of - the pattern of ".plt" (then "*") or ".plt(\"PAT\")" at @rest, into @pat
 * Return: what follows ("" or ".return"), or NULL when it is neither.
 */
static const char *plt_of(const char *rest, char *pat, size_t size)
{
	const char *s = rest + 4;

	if (*s == '(')
		s = arg_of(rest + 1, "plt", pat, size);
	else
		snprintf(pat, size, "*");
	return s && (!*s || !strcmp(s, ".return")) ? s : NULL;
}

/**
 * uprobe_point - resolve a process("PATH") probe point
 * @p:     the probe; becomes P_UPROBE (and more probes after it for a wildcard)
 * @q:     silent: an optional point that does not resolve is dropped without a word
 *
 * Return: 1 when @p is not a process point, 0 when resolved, -1 after a diagnostic.
 */
int uprobe_point(struct probe *p, int q)
{
	char path[PATH_MAX], pat[256];
	const char *rest, *mark, *plt;
	struct ufile *f;
	int ret;

	rest = arg_of(p->point, "process", path, sizeof(path));
	if (!rest)
		return pid_point(p, q);
	if (strpbrk(path, "*?["))
		return ulib_glob_point(p, path, rest, q);
	quiet = q;
	ret = -1;
	if (is_uproc(rest)) {
		if ((f = open_file(&p->loc, path)))
			ret = uproc_point(p, rest, f->path, 0, q);
		quiet = 0;
		return ret;
	}
	if (!strncmp(rest, ".library(", 9)) {
		if ((f = open_file(&p->loc, path)))
			ret = ulib_point(p, f->path, rest, q);
		quiet = 0;
		return ret;
	}
	p->kind = P_UPROBE;
	if (!strncmp(rest, ".plt", 4)) {
		plt = plt_of(rest, pat, sizeof(pat));
		if (plt && (f = open_file(&p->loc, path)))
			ret = uplt_point(p, f->elf, f->path, pat, !strcmp(plt, ".return"), q);
		else if (!plt)
			udiag(&p->loc, "probe point '%s' is not supported: .plt takes "
			      "(\"NAME\") and .return (see stap(1))", p->point);
		quiet = 0;
		return ret;
	}
	if (!strncmp(rest, ".statement(", 11)) {
		if ((f = open_file(&p->loc, path)))
			ret = statement_point(p, f, rest + 11, q);
		quiet = 0;
		return ret;
	}
	mark = *rest == '.' ? arg_of(rest + 1, "mark", pat, sizeof(pat)) : NULL;
	rest = *rest == '.' ? arg_of(rest + 1, "function", pat, sizeof(pat)) : NULL;
	if (mark && !*mark) {
		if ((f = open_file(&p->loc, path)))
			ret = mark_point(p, f, pat);
	} else if (!rest || (*rest && strcmp(rest, ".call") && strcmp(rest, ".return"))) {
		udiag(&p->loc, "probe point '%s' is not supported: process(\"PATH\") takes "
		      ".function(\"NAME\") with .call or .return, .mark(\"NAME\"), .plt, "
		      ".statement, .library(\"PATTERN\")..., .begin, .end, .thread.begin or "
		      ".thread.end (see stap(1))", p->point);
	} else if ((f = open_file(&p->loc, path))) {
		ret = function_point(p, f, pat, rest);
	}
	quiet = 0;
	return ret;
}

/**
 * uprobe_note_call - the script calls builtin @name: a user symbol or stack function
 * makes the module carry the symbols of the files it knows
 */
void uprobe_note_call(const char *name)
{
	static const char *const users[] = {
		"umodname", "usymname", "usymdata", "ubacktrace", "sprint_ubacktrace",
		"print_ubacktrace", NULL,
	};
	int i;

	for (i = 0; users[i]; i++)
		if (!strcmp(users[i], name))
			want_symbols = 1;
	if (!strncmp(name, "usymfile", 8) || !strcmp(name, "usymline"))
		want_symbols = want_lines = 1;
}

/**
 * uprobe_symbol_file - stap -d FILE: carry the symbols of @path for the user symbol
 * and stack functions
 * @path: an executable or shared library
 *
 * Return: 0, or -1 with errno (ENOEXEC: not ELF; ENOTSUP: not x86_64) after no message.
 */
int uprobe_symbol_file(const char *path)
{
	struct loc none = { path, 0, 0, NULL };
	struct ufile *f;

	quiet = 1;
	errno = 0;
	f = open_file(&none, path);
	quiet = 0;
	if (!f && !errno)
		errno = ENOEXEC;
	return f ? 0 : -1;
}

static int cmp_off(const void *a, const void *b)
{
	const struct usym *x = a, *y = b;

	return (x->off > y->off) - (x->off < y->off);
}

/**
 * uprobe_emit_symbols - the C of the symbol tables (runtime/probes/usym.c): each known
 * file's functions by file offset, when the script calls a user symbol function
 * @f: the module's source
 *
 * Return: how many files (the table rt_ufile_tab has at least one entry).
 */
int uprobe_emit_symbols(FILE *f)
{
	struct usym *v;
	int i, k, n = want_symbols ? nfiles : 0, nl[64];

	for (i = 0; i < n; i++) {
		v = xcalloc(files[i]->n + 1, sizeof(*v));
		memcpy(v, files[i]->syms, files[i]->n * sizeof(*v));
		qsort(v, files[i]->n, sizeof(*v), cmp_off);
		fprintf(f, "static const struct rt_usym rt_usyms_%d[] = {\n", i);
		for (k = 0; k < files[i]->n; k++)
			fprintf(f, "\t{ 0x%llx, 0x%llx, \"%s\" },\n", (unsigned long long)v[k].off,
				(unsigned long long)v[k].size, v[k].name);
		fprintf(f, "\t{ 0, 0, NULL }\n};\n");
		free(v);
	}
	for (i = 0; i < n; i++)
		nl[i] = want_lines ? uline_emit_table(f, i, files[i]->elf) : 0;
	fprintf(f, "static struct rt_ufile rt_ufile_tab[%d] __maybe_unused = {\n", n ? n : 1);
	for (i = 0; i < n; i++) {
		fprintf(f, "\t{ .file = \"%s\", .syms = rt_usyms_%d, .n = %d", files[i]->path, i,
			files[i]->n);
		if (nl[i])
			fprintf(f, ", .lines = rt_ulines_%d, .nlines = %d, .srcs = rt_usrcs_%d", i,
				nl[i], i);
		fprintf(f, " },\n");
	}
	fprintf(f, "};\n");
	return n;
}

/** uprobe_nfiles - how many files the probes and -d named (uprobe_file() gives each) */
int uprobe_nfiles(void)
{
	return nfiles;
}

/** uprobe_file - the absolute path of known file @i */
const char *uprobe_file(int i)
{
	return files[i]->path;
}
