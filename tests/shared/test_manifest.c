/*
 * The YAML loader: kubectl's scalar rules, streams, Lists, anchors, errors that
 * name file/document/line/column, directory walking, stdin, and the limits that
 * stop alias bombs, deep nesting and huge inputs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "rtdp/banned.h"

static const cJSON *data_of(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(obj, "data"), key);

	if (!v)
		fail_msg("no data.%s", key);
	return v;
}

static const char *name_of(const cJSON *obj)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(
	        cJSON_GetObjectItemCaseSensitive(obj, "metadata"), "name");

	return cJSON_IsString(n) ? n->valuestring : "?";
}

static void assert_number(const cJSON *obj, const char *key, double want)
{
	const cJSON *v = data_of(obj, key);

	if (!cJSON_IsNumber(v) || v->valuedouble != want)
		fail_msg("data.%s: want the number %g", key, want);
}

static void assert_string(const cJSON *obj, const char *key, const char *want)
{
	const cJSON *v = data_of(obj, key);

	if (!cJSON_IsString(v) || strcmp(v->valuestring, want) != 0)
		fail_msg("data.%s: want the string \"%s\"", key, want);
}

static void assert_bool(const cJSON *obj, const char *key, int want)
{
	const cJSON *v = data_of(obj, key);

	if (!cJSON_IsBool(v) || cJSON_IsTrue(v) != want)
		fail_msg("data.%s: want the boolean %d", key, want);
}

/* Parses text as the stream name; returns rc, err filled. */
static enum rtdp_rc parse_text(struct rtdp_object_set *set, const char *name, const char *text,
                               const struct rtdp_limits *lim, struct rtdp_error *err)
{
	struct rtdp_limits def;

	rtdp_limits_default(&def);
	rtdp_error_init(err);
	return rtdp_manifest_parse(set, name, text, strlen(text), lim ? lim : &def, err);
}

static enum rtdp_rc load_rel(struct rtdp_object_set *set, const char *rel, bool recursive,
                             struct rtdp_error *err)
{
	struct rtdp_limits lim;

	rtdp_limits_default(&lim);
	rtdp_error_init(err);
	return rtdp_manifest_load_path(set, fixture_path(rel), recursive, &lim, err);
}

static void test_kubectl_scalar_rules(void **state)
{
	struct rtdp_object_set set;
	const cJSON *o;

	(void)state;
	rtdp_object_set_init(&set);
	load_fixture(&set, "manifests/loader/scalars.yaml");
	assert_int_equal(set.len, 1);
	o = set.items[0].json;
	assert_string(o, "quoted", "8080");
	assert_string(o, "single", "8080");
	assert_number(o, "int", 8080);
	assert_number(o, "negative", -12);
	assert_number(o, "plus", 7);
	assert_number(o, "underscores", 1000);
	assert_number(o, "hex", 31);
	assert_number(o, "octal", 493);
	assert_number(o, "octal_o", 15);
	assert_number(o, "binary", 5);
	assert_number(o, "float", 1.5);
	assert_number(o, "exponent", 1000);
	assert_number(o, "leading_dot", 0.5);
	assert_number(o, "nine", 9); /* not octal, so go-yaml's float rule: 9 */
	assert_number(o, "big", 9223372036854775807.0);
	assert_bool(o, "t_true", 1);
	assert_bool(o, "t_True", 1);
	assert_bool(o, "t_yes", 1);
	assert_bool(o, "t_on", 1);
	assert_bool(o, "t_y", 1);
	assert_bool(o, "f_false", 0);
	assert_bool(o, "f_no", 0);
	assert_bool(o, "f_off", 0);
	assert_true(cJSON_IsNull(data_of(o, "null_tilde")));
	assert_true(cJSON_IsNull(data_of(o, "null_word")));
	assert_true(cJSON_IsNull(data_of(o, "null_empty")));
	assert_string(o, "quoted_true", "true");
	assert_string(o, "quoted_null", "null");
	assert_string(o, "word", "hello");
	assert_string(o, "version", "1.27.3");
	assert_string(o, "not_hex", "0x");
	assert_string(o, "tagged_str", "42");
	assert_number(o, "tagged_int", 42);
	assert_string(o, "block", "two\nlines\n");
	rtdp_object_set_release(&set);
}

