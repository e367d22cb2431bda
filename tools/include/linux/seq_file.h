/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host look-alike of <linux/seq_file.h>: a show() writes into a growing
 * buffer, which host_debugfs_read() hands to the host program.
 */
#ifndef _HOST_LINUX_SEQ_FILE_H
#define _HOST_LINUX_SEQ_FILE_H

#include <stddef.h>
#include <linux/compiler.h>
#include <linux/fs.h>

struct seq_file {
	char *buf;
	size_t size, count;
	void *private;
};

__printf(2, 3) void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_puts(struct seq_file *m, const char *s);

#define DEFINE_SHOW_ATTRIBUTE(__name)					\
	static const struct file_operations __name##_fops = {		\
		.host_show = __name##_show,				\
	}

#endif
