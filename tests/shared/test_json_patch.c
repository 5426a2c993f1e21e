/*
 * rtdp_json_patch_apply against RFC 6902's own examples (Appendix A.1-A.16),
 * the corners kube-apiserver's evanphx/json-patch has, and atomicity.
 */
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "rtdp/json_patch.h"
#include "rtdp/banned.h"

struct patch_case {
	const char *name;
	const char *doc;
	const char *patch;
	const char *want; /* the result, or NULL when the patch must fail */
	const char *error; /* a part of the message when it fails */
};

/* clang-format off */
static const struct patch_case rfc6902[] = {
	{ "A.1 adding an object member",
	  "{\"foo\":\"bar\"}",
	  "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]",
	  "{\"baz\":\"qux\",\"foo\":\"bar\"}", NULL },
	{ "A.2 adding an array element",
	  "{\"foo\":[\"bar\",\"baz\"]}",
	  "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]",
	  "{\"foo\":[\"bar\",\"qux\",\"baz\"]}", NULL },
	{ "A.3 removing an object member",
	  "{\"baz\":\"qux\",\"foo\":\"bar\"}",
	  "[{\"op\":\"remove\",\"path\":\"/baz\"}]",
	  "{\"foo\":\"bar\"}", NULL },
	{ "A.4 removing an array element",
	  "{\"foo\":[\"bar\",\"qux\",\"baz\"]}",
	  "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]",
	  "{\"foo\":[\"bar\",\"baz\"]}", NULL },
	{ "A.5 replacing a value",
	  "{\"baz\":\"qux\",\"foo\":\"bar\"}",
	  "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]",
	  "{\"baz\":\"boo\",\"foo\":\"bar\"}", NULL },
	{ "A.6 moving a value",
	  "{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
	  "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]",
	  "{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}", NULL },
	{ "A.7 moving an array element",
	  "{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}",
	  "[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]",
	  "{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}", NULL },
	{ "A.8 testing a value: success",
	  "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}",
	  "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}]",
	  "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}", NULL },
	{ "A.9 testing a value: error",
	  "{\"baz\":\"qux\"}",
	  "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]",
	  NULL, "patch operation 0 (test /baz): test failed" },
	{ "A.10 adding a nested member object",
	  "{\"foo\":\"bar\"}",
	  "[{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}]",
	  "{\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}", NULL },
	{ "A.11 ignoring unrecognized elements",
	  "{\"foo\":\"bar\"}",
	  "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\",\"xyz\":123}]",
	  "{\"foo\":\"bar\",\"baz\":\"qux\"}", NULL },
	{ "A.12 adding to a nonexistent target",
	  "{\"foo\":\"bar\"}",
	  "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]",
	  NULL, "patch operation 0 (add /baz/bat): the parent of the path does not exist" },
	{ "A.13 invalid JSON patch document",
	  "{\"foo\":\"bar\"}",
	  "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\",\"op\":\"remove\"}]",
	  NULL, "patch operation 0 (add /baz): the member \"op\" appears twice" },
	{ "A.14 ~ escape ordering",
	  "{\"/\":9,\"~1\":10}",
	  "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}]",
	  "{\"/\":9,\"~1\":10}", NULL },
	{ "A.15 comparing strings and numbers",
	  "{\"/\":9,\"~1\":10}",
	  "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":\"10\"}]",
	  NULL, "patch operation 0 (test /~01): test failed" },
	{ "A.16 adding an array value",
	  "{\"foo\":[\"bar\"]}",
	  "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}]",
	  "{\"foo\":[\"bar\",[\"abc\",\"def\"]]}", NULL },
};

