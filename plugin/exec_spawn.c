#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "exec_credential.h"
#include "kubeconfig.h"
#include "rtdp/buf.h"
#include "rtdp/banned.h"

extern char **environ;

#define EXEC_INFO "KUBERNETES_EXEC_INFO"
#define EXPIRY_SKEW_S 10 /* refresh a little before the plugin's expiry */

/* An environment block: NULL-terminated, every string owned. */
struct envp {
	char **v;
	size_t n;
};

static void envp_release(struct envp *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		kube_free_secret(e->v[i]);
	free(e->v);
	e->v = NULL;
	e->n = 0;
}

static bool overridden(const struct kube_exec_config *x, const char *entry)
{
	size_t i, len = strcspn(entry, "=");

	if (len == strlen(EXEC_INFO) && strncmp(entry, EXEC_INFO, len) == 0)
		return true;
	for (i = 0; i < x->nenv; i++)
		if (strlen(x->env[i].name) == len && memcmp(x->env[i].name, entry, len) == 0)
			return true;
	return false;
}

static enum rtdp_rc envp_addf(struct envp *e, const char *name, const char *value,
                              struct rtdp_error *err)
{
	size_t n = strlen(name) + strlen(value) + 2;

	e->v[e->n] = malloc(n);
	if (!e->v[e->n])
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	snprintf(e->v[e->n++], n, "%s=%s", name, value);
	return RTDP_OK;
}

/* The parent's environment less what the plugin config overrides, plus env and info. */
static enum rtdp_rc build_env(struct envp *e, const struct kube_exec_config *x, const char *info,
                              struct rtdp_error *err)
{
	size_t i, count = 0;
	enum rtdp_rc rc = RTDP_OK;

	while (environ && environ[count])
		count++;
	e->v = calloc(count + x->nenv + 2, sizeof(*e->v));
	if (!e->v)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	for (i = 0; i < count && rc == RTDP_OK; i++) {
		if (overridden(x, environ[i]))
			continue;
		e->v[e->n] = strdup(environ[i]);
		if (!e->v[e->n++])
			rc = rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	}
	for (i = 0; i < x->nenv && rc == RTDP_OK; i++)
		rc = envp_addf(e, x->env[i].name, x->env[i].value, err);
	if (rc == RTDP_OK)
		rc = envp_addf(e, EXEC_INFO, info, err);
	return rc;
}

static enum rtdp_rc build_argv(char ***argv, const struct kube_exec_config *x,
                               struct rtdp_error *err)
{
	size_t i;

	*argv = calloc(x->nargs + 2, sizeof(**argv));
	if (!*argv)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	(*argv)[0] = x->command;
	for (i = 0; i < x->nargs; i++)
		(*argv)[i + 1] = x->args[i];
	return RTDP_OK;
}

static enum rtdp_rc spawn_error(const struct kube_exec_config *x, int e, struct rtdp_error *err)
{
	if (e == ENOENT)
		return rtdp_error_set(err, RTDP_ERR_NOTFOUND,
		                      "exec plugin: executable '%s' not found%s%s", x->command,
		                      x->install_hint ? ": " : "",
		                      x->install_hint ? x->install_hint : "");
	return rtdp_error_set(err, RTDP_ERR_IO, "cannot run exec plugin '%s': %s", x->command,
	                      strerror(e));
}

/* Whether path is an executable regular file; sets errno when not. */
static bool executable(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return false;
	if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
		errno = EACCES;
		return false;
	}
	return true;
}

/*
 * Finds the program as exec.LookPath does: a command with a '/' is used as it
 * is, a bare one is searched on PATH (an empty entry is the current
 * directory). Deciding before spawning keeps "not found" and "permission
 * denied" apart whatever posix_spawn does underneath.
 */
static enum rtdp_rc lookpath(const struct kube_exec_config *x, char *out, size_t n,
                             struct rtdp_error *err)
{
	const char *path = getenv("PATH"), *p, *end;
	int len;

	if (strchr(x->command, '/')) {
		snprintf(out, n, "%s", x->command);
		return executable(out) ? RTDP_OK : spawn_error(x, errno, err);
	}
	for (p = path ? path : "/usr/local/bin:/usr/bin:/bin"; p; p = end ? end + 1 : NULL) {
		end = strchr(p, ':');
		len = end ? (int)(end - p) : (int)strlen(p);
		snprintf(out, n, "%.*s%s%s", len, len ? p : ".", "/", x->command);
		if (executable(out))
			return RTDP_OK;
	}
	return spawn_error(x, ENOENT, err);
}

