/* SPDX-License-Identifier: GPL-2.0-only */
/* Host look-alike of the part of <linux/fs.h> that debugfs files use. */
#ifndef _HOST_LINUX_FS_H
#define _HOST_LINUX_FS_H

struct seq_file;

/* A debugfs file of the DEFINE_SHOW_ATTRIBUTE kind: its show(). */
struct file_operations {
	int (*host_show)(struct seq_file *m, void *v);
};

#endif