static const struct patch_case corners[] = {
	{ "remove of a missing member",
	  "{\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]",
	  NULL, "patch operation 0 (remove /baz): remove of a path that does not exist" },
	{ "remove of a missing index",
	  "{\"foo\":[1]}", "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]",
	  NULL, "remove of a path that does not exist" },
	{ "remove with -",
	  "{\"foo\":[1]}", "[{\"op\":\"remove\",\"path\":\"/foo/-\"}]",
	  NULL, "remove of a path that does not exist" },
	{ "replace of a missing member (add would create it, replace must not)",
	  "{\"foo\":\"bar\"}", "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":1}]",
	  NULL, "patch operation 0 (replace /baz): replace of a path that does not exist" },
	{ "replace of the last array element",
	  "{\"foo\":[1,2]}", "[{\"op\":\"replace\",\"path\":\"/foo/1\",\"value\":3}]",
	  "{\"foo\":[1,3]}", NULL },
	{ "replace of the whole document",
	  "{\"foo\":1}", "[{\"op\":\"replace\",\"path\":\"\",\"value\":{\"bar\":2}}]",
	  "{\"bar\":2}", NULL },
	{ "add on an existing member replaces it",
	  "{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/foo\",\"value\":[1]}]",
	  "{\"foo\":[1]}", NULL },
	{ "- appends, indexes shift as operations apply",
	  "{\"a\":[1]}",
	  "[{\"op\":\"add\",\"path\":\"/a/-\",\"value\":2},{\"op\":\"add\",\"path\":\"/a/0\",\"value\":0},"
	  "{\"op\":\"add\",\"path\":\"/a/3\",\"value\":3},{\"op\":\"test\",\"path\":\"/a\",\"value\":[0,1,2,3]}]",
	  "{\"a\":[0,1,2,3]}", NULL },
	{ "an index past the end",
	  "{\"a\":[1]}", "[{\"op\":\"add\",\"path\":\"/a/2\",\"value\":2}]",
	  NULL, "patch operation 0 (add /a/2): the parent of the path does not exist" },
	{ "leading zeros are not indexes",
	  "{\"a\":[1,2]}", "[{\"op\":\"remove\",\"path\":\"/a/01\"}]",
	  NULL, "remove of a path that does not exist" },
	{ "~0 and ~1 in added keys",
	  "{\"metadata\":{\"labels\":{}}}",
	  "[{\"op\":\"add\",\"path\":\"/metadata/labels/app.kubernetes.io~1name\",\"value\":\"x\"},"
	  "{\"op\":\"add\",\"path\":\"/metadata/labels/a~0b\",\"value\":\"y\"}]",
	  "{\"metadata\":{\"labels\":{\"app.kubernetes.io/name\":\"x\",\"a~b\":\"y\"}}}", NULL },
	{ "a bad escape",
	  "{\"a\":1}", "[{\"op\":\"add\",\"path\":\"/a~2\",\"value\":1}]",
	  NULL, "the parent of the path does not exist" },
	{ "copy",
	  "{\"a\":{\"b\":[1]}}", "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/c\"},{\"op\":\"add\",\"path\":\"/c/b/-\",\"value\":2}]",
	  "{\"a\":{\"b\":[1]},\"c\":{\"b\":[1,2]}}", NULL },
	{ "copy from a missing path",
	  "{\"a\":1}", "[{\"op\":\"copy\",\"from\":\"/x\",\"path\":\"/c\"}]",
	  NULL, "patch operation 0 (copy /c): \"from\" does not exist" },
	{ "move to itself",
	  "{\"a\":1}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a\"}]",
	  "{\"a\":1}", NULL },
	{ "move into one of its children",
	  "{\"a\":{\"b\":1}}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a/c\"}]",
	  NULL, "cannot move a value into one of its children" },
	{ "move to a missing parent",
	  "{\"a\":1}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/x/y\"}]",
	  NULL, "the parent of the path does not exist" },
	{ "test of the whole document",
	  "{\"a\":1}", "[{\"op\":\"test\",\"path\":\"\",\"value\":{\"a\":1}}]",
	  "{\"a\":1}", NULL },
	{ "test of a missing path",
	  "{\"a\":1}", "[{\"op\":\"test\",\"path\":\"/b\",\"value\":null}]",
	  NULL, "test failed" },
	{ "add without a value",
	  "{}", "[{\"op\":\"add\",\"path\":\"/a\"}]",
	  NULL, "patch operation 0 (add /a): missing \"value\"" },
	{ "an unknown op",
	  "{}", "[{\"op\":\"merge\",\"path\":\"/a\",\"value\":1}]",
	  NULL, "patch operation 0 (merge /a): unknown op" },
	{ "an op without a path",
	  "{}", "[{\"op\":\"add\",\"value\":1}]",
	  NULL, "patch operation 0 (add ?): an operation needs string \"op\" and \"path\"" },
	{ "an operation that is not an object",
	  "{}", "[{\"op\":\"add\",\"path\":\"/a\",\"value\":1},42]",
	  NULL, "patch operation 1 (? ?): an operation must be an object" },
	{ "a path without a leading slash",
	  "{\"a\":1}", "[{\"op\":\"remove\",\"path\":\"a\"}]",
	  NULL, "remove of a path that does not exist" },
	{ "the empty patch",
	  "{\"a\":1}", "[]", "{\"a\":1}", NULL },
};
/* clang-format on */

