/*
 * The small modules of shared/: rtdp_buf (size cap), rtdp_error (first error
 * wins, prefixes), rtdp_read_file, quantities, JSON pointers and field paths,
 * the source map, and YAML scalar resolution.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "rtdp/buf.h"
#include "rtdp/io.h"
#include "json_path.h"
#include "quantity.h"
#include "srcmap.h"
#include "yaml_scalar.h"
#include "rtdp/banned.h"

static void test_buf_grows_up_to_its_cap(void **state)
{
	struct rtdp_buf b;
	char *data;
	size_t len = 99;
	int i;

	(void)state;
	rtdp_buf_init(&b, 10);
	assert_null(b.data);
	assert_int_equal(rtdp_buf_adds(&b, "hello"), RTDP_OK);
	assert_int_equal(rtdp_buf_addf(&b, "%d%s", 42, "!"), RTDP_OK);
	assert_string_equal(b.data, "hello42!");
	assert_int_equal(rtdp_buf_adds(&b, "abc"), RTDP_ERR_LIMIT); /* 11 > 10 */
	assert_string_equal(b.data, "hello42!"); /* unchanged */
	assert_int_equal(rtdp_buf_addf(&b, "%s", "xyz"), RTDP_ERR_LIMIT);
	assert_int_equal(rtdp_buf_add(&b, "ab", 2), RTDP_OK); /* exactly 10 */
	assert_int_equal(b.len, 10);
	data = rtdp_buf_detach(&b, &len);
	assert_string_equal(data, "hello42!ab");
	assert_int_equal(len, 10);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(data);
	data = rtdp_buf_detach(&b, &len); /* an empty buffer gives "" */
	assert_string_equal(data, "");
	assert_int_equal(len, 0);
	free(data);
	rtdp_buf_init(&b, 1u << 20);
	for (i = 0; i < 10000; i++)
		assert_int_equal(rtdp_buf_adds(&b, "0123456789"), RTDP_OK);
	assert_int_equal(b.len, 100000);
	assert_int_equal(rtdp_buf_add(&b, "x", (size_t)-1), RTDP_ERR_LIMIT); /* no overflow */
	rtdp_buf_release(&b);
	rtdp_buf_release(&b);
}

static void test_error_first_wins_and_prefixes(void **state)
{
	struct rtdp_error err;
	char big[3000];

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(err.rc, RTDP_OK);
	assert_string_equal(err.msg, "");
	assert_int_equal(rtdp_error_set(&err, RTDP_ERR_PARSE, "line %d: %s", 2, "bad"),
	                 RTDP_ERR_PARSE);
	assert_int_equal(rtdp_error_set(&err, RTDP_ERR_IO, "second"), RTDP_ERR_IO);
	assert_int_equal(err.rc, RTDP_ERR_PARSE);
	assert_string_equal(err.msg, "line 2: bad");
	assert_int_equal(rtdp_error_prefix(&err, "policy '%s': ", "p.yaml"), RTDP_ERR_PARSE);
	assert_string_equal(err.msg, "policy 'p.yaml': line 2: bad");
	assert_int_equal(rtdp_error_set(NULL, RTDP_ERR_NOMEM, "x"), RTDP_ERR_NOMEM);
	assert_int_equal(rtdp_error_prefix(NULL, "x"), RTDP_OK);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	rtdp_error_init(&err);
	rtdp_error_set(&err, RTDP_ERR_INVALID, "%s", big);
	assert_int_equal(strlen(err.msg), RTDP_ERROR_MAX - 1);
	rtdp_error_prefix(&err, "%s", big);
	assert_int_equal(strlen(err.msg), RTDP_ERROR_MAX - 1);
	assert_string_equal(rtdp_rc_name(RTDP_ERR_LIMIT), "limit exceeded");
	assert_string_equal(rtdp_rc_name(RTDP_OK), "ok");
	assert_string_equal(rtdp_rc_name(RTDP_ERR_CONFLICT), "conflict");
}

