// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host debugfs: directories and show() files by name, with the kernel's
 * rules that matter to callers: creating a name that exists fails with
 * -EEXIST, a parent that is an error makes the child that error, and a
 * lookup holds a reference until dput().  host_debugfs_disable() plays a
 * kernel without CONFIG_DEBUG_FS: every call returns ERR_PTR(-ENODEV).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/err.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <host/model.h>

struct dentry {
	char name[64];
	struct dentry *parent, *next;
	const struct file_operations *fops;
	void *data;
	int refs;
};

static pthread_mutex_t fs_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dentry *dentries;
static bool disabled;

void host_debugfs_disable(void)
{
	disabled = true;
}

static struct dentry *find(const char *name, struct dentry *parent)
{
	struct dentry *d;

	for (d = dentries; d; d = d->next)
		if (d->parent == parent && !strcmp(d->name, name))
			return d;
	return NULL;
}

struct dentry *debugfs_lookup(const char *name, struct dentry *parent)
{
	struct dentry *d;

	if (disabled)
		return ERR_PTR(-ENODEV);
	pthread_mutex_lock(&fs_lock);
	d = find(name, parent);
	if (d)
		d->refs++;
	pthread_mutex_unlock(&fs_lock);
	return d;
}

static struct dentry *create(const char *name, struct dentry *parent,
			     const struct file_operations *fops, void *data)
{
	struct dentry *d;

	if (disabled)
		return ERR_PTR(-ENODEV);
	if (IS_ERR(parent))
		return parent;
	if (strlen(name) >= sizeof(d->name))
		return ERR_PTR(-ENAMETOOLONG);
	pthread_mutex_lock(&fs_lock);
	d = find(name, parent);
	if (d) {
		d = ERR_PTR(-EEXIST);
	} else {
		d = calloc(1, sizeof(*d));
		if (!d) {
			d = ERR_PTR(-ENOMEM);
		} else {
			strcpy(d->name, name);
			d->parent = parent;
			d->fops = fops;
			d->data = data;
			d->next = dentries;
			dentries = d;
		}
	}
	pthread_mutex_unlock(&fs_lock);
	return d;
}

struct dentry *debugfs_create_dir(const char *name, struct dentry *parent)
{
	return create(name, parent, NULL, NULL);
}

struct dentry *debugfs_create_file(const char *name, unsigned short mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops)
{
	return create(name, parent, fops, data);
}

/* As the kernel's: an error pointer here is a crash, so it is one. */
void dput(struct dentry *d)
{
	if (!d)
		return;
	if (IS_ERR(d))
		abort();
	pthread_mutex_lock(&fs_lock);
	WARN_ON(d->refs <= 0);
	d->refs--;
	pthread_mutex_unlock(&fs_lock);
}

void seq_puts(struct seq_file *m, const char *s)
{
	seq_printf(m, "%s", s);
}

void seq_printf(struct seq_file *m, const char *fmt, ...)
{
	va_list ap;
	size_t need;
	char *buf;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	need = m->count + n + 1;
	if (need > m->size) {
		buf = realloc(m->buf, need * 2);
		if (!buf)
			return;
		m->buf = buf;
		m->size = need * 2;
	}
	va_start(ap, fmt);
	vsnprintf(m->buf + m->count, m->size - m->count, fmt, ap);
	va_end(ap);
	m->count += n;
}

char *host_debugfs_read(const char *path)
{
	struct dentry *d = NULL;
	struct seq_file m = { 0 };
	char part[64];
	const char *p = path, *slash;
	size_t len;

	while (*p) {
		slash = strchr(p, '/');
		len = slash ? (size_t)(slash - p) : strlen(p);
		if (len >= sizeof(part))
			return NULL;
		memcpy(part, p, len);
		part[len] = 0;
		pthread_mutex_lock(&fs_lock);
		d = find(part, d);
		pthread_mutex_unlock(&fs_lock);
		if (!d)
			return NULL;
		p += len + (slash ? 1 : 0);
	}
	if (!d || !d->fops || !d->fops->host_show)
		return NULL;
	m.private = d->data;
	seq_puts(&m, "");
	if (d->fops->host_show(&m, NULL)) {
		free(m.buf);
		return NULL;
	}
	return m.buf;
}