static void test_special_floats_are_errors(void **state)
{
	static const char *const cases[] = {".inf", "-.Inf", "+.INF", ".nan", ".NaN"};
	struct rtdp_object_set set;
	struct rtdp_error err;
	char text[128];
	size_t i;

	(void)state;
	rtdp_object_set_init(&set);
	assert_error(load_rel(&set, "manifests/loader/inf.yaml", false, &err), &err, RTDP_ERR_PARSE,
	             "inf.yaml': document 1: line 6, column 8: '.inf' has no JSON form");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "kind: X\nv: %s\n", cases[i]);
		assert_error(parse_text(&set, "f.yaml", text, NULL, &err), &err, RTDP_ERR_PARSE,
		             "'f.yaml': document 1: line 2, column 4:", "has no JSON form");
	}
	assert_int_equal(set.len, 0);
	rtdp_object_set_release(&set);
}

static void test_multi_document_stream_skips_empty_documents(void **state)
{
	struct rtdp_object_set set;

	(void)state;
	rtdp_object_set_init(&set);
	load_fixture(&set, "manifests/loader/multi.yaml");
	assert_int_equal(set.len, 3);
	assert_string_equal(name_of(set.items[0].json), "first");
	assert_string_equal(name_of(set.items[1].json), "second");
	assert_string_equal(name_of(set.items[2].json), "third");
	/* document indexes count the empty documents, as people do when reading the file */
	assert_int_equal(set.items[0].document, 0);
	assert_int_equal(set.items[1].document, 3);
	assert_int_equal(set.items[2].document, 4);
	assert_int_equal(set.items[0].line, 1);
	assert_int_equal(set.items[1].line, 9);
	assert_int_equal(set.items[2].line, 15);
	assert_int_equal(set.items[1].item, -1);
	assert_non_null(strstr(set.items[0].source, "multi.yaml"));
	rtdp_object_set_release(&set);
}

static void test_empty_streams_give_no_objects(void **state)
{
	static const char *const cases[] = {
	        "", "\n", "# comment\n", "---\n", "---\n...\n---\n", "~\n", "null\n"};
	struct rtdp_object_set set;
	struct rtdp_error err;
	size_t i;

	(void)state;
	rtdp_object_set_init(&set);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(parse_text(&set, "empty.yaml", cases[i], NULL, &err), RTDP_OK);
	assert_int_equal(set.len, 0);
	rtdp_object_set_release(&set);
}

static void test_kind_list_is_flattened(void **state)
{
	struct rtdp_object_set set;

	(void)state;
	rtdp_object_set_init(&set);
	load_fixture(&set, "manifests/loader/list.yaml");
	assert_int_equal(set.len, 3);
	assert_string_equal(name_of(set.items[0].json), "one");
	assert_string_equal(name_of(set.items[1].json), "two");
	assert_string_equal(name_of(set.items[2].json), "three");
	assert_int_equal(set.items[0].item, 0);
	assert_int_equal(set.items[1].item, 1);
	assert_int_equal(set.items[2].item, -1);
	assert_int_equal(set.items[0].document, 0);
	assert_int_equal(set.items[1].document, 0);
	assert_int_equal(set.items[2].document, 2);
	assert_int_equal(set.items[0].line, 4);
	assert_int_equal(set.items[0].column, 3);
	assert_int_equal(set.items[1].line, 8);
	assert_int_equal(set.items[2].line, 17);
	/* items keep their own positions in the shared map */
	assert_int_equal(rtdp_object_line(&set.items[1], "/metadata/name"), 11);
	rtdp_object_set_release(&set);
}

static void test_list_item_not_an_object_is_an_error(void **state)
{
	struct rtdp_object_set set;
	struct rtdp_error err;

	(void)state;
	rtdp_object_set_init(&set);
	assert_error(load_rel(&set, "manifests/loader/list-bad-item.yaml", false, &err), &err,
	             RTDP_ERR_INVALID,
	             "list-bad-item.yaml': document 1: line 8, column 3: List item 1 is a string, "
	             "not an object");
	assert_int_equal(set.len, 0);
	rtdp_object_set_release(&set);
}

