#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kube_json.h"
#include "kubeconfig.h"
#include "kubeconfig_int.h"
#include "rtdp/io.h"
#include "rtdp/manifest.h"
#include "rtdp/banned.h"

const cJSON kc_empty_map = {.type = cJSON_Object};

enum field_type { T_STR, T_BOOL, T_MAP, T_LIST, T_STRLIST };

struct field {
	const char *name;
	enum field_type type;
};

/* clang-format off */
static const struct field top_fields[] = {
	{ "apiVersion", T_STR }, { "kind", T_STR }, { "current-context", T_STR },
	{ "preferences", T_MAP }, { "extensions", T_LIST },
};
static const struct field cluster_fields[] = {
	{ "server", T_STR }, { "certificate-authority", T_STR },
	{ "certificate-authority-data", T_STR }, { "insecure-skip-tls-verify", T_BOOL },
	{ "tls-server-name", T_STR }, { "proxy-url", T_STR }, { "disable-compression", T_BOOL },
	{ "extensions", T_LIST },
};
static const struct field user_fields[] = {
	{ "client-certificate", T_STR }, { "client-certificate-data", T_STR },
	{ "client-key", T_STR }, { "client-key-data", T_STR }, { "token", T_STR },
	{ "tokenFile", T_STR }, { "as", T_STR }, { "as-uid", T_STR }, { "as-groups", T_STRLIST },
	{ "as-user-extra", T_MAP }, { "username", T_STR }, { "password", T_STR },
	{ "auth-provider", T_MAP }, { "exec", T_MAP }, { "extensions", T_LIST },
};
static const struct field context_fields[] = {
	{ "cluster", T_STR }, { "user", T_STR }, { "namespace", T_STR }, { "extensions", T_LIST },
};
/* clang-format on */

#define NFIELDS(a) (sizeof(a) / sizeof((a)[0]))

static enum rtdp_rc check_field(const cJSON *obj, const struct field *f, const char *where,
                                struct rtdp_error *err)
{
	const char *s;
	bool b;
	const cJSON *j;

	switch (f->type) {
	case T_STR:
		return kube_json_str(obj, f->name, where, &s, err);
	case T_BOOL:
		return kube_json_bool(obj, f->name, where, &b, err);
	case T_MAP:
		return kube_json_map(obj, f->name, where, &j, err);
	case T_LIST:
		return kube_json_list(obj, f->name, where, &j, err);
	case T_STRLIST:
		return kube_json_str_list(obj, f->name, where, &j, err);
	}
	return RTDP_OK;
}

static enum rtdp_rc check_fields(const cJSON *obj, const struct field *fields, size_t n,
                                 const char *where, struct rtdp_error *err)
{
	size_t i;
	enum rtdp_rc rc;

	for (i = 0; i < n; i++) {
		rc = check_field(obj, &fields[i], where, err);
		if (rc != RTDP_OK)
			return rc;
	}
	return RTDP_OK;
}

/* The name of list item i, checking it is a mapping with a unique, non-empty name. */
static enum rtdp_rc check_entry(const cJSON *list, const cJSON *item, int i, const char *where,
                                struct rtdp_error *err)
{
	const cJSON *other;
	const char *name, *other_name;
	enum rtdp_rc rc;
	int j = 0;

	if (!cJSON_IsObject(item))
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s: expected a mapping, got %s",
		                      where, kube_json_type(item));
	rc = kube_json_str(item, "name", where, &name, err);
	if (rc != RTDP_OK)
		return rc;
	if (!name)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "%s.name: missing", where);
	cJSON_ArrayForEach(other, list)
	{
		if (j++ >= i)
			break;
		other_name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(other, "name"));
		if (other_name && strcmp(other_name, name) == 0)
			return rtdp_error_set(err, RTDP_ERR_INVALID, "%s: duplicate name \"%s\"",
			                      where, name);
	}
	return RTDP_OK;
}

