// SPDX-License-Identifier: GPL-2.0
/*
 * procfs.c - procfs("PATH").read and .write probes: files under /proc/systemtap/MODULE,
 * with SystemTap 4.8's semantics (tapset-procfs.cxx, runtime/procfs-probes.c):
 *
 *  - a read probe runs once per open, at the first read; what it assigns to $value
 *    ('=' replaces, '.=' appends, both truncated to the buffer's size, .maxsize(N) or
 *    RT_PROCFS_BUFSIZE) is what the reader reads, from any offset;
 *  - a write probe runs for each write(2), with $value the bytes written, at most
 *    min(MAXSTRINGLEN, the file's buffer size) - 1 of them (a longer write is short, and
 *    the writer writes the rest again);
 *  - the files exist while the session runs (START to EXIT).
 *
 * Where relaytap differs, deliberately: 4.8 lets one process at a time open a file (the
 * others wait in open(2), which would hold up proc_remove() at unload for ever); here each
 * open has a buffer of its own, so readers never see each other's fill.  A write probe
 * that fails returns -EIO, where 4.8 returns 0 (which makes a writer such as stdio retry
 * for ever).  /proc/systemtap itself is made when missing and left in place, as another
 * module may be adding files to it (4.8 removes it when it looks empty).
 *
 * Unload while a reader holds a file open is safe: proc_remove() waits for the reads and
 * writes in progress, then releases every open file (our release frees its buffer);
 * later reads of such a descriptor get -EIO from procfs, never our code.
 */
#include <linux/namei.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#ifndef RT_PROCFS_BUFSIZE
#define RT_PROCFS_BUFSIZE	RT_MAXSTRINGLEN	/* 4.8's STP_PROCFS_BUFSIZE */
#endif

/**
 * struct rt_procfs_file - one file of the script
 * @path:     its name under /proc/systemtap/MODULE ("command", "dir/name")
 * @mode:     its permissions (4.8: 0444 for a read probe, 0222 for a write probe, less
 *            the .umask(), by default 0044 and 0022)
 * @bufsize:  a read probe's buffer, bytes with the NUL (.maxsize(N), else
 *            RT_PROCFS_BUFSIZE); a write-only file's is RT_MAXSTRINGLEN
 * @read_pi:  the read probe, or NULL
 * @read_fn:  its handler
 * @write_pi: the write probe, or NULL
 * @write_fn: its handler
 */
struct rt_procfs_file {
	const char *path;
	umode_t mode;
	size_t bufsize;
	const struct rt_pinfo *read_pi;
	void (*read_fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
	const struct rt_pinfo *write_pi;
	void (*write_fn)(const struct rt_pinfo *pi, struct pt_regs *regs);
};

/**
 * struct rt_procfs_io - $value of the procfs probe running on a CPU
 * @buf:     the read buffer, or the written bytes (NUL-terminated)
 * @bufsize: @buf's size, bytes with the NUL
 * @count:   bytes in @buf
 */
struct rt_procfs_io {
	char *buf;
	size_t bufsize;
	size_t count;
};

/**
 * struct rt_procfs_open - one open file description
 * @lock:   serializes reads of it (threads sharing the descriptor)
 * @file:   the file
 * @buf:    the read probe's output, after the first read
 * @count:  bytes in @buf
 * @filled: the read probe ran
 */
struct rt_procfs_open {
	struct mutex lock;
	const struct rt_procfs_file *file;
	char *buf;
	size_t count;
	bool filled;
};

static DEFINE_PER_CPU(struct rt_procfs_io *, rt_procfs_cur);
static struct proc_dir_entry *rt_procfs_dir;

/**
 * rt_procfs_value - $value in a write probe: the bytes written, as a string
 * @c: the running handler's context
 */
static const char *rt_procfs_value(struct rt_context *c)
{
	struct rt_procfs_io *io = __this_cpu_read(rt_procfs_cur);

	return io ? io->buf : "";
}

/**
 * rt_procfs_put - $value = @s (@append clear) or $value .= @s in a read probe: into the
 * buffer, truncated to its size (4.8's strlcpy/strlcat)
 * @c:      the running handler's context
 * @s:      the string
 * @append: '.='
 *
 * Return: "" (the value of 4.8's assignment).
 */
static const char *rt_procfs_put(struct rt_context *c, const char *s, bool append)
{
	struct rt_procfs_io *io = __this_cpu_read(rt_procfs_cur);
	ssize_t n;

	if (!io || !io->bufsize)
		return "";
	if (!append)
		io->count = 0;
	n = strscpy(io->buf + io->count, s, io->bufsize - io->count);
	io->count = n < 0 ? io->bufsize - 1 : io->count + n;
	return "";
}

/**
 * rt_procfs_run - run a procfs probe's handler with @io as its $value
 * @pi: the probe
 * @fn: its handler
 * @io: the buffer
 *
 * Context: process, may not hold spinlocks.  Return: 0, or -EIO when the session does
 * not run (4.8: the probe did not run) or a run-time error happened.
 */
static int rt_procfs_run(const struct rt_pinfo *pi,
			 void (*fn)(const struct rt_pinfo *pi, struct pt_regs *regs),
			 struct rt_procfs_io *io)
{
	int errors = atomic_read(&rt_error_count);

