// SPDX-License-Identifier: GPL-2.0
/*
 * files.c - the per-CPU buffer files: open, read, poll, mmap, release.
 *
 * read() returns sealed sub-buffers, header and records, without their padding, and
 * consumes them as it goes; it never blocks and returns 0 when nothing is sealed.  In
 * overwrite mode it returns whole sub-buffers only (a smaller buffer gets -EINVAL).
 * sendfile() and splice() go through the same read_iter (RT_SPLICE_READ copies into the
 * pipe's pages), so they return the same bytes and consume exactly as read() does, as
 * the kernel's relay documents for sendfile (Documentation/filesystems/relay.rst).
 * mmap() maps the whole buffer read-only (debugfs: page by page as touched; procfs: all
 * at once); such a reader acknowledges sub-buffers with RT_MSG_CONSUMED.  poll() reports
 * POLLIN when a sealed sub-buffer waits, POLLERR once the channel is finalized.
 */

/**
 * rt_relay_file_seekable - make @filp seekable in name only
 * @filp: the open file
 *
 * sendfile(2) splices only from a file with FMODE_LSEEK (splice_direct_to_actor), so the
 * files keep it, unlike nonseekable_open(); lseek() still fails (rt_relay_file_llseek)
 * and pread()/pwrite() are refused with -ESPIPE, as before.  Return: 0.
 */
static int rt_relay_file_seekable(struct file *filp)
{
	filp->f_mode &= ~(FMODE_PREAD | FMODE_PWRITE);
	return 0;
}

/**
 * rt_relay_file_llseek - the files have no position to seek to
 * @filp:   the open file
 * @offset: unused
 * @whence: unused
 *
 * Return: -ESPIPE, as for a pipe.
 */
static loff_t rt_relay_file_llseek(struct file *filp, loff_t offset, int whence)
{
	return -ESPIPE;
}

/**
 * rt_relay_file_open - take a reference on the buffer for this open file
 * @inode: the file's inode; i_private is the buffer
 * @filp:  the open file
 */
static int rt_relay_file_open(struct inode *inode, struct file *filp)
{
	struct rt_relay_buf *buf = inode->i_private;

	kref_get(&buf->kref);
	filp->private_data = buf;
	return rt_relay_file_seekable(filp);
}

/**
 * rt_relay_file_release - drop the open file's reference
 * @inode: the file's inode
 * @filp:  the open file
 */
static int rt_relay_file_release(struct inode *inode, struct file *filp)
{
	struct rt_relay_buf *buf = filp->private_data;

	kref_put(&buf->kref, rt_relay_free_buf);
	return 0;
}

/**
 * rt_relay_whole_records - of @want bytes from offset @from of a sealed sub-buffer, how
 * many end at a unit boundary (the sub-buffer header is one unit, each record another)
 * @chan: the channel
 * @sb:   the sub-buffer (sealed: no writer touches it)
 * @from: where the copy starts
 * @want: bytes that fit
 * @size: the sub-buffer's data_size
 *
 * For splice and sendfile, whose pipe may have room for part of a record only.
 * Return: that many bytes; 0 when not one unit fits.
 */
static size_t rt_relay_whole_records(struct rt_relay_chan *chan, const char *sb, size_t from,
				     size_t want, size_t size)
{
	size_t off = chan->hdr_size, best = 0, rec;

	while (off <= from + want) {
		if (off > from)
			best = off;
		if (off + sizeof(struct rt_rec_hdr) > size)
			break;
		rec = READ_ONCE(((const struct rt_rec_hdr *)(sb + off))->len);
		rec = RT_REC_SIZE(rec);
		if (rec > size - off)
			break;
		off += rec;
	}
	return best ? best - from : 0;
}