static enum rtdp_rc check_list(const cJSON *root, const char *list_name, const char *inner,
                               const struct field *fields, size_t n, struct rtdp_error *err)
{
	const cJSON *list, *item, *sub;
	char where[96];
	int i = 0;
	enum rtdp_rc rc = kube_json_list(root, list_name, "", &list, err);

	if (rc != RTDP_OK || !list)
		return rc;
	if (cJSON_GetArraySize(list) > KC_MAX_ENTRIES)
		return rtdp_error_set(err, RTDP_ERR_LIMIT, "%s: more than %d entries", list_name,
		                      KC_MAX_ENTRIES);
	cJSON_ArrayForEach(item, list)
	{
		snprintf(where, sizeof(where), "%s[%d]", list_name, i);
		rc = check_entry(list, item, i++, where, err);
		if (rc == RTDP_OK)
			rc = kube_json_map(item, inner, where, &sub, err);
		if (rc == RTDP_OK && sub) {
			snprintf(where, sizeof(where), "%s[%d].%s", list_name, i - 1, inner);
			rc = check_fields(sub, fields, n, where, err);
		}
		if (rc != RTDP_OK)
			return rc;
	}
	return RTDP_OK;
}

enum rtdp_rc kc_validate(const cJSON *root, struct rtdp_error *err)
{
	enum rtdp_rc rc;

	if (!cJSON_IsObject(root))
		return rtdp_error_set(err, RTDP_ERR_INVALID, "expected a mapping, got %s",
		                      kube_json_type(root));
	rc = check_fields(root, top_fields, NFIELDS(top_fields), "", err);
	if (rc == RTDP_OK)
		rc = check_list(root, "clusters", "cluster", cluster_fields,
		                NFIELDS(cluster_fields), err);
	if (rc == RTDP_OK)
		rc = check_list(root, "users", "user", user_fields, NFIELDS(user_fields), err);
	if (rc == RTDP_OK)
		rc = check_list(root, "contexts", "context", context_fields,
		                NFIELDS(context_fields), err);
	return rc;
}

const cJSON *kc_find(const struct kc_files *fs, const char *list, const char *inner,
                     const char *name, const struct kc_file **file)
{
	const cJSON *item, *sub;
	const char *item_name;
	size_t i;

	for (i = 0; i < fs->n; i++) {
		cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(fs->items[i].root, list))
		{
			item_name = cJSON_GetStringValue(
			        cJSON_GetObjectItemCaseSensitive(item, "name"));
			if (!item_name || strcmp(item_name, name) != 0)
				continue;
			*file = &fs->items[i];
			sub = cJSON_GetObjectItemCaseSensitive(item, inner);
			return cJSON_IsObject(sub) ? sub : &kc_empty_map;
		}
	}
	*file = NULL;
	return NULL;
}

char *kc_path(const char *dir, const char *p)
{
	size_t n;
	char *out;

	if (p[0] == '/' || !dir)
		return strdup(p);
	n = strlen(dir) + strlen(p) + 2;
	out = malloc(n);
	if (out)
		snprintf(out, n, "%s/%s", dir, p);
	return out;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir;

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	dir = malloc((size_t)(slash - path) + 1);
	if (dir) {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	return dir;
}

static enum rtdp_rc parse_bytes(struct kc_file *f, const char *path, const char *bytes, size_t len,
                                struct rtdp_error *err)
{
	struct rtdp_limits lim;
	enum rtdp_rc rc;

	rtdp_limits_default(&lim);
	lim.max_bytes = KUBE_KUBECONFIG_MAX;
	lim.max_depth = 64;
	lim.max_documents = 1;
	rc = rtdp_yaml_parse_one(path, bytes, len, &lim, &f->root, err);
	if (rc != RTDP_OK)
		return rtdp_error_prefix(err, "kubeconfig ");
	if (kc_validate(f->root, err) != RTDP_OK)
		return rtdp_error_prefix(err, "kubeconfig '%s': ", path);
	f->path = strdup(path);
	f->dir = dir_of(path);
	if (!f->path || !f->dir)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	return RTDP_OK;
}

static enum rtdp_rc parse_file(struct kc_file *f, const char *path, struct rtdp_error *err)
{
	char *bytes = NULL;
	size_t len = 0;
	enum rtdp_rc rc = rtdp_read_file(path, KUBE_KUBECONFIG_MAX, &bytes, &len, err);

	if (rc != RTDP_OK)
		return rtdp_error_prefix(err, "kubeconfig: ");
	rc = parse_bytes(f, path, bytes, len, err);
	free(bytes);
	return rc;
}

static void release_file(struct kc_file *f)
{
	cJSON_Delete(f->root);
	free(f->dir);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

/* Loads path unless already loaded; a missing optional file is skipped. */
static enum rtdp_rc add_file(struct kc_files *fs, const char *path, bool must_exist,
                             struct rtdp_error *err)
{
	struct stat st;
	size_t i;
	enum rtdp_rc rc;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->items[i].path, path) == 0)
			return RTDP_OK;
	if (!must_exist && stat(path, &st) != 0 && errno == ENOENT)
		return RTDP_OK;
	if (fs->n == KC_MAX_FILES)
		return rtdp_error_set(err, RTDP_ERR_LIMIT,
		                      "too many kubeconfig files (the limit is %d)", KC_MAX_FILES);
	rc = parse_file(&fs->items[fs->n], path, err);
	if (rc != RTDP_OK) {
		release_file(&fs->items[fs->n]);
		return rc;
	}
	fs->n++;
	return RTDP_OK;
}

