#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diff_files.h"
#include "rtdp/buf.h"
#include "rtdp/yaml_emit.h"
#include "rtdp/banned.h"

#define DIFF_MAX_ARGS 32
#define DIFF_MAX_YAML (64u << 20)

static enum rtdp_rc make_dir(char *out, const char *what, struct rtdp_error *err)
{
	const char *tmp = getenv("TMPDIR");
	int w;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	w = snprintf(out, DIFF_DIR_MAX, "%s/%s-XXXXXX", tmp, what);
	if (w < 0 || w >= DIFF_DIR_MAX) {
		out[0] = '\0';
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "TMPDIR is too long");
	}
	if (!mkdtemp(out)) {
		out[0] = '\0';
		return rtdp_error_set(err, RTDP_ERR_IO,
		                      "cannot create a temporary directory in %s: %s", tmp,
		                      strerror(errno));
	}
	return RTDP_OK;
}

enum rtdp_rc diff_dirs_create(struct diff_dirs *d, struct rtdp_error *err)
{
	d->live[0] = d->merged[0] = '\0';
	if (make_dir(d->live, "LIVE", err) != RTDP_OK)
		return err->rc;
	return make_dir(d->merged, "MERGED", err);
}

/* Removes dir's files (flat: we write no subdirectories) and dir. */
static void remove_dir(const char *dir)
{
	char path[DIFF_DIR_MAX + 512];
	struct dirent *e;
	DIR *dp;

	if (!dir[0] || !(dp = opendir(dir)))
		return;
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path))
			unlink(path);
	}
	closedir(dp);
	rmdir(dir);
}

void diff_dirs_remove(struct diff_dirs *d)
{
	remove_dir(d->live);
	remove_dir(d->merged);
	d->live[0] = d->merged[0] = '\0';
}

static enum rtdp_rc write_file(const char *dir, const char *file, const cJSON *obj,
                               struct rtdp_error *err)
{
	char path[DIFF_DIR_MAX + 512];
	struct rtdp_buf yaml;
	enum rtdp_rc rc = RTDP_OK;
	FILE *f;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", dir, file) >= (int)sizeof(path))
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "file name too long: %s", file);
	rtdp_buf_init(&yaml, DIFF_MAX_YAML);
	if (obj && rtdp_yaml_emit(obj, &yaml) != RTDP_OK) {
		rtdp_buf_release(&yaml);
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "cannot print %s as YAML", file);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		rc = rtdp_error_set(err, RTDP_ERR_IO, "cannot write %s: %s", path, strerror(errno));
	} else {
		if (yaml.len && fwrite(yaml.data, 1, yaml.len, f) != yaml.len)
			rc = rtdp_error_set(err, RTDP_ERR_IO, "cannot write %s", path);
		if (fclose(f) != 0 && rc == RTDP_OK)
			rc = rtdp_error_set(err, RTDP_ERR_IO, "cannot write %s", path);
	}
	rtdp_buf_release(&yaml);
	return rc;
}

enum rtdp_rc diff_dirs_write(const struct diff_dirs *d, const char *api_version, const char *kind,
                             const char *ns, const char *name, const cJSON *live,
                             const cJSON *merged, struct rtdp_error *err)
{
	char file[512], gv[128];
	size_t i;

	if (snprintf(gv, sizeof(gv), "%s", api_version) >= (int)sizeof(gv))
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "apiVersion too long");
	for (i = 0; gv[i]; i++)
		if (gv[i] == '/')
			gv[i] = '.';
	if (snprintf(file, sizeof(file), "%s.%s.%s.%s", gv, kind, ns, name) >= (int)sizeof(file))
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "object name too long: %s", name);
	if (strchr(name, '/') || strchr(ns, '/'))
		return rtdp_error_set(err, RTDP_ERR_INVALID, "invalid object name: %s", name);
	if (write_file(d->live, file, live, err) != RTDP_OK)
		return err->rc;
	return write_file(d->merged, file, merged, err);
}

/*
 * argv for the diff program: $KUBECTL_EXTERNAL_DIFF split on spaces (as
 * kubectl does), else "diff -u -N"; then LIVE and MERGED. Splits into buf.
 */
static int diff_argv(const struct diff_dirs *d, char *buf, size_t n, char **argv)
{
	const char *ext = getenv("KUBECTL_EXTERNAL_DIFF");
	int argc = 0;
	char *p, *save = NULL;

	if (!ext || !*ext)
		ext = "diff -u -N";
	if (snprintf(buf, n, "%s", ext) >= (int)n)
		return -1;
	for (p = strtok_r(buf, " \t", &save); p && argc < DIFF_MAX_ARGS - 3;
	     p = strtok_r(NULL, " \t", &save))
		argv[argc++] = p;
	if (argc == 0)
		return -1;
	argv[argc++] = (char *)d->live;
	argv[argc++] = (char *)d->merged;
	argv[argc] = NULL;
	return argc;
}

int diff_dirs_run(const struct diff_dirs *d, struct rtdp_error *err)
{
	char *argv[DIFF_MAX_ARGS], buf[1024];
	int status;
	pid_t pid;

	if (diff_argv(d, buf, sizeof(buf), argv) < 0)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "KUBECTL_EXTERNAL_DIFF is empty or too long"),
		       -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return rtdp_error_set(err, RTDP_ERR_IO, "fork: %s", strerror(errno)), -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "error: failed to run \"%s\": %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return rtdp_error_set(err, RTDP_ERR_IO, "waitpid: %s", strerror(errno)), -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	rtdp_error_set(err, RTDP_ERR_IO, "%s was killed by signal %d", argv[0], WTERMSIG(status));
	return -1;
}

static void strip(cJSON *obj)
{
	cJSON *meta = cJSON_GetObjectItemCaseSensitive(obj, "metadata");

	if (cJSON_IsObject(meta))
		cJSON_DeleteItemFromObjectCaseSensitive(meta, "managedFields");
}

static bool is_secret(const cJSON *obj)
{
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(obj, "kind");

	return cJSON_IsString(kind) && strcmp(kind->valuestring, "Secret") == 0;
}

/* Replaces a string value with text, in place (the node stays). */
static void mask_value(cJSON *item, const char *text)
{
	if (cJSON_IsString(item))
		cJSON_SetValuestring(item, text);
}

/* kubectl's Masker over data: values compared before they are hidden. */
static void mask_data(cJSON *from, cJSON *to)
{
	cJSON *e;

	for (e = from ? from->child : NULL; e; e = e->next) {
		cJSON *o = to ? cJSON_GetObjectItemCaseSensitive(to, e->string) : NULL;
		bool differ = o && !cJSON_Compare(e, o, true);

		if (o)
			mask_value(o, differ ? "*** (after)" : "***");
		mask_value(e, differ ? "*** (before)" : "***");
	}
	for (e = to ? to->child : NULL; e; e = e->next)
		if (!from || !cJSON_GetObjectItemCaseSensitive(from, e->string))
			mask_value(e, "***");
}

void diff_prepare(cJSON *live, cJSON *merged)
{
	static const char *const fields[] = {"data", "stringData"};
	size_t i;

	strip(live);
	strip(merged);
	if (!(live && is_secret(live)) && !(merged && is_secret(merged)))
		return;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		cJSON *a = live ? cJSON_GetObjectItemCaseSensitive(live, fields[i]) : NULL;
		cJSON *b = merged ? cJSON_GetObjectItemCaseSensitive(merged, fields[i]) : NULL;

		mask_data(cJSON_IsObject(a) ? a : NULL, cJSON_IsObject(b) ? b : NULL);
	}
}