/**
 * rt_relay_read_subbuf - copy from the oldest sealed sub-buffer, consume it when done
 * @buf:   the buffer (read_mutex held)
 * @to:    the destination: user memory (read) or pipe pages (splice, sendfile)
 * @first: nothing was copied yet in this call: into a pipe without room for one whole
 *         record, a record larger than the pipe goes in pieces rather than not at all
 *
 * No-overwrite mode may return a sub-buffer in pieces; it consumes exactly the bytes
 * copied.  Into a pipe (splice, sendfile) each piece ends at a record boundary.  Overwrite mode copies a whole sub-buffer and then claims it; when a writer
 * pushed past it meanwhile the copy is taken back from @to and not counted (the writer
 * counted those records as overwritten).
 *
 * Return: bytes copied; 0 when nothing is sealed; -EAGAIN when the copy was lost to the
 * writer (try the next); -ENOSPC when a whole sub-buffer does not fit; -EFAULT.
 */
static ssize_t rt_relay_read_subbuf(struct rt_relay_buf *buf, struct iov_iter *to, bool first)
{
	struct rt_relay_chan *chan = buf->chan;
	unsigned long pos = READ_ONCE(buf->consumed);
	struct rt_subbuf_hdr *hdr = rt_relay_subbuf_ready(buf, pos);
	size_t size, want, n, whole;

	if (!hdr)
		return 0;
	size = clamp_t(size_t, READ_ONCE(hdr->data_size), chan->hdr_size, chan->subbuf_size);
	if (READ_ONCE(chan->flags) & RT_RELAY_OVERWRITE) {
		if (iov_iter_count(to) < size)
			return -ENOSPC;
		n = copy_to_iter(hdr, size, to);
		if (n == size && rt_relay_claim(buf, pos))
			return size;
		iov_iter_revert(to, n);
		return n == size ? -EAGAIN : -EFAULT;
	}
	want = min_t(size_t, iov_iter_count(to), size - buf->read_pos);
	if (!user_backed_iter(to) && want < size - buf->read_pos) {
		whole = rt_relay_whole_records(chan, (char *)hdr, buf->read_pos, want, size);
		if (!whole && !first)
			return 0;	/* the rest of the pipe is too small: stop here */
		want = whole ? whole : want;
	}
	n = copy_to_iter((char *)hdr + buf->read_pos, want, to);
	if (!n && want)		/* user memory faulted, or a pipe is full: stop there */
		return user_backed_iter(to) ? -EFAULT : 0;
	buf->read_pos += n;
	if (buf->read_pos == size)
		rt_relay_claim(buf, pos);
	return n;
}

/**
 * rt_relay_file_read_iter - read sealed sub-buffers without padding; never blocks
 * @iocb: the open file (the position is unused: the file is not seekable)
 * @to:   the destination; in overwrite mode, room for at least one whole sub-buffer
 *
 * read(2), and through RT_SPLICE_READ splice(2) and sendfile(2).
 * Return: bytes copied, 0 when nothing is sealed, or -EINVAL (overwrite mode, @to
 * smaller than a sub-buffer), -EFAULT, -ERESTARTSYS.
 */
static ssize_t rt_relay_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct rt_relay_buf *buf = iocb->ki_filp->private_data;
	ssize_t done = 0, n;

	if (mutex_lock_interruptible(&buf->read_mutex))
		return -ERESTARTSYS;
	while (iov_iter_count(to)) {
		n = rt_relay_read_subbuf(buf, to, !done);
		if (n == -EAGAIN)
			continue;
		if (n <= 0) {
			if (!done && n < 0)
				done = n == -ENOSPC ? -EINVAL : n;
			break;
		}
		done += n;
	}
	mutex_unlock(&buf->read_mutex);
	return done;
}

/**
 * rt_relay_file_poll - POLLIN when a sealed sub-buffer waits, POLLERR once finalized
 * @filp: the open file
 * @wait: poll table
 */