static enum rtdp_rc add_list(struct kc_files *fs, const char *list, struct rtdp_error *err)
{
	char *copy = strdup(list);
	char *p = copy, *colon;
	enum rtdp_rc rc = RTDP_OK;

	if (!copy)
		return rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	while (rc == RTDP_OK && p) {
		colon = strchr(p, ':');
		if (colon)
			*colon = '\0';
		if (*p)
			rc = add_file(fs, p, false, err);
		p = colon ? colon + 1 : NULL;
	}
	free(copy);
	return rc;
}

static enum rtdp_rc load_files(struct kc_files *fs, const struct kube_conn_flags *flags,
                               struct rtdp_error *err)
{
	const char *env = getenv("KUBECONFIG");
	const char *home = getenv("HOME");
	char path[4096];

	if (flags->kubeconfig) {
		snprintf(fs->where, sizeof(fs->where), "kubeconfig '%s'", flags->kubeconfig);
		return add_file(fs, flags->kubeconfig, true, err);
	}
	if (env && *env) {
		snprintf(fs->where, sizeof(fs->where), "KUBECONFIG '%s'", env);
		return add_list(fs, env, err);
	}
	if (!home || !*home) {
		snprintf(fs->where, sizeof(fs->where), "kubeconfig (HOME is not set)");
		return RTDP_OK;
	}
	snprintf(path, sizeof(path), "%s/.kube/config", home);
	snprintf(fs->where, sizeof(fs->where), "kubeconfig '%s'", path);
	return add_file(fs, path, false, err);
}

static const char *current_context(const struct kc_files *fs)
{
	const char *s;
	size_t i;

	for (i = 0; i < fs->n; i++) {
		s = cJSON_GetStringValue(
		        cJSON_GetObjectItemCaseSensitive(fs->items[i].root, "current-context"));
		if (s && *s)
			return s;
	}
	return NULL;
}

/* The cluster or user entry name (from its flag or the context), found or NULL. */
static enum rtdp_rc find_named(const struct kc_files *fs, const char *kind, const char *flag,
                               const char *name, const char *ctx_name, const cJSON **entry,
                               const struct kc_file **file, struct rtdp_error *err)
{
	char list[16];

	*entry = NULL;
	*file = NULL;
	if (!name)
		return RTDP_OK;
	snprintf(list, sizeof(list), "%ss", kind);
	*entry = kc_find(fs, list, kind, name, file);
	if (*entry)
		return RTDP_OK;
	if (flag)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "%s \"%s\" (from --%s) not found in %s", kind, name, kind,
		                      fs->where);
	return rtdp_error_set(err, RTDP_ERR_INVALID,
	                      "context \"%s\" names %s \"%s\", which is not in %s", ctx_name, kind,
	                      name, fs->where);
}

