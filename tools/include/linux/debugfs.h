/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/debugfs.h>: a tree of names in
 * tools/shim/debugfs.c, which host_debugfs_read() reads by path.
 * Lookups take a reference that dput() drops, as in the kernel.
 */
#ifndef _HOST_LINUX_DEBUGFS_H
#define _HOST_LINUX_DEBUGFS_H

#include <linux/fs.h>
#include <linux/types.h>

struct dentry;

struct dentry *debugfs_lookup(const char *name, struct dentry *parent);
struct dentry *debugfs_create_dir(const char *name, struct dentry *parent);
struct dentry *debugfs_create_file(const char *name, unsigned short mode,
				   struct dentry *parent, void *data,
				   const struct file_operations *fops);
void dput(struct dentry *dentry);

#endif