static __poll_t rt_relay_file_poll(struct file *filp, poll_table *wait)
{
	struct rt_relay_buf *buf = filp->private_data;
	__poll_t mask = 0;

	poll_wait(filp, &buf->read_wait, wait);
	if (rt_relay_subbuf_ready(buf, READ_ONCE(buf->consumed)))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (READ_ONCE(buf->finalized))
		mask |= EPOLLERR;
	return mask;
}

/**
 * rt_relay_mmap_check - the mapping must cover exactly the buffer from offset 0, read-only
 * @buf: the buffer
 * @vma: the mapping
 *
 * Return: 0, or -EINVAL.
 */
static int rt_relay_mmap_check(struct rt_relay_buf *buf, struct vm_area_struct *vma)
{
	if (vma->vm_pgoff || vma->vm_end - vma->vm_start != buf->chan->alloc_size)
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE)
		return -EINVAL;
	rt_vma_clear_flags(vma, VM_MAYWRITE);
	return 0;
}

/**
 * rt_relay_vm_fault - map the buffer's page at the faulting offset
 * @vmf: the fault; vma->vm_private_data is the buffer
 *
 * As kernel/relay.c's relay_buf_fault.  The channel may be gone (the buffer outlives it
 * while held), so the size is the mapping's, which rt_relay_mmap_check() made the
 * buffer's.  Return: 0 with vmf->page referenced, or VM_FAULT_SIGBUS past the buffer.
 */
static vm_fault_t rt_relay_vm_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct rt_relay_buf *buf = vma->vm_private_data;
	unsigned long off = vmf->pgoff << PAGE_SHIFT;

	if (off >= vma->vm_end - vma->vm_start)
		return VM_FAULT_SIGBUS;
	vmf->page = vmalloc_to_page(buf->start + off);
	get_page(vmf->page);
	return 0;
}

/**
 * rt_relay_vm_open - a copy of the mapping (fork, split): it pins the module and the
 * buffer too
 * @vma: the new mapping
 */
static void rt_relay_vm_open(struct vm_area_struct *vma)
{
	struct rt_relay_buf *buf = vma->vm_private_data;

	__module_get(THIS_MODULE);
	kref_get(&buf->kref);
}

/**
 * rt_relay_vm_close - a mapping went away: drop its buffer and module references
 * @vma: the mapping
 *
 * module_put() comes last: nothing of the module runs after it but the return.
 */
static void rt_relay_vm_close(struct vm_area_struct *vma)
{
	struct rt_relay_buf *buf = vma->vm_private_data;

	kref_put(&buf->kref, rt_relay_free_buf);
	module_put(THIS_MODULE);
}

static const struct vm_operations_struct rt_relay_vm_ops = {
	.fault	= rt_relay_vm_fault,
	.open	= rt_relay_vm_open,
	.close	= rt_relay_vm_close,
};

/**
 * rt_relay_file_mmap - map the whole buffer read-only, page by page as it is touched
 * @filp: the open file
 * @vma:  the mapping; it must cover exactly the buffer from offset 0
 *
 * Pages come in at their first touch (rt_relay_vm_fault), so a reader's resident memory
 * is what it read, and a reader may drop pages it has acknowledged (MADV_DONTNEED): they
 * fault in again when read next.  Each mapping pins the module (the fault handler and
 * vm_ops are its code) and the buffer, until its close.
 *
 * Return: 0, -EINVAL for a partial, offset or writable mapping.
 */
static int rt_relay_file_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct rt_relay_buf *buf = filp->private_data;
	int ret = rt_relay_mmap_check(buf, vma);

	if (ret)
		return ret;
	rt_vma_set_flags(vma, VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_private_data = buf;
	vma->vm_ops = &rt_relay_vm_ops;
	rt_relay_vm_open(vma);
	buf->chan->cb.buf_mapped(buf);
	return 0;
}

