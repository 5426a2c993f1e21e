#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wlog.h"
#include "rtdp/banned.h"

static atomic_int log_level = WLOG_INFO;
static atomic_int log_fd = 2;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

/* clang-format off */
static const char *const level_names[] = {
	[WLOG_ERROR] = "error",
	[WLOG_WARN] = "warn",
	[WLOG_INFO] = "info",
	[WLOG_DEBUG] = "debug",
};
/* clang-format on */

void wlog_set_level(enum wlog_level level)
{
	atomic_store(&log_level, (int)level);
}

bool wlog_enabled(enum wlog_level level)
{
	return (int)level <= atomic_load(&log_level);
}

void wlog_set_fd(int fd)
{
	atomic_store(&log_fd, fd);
}

bool wlog_parse_level(const char *name, enum wlog_level *out)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcmp(name, level_names[i]) == 0) {
			*out = (enum wlog_level)i;
			return true;
		}
	}
	return false;
}

const char *wlog_level_name(enum wlog_level level)
{
	if ((unsigned)level >= sizeof(level_names) / sizeof(level_names[0]))
		return "info";
	return level_names[level];
}

static void format_time(char *out, size_t size)
{
	struct timespec ts;
	struct tm tm;
	char base[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, size, "%s.%03ldZ", base, ts.tv_nsec / 1000000L);
}

static void write_line(const char *line)
{
	size_t len = strlen(line);
	size_t done = 0;
	int fd = atomic_load(&log_fd);

	pthread_mutex_lock(&log_lock);
	while (done < len) {
		ssize_t n = write(fd, line + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	pthread_mutex_unlock(&log_lock);
}

/* Puts time, level and msg first, then the caller's fields (moved). */
static cJSON *build_line(enum wlog_level level, const char *msg, cJSON *fields)
{
	char now[48];
	cJSON *line = cJSON_CreateObject();
	cJSON *item;

	if (!line)
		return NULL;
	format_time(now, sizeof(now));
	cJSON_AddStringToObject(line, "time", now);
	cJSON_AddStringToObject(line, "level", wlog_level_name(level));
	cJSON_AddStringToObject(line, "msg", msg);
	while (fields && (item = fields->child) != NULL) {
		cJSON_DetachItemViaPointer(fields, item);
		cJSON_AddItemToObject(line, item->string, item);
	}
	return line;
}

/* text (owned, from cJSON) with a newline appended; NULL (text freed) when out of memory. */
static char *add_newline(char *text)
{
	size_t len = strlen(text);
	char *nl = realloc(text, len + 2);

	if (!nl) {
		free(text);
		return NULL;
	}
	nl[len] = '\n';
	nl[len + 1] = '\0';
	return nl;
}

void wlog_event(enum wlog_level level, const char *msg, cJSON *fields)
{
	cJSON *line = NULL;
	char *text = NULL;

	if (!wlog_enabled(level))
		goto out;
	line = build_line(level, msg, fields);
	text = line ? cJSON_PrintUnformatted(line) : NULL;
	if (text)
		text = add_newline(text);
	if (!text) {
		write_line("{\"level\":\"error\",\"msg\":\"cannot log: out of memory\"}\n");
		goto out;
	}
	write_line(text);
out:
	free(text);
	cJSON_Delete(line);
	cJSON_Delete(fields);
}

void wlog(enum wlog_level level, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	if (!wlog_enabled(level))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	wlog_event(level, msg, NULL);
}
