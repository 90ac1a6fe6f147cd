// SPDX-License-Identifier: GPL-2.0
/*
 * backend.c - memory and lifetime of the bundled relay's buffers (kernel build).
 *
 * Each CPU's buffer is one vmalloc_user() area, so a reader can map it whole.  A buffer
 * is reference counted: the channel holds one reference and each open file another, so
 * a reader that still has the file open never touches freed memory.
 */

/**
 * rt_relay_wakeup - irq_work handler: wake readers outside probe context
 * @work: the buffer's irq_work
 *
 * Deliberately not IRQ_WORK_INIT_HARD: wake_up_interruptible() takes the wait queue's
 * spinlock_t, which sleeps on PREEMPT_RT, where a plain irq_work runs in the per-CPU
 * irq_work thread instead of hard irq (elsewhere it runs in hard irq, as before).
 */
static void rt_relay_wakeup(struct irq_work *work)
{
	struct rt_relay_buf *buf = container_of(work, struct rt_relay_buf, wakeup);

	wake_up_interruptible(&buf->read_wait);
}

/**
 * rt_relay_default_deliver - default: wake readers, deferred through irq_work
 * @buf: the buffer
 * @seq: the sealed sub-buffer
 */
static void rt_relay_default_deliver(struct rt_relay_buf *buf, u64 seq)
{
	irq_work_queue(&buf->wakeup);
}

/**
 * rt_relay_free_buf - kref release: free a buffer no one uses any more
 * @kref: the buffer's kref
 */
static void rt_relay_free_buf(struct kref *kref)
{
	struct rt_relay_buf *buf = container_of(kref, struct rt_relay_buf, kref);

	vfree(buf->start);
	kfree(buf->padding);
	kfree(buf->commit);
	kfree(buf);
}

/**
 * rt_relay_alloc_buf - allocate one CPU's buffer
 * @chan: the channel
 * @cpu:  the CPU
 *
 * Return: the buffer, or NULL when memory ran out.
 */
static struct rt_relay_buf *rt_relay_alloc_buf(struct rt_relay_chan *chan, unsigned int cpu)
{
	int node = cpu_to_node(cpu);
	struct rt_relay_buf *buf;

	buf = kzalloc_node(sizeof(*buf), GFP_KERNEL, node);
	if (!buf)
		return NULL;
	buf->commit = kcalloc_node(chan->n_subbufs, sizeof(*buf->commit), GFP_KERNEL, node);
	if (!buf->commit)
		goto free_buf;
	buf->padding = kcalloc_node(chan->n_subbufs, sizeof(*buf->padding), GFP_KERNEL, node);
	if (!buf->padding)
		goto free_commit;
	buf->start = vmalloc_user(chan->alloc_size);
	if (!buf->start)
		goto free_padding;
	buf->chan = chan;
	buf->cpu = cpu;
	mutex_init(&buf->read_mutex);
	init_waitqueue_head(&buf->read_wait);
	init_irq_work(&buf->wakeup, rt_relay_wakeup);
	kref_init(&buf->kref);
	return buf;

free_padding:
	kfree(buf->padding);
free_commit:
	kfree(buf->commit);
free_buf:
	kfree(buf);
	return NULL;
}

/**
 * rt_relay_destroy_bufs - remove the files and drop the channel's buffer references
 * @chan: the channel
 */
static void rt_relay_destroy_bufs(struct rt_relay_chan *chan)
{
	struct rt_relay_buf *buf;
	unsigned int cpu;

	for (cpu = 0; cpu < chan->nr_bufs; cpu++) {
		buf = chan->buf[cpu];
		if (!buf)
			continue;
		WRITE_ONCE(buf->finalized, 1);
		if (buf->file)
			chan->cb.remove_buf_file(buf->file);
		irq_work_sync(&buf->wakeup);
		wake_up_interruptible(&buf->read_wait);
		chan->buf[cpu] = NULL;
		kref_put(&buf->kref, rt_relay_free_buf);
	}
}

/**
 * rt_relay_open - create a channel with one buffer and one file per possible CPU
 * @base_filename: files are named <base_filename><cpu>
 * @parent:        where create_buf_file puts them (a debugfs dentry by default)
 * @subbuf_size:   bytes per sub-buffer, rounded up to a power of two
 * @n_subbufs:     sub-buffers per CPU, rounded up to a power of two
 * @flags:         RT_RELAY_OVERWRITE or 0
 * @cb:            client callbacks (NULL ones get defaults)
 * @private_data:  the client's
 *
 * Context: process.  Return: the channel, or an ERR_PTR.
 */