static void test_anchors_aliases_and_merge_keys(void **state)
{
	struct rtdp_object_set set;
	cJSON *want;
	const cJSON *o;

	(void)state;
	rtdp_object_set_init(&set);
	load_fixture(&set, "manifests/loader/anchors.yaml");
	assert_int_equal(set.len, 1);
	o = set.items[0].json;
	want = json_doc("{\"a\":\"1\",\"b\":\"3\"}");
	assert_true(cJSON_Compare(data_of(o, "derived"), want, 1));
	cJSON_Delete(want);
	want = json_doc("{\"a\":\"0\",\"b\":\"2\",\"c\":\"4\"}");
	assert_true(cJSON_Compare(data_of(o, "multi"), want, 1));
	cJSON_Delete(want);
	want = json_doc("{\"a\":\"1\",\"b\":\"2\"}");
	assert_true(cJSON_Compare(data_of(o, "copy"), want, 1));
	cJSON_Delete(want);
	assert_string(o, "again", "hello");
	want = json_doc("{\"app\":\"web\",\"tier\":\"front\"}");
	assert_true(cJSON_Compare(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "spec"), "selector"),
	                          want, 1));
	cJSON_Delete(want);
	assert_null(cJSON_GetObjectItem(data_of(o, "derived"), "<<"));
	rtdp_object_set_release(&set);
}

static void test_duplicate_key_is_an_error(void **state)
{
	struct rtdp_object_set set;
	struct rtdp_error err;

	(void)state;
	rtdp_object_set_init(&set);
	assert_error(load_rel(&set, "manifests/loader/duplicate-key.yaml", false, &err), &err,
	             RTDP_ERR_PARSE,
	             "duplicate-key.yaml': document 2: line 12, column 5: duplicate key 'a'");
	/* the first, valid document is not kept either: an error appends nothing */
	assert_int_equal(set.len, 0);
	rtdp_object_set_release(&set);
}

static void test_non_mapping_document_is_an_error(void **state)
{
	struct rtdp_object_set set;
	struct rtdp_error err;

	(void)state;
	rtdp_object_set_init(&set);
	load_fixture(&set, "manifests/loader/multi.yaml");
	assert_error(load_rel(&set, "manifests/loader/not-mapping.yaml", false, &err), &err,
	             RTDP_ERR_INVALID,
	             "not-mapping.yaml': document 2: line 6, column 1: expected a Kubernetes "
	             "object (a mapping), got a sequence");
	assert_int_equal(set.len, 3); /* what was loaded before stays, nothing is added */
	assert_error(parse_text(&set, "s.yaml", "kind: A\n---\njust text\n", NULL, &err), &err,
	             RTDP_ERR_INVALID,
	             "'s.yaml': document 2: line 3, column 1: expected a Kubernetes object (a "
	             "mapping), got a string");
	assert_error(parse_text(&set, "n.yaml", "42\n", NULL, &err), &err, RTDP_ERR_INVALID,
	             "'n.yaml': document 1: line 1, column 1:", "got a number");
	assert_int_equal(set.len, 3);
	rtdp_object_set_release(&set);
}

static void test_syntax_errors_name_file_document_line_column(void **state)
{
	struct rtdp_object_set set;
	struct rtdp_error err;

	(void)state;
	rtdp_object_set_init(&set);
	assert_error(load_rel(&set, "manifests/loader/syntax-error.yaml", false, &err), &err,
	             RTDP_ERR_PARSE, "syntax-error.yaml': document 1: line ", ", column ",
	             "flow sequence");
	assert_error(parse_text(&set, "t.yaml", "a: 1\n---\nb: [1\nc: 2\n", NULL, &err), &err,
	             RTDP_ERR_PARSE, "'t.yaml': document 2: line ");
	assert_error(parse_text(&set, "tab.yaml", "a:\n\tb: 1\n", NULL, &err), &err, RTDP_ERR_PARSE,
	             "'tab.yaml': document 1: line 2, column 1:");
	assert_error(parse_text(&set, "alias.yaml", "a: 1\nb: *nope\n", NULL, &err), &err,
	             RTDP_ERR_PARSE,
	             "'alias.yaml': document 1: line 2, column 4: unknown anchor 'nope'");
	assert_error(parse_text(&set, "tag.yaml", "a: !custom x\n", NULL, &err), &err,
	             RTDP_ERR_PARSE,
	             "'tag.yaml': document 1: line 1, column 4: unsupported tag '!custom'");
	assert_error(parse_text(&set, "int.yaml", "a: !!int abc\n", NULL, &err), &err,
	             RTDP_ERR_PARSE,
	             "'int.yaml': document 1: line 1, column 4: 'abc' is not a valid "
	             "tag:yaml.org,2002:int");
	assert_error(parse_text(&set, "key.yaml", "? [a]\n: 1\n", NULL, &err), &err, RTDP_ERR_PARSE,
	             "'key.yaml': document 1: line 1, column 3: a mapping key must be a scalar");
	assert_int_equal(set.len, 0);
	rtdp_object_set_release(&set);
}