	if (atomic_read(&rt_session) != RT_SESS_RUNNING ||
	    atomic_read(&rt_tp.state) != RT_STATE_RUNNING)
		return -EIO;
	preempt_disable();
	__this_cpu_write(rt_procfs_cur, io);
	fn(pi, NULL);
	__this_cpu_write(rt_procfs_cur, NULL);
	preempt_enable();
	return atomic_read(&rt_error_count) != errors ? -EIO : 0;
}

/**
 * rt_procfs_open - open a procfs probe file: a buffer of its own for this open
 * Context: process.  Return: 0 or -ENOMEM.
 */
static int rt_procfs_open(struct inode *inode, struct file *filp)
{
	struct rt_procfs_open *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return -ENOMEM;
	mutex_init(&o->lock);
	o->file = rt_pde_data(inode);
	filp->private_data = o;
	return 0;
}

/**
 * rt_procfs_release - the last close, or proc_remove() at unload for a file still open
 * Context: process.  Return: 0.
 */
static int rt_procfs_release(struct inode *inode, struct file *filp)
{
	struct rt_procfs_open *o = filp->private_data;

	kvfree(o->buf);
	kfree(o);
	return 0;
}

/**
 * rt_procfs_fill - run the read probe into @o's buffer, once per open
 * Context: process, @o->lock held.  Return: 0, -ENOMEM, or -EIO (no read probe, the
 * session does not run, or the probe failed).
 */
static int rt_procfs_fill(struct rt_procfs_open *o)
{
	const struct rt_procfs_file *f = o->file;
	struct rt_procfs_io io = { .bufsize = f->bufsize };
	int ret;

	if (o->filled)
		return 0;
	if (!f->read_fn)
		return -EIO;
	io.buf = kvzalloc(f->bufsize, GFP_KERNEL);
	if (!io.buf)
		return -ENOMEM;
	ret = rt_procfs_run(f->read_pi, f->read_fn, &io);
	if (ret) {
		kvfree(io.buf);
		return ret;
	}
	o->buf = io.buf;
	o->count = io.count;
	o->filled = true;
	return 0;
}

/**
 * rt_procfs_read - read(2): the read probe's output from *@ppos (simple_read_from_buffer
 * checks @count and *@ppos against the buffer)
 * Context: process.  Return: bytes copied, or -errno.
 */
static ssize_t rt_procfs_read(struct file *filp, char __user *ubuf, size_t count,
			      loff_t *ppos)
{
	struct rt_procfs_open *o = filp->private_data;
	ssize_t ret;

	if (mutex_lock_interruptible(&o->lock))
		return -ERESTARTSYS;
	ret = rt_procfs_fill(o);
	if (!ret)
		ret = simple_read_from_buffer(ubuf, count, ppos, o->buf, o->count);
	mutex_unlock(&o->lock);
	return ret;
}

/**
 * rt_procfs_write - write(2): the write probe with the first min(@count, MAXSTRINGLEN - 1,
 * bufsize - 1) bytes as $value (copied with memdup_user_nul: the length is ours)
 * Context: process.  Return: the bytes taken, or -errno.
 */
static ssize_t rt_procfs_write(struct file *filp, const char __user *ubuf, size_t count,
			       loff_t *ppos)
{
	const struct rt_procfs_file *f = ((struct rt_procfs_open *)filp->private_data)->file;
	struct rt_procfs_io io;
	size_t len = min_t(size_t, RT_MAXSTRINGLEN, f->bufsize) - 1;
	int ret;

	if (!f->write_fn)
		return -EIO;
	len = min(len, count);
	io.buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(io.buf))
		return PTR_ERR(io.buf);
	io.bufsize = len + 1;
	io.count = len;
	ret = rt_procfs_run(f->write_pi, f->write_fn, &io);
	kfree(io.buf);
	return ret ? ret : len;
}

static const struct proc_ops rt_procfs_ops = {
	.proc_open = rt_procfs_open,
	.proc_read = rt_procfs_read,
	.proc_write = rt_procfs_write,
	.proc_release = rt_procfs_release,
};

/**
 * rt_procfs_unregister - remove the module's directory and its files; waits for the
 * reads and writes in progress and releases the open files (proc_remove)
 * Context: process.
 */
static void rt_procfs_unregister(void)
{
	proc_remove(rt_procfs_dir);
	rt_procfs_dir = NULL;
}

/** rt_procfs_mkroot - make /proc/systemtap unless it exists (proc_mkdir warns then) */
static int rt_procfs_mkroot(void)
{
	struct path path;

	if (!kern_path("/proc/systemtap", LOOKUP_DIRECTORY, &path)) {
		path_put(&path);
		return 0;
	}
	return proc_mkdir("systemtap", NULL) ? 0 : -ENOMEM;
}

/**
 * rt_procfs_register - make /proc/systemtap/MODULE, its subdirectories and files
 * @f:     the files
 * @n:     how many
 * @dirs:  the subdirectories their paths need, each after its parent
 * @ndirs: how many
 *
 * Context: process.  Return: 0, or -errno with nothing left behind but /proc/systemtap.
 */
static int rt_procfs_register(const struct rt_procfs_file *f, int n, const char *const *dirs,
			      int ndirs)
{
	char name[RT_MAXSTRINGLEN];
	const char *what = NULL;
	int i, ret = rt_procfs_mkroot();

	if (ret)
		return ret;
	snprintf(name, sizeof(name), "systemtap/%s", THIS_MODULE->name);
	rt_procfs_dir = proc_mkdir(name, NULL);
	if (!rt_procfs_dir)
		what = "";
	for (i = 0; i < ndirs && !what; i++)
		if (!proc_mkdir(dirs[i], rt_procfs_dir))
			what = dirs[i];
	for (i = 0; i < n && !what; i++)
		if (!proc_create_data(f[i].path, f[i].mode, rt_procfs_dir, &rt_procfs_ops,
				      (void *)&f[i]))
			what = f[i].path;
	if (!what)
		return 0;
	snprintf(name, sizeof(name), "procfs: cannot create /proc/systemtap/%s/%s",
		 THIS_MODULE->name, what);
	rt_ctl_text(RT_TEXT_ERROR, name);
	rt_procfs_unregister();
	return -ENOMEM;
}