/* Starts the plugin with its standard output on *out_fd. */
static enum rtdp_rc spawn(const struct kube_exec_config *x, char **argv, char **envp,
                          bool interactive, pid_t *pid, int *out_fd, struct rtdp_error *err)
{
	posix_spawn_file_actions_t fa;
	char program[4096];
	int fds[2];
	int e;
	enum rtdp_rc rc = lookpath(x, program, sizeof(program), err);

	if (rc != RTDP_OK)
		return rc;
	if (pipe(fds) != 0)
		return rtdp_error_set(err, RTDP_ERR_IO, "cannot run exec plugin '%s': %s",
		                      x->command, strerror(errno));
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	if (!interactive)
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addclose(&fa, fds[1]);
	e = posix_spawn(pid, program, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (e != 0) {
		close(fds[0]);
		return spawn_error(x, e, err);
	}
	*out_fd = fds[0];
	return RTDP_OK;
}

static enum rtdp_rc read_all(int fd, struct rtdp_buf *b, const char *cmd, struct rtdp_error *err)
{
	char chunk[4096];
	ssize_t got;

	for (;;) {
		got = read(fd, chunk, sizeof(chunk));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return rtdp_error_set(err, RTDP_ERR_IO, "exec plugin '%s': %s", cmd,
			                      strerror(errno));
		if (got == 0)
			return RTDP_OK;
		if (rtdp_buf_add(b, chunk, (size_t)got) != RTDP_OK)
			return rtdp_error_set(err, RTDP_ERR_LIMIT,
			                      "exec plugin '%s' printed more than %zu bytes", cmd,
			                      b->max);
	}
}

static enum rtdp_rc reap(pid_t pid, bool kill_it, const char *cmd, struct rtdp_error *err)
{
	int status = 0;

	if (kill_it)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return rtdp_error_set(err, RTDP_ERR_IO, "exec plugin '%s': %s", cmd,
			                      strerror(errno));
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return RTDP_OK;
	if (WIFEXITED(status))
		return rtdp_error_set(err, RTDP_ERR_IO, "exec plugin '%s' failed with exit code %d",
		                      cmd, WEXITSTATUS(status));
	return rtdp_error_set(err, RTDP_ERR_IO, "exec plugin '%s' was killed by signal %d", cmd,
	                      WTERMSIG(status));
}

/* Runs the plugin and collects what it prints into out. */
static enum rtdp_rc run_collect(const struct kube_exec_config *x, char **argv, char **envp,
                                bool interactive, struct rtdp_buf *out, struct rtdp_error *err)
{
	pid_t pid;
	int fd = -1;
	enum rtdp_rc rc = spawn(x, argv, envp, interactive, &pid, &fd, err);
	enum rtdp_rc wait_rc;

	if (rc != RTDP_OK)
		return rc;
	rc = read_all(fd, out, x->command, err);
	close(fd);
	wait_rc = reap(pid, rc != RTDP_OK, x->command, err);
	return rc != RTDP_OK ? rc : wait_rc;
}

static enum rtdp_rc interactive_mode(const struct kube_exec_config *x, bool stdin_tty,
                                     bool *interactive, struct rtdp_error *err)
{
	*interactive = x->interactive != KUBE_EXEC_NEVER && stdin_tty;
	if (x->interactive == KUBE_EXEC_ALWAYS && !stdin_tty)
		return rtdp_error_set(err, RTDP_ERR_USAGE,
		                      "exec plugin '%s' needs a terminal (interactiveMode Always) "
		                      "but standard input is not one",
		                      x->command);
	return RTDP_OK;
}

enum rtdp_rc kube_exec_run(const struct kube_config *cfg, bool stdin_tty,
                           struct kube_exec_credential *out, struct rtdp_error *err)
{
	const struct kube_exec_config *x = cfg->exec;
	struct envp env = {NULL, 0};
	char **argv = NULL;
	char *info = NULL;
	struct rtdp_buf reply;
	bool interactive = false;
	enum rtdp_rc rc = interactive_mode(x, stdin_tty, &interactive, err);

	kube_exec_credential_init(out);
	rtdp_buf_init(&reply, KUBE_EXEC_REPLY_MAX);
	if (rc == RTDP_OK && !(info = kube_exec_info(cfg, interactive)))
		rc = rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	if (rc == RTDP_OK)
		rc = build_env(&env, x, info, err);
	if (rc == RTDP_OK)
		rc = build_argv(&argv, x, err);
	if (rc == RTDP_OK)
		rc = run_collect(x, argv, env.v, interactive, &reply, err);
	if (rc == RTDP_OK)
		rc = kube_exec_parse_reply(x->api_version, reply.data ? reply.data : "", reply.len,
		                           out, err);
	if (reply.data)
		memset(reply.data, 0, reply.len);
	rtdp_buf_release(&reply);
	free(argv);
	envp_release(&env);
	free(info);
	return rc;
}

enum rtdp_rc kube_exec_get(struct kube_exec_cache *c, const struct kube_config *cfg, bool refresh,
                           const struct kube_exec_credential **out, struct rtdp_error *err)
{
	struct kube_exec_credential fresh;
	time_t now = time(NULL);
	bool tty = c->stdin_tty < 0 ? isatty(STDIN_FILENO) == 1 : c->stdin_tty != 0;
	enum rtdp_rc rc;

	*out = NULL;
	if (c->valid && !refresh && (c->cred.expiry == 0 || now + EXPIRY_SKEW_S < c->cred.expiry)) {
		*out = &c->cred;
		return RTDP_OK;
	}
	if (refresh) /* the server refused it: never fall back to it */
		kube_exec_cache_release(c);
	c->runs++;
	rc = kube_exec_run(cfg, tty, &fresh, err);
	if (rc != RTDP_OK)
		return rc;
	kube_exec_credential_release(&c->cred);
	c->cred = fresh;
	c->valid = true;
	*out = &c->cred;
	return RTDP_OK;
}