static void run_case(const struct patch_case *c)
{
	cJSON *doc = json_doc(c->doc), *patch = json_doc(c->patch), *before = doc;
	cJSON *original = cJSON_Duplicate(doc, 1), *want;
	struct rtdp_error err;
	enum rtdp_rc rc;

	rtdp_error_init(&err);
	rc = rtdp_json_patch_apply(&doc, patch, &err);
	if (c->want) {
		if (rc != RTDP_OK)
			fail_msg("%s: %s", c->name, err.msg);
		want = json_doc(c->want);
		if (!cJSON_Compare(doc, want, 1)) {
			char *got = cJSON_PrintUnformatted(doc);

			fail_msg("%s: got %s, want %s", c->name, got, c->want);
		}
		cJSON_Delete(want);
	} else {
		if (rc == RTDP_OK)
			fail_msg("%s: applied, but must fail", c->name);
		assert_error(rc, &err, RTDP_ERR_INVALID, c->error);
		/* atomic: the document is the same tree, unchanged */
		assert_ptr_equal(doc, before);
		assert_true(cJSON_Compare(doc, original, 1));
	}
	cJSON_Delete(original);
	cJSON_Delete(patch);
	cJSON_Delete(doc);
}

static void test_rfc6902_appendix_a(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rfc6902) / sizeof(rfc6902[0]); i++)
		run_case(&rfc6902[i]);
	assert_int_equal(sizeof(rfc6902) / sizeof(rfc6902[0]), 16);
}

static void test_corners(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(corners) / sizeof(corners[0]); i++)
		run_case(&corners[i]);
}

static void test_apply_is_atomic(void **state)
{
	cJSON *doc = json_doc("{\"a\":{\"b\":[1,2]},\"c\":\"d\"}");
	cJSON *original = cJSON_Duplicate(doc, 1), *before = doc;
	cJSON *patch = json_doc("[{\"op\":\"add\",\"path\":\"/x\",\"value\":1},"
	                        "{\"op\":\"remove\",\"path\":\"/a/b/0\"},"
	                        "{\"op\":\"replace\",\"path\":\"/c\",\"value\":\"e\"},"
	                        "{\"op\":\"test\",\"path\":\"/c\",\"value\":\"d\"}]");
	struct rtdp_error err;

	(void)state;
	rtdp_error_init(&err);
	assert_error(rtdp_json_patch_apply(&doc, patch, &err), &err, RTDP_ERR_INVALID,
	             "patch operation 3 (test /c): test failed");
	assert_ptr_equal(doc, before);
	assert_true(cJSON_Compare(doc, original, 1));
	cJSON_Delete(patch);
	cJSON_Delete(original);
	cJSON_Delete(doc);
}

static void test_patch_must_be_an_array(void **state)
{
	cJSON *doc = json_doc("{}"),
	      *patch = json_doc("{\"op\":\"add\",\"path\":\"/a\",\"value\":1}");
	struct rtdp_error err;

	(void)state;
	rtdp_error_init(&err);
	assert_error(rtdp_json_patch_apply(&doc, patch, &err), &err, RTDP_ERR_INVALID,
	             "a JSON patch must be an array");
	assert_int_equal(rtdp_json_patch_apply(&doc, patch, NULL), RTDP_ERR_INVALID);
	cJSON_Delete(patch);
	cJSON_Delete(doc);
}

static void test_added_values_are_copies(void **state)
{
	cJSON *doc = json_doc("{}");
	cJSON *patch = json_doc("[{\"op\":\"add\",\"path\":\"/a\",\"value\":{\"b\":1}}]");
	struct rtdp_error err;

	(void)state;
	rtdp_error_init(&err);
	assert_int_equal(rtdp_json_patch_apply(&doc, patch, &err), RTDP_OK);
	cJSON_Delete(patch); /* the document must not share nodes with the patch */
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "a"), "b")->valueint, 1);
	cJSON_Delete(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_rfc6902_appendix_a),
	        cmocka_unit_test(test_corners),
	        cmocka_unit_test(test_apply_is_atomic),
	        cmocka_unit_test(test_patch_must_be_an_array),
	        cmocka_unit_test(test_added_values_are_copies),
	};

	return cmocka_run_group_tests_name("json_patch", tests, NULL, NULL);
}