static void test_nul_byte_is_an_error(void **state)
{
	static const char escaped[] = "kind: A\nname: \"a\\0b\"\n";
	static const char raw[] = "kind: A\nname: x\nplain: a\0b\n";
	static const char crlf[] = "kind: A\r\nname: x\rplain: \xc3\xa9"
	                           "a\0b\n";
	struct rtdp_object_set set;
	struct rtdp_limits lim;
	struct rtdp_error err;

	(void)state;
	rtdp_object_set_init(&set);
	rtdp_limits_default(&lim);
	rtdp_error_init(&err);
	assert_error(
	        rtdp_manifest_parse(&set, "nul.yaml", escaped, sizeof(escaped) - 1, &lim, &err),
	        &err, RTDP_ERR_PARSE,
	        "'nul.yaml': document 1: line 2, column 7: a NUL character in a scalar");
	rtdp_error_init(&err);
	/* libyaml's reader reports a byte offset: it is turned into a line and column */
	assert_error(
	        rtdp_manifest_parse(&set, "raw.yaml", raw, sizeof(raw) - 1, &lim, &err), &err,
	        RTDP_ERR_PARSE,
	        "'raw.yaml': document 1: line 3, column 9: control characters are not allowed");
	/* ... counting lines as YAML does: \r\n and \r break lines too, é is one column */
	rtdp_error_init(&err);
	assert_error(
	        rtdp_manifest_parse(&set, "crlf.yaml", crlf, sizeof(crlf) - 1, &lim, &err), &err,
	        RTDP_ERR_PARSE,
	        "'crlf.yaml': document 1: line 3, column 10: control characters are not allowed");
	assert_int_equal(set.len, 0);
	rtdp_object_set_release(&set);
}

static void test_input_need_not_be_nul_terminated(void **state)
{
	static const char text[] = "kind: A\nmetadata: {name: cut}\nextra: [";
	struct rtdp_object_set set;
	struct rtdp_limits lim;
	struct rtdp_error err;
	char *copy = malloc(sizeof(text) - 10);

	(void)state;
	assert_non_null(copy);
	memcpy(copy, text, sizeof(text) - 10); /* "extra: [" and the NUL left out */
	rtdp_object_set_init(&set);
	rtdp_limits_default(&lim);
	rtdp_error_init(&err);
	assert_int_equal(rtdp_manifest_parse(&set, "cut.yaml", copy, sizeof(text) - 10, &lim, &err),
	                 RTDP_OK);
	assert_int_equal(set.len, 1);
	assert_string_equal(name_of(set.items[0].json), "cut");
	free(copy);
	rtdp_object_set_release(&set);
}

static void test_json_files_load(void **state)
{
	struct rtdp_object_set set;
	const cJSON *port;

	(void)state;
	rtdp_object_set_init(&set);
	load_fixture(&set, "manifests/loader/dir/c.json");
	assert_int_equal(set.len, 1);
	port = cJSON_GetObjectItem(
	        cJSON_GetObjectItem(cJSON_GetObjectItem(set.items[0].json, "metadata"), "labels"),
	        "port");
	assert_true(cJSON_IsString(port)); /* a JSON string stays a string */
	rtdp_object_set_release(&set);
}

static void assert_names(const struct rtdp_object_set *set, const char *const *names, size_t n)
{
	size_t i;

	assert_int_equal(set->len, n);
	for (i = 0; i < n; i++)
		assert_string_equal(name_of(set->items[i].json), names[i]);
}