static struct rt_relay_chan *rt_relay_open(const char *base_filename, void *parent,
					   unsigned long subbuf_size, unsigned long n_subbufs,
					   unsigned long flags,
					   const struct rt_relay_callbacks *cb,
					   void *private_data)
{
	struct rt_relay_chan *chan;
	char name[80];
	unsigned int cpu;
	int ret = -ENOMEM;

	if (rt_relay_check_geometry(&subbuf_size, &n_subbufs, sizeof(struct rt_subbuf_hdr)))
		return ERR_PTR(-EINVAL);
	chan = kzalloc(sizeof(*chan), GFP_KERNEL);
	if (!chan)
		return ERR_PTR(-ENOMEM);
	rt_relay_chan_setup(chan, subbuf_size, n_subbufs, flags, cb);
	chan->private_data = private_data;
	chan->parent = parent;
	strscpy(chan->base_filename, base_filename, sizeof(chan->base_filename));
	chan->nr_bufs = nr_cpu_ids;
	chan->buf = kcalloc(chan->nr_bufs, sizeof(*chan->buf), GFP_KERNEL);
	if (!chan->buf)
		goto free_chan;
	for_each_possible_cpu(cpu) {
		chan->buf[cpu] = rt_relay_alloc_buf(chan, cpu);
		if (!chan->buf[cpu])
			goto destroy_bufs;
		snprintf(name, sizeof(name), "%s%u", base_filename, cpu);
		chan->buf[cpu]->file = chan->cb.create_buf_file(name, parent, 0400,
								chan->buf[cpu]);
		if (!chan->buf[cpu]->file) {
			ret = -ENOENT;
			goto destroy_bufs;
		}
	}
	return chan;

destroy_bufs:
	rt_relay_destroy_bufs(chan);
	kfree(chan->buf);
free_chan:
	kfree(chan);
	return ERR_PTR(ret);
}

/**
 * rt_relay_close - remove the files and release the channel
 * @chan: the channel; no writer may use it any more
 *
 * Buffers still open by a reader are freed when the reader closes them.
 */
static void rt_relay_close(struct rt_relay_chan *chan)
{
	if (!chan)
		return;
	rt_relay_destroy_bufs(chan);
	kfree(chan->buf);
	kfree(chan);
}

/**
 * rt_relay_flush_one - IPI handler: seal the partly filled sub-buffer of this CPU
 * @info: the buffer
 */
static void rt_relay_flush_one(void *info)
{
	rt_relay_switch_local(info);
}

/**
 * rt_relay_flush - make every CPU's partly filled sub-buffer readable
 * @chan: the channel
 *
 * Runs the switch on the owning CPU, so it is safe against concurrent writers there;
 * buffers of offline CPUs have no writers and are switched here.  Context: process.
 */
static void rt_relay_flush(struct rt_relay_chan *chan)
{
	unsigned int cpu;

	cpus_read_lock();
	for (cpu = 0; cpu < chan->nr_bufs; cpu++) {
		if (!chan->buf[cpu])
			continue;
		if (cpu_online(cpu))
			smp_call_function_single(cpu, rt_relay_flush_one, chan->buf[cpu], 1);
		else
			rt_relay_switch_local(chan->buf[cpu]);
	}
	cpus_read_unlock();
}

/**
 * rt_relay_finalize - no more data will come: readers see POLLERR once drained
 * @chan: the channel
 */
static void rt_relay_finalize(struct rt_relay_chan *chan)
{
	unsigned int cpu;

	for (cpu = 0; cpu < chan->nr_bufs; cpu++) {
		if (!chan->buf[cpu])
			continue;
		WRITE_ONCE(chan->buf[cpu]->finalized, 1);
		wake_up_interruptible(&chan->buf[cpu]->read_wait);
	}
}

/**
 * rt_relay_reset - empty every buffer of the channel
 * @chan: the channel
 *
 * Only allowed while nothing writes (the client's probes are stopped) and no reader
 * has a buffer mapped or open beyond the channel's own reference.
 *
 * Return: 0, or -EBUSY when a reader holds a buffer.
 */
static int rt_relay_reset(struct rt_relay_chan *chan)
{
	unsigned int cpu;

	for (cpu = 0; cpu < chan->nr_bufs; cpu++)
		if (chan->buf[cpu] && kref_read(&chan->buf[cpu]->kref) > 1)
			return -EBUSY;
	for (cpu = 0; cpu < chan->nr_bufs; cpu++)
		if (chan->buf[cpu])
			rt_relay_reset_buf(chan->buf[cpu]);
	return 0;
}

/**
 * rt_relay_subbufs_consumed - a reader of the mapping has consumed @n sub-buffers
 * @chan: the channel
 * @cpu:  the CPU (from user space: checked)
 * @n:    count (from user space: at most the sealed, unconsumed sub-buffers)
 *
 * Return: 0 or -EINVAL.
 */
static int rt_relay_subbufs_consumed(struct rt_relay_chan *chan, unsigned int cpu,
				     unsigned long n)
{
	struct rt_relay_buf *buf;
	int ret;

	if (cpu >= chan->nr_bufs || !chan->buf[cpu])
		return -EINVAL;
	buf = chan->buf[cpu];
	mutex_lock(&buf->read_mutex);
	ret = rt_relay_consume(buf, n);
	mutex_unlock(&buf->read_mutex);
	return ret;
}
