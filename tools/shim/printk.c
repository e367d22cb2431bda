// SPDX-License-Identifier: GPL-2.0-only
/* Host printk and WARN: messages are kept in memory for programs to read. */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <host/model.h>

struct log_line {
	int level;
	char *text;
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct log_line *lines;
static unsigned int nr_lines, cap_lines;
static unsigned long warnings;
bool host_log_echo;

static void log_add(int level, const char *text)
{
	pthread_mutex_lock(&log_lock);
	if (nr_lines == cap_lines) {
		unsigned int cap = cap_lines ? 2 * cap_lines : 64;
		struct log_line *l = realloc(lines, cap * sizeof(*l));

		if (!l)
			abort();
		lines = l;
		cap_lines = cap;
	}
	lines[nr_lines].level = level;
	lines[nr_lines].text = strdup(text);
	if (!lines[nr_lines].text)
		abort();
	nr_lines++;
	if (host_log_echo)
		fprintf(stderr, "<%d>%s", level, text);
	pthread_mutex_unlock(&log_lock);
}

int printk(const char *fmt, ...)
{
	char buf[512];
	int level = 4;	/* the kernel's default message level */
	va_list args;
	int n;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	va_start(args, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	log_add(level, buf);
	return n;
}

void host_warn(const char *file, int line, const char *fmt, ...)
{
	char buf[512];
	int n;
	va_list args;

	n = snprintf(buf, sizeof(buf), "WARNING: %s:%d: ", file, line);
	va_start(args, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, args);
	va_end(args);
	strncat(buf, "\n", sizeof(buf) - strlen(buf) - 1);
	__atomic_add_fetch(&warnings, 1, __ATOMIC_RELAXED);
	log_add(4, buf);
}

unsigned long host_warn_count(void)
{
	return __atomic_load_n(&warnings, __ATOMIC_RELAXED);
}

unsigned int host_log_count(void)
{
	unsigned int n;

	pthread_mutex_lock(&log_lock);
	n = nr_lines;
	pthread_mutex_unlock(&log_lock);
	return n;
}

const char *host_log_line(unsigned int i, int *level)
{
	const char *text = NULL;

	pthread_mutex_lock(&log_lock);
	if (i < nr_lines) {
		text = lines[i].text;
		if (level)
			*level = lines[i].level;
	}
	pthread_mutex_unlock(&log_lock);
	return text;
}

void host_log_clear(void)
{
	pthread_mutex_lock(&log_lock);
	while (nr_lines)
		free(lines[--nr_lines].text);
	free(lines);
	lines = NULL;
	cap_lines = 0;
	pthread_mutex_unlock(&log_lock);
}