static void test_directory_is_loaded_in_name_order(void **state)
{
	static const char *const flat[] = {"a", "b", "c"};
	struct rtdp_object_set set;
	struct rtdp_error err;

	(void)state;
	rtdp_object_set_init(&set);
	assert_int_equal(load_rel(&set, "manifests/loader/dir", false, &err), RTDP_OK);
	/* a.yml, b.yaml, c.json; not notes.txt, not .hidden.yaml, not sub/ */
	assert_names(&set, flat, 3);
	assert_non_null(strstr(set.items[0].source, "dir/a.yml"));
	assert_non_null(strstr(set.items[2].source, "dir/c.json"));
	rtdp_object_set_release(&set);
}

static void test_directory_recursive(void **state)
{
	static const char *const all[] = {"a", "b", "c", "sub-first", "d", "e"};
	struct rtdp_object_set set;
	struct rtdp_error err;

	(void)state;
	rtdp_object_set_init(&set);
	assert_int_equal(load_rel(&set, "manifests/loader/dir", true, &err), RTDP_OK);
	assert_names(&set, all, 6);
	assert_non_null(strstr(set.items[5].source, "dir/sub/deeper/e.yaml"));
	rtdp_object_set_release(&set);
}

static void test_missing_path_is_an_error(void **state)
{
	struct rtdp_object_set set;
	struct rtdp_error err;

	(void)state;
	rtdp_object_set_init(&set);
	assert_error(load_rel(&set, "manifests/loader/no-such-file.yaml", false, &err), &err,
	             RTDP_ERR_IO, "the path \"", "no-such-file.yaml\" does not exist");
	rtdp_object_set_release(&set);
}

static void test_stdin_dash(void **state)
{
	static const char text[] = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: "
	                           "from-stdin\n---\nkind: X\nbad: .nan\n";
	char path[] = "/tmp/rtdp-test-stdin-XXXXXX";
	struct rtdp_object_set set;
	struct rtdp_limits lim;
	struct rtdp_error err;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, 60), 60); /* the first document only */
	close(fd);
	assert_non_null(freopen(path, "r", stdin));
	rtdp_object_set_init(&set);
	rtdp_limits_default(&lim);
	rtdp_error_init(&err);
	assert_int_equal(rtdp_manifest_load_path(&set, "-", false, &lim, &err), RTDP_OK);
	assert_int_equal(set.len, 1);
	assert_string_equal(name_of(set.items[0].json), "from-stdin");
	assert_string_equal(set.items[0].source, "<stdin>");

	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	assert_non_null(freopen(path, "r", stdin));
	rtdp_error_init(&err);
	assert_error(rtdp_manifest_load_path(&set, "-", false, &lim, &err), &err, RTDP_ERR_PARSE,
	             "'<stdin>': document 2: line 7, column 6: '.nan' has no JSON form");
	assert_int_equal(set.len, 1);
	unlink(path);
	rtdp_object_set_release(&set);
}

/* Nine levels of nine aliases of the level below: 10^9 nodes when expanded. */
static char *billion_laughs(void)
{
	char *s = malloc(8192);
	size_t used = 0;
	int level, i;

	assert_non_null(s);
	used += (size_t)snprintf(s + used, 8192 - used,
	                         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n"
	                         "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (level = 1; level <= 9; level++) {
		used += (size_t)snprintf(s + used, 8192 - used, "  l%d: &l%d [", level, level);
		for (i = 0; i < 9; i++)
			used += (size_t)snprintf(s + used, 8192 - used, "%s*l%d", i ? ", " : "",
			                         level - 1);
		used += (size_t)snprintf(s + used, 8192 - used, "]\n");
	}
	return s;
}

static long max_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void test_alias_bomb_fails_fast(void **state)
{
	struct rtdp_object_set set;
	struct rtdp_error err;
	char *bomb = billion_laughs();
	long rss_before = max_rss_kib();
	clock_t start = clock();
	double seconds;

	(void)state;
	rtdp_object_set_init(&set);
	assert_error(parse_text(&set, "bomb.yaml", bomb, NULL, &err), &err, RTDP_ERR_LIMIT,
	             "'bomb.yaml': document 1: line ",
	             "more than 200000 nodes in one document (aliases expanded)");
	seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
	/* generous bounds so that valgrind passes too; the real figures are ~10 ms and ~10 MiB */
	if (seconds > 5.0)
		fail_msg("the alias bomb took %.2f s of CPU", seconds);
	if (max_rss_kib() - rss_before > 128 * 1024)
		fail_msg("the alias bomb grew the peak RSS by %ld KiB", max_rss_kib() - rss_before);
	assert_int_equal(set.len, 0);
	free(bomb);
	rtdp_object_set_release(&set);
}