static void test_read_file(void **state)
{
	char path[] = "/tmp/rtdp-test-io-XXXXXX";
	struct rtdp_error err;
	char *out = NULL;
	size_t len = 0;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "abc\0def", 7), 7);
	close(fd);
	rtdp_error_init(&err);
	assert_int_equal(rtdp_read_file(path, 7, &out, &len, &err), RTDP_OK);
	assert_int_equal(len, 7);
	assert_memory_equal(out, "abc\0def", 8); /* NUL-terminated after the data */
	free(out);
	assert_error(rtdp_read_file(path, 6, &out, &len, &err), &err, RTDP_ERR_LIMIT,
	             "' is larger than the limit of 6 bytes");
	assert_null(out);
	rtdp_error_init(&err);
	assert_error(rtdp_read_file("/tmp", 100, &out, &len, &err), &err, RTDP_ERR_IO,
	             "cannot read '/tmp': Is a directory");
	rtdp_error_init(&err);
	assert_error(rtdp_read_file("/nonexistent/x", 100, &out, &len, &err), &err, RTDP_ERR_IO,
	             "cannot open '/nonexistent/x': No such file or directory");
	unlink(path);
}

static void test_quantities(void **state)
{
	static const struct {
		const char *text;
		int ok;
		double value;
	} cases[] = {
	        {"1", 1, 1},
	        {"100m", 1, 0.1},
	        {"1.5", 1, 1.5},
	        {"0.5Gi", 1, 536870912},
	        {"512Mi", 1, 536870912},
	        {"128974848", 1, 128974848},
	        {"129e6", 1, 129e6},
	        {"1E3", 1, 1000},
	        {"2k", 1, 2000},
	        {"1M", 1, 1e6},
	        {"+1", 1, 1},
	        {".5", 1, 0.5},
	        {"1Ki", 1, 1024},
	        {"3n", 1, 3e-9},
	        {"1E", 1, 1e18},
	        {"", 0, 0},
	        {"m", 0, 0},
	        {"1MB", 0, 0},
	        {"1 Gi", 0, 0},
	        {"lots", 0, 0},
	        {"1e", 0, 0},
	        {"1.2.3", 0, 0},
	        {"1e3Ki", 0, 0},
	        {"--1", 0, 0},
	        {"1e999", 0, 0},
	        {"Gi", 0, 0},
	};
	size_t i;
	double v;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = -1;
		if (quantity_parse(cases[i].text, &v) != cases[i].ok)
			fail_msg("quantity \"%s\": want %s", cases[i].text,
			         cases[i].ok ? "valid" : "invalid");
		if (cases[i].ok && (v < cases[i].value * 0.999999 || v > cases[i].value * 1.000001))
			fail_msg("quantity \"%s\" is %g, want %g", cases[i].text, v,
			         cases[i].value);
	}
}

static void test_json_pointers(void **state)
{
	cJSON *doc = json_doc("{\"a\":{\"b/c\":[10,{\"~d\":true}]},\"\":{\"x\":1}}");
	const cJSON *deepest = NULL;
	struct jpath p;
	char field[128];
	size_t mark;

	(void)state;
	assert_ptr_equal(json_pointer_get(doc, "", NULL), doc);
	assert_int_equal(json_pointer_get(doc, "/a/b~1c/0", NULL)->valueint, 10);
	assert_true(cJSON_IsTrue(json_pointer_get(doc, "/a/b~1c/1/~0d", NULL)));
	assert_int_equal(json_pointer_get(doc, "//x", NULL)->valueint, 1);
	assert_null(json_pointer_get(doc, "/a/b~1c/2", NULL));
	assert_null(json_pointer_get(doc, "/a/b~1c/01", NULL));
	assert_null(json_pointer_get(doc, "/a/b~1c/-", NULL));
	assert_null(json_pointer_get(doc, "/a/b~2c", NULL));
	assert_null(json_pointer_get(doc, "a", NULL));
	assert_null(json_pointer_get(doc, "/a/b~1c/0/z", &deepest));
	assert_int_equal(deepest->valueint, 10);
	assert_null(json_pointer_get(doc, "/q/r", &deepest));
	assert_ptr_equal(deepest, doc);

	jpath_init(&p);
	assert_string_equal(p.ptr, "");
	jpath_push(&p, "metadata");
	mark = jpath_push(&p, "labels");
	jpath_push(&p, "app.kubernetes.io/name");
	assert_string_equal(p.ptr, "/metadata/labels/app.kubernetes.io~1name");
	jpath_pop(&p, mark);
	jpath_push(&p, "a~b/c");
	assert_string_equal(p.ptr, "/metadata/a~0b~1c");
	jpath_init(&p);
	jpath_push(&p, "containers");
	jpath_push_index(&p, 12);
	assert_string_equal(p.ptr, "/containers/12");

	json_pointer_to_field_path("/spec/template/spec/containers/0/image", field, sizeof(field));
	assert_string_equal(field, "spec.template.spec.containers[0].image");
	json_pointer_to_field_path("/metadata/labels/app.kubernetes.io~1name", field,
	                           sizeof(field));
	assert_string_equal(field, "metadata.labels[app.kubernetes.io/name]");
	json_pointer_to_field_path("", field, sizeof(field));
	assert_string_equal(field, "");
	json_pointer_to_field_path("/spec/template/spec/containers/0/image", field, 10);
	assert_true(strlen(field) < 10);
	cJSON_Delete(doc);
}