static enum rtdp_rc set_names(struct kube_config *cfg, const char *source, const char *cluster,
                              const char *user, struct rtdp_error *err)
{
	enum rtdp_rc rc = kube_dup(&cfg->source, source, err);

	if (rc == RTDP_OK)
		rc = kube_dup(&cfg->cluster, cluster, err);
	if (rc == RTDP_OK)
		rc = kube_dup(&cfg->user, user, err);
	return rc;
}

static enum rtdp_rc resolve_parts(struct kube_config *cfg, const struct kc_files *fs,
                                  const cJSON *ctx, const struct kc_file *ctx_file,
                                  const struct kube_conn_flags *flags, struct rtdp_error *err)
{
	const cJSON *cluster, *user;
	const struct kc_file *cfile, *ufile;
	const char *cname, *uname;
	char label[640];
	enum rtdp_rc rc;

	kube_json_str(ctx, "cluster", "", &cname, err);
	kube_json_str(ctx, "user", "", &uname, err);
	cname = flags->cluster ? flags->cluster : cname;
	uname = flags->user ? flags->user : uname;
	if (!cname && !flags->server)
		return rtdp_error_set(err, RTDP_ERR_INVALID,
		                      "context \"%s\" in %s names no cluster", cfg->context,
		                      fs->where);
	rc = find_named(fs, "cluster", flags->cluster, cname, cfg->context, &cluster, &cfile, err);
	if (rc == RTDP_OK)
		rc = find_named(fs, "user", flags->user, uname, cfg->context, &user, &ufile, err);
	if (rc == RTDP_OK)
		rc = set_names(cfg, ctx_file->path, cname, uname, err);
	if (rc != RTDP_OK)
		return rc;
	snprintf(label, sizeof(label), "kubeconfig '%s': cluster \"%s\"",
	         cfile ? cfile->path : ctx_file->path, cname ? cname : "");
	rc = kc_resolve_cluster(cfg, cluster, cfile, flags, label, err);
	snprintf(label, sizeof(label), "kubeconfig '%s': user \"%s\"",
	         ufile ? ufile->path : ctx_file->path, uname ? uname : "");
	if (rc == RTDP_OK)
		rc = kc_resolve_user(cfg, user, ufile, flags, label, err);
	return rc;
}

static enum rtdp_rc resolve_context(struct kube_config *cfg, const struct kc_files *fs,
                                    const char *name, const struct kube_conn_flags *flags,
                                    struct rtdp_error *err)
{
	const struct kc_file *file;
	const cJSON *ctx = kc_find(fs, "contexts", "context", name, &file);
	const char *ns = NULL;
	enum rtdp_rc rc;

	if (!ctx)
		return rtdp_error_set(err, RTDP_ERR_INVALID, "context \"%s\"%s not found in %s",
		                      name, flags->context ? " (from --context)" : "", fs->where);
	rc = kube_dup(&cfg->context, name, err);
	if (rc == RTDP_OK)
		rc = resolve_parts(cfg, fs, ctx, file, flags, err);
	if (rc != RTDP_OK)
		return rc;
	kube_json_str(ctx, "namespace", "", &ns, err);
	return kube_dup(&cfg->namespace,
	                flags->namespace ? flags->namespace
	                : ns             ? ns
	                                 : "default",
	                err);
}

static enum rtdp_rc from_flags(struct kube_config *cfg, const struct kube_conn_flags *flags,
                               struct rtdp_error *err)
{
	enum rtdp_rc rc = set_names(cfg, "<flags>", NULL, NULL, err);

	if (rc == RTDP_OK)
		rc = kc_resolve_cluster(cfg, NULL, NULL, flags, "flags", err);
	if (rc == RTDP_OK)
		rc = kc_resolve_user(cfg, NULL, NULL, flags, "flags", err);
	if (rc == RTDP_OK)
		rc = kube_dup(&cfg->namespace, flags->namespace ? flags->namespace : "default",
		              err);
	return rc;
}

static enum rtdp_rc select_config(struct kube_config *cfg, const struct kc_files *fs,
                                  const struct kube_conn_flags *flags, const char *sa_dir,
                                  struct rtdp_error *err)
{
	const char *ctx = flags->context ? flags->context : current_context(fs);