/* Anchors on every level of a nesting: each keeps a copy of everything below it. */
static void test_nested_anchors_are_limited(void **state)
{
	size_t n = 150000, depth = 95, used = 0, i, cap = 2 * n + 16 * depth + 64;
	char *text = malloc(cap);
	struct rtdp_object_set set;
	struct rtdp_error err;
	long rss_before = max_rss_kib();
	clock_t start = clock();

	(void)state;
	assert_non_null(text);
	used += (size_t)snprintf(text, cap, "kind: X\nv: ");
	for (i = 0; i < depth; i++)
		used += (size_t)snprintf(text + used, cap - used, "&a%zu {k: ", i);
	text[used++] = '[';
	for (i = 0; i < n; i++) {
		text[used++] = 'x';
		text[used++] = i + 1 < n ? ',' : ']';
	}
	for (i = 0; i < depth; i++)
		text[used++] = '}';
	text[used++] = '\n';
	text[used] = '\0';
	rtdp_object_set_init(&set);
	/* a 300 KB file that held 1.5 GB of anchor copies */
	assert_error(parse_text(&set, "anchors.yaml", text, NULL, &err), &err, RTDP_ERR_LIMIT,
	             "'anchors.yaml': document 1: line 2, column 831: ",
	             "anchors hold more than 200000 nodes in one document");
	if ((double)(clock() - start) / CLOCKS_PER_SEC > 5.0)
		fail_msg("nested anchors took %.2f s", (double)(clock() - start) / CLOCKS_PER_SEC);
	/* ~160 MiB under valgrind (shadow memory), far less natively; 1.5 GiB before the count */
	if (max_rss_kib() - rss_before > 400 * 1024)
		fail_msg("nested anchors grew the peak RSS by %ld KiB", max_rss_kib() - rss_before);
	free(text);
	rtdp_object_set_release(&set);
}

/* Many anchors and many aliases: a lookup must not scan every anchor. */
static void test_many_anchors_are_fast(void **state)
{
	size_t n = 50000, used = 0, i, cap = 30 * n + 64;
	char *text = malloc(cap);
	struct rtdp_object_set set;
	struct rtdp_error err;
	clock_t start = clock();
	const cJSON *b;

	(void)state;
	assert_non_null(text);
	used += (size_t)snprintf(text, cap, "kind: X\na: [");
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, cap - used, "%s&a%zu v%zu", i ? ", " : "", i,
		                         i);
	used += (size_t)snprintf(text + used, cap - used, "]\nb: [");
	for (i = 0; i < n; i++)
		used += (size_t)snprintf(text + used, cap - used, "%s*a%zu", i ? ", " : "", i % 7);
	snprintf(text + used, cap - used, ", &a3 redefined, *a3]\n");
	rtdp_object_set_init(&set);
	assert_int_equal(parse_text(&set, "many.yaml", text, NULL, &err), RTDP_OK);
	b = cJSON_GetObjectItem(set.items[0].json, "b");
	assert_int_equal(cJSON_GetArraySize(b), n + 2);
	assert_string_equal(cJSON_GetArrayItem(b, 3)->valuestring, "v3");
	assert_string_equal(cJSON_GetArrayItem(b, (int)n + 1)->valuestring,
	                    "redefined"); /* the latest wins */
	if ((double)(clock() - start) / CLOCKS_PER_SEC > 5.0) /* a scan per alias was quadratic */
		fail_msg("%zu anchors and aliases took %.2f s", n,
		         (double)(clock() - start) / CLOCKS_PER_SEC);
	free(text);
	rtdp_object_set_release(&set);
}

static char *repeat_nesting(size_t depth)
{
	char *s = malloc(2 * depth + 32);
	size_t i, used;

	assert_non_null(s);
	used = (size_t)snprintf(s, 32, "kind: Deep\nx: ");
	for (i = 0; i < depth; i++)
		s[used++] = '[';
	for (i = 0; i < depth; i++)
		s[used++] = ']';
	s[used++] = '\n';
	s[used] = '\0';
	return s;
}