/**
 * rt_relay_proc_mmap - procfs flavour: the whole buffer mapped at once, no vm_ops
 * @filp: the open file
 * @vma:  the mapping; it must cover exactly the buffer from offset 0
 *
 * procfs lets the module go while a file is mapped (see rt_relay_procfs_create_buf_file),
 * so this mapping holds no module code: remap_vmalloc_range() populates it, and its pages
 * outlive the module.  A reader must not drop its pages (they would not come back).
 *
 * Return: 0, -EINVAL for a partial, offset or writable mapping, or remap's error.
 */
static int rt_relay_proc_mmap(struct file *filp, struct vm_area_struct *vma)
{
	struct rt_relay_buf *buf = filp->private_data;
	int ret = rt_relay_mmap_check(buf, vma);

	if (!ret)
		ret = remap_vmalloc_range(vma, buf->start, 0);
	if (!ret)
		buf->chan->cb.buf_mapped(buf);
	return ret;
}

static const struct file_operations rt_relay_file_ops = {
	.owner		= THIS_MODULE,
	.open		= rt_relay_file_open,
	.read_iter	= rt_relay_file_read_iter,
	.splice_read	= RT_SPLICE_READ,
	.poll		= rt_relay_file_poll,
	.mmap		= rt_relay_file_mmap,
	.release	= rt_relay_file_release,
	.llseek		= rt_relay_file_llseek,
};

/**
 * rt_relay_default_create_buf_file - default: a debugfs file under @parent
 * @filename: the file name
 * @parent:   debugfs directory dentry
 * @mode:     permissions
 * @buf:      the buffer
 *
 * The file is created without debugfs's removal proxy, which does not forward mmap.
 * Removal is safe without it: an open file pins the module (fops owner) and holds a
 * reference on the buffer, and every file operation works on a finalized buffer.
 *
 * Return: the dentry, or NULL.
 */
static void *rt_relay_default_create_buf_file(const char *filename, void *parent,
					      umode_t mode, struct rt_relay_buf *buf)
{
	struct dentry *d = debugfs_create_file_unsafe(filename, mode, parent, buf,
						      &rt_relay_file_ops);

	return IS_ERR_OR_NULL(d) ? NULL : d;
}

/**
 * rt_relay_default_remove_buf_file - default: remove the debugfs file
 * @file: what rt_relay_default_create_buf_file() returned
 */
static void rt_relay_default_remove_buf_file(void *file)
{
	debugfs_remove(file);
}

/**
 * rt_relay_proc_open - procfs flavour of rt_relay_file_open()
 * @inode: the file's inode; its proc data is the buffer
 * @filp:  the open file
 */
static int rt_relay_proc_open(struct inode *inode, struct file *filp)
{
	struct rt_relay_buf *buf = rt_pde_data(inode);

	kref_get(&buf->kref);
	filp->private_data = buf;
	return rt_relay_file_seekable(filp);
}

static const struct proc_ops rt_relay_proc_ops = {
	.proc_open	= rt_relay_proc_open,
	.proc_read_iter	= rt_relay_file_read_iter,
	.proc_poll	= rt_relay_file_poll,
	.proc_mmap	= rt_relay_proc_mmap,
	.proc_release	= rt_relay_file_release,
	.proc_lseek	= rt_relay_file_llseek,
};

/**
 * rt_relay_procfs_create_buf_file - the procfs fallback: a file under @parent in /proc
 * @filename: the file name
 * @parent:   a proc directory entry
 * @mode:     permissions
 * @buf:      the buffer
 *
 * procfs does not pin the module while a file is open; on removal it calls release for
 * every open file, and a mapping keeps its pages.  Return: the entry, or NULL.
 */
static void *rt_relay_procfs_create_buf_file(const char *filename, void *parent,
					     umode_t mode, struct rt_relay_buf *buf)
{
	return proc_create_data(filename, mode, parent, &rt_relay_proc_ops, buf);
}

/** rt_relay_procfs_remove_buf_file - remove what the procfs flavour created */
static void rt_relay_procfs_remove_buf_file(void *file)
{
	proc_remove(file);
}