static void test_long_pointers_are_cut_not_overflowed(void **state)
{
	struct jpath p;
	char key[300];
	int i;

	(void)state;
	memset(key, '/', sizeof(key) - 1); /* each escapes to two bytes */
	key[sizeof(key) - 1] = '\0';
	jpath_init(&p);
	for (i = 0; i < 10; i++)
		jpath_push(&p, key);
	assert_true(p.len < JPATH_MAX);
	assert_int_equal(strlen(p.ptr), p.len);
}

static void test_srcmap(void **state)
{
	struct rtdp_srcmap m;
	cJSON *nodes[1000];
	int i, line = 0, column = 0;

	(void)state;
	srcmap_init(&m);
	assert_int_equal(srcmap_get(&m, (const cJSON *)&m, &line, &column), 0);
	for (i = 0; i < 1000; i++) {
		nodes[i] = cJSON_CreateNull();
		assert_int_equal(srcmap_put(&m, nodes[i], i + 1, i + 2), RTDP_OK);
	}
	assert_int_equal(srcmap_put(&m, nodes[7], 70, 71), RTDP_OK); /* overwrite */
	assert_int_equal(m.len, 1000);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(srcmap_get(&m, nodes[i], &line, &column), 1);
		assert_int_equal(line, i == 7 ? 70 : i + 1);
		assert_int_equal(column, i == 7 ? 71 : i + 2);
	}
	for (i = 0; i < 1000; i++)
		cJSON_Delete(nodes[i]);
	srcmap_release(&m);
	assert_int_equal(m.cap, 0);
}