static void test_deep_nesting_is_limited(void **state)
{
	struct rtdp_object_set set;
	struct rtdp_error err;
	char *deep = repeat_nesting(10000), *ok = repeat_nesting(99);
	char block[8192];
	size_t used = 0;
	int i;

	(void)state;
	rtdp_object_set_init(&set);
	assert_error(parse_text(&set, "deep.yaml", deep, NULL, &err), &err, RTDP_ERR_LIMIT,
	             "'deep.yaml': document 1: line 2, column 104: nesting deeper than 100 levels");
	/* 99 sequences under the root mapping: depth 100 is still fine */
	assert_int_equal(parse_text(&set, "ok.yaml", ok, NULL, &err), RTDP_OK);
	/* block mappings nest the same way */
	used += (size_t)snprintf(block, sizeof(block), "kind: Deep\n");
	for (i = 0; i < 120 && used < sizeof(block) - 300; i++)
		used += (size_t)snprintf(block + used, sizeof(block) - used, "%*sk:\n", i, "");
	assert_error(parse_text(&set, "block.yaml", block, NULL, &err), &err, RTDP_ERR_LIMIT,
	             "'block.yaml': document 1: line ", "nesting deeper than 100 levels");
	free(deep);
	free(ok);
	assert_int_equal(set.len, 1);
	rtdp_object_set_release(&set);
}

static void test_alias_cannot_nest_past_the_limit(void **state)
{
	struct rtdp_object_set set;
	struct rtdp_error err;
	char text[1024];
	size_t used;
	int i;

	(void)state;
	rtdp_object_set_init(&set);
	used = (size_t)snprintf(text, sizeof(text), "kind: Deep\nx: &deep ");
	for (i = 0; i < 60; i++)
		text[used++] = '[';
	for (i = 0; i < 60; i++)
		text[used++] = ']';
	used += (size_t)snprintf(text + used, sizeof(text) - used, "\ny: ");
	for (i = 0; i < 50; i++)
		text[used++] = '[';
	used += (size_t)snprintf(text + used, sizeof(text) - used, "*deep");
	for (i = 0; i < 50; i++)
		text[used++] = ']';
	text[used++] = '\n';
	text[used] = '\0';
	assert_error(
	        parse_text(&set, "alias-deep.yaml", text, NULL, &err), &err, RTDP_ERR_LIMIT,
	        "'alias-deep.yaml': document 1: line 3, column 54: nesting deeper than 100 levels");
	rtdp_object_set_release(&set);
}

static void test_size_limits(void **state)
{
	static const char text[] = "apiVersion: v1\nkind: Namespace\nmetadata: {name: "
	                           "n}\n---\nkind: B\n---\nkind: C\n";
	struct rtdp_object_set set;
	struct rtdp_limits lim;
	struct rtdp_error err;

	(void)state;
	rtdp_object_set_init(&set);
	rtdp_limits_default(&lim);
	assert_int_equal(lim.max_bytes, 64u << 20);
	assert_int_equal(lim.max_depth, 100);
	lim.max_bytes = 16;
	assert_error(parse_text(&set, "big.yaml", text, &lim, &err), &err, RTDP_ERR_LIMIT,
	             "'big.yaml': 75 bytes is over the limit of 16");
	rtdp_error_init(&err);
	assert_error(rtdp_manifest_load_path(&set, fixture_path("manifests/loader/scalars.yaml"),
	                                     false, &lim, &err),
	             &err, RTDP_ERR_LIMIT, "scalars.yaml' is larger than the limit of 16 bytes");
	rtdp_limits_default(&lim);
	lim.max_documents = 2;
	assert_error(parse_text(&set, "docs.yaml", text, &lim, &err), &err, RTDP_ERR_LIMIT,
	             "'docs.yaml': document 3: line 6, column 1: more than 2 documents");
	rtdp_limits_default(&lim);
	lim.max_nodes = 4;
	assert_error(parse_text(&set, "nodes.yaml", text, &lim, &err), &err, RTDP_ERR_LIMIT,
	             "'nodes.yaml': document 1: line 3, column 18: ",
	             "more than 4 nodes in one document");
	assert_int_equal(set.len, 0);
	rtdp_object_set_release(&set);
}

