// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host kernel parameters: the list module_param_cb() registers into, the
 * kernel's ops for the plain types, and what command line parsing does
 * with a name=value pair.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <host/model.h>

#define HOST_PAGE_BUF	4096

static struct kernel_param *params;

void host_param_register(struct kernel_param *kp)
{
	kp->host_next = params;
	params = kp;
}

static struct kernel_param *find(const char *name)
{
	struct kernel_param *kp;

	for (kp = params; kp; kp = kp->host_next)
		if (!strcmp(kp->name, name))
			return kp;
	return NULL;
}

int host_param_set(const char *name, const char *val)
{
	struct kernel_param *kp = find(name);

	return kp ? kp->ops->set(val, kp) : -ENOENT;
}

int host_param_get(const char *name, char *buf, size_t len)
{
	struct kernel_param *kp = find(name);
	char page[HOST_PAGE_BUF];
	int n;

	if (!kp)
		return -ENOENT;
	n = kp->ops->get(page, kp);
	if (n >= 0)
		snprintf(buf, len, "%s", page);
	return n;
}

bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	return *s1 == '\n' && !s1[1] && !*s2;
}

int sysfs_emit(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, HOST_PAGE_BUF, fmt, ap);
	va_end(ap);
	return n < HOST_PAGE_BUF ? n : HOST_PAGE_BUF - 1;
}

/* Decimal or 0x hex, the whole string, within [lo, hi]; as kstrtol(). */
static int parse(const char *val, bool sign, long long lo,
		 unsigned long long hi, unsigned long long *out)
{
	char *end;

	if (!val || !*val)
		return -EINVAL;
	errno = 0;
	if (sign) {
		long long v = strtoll(val, &end, 0);

		if (errno || (*end && strcmp(end, "\n")) || v < lo ||
		    (v > 0 && (unsigned long long)v > hi))
			return errno == ERANGE || v < lo || v > 0 ? -ERANGE :
								  -EINVAL;
		*out = v;
	} else {
		unsigned long long v;

		if (*val == '-')
			return -EINVAL;
		v = strtoull(val, &end, 0);
		if (errno || (*end && strcmp(end, "\n")))
			return errno == ERANGE ? -ERANGE : -EINVAL;
		if (v > hi)
			return -ERANGE;
		*out = v;
	}
	return 0;
}

static int set_int(const char *val, const struct kernel_param *kp)
{
	unsigned long long v;
	int ret = parse(val, true, INT_MIN, INT_MAX, &v);

	if (!ret)
		*(int *)kp->arg = (int)(long long)v;
	return ret;
}

static int get_int(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", *(int *)kp->arg);
}

static int set_uint(const char *val, const struct kernel_param *kp)
{
	unsigned long long v;
	int ret = parse(val, false, 0, UINT_MAX, &v);

	if (!ret)
		*(unsigned int *)kp->arg = v;
	return ret;
}

static int get_uint(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%u\n", *(unsigned int *)kp->arg);
}

static int set_ulong(const char *val, const struct kernel_param *kp)
{
	unsigned long long v;
	int ret = parse(val, false, 0, ULONG_MAX, &v);

	if (!ret)
		*(unsigned long *)kp->arg = v;
	return ret;
}

static int get_ulong(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%lu\n", *(unsigned long *)kp->arg);
}

static int set_bool(const char *val, const struct kernel_param *kp)
{
	if (!val || sysfs_streq(val, "1") || sysfs_streq(val, "y") ||
	    sysfs_streq(val, "Y"))
		*(bool *)kp->arg = true;
	else if (sysfs_streq(val, "0") || sysfs_streq(val, "n") ||
		 sysfs_streq(val, "N"))
		*(bool *)kp->arg = false;
	else
		return -EINVAL;
	return 0;
}

static int get_bool(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%c\n", *(bool *)kp->arg ? 'Y' : 'N');
}

const struct kernel_param_ops param_ops_int = { set_int, get_int };
const struct kernel_param_ops param_ops_uint = { set_uint, get_uint };
const struct kernel_param_ops param_ops_ulong = { set_ulong, get_ulong };
const struct kernel_param_ops param_ops_bool = { set_bool, get_bool };