	if (ctx)
		return resolve_context(cfg, fs, ctx, flags, err);
	if (flags->server)
		return from_flags(cfg, flags, err);
	if (kc_in_cluster_possible(sa_dir))
		return kc_in_cluster(cfg, flags, sa_dir, err);
	if (fs->n == 0)
		return rtdp_error_set(err, RTDP_ERR_NOTFOUND,
		                      "no configuration has been provided: no %s, and not running "
		                      "in a cluster (use --kubeconfig, KUBECONFIG or --server)",
		                      fs->where);
	return rtdp_error_set(err, RTDP_ERR_INVALID,
	                      "no context chosen: %s sets no current-context (use --context)",
	                      fs->where);
}

/*
 * The part of loading after the files are read (rc says whether reading
 * worked): picks the context, applies the flags, and releases the files.
 */
static enum rtdp_rc resolve(struct kc_files *fs, enum rtdp_rc rc,
                            const struct kube_conn_flags *flags,
                            const struct kube_load_options *opts, struct kube_config **out,
                            struct rtdp_error *err)
{
	static const struct kube_conn_flags none;
	const char *sa_dir = opts && opts->sa_dir ? opts->sa_dir : KUBE_DEFAULT_SA_DIR;
	struct kube_config *cfg = rc == RTDP_OK ? calloc(1, sizeof(*cfg)) : NULL;
	size_t i;

	if (rc == RTDP_OK && !cfg)
		rc = rtdp_error_set(err, RTDP_ERR_NOMEM, "out of memory");
	flags = flags ? flags : &none;
	if (rc == RTDP_OK)
		rc = select_config(cfg, fs, flags, sa_dir, err);
	if (rc == RTDP_OK)
		rc = kc_apply_common_flags(cfg, flags, err);
	if (rc == RTDP_OK) {
		*out = cfg;
		cfg = NULL;
	}
	for (i = 0; i < fs->n; i++)
		release_file(&fs->items[i]);
	kube_config_free(cfg);
	return rc;
}

enum rtdp_rc kube_config_load_opts(const struct kube_conn_flags *flags,
                                   const struct kube_load_options *opts, struct kube_config **out,
                                   struct rtdp_error *err)
{
	static const struct kube_conn_flags none;
	struct kc_files fs;

	*out = NULL;
	memset(&fs, 0, sizeof(fs));
	return resolve(&fs, load_files(&fs, flags ? flags : &none, err), flags, opts, out, err);
}

enum rtdp_rc kube_config_parse(const char *name, const char *bytes, size_t len,
                               const struct kube_conn_flags *flags,
                               const struct kube_load_options *opts, struct kube_config **out,
                               struct rtdp_error *err)
{
	struct kc_files fs;
	enum rtdp_rc rc;

	*out = NULL;
	memset(&fs, 0, sizeof(fs));
	snprintf(fs.where, sizeof(fs.where), "kubeconfig '%s'", name);
	fs.items[0].skip_files = opts && opts->skip_files;
	rc = parse_bytes(&fs.items[0], name, bytes, len, err);
	fs.n = 1;
	return resolve(&fs, rc, flags, opts, out, err);
}

enum rtdp_rc kube_config_load(const struct kube_conn_flags *flags, struct kube_config **out,
                              struct rtdp_error *err)
{
	return kube_config_load_opts(flags, NULL, out, err);
}

void kube_config_free(struct kube_config *cfg)
{
	size_t i;

	if (!cfg)
		return;
	free(cfg->source);
	free(cfg->context);
	free(cfg->cluster);
	free(cfg->user);
	free(cfg->server);
	free(cfg->namespace);
	kube_blob_release(&cfg->ca);
	kube_blob_release(&cfg->client_cert);
	kube_blob_release(&cfg->client_key);
	kube_free_secret(cfg->token);
	free(cfg->token_file);
	free(cfg->username);
	kube_free_secret(cfg->password);
	free(cfg->tls_server_name);
	free(cfg->proxy_url);
	kube_exec_config_free(cfg->exec);
	free(cfg->exec_cluster_config);
	free(cfg->as);
	free(cfg->as_uid);
	for (i = 0; i < cfg->n_as_groups; i++)
		free(cfg->as_groups[i]);
	free(cfg->as_groups);
	free(cfg);
}