static void test_object_line_of_nested_pointers(void **state)
{
	struct rtdp_object_set set;
	const struct rtdp_object *o;

	(void)state;
	rtdp_object_set_init(&set);
	load_fixture(&set, "manifests/loader/nested.yaml");
	assert_int_equal(set.len, 2);
	o = &set.items[1];
	assert_int_equal(o->document, 1);
	assert_int_equal(o->line, 6);
	assert_int_equal(rtdp_object_line(o, ""), 6);
	assert_int_equal(rtdp_object_line(o, "/metadata/name"), 9);
	assert_int_equal(rtdp_object_line(o, "/metadata/labels/app.kubernetes.io~1name"), 11);
	assert_int_equal(rtdp_object_line(o, "/spec/replicas"), 13);
	assert_int_equal(
	        rtdp_object_line(o, "/spec/template/metadata/labels/app.kubernetes.io~1name"), 17);
	assert_int_equal(rtdp_object_line(o, "/spec/template/spec/containers/0/image"), 21);
	assert_int_equal(rtdp_object_line(o, "/spec/template/spec/containers/1/image"), 23);
	assert_int_equal(
	        rtdp_object_line(o, "/spec/template/spec/containers/1/ports/0/containerPort"), 26);
	/* a missing node: the line of the deepest node that exists on the way */
	assert_int_equal(
	        rtdp_object_line(o, "/spec/template/spec/containers/0/resources/limits/cpu"), 20);
	assert_int_equal(rtdp_object_line(o, "/spec/template/spec/containers/7/image"), 20);
	assert_int_equal(rtdp_object_line(o, "/spec/selector/matchLabels"), 13);
	assert_int_equal(rtdp_object_line(o, "/nothing/here"), 6);
	assert_int_equal(rtdp_object_line(&set.items[0], "/metadata/name"), 4);
	rtdp_object_set_release(&set);
}

static void test_parse_one(void **state)
{
	struct rtdp_limits lim;
	struct rtdp_error err;
	cJSON *out = NULL;

	(void)state;
	rtdp_limits_default(&lim);
	rtdp_error_init(&err);
	assert_int_equal(rtdp_yaml_parse_one("e.yaml", "", 0, &lim, &out, &err), RTDP_OK);
	assert_true(cJSON_IsObject(out) && !out->child);
	cJSON_Delete(out);
	assert_error(rtdp_yaml_parse_one("two.yaml", "a: 1\n---\nb: 2\n", 14, &lim, &out, &err),
	             &err, RTDP_ERR_INVALID,
	             "'two.yaml': document 2: line 3, column 1: expected a single document");
	assert_null(out);
	rtdp_error_init(&err);
	assert_error(
	        rtdp_yaml_parse_one("seq.yaml", "- 1\n", 4, &lim, &out, &err), &err,
	        RTDP_ERR_INVALID,
	        "'seq.yaml': document 1: line 1, column 1: expected a mapping, got a sequence");
	assert_null(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_kubectl_scalar_rules),
	        cmocka_unit_test(test_special_floats_are_errors),
	        cmocka_unit_test(test_multi_document_stream_skips_empty_documents),
	        cmocka_unit_test(test_empty_streams_give_no_objects),
	        cmocka_unit_test(test_kind_list_is_flattened),
	        cmocka_unit_test(test_list_item_not_an_object_is_an_error),
	        cmocka_unit_test(test_anchors_aliases_and_merge_keys),
	        cmocka_unit_test(test_duplicate_key_is_an_error),
	        cmocka_unit_test(test_non_mapping_document_is_an_error),
	        cmocka_unit_test(test_syntax_errors_name_file_document_line_column),
	        cmocka_unit_test(test_nul_byte_is_an_error),
	        cmocka_unit_test(test_input_need_not_be_nul_terminated),
	        cmocka_unit_test(test_json_files_load),
	        cmocka_unit_test(test_directory_is_loaded_in_name_order),
	        cmocka_unit_test(test_directory_recursive),
	        cmocka_unit_test(test_missing_path_is_an_error),
	        cmocka_unit_test(test_stdin_dash),
	        cmocka_unit_test(test_alias_bomb_fails_fast),
	        cmocka_unit_test(test_nested_anchors_are_limited),
	        cmocka_unit_test(test_many_anchors_are_fast),
	        cmocka_unit_test(test_deep_nesting_is_limited),
	        cmocka_unit_test(test_alias_cannot_nest_past_the_limit),
	        cmocka_unit_test(test_size_limits),
	        cmocka_unit_test(test_object_line_of_nested_pointers),
	        cmocka_unit_test(test_parse_one),
	};

	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