static void test_yaml_scalars(void **state)
{
	static const struct {
		const char *text;
		enum yaml_scalar_kind kind;
		double number;
	} cases[] = {
	        {"", YAML_SCALAR_NULL, 0},
	        {"~", YAML_SCALAR_NULL, 0},
	        {"NULL", YAML_SCALAR_NULL, 0},
	        {"nULL", YAML_SCALAR_STRING, 0},
	        {"Yes", YAML_SCALAR_BOOL, 1},
	        {"OFF", YAML_SCALAR_BOOL, 0},
	        {"n", YAML_SCALAR_BOOL, 0},
	        {"yEs", YAML_SCALAR_STRING, 0},
	        {"0", YAML_SCALAR_INT, 0},
	        {"-0", YAML_SCALAR_INT, 0},
	        {"0x_1F", YAML_SCALAR_INT, 31},
	        {"0B11", YAML_SCALAR_INT, 3},
	        {"-0o10", YAML_SCALAR_INT, -8},
	        {"010", YAML_SCALAR_INT, 8},
	        {"9223372036854775807", YAML_SCALAR_INT, 9223372036854775807.0},
	        {"-9223372036854775808", YAML_SCALAR_INT, -9223372036854775808.0},
	        {"9223372036854775808", YAML_SCALAR_FLOAT, 9223372036854775808.0},
	        {"1_0.5", YAML_SCALAR_FLOAT, 10.5},
	        {"6.02e23", YAML_SCALAR_FLOAT, 6.02e23},
	        {"1e400", YAML_SCALAR_STRING, 0},
	        {"1.", YAML_SCALAR_FLOAT, 1},
	        {".", YAML_SCALAR_STRING, 0},
	        {"-", YAML_SCALAR_STRING, 0},
	        {"+.5e-1", YAML_SCALAR_FLOAT, 0.05},
	        {"1e", YAML_SCALAR_STRING, 0},
	        {"0x", YAML_SCALAR_STRING, 0},
	        {"0xG", YAML_SCALAR_STRING, 0},
	        {"12:30", YAML_SCALAR_STRING, 0},
	        {"1.2.3", YAML_SCALAR_STRING, 0},
	        {".inf", YAML_SCALAR_NOT_JSON, 0},
	        {"-.INF", YAML_SCALAR_NOT_JSON, 0},
	        {".NaN", YAML_SCALAR_NOT_JSON, 0},
	        {".nAn", YAML_SCALAR_STRING, 0},
	        {"_", YAML_SCALAR_STRING, 0},
	        {"1111111111111111111111111111111111111111111111111111111111111111111111",
	         YAML_SCALAR_STRING, 0},
	};
	size_t i;
	double number;
	int truth;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		number = -1;
		truth = -1;
		if (yaml_scalar_resolve(cases[i].text, strlen(cases[i].text), &number, &truth) !=
		    cases[i].kind)
			fail_msg("\"%s\": want kind %d", cases[i].text, cases[i].kind);
		if ((cases[i].kind == YAML_SCALAR_INT || cases[i].kind == YAML_SCALAR_FLOAT) &&
		    number != cases[i].number)
			fail_msg("\"%s\" is %.17g, want %.17g", cases[i].text, number,
			         cases[i].number);
		if (cases[i].kind == YAML_SCALAR_BOOL && truth != (int)cases[i].number)
			fail_msg("\"%s\" is %d", cases[i].text, truth);
	}
}

static void test_yaml_tags(void **state)
{
	int bad = 0;
	cJSON *n;

	(void)state;
	n = yaml_scalar_tagged("tag:yaml.org,2002:str", "123", 3, &bad);
	assert_true(cJSON_IsString(n) && !bad);
	cJSON_Delete(n);
	n = yaml_scalar_tagged("tag:yaml.org,2002:float", "3", 1, &bad);
	assert_true(cJSON_IsNumber(n) && n->valuedouble == 3);
	cJSON_Delete(n);
	n = yaml_scalar_tagged("tag:yaml.org,2002:bool", "on", 2, &bad);
	assert_true(cJSON_IsTrue(n));
	cJSON_Delete(n);
	n = yaml_scalar_tagged("tag:yaml.org,2002:null", "", 0, &bad);
	assert_true(cJSON_IsNull(n));
	cJSON_Delete(n);
	assert_null(yaml_scalar_tagged("tag:yaml.org,2002:int", "1.5", 3, &bad));
	assert_false(bad);
	assert_null(yaml_scalar_tagged("tag:yaml.org,2002:map", "x", 1, &bad));
	assert_true(bad);
	assert_null(yaml_scalar_tagged("!local", "x", 1, &bad));
	assert_true(bad);
	n = yaml_scalar_tagged("!", "8080", 4, &bad);
	assert_true(cJSON_IsString(n));
	cJSON_Delete(n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_buf_grows_up_to_its_cap),
	        cmocka_unit_test(test_error_first_wins_and_prefixes),
	        cmocka_unit_test(test_read_file),
	        cmocka_unit_test(test_quantities),
	        cmocka_unit_test(test_json_pointers),
	        cmocka_unit_test(test_long_pointers_are_cut_not_overflowed),
	        cmocka_unit_test(test_srcmap),
	        cmocka_unit_test(test_yaml_scalars),
	        cmocka_unit_test(test_yaml_tags),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
