/*
 * Helpers shared by the unit tests of shared/: fixture paths, one-line loaders
 * that fail the test on error, finding lookups, and the idempotence check that
 * every engine patch must pass. Every helper fails the running cmocka test
 * (instead of returning an error) when its setup step does not work.
 */
#ifndef RTDP_TEST_HELPERS_H
#define RTDP_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "rtdp/error.h"
#include "rtdp/manifest.h"
#include "rtdp/policy.h"

/* The absolute path of rel under tests/fixtures, in a static buffer. */
const char *fixture_path(const char *rel);

/* The bytes of fixture rel (NUL-terminated, the caller's to free). */
char *fixture_read(const char *rel, size_t *len);

/* One YAML (or JSON) document into a new cJSON object; fails the test on error. */
cJSON *yaml_doc(const char *text);

/* Parses JSON text; fails the test on error. The caller owns the result. */
cJSON *json_doc(const char *text);

/* Loads a fixture file or directory (not recursive) into set; fails the test on error. */
void load_fixture(struct rtdp_object_set *set, const char *rel);

/* The built-in policy, or text parsed as a policy; fails the test on error. */
struct rtdp_policy *policy_default(void);
struct rtdp_policy *policy_text(const char *yaml);

/* The first finding of rule at pointer (NULL: any pointer), or NULL. */
const struct rtdp_finding *finding_of(const struct rtdp_verdict *v, const char *rule,
                                      const char *pointer);

/* Asserts rc == want and that err's message contains every NULL-terminated needle. */
void check_error(enum rtdp_rc rc, const struct rtdp_error *err, enum rtdp_rc want, ...);
#define assert_error(rc, err, want, ...) \
	check_error((rc), (err), (want), __VA_ARGS__, (const char *)NULL)

/* Prints a verdict to stderr (for failing tests). */
void dump_verdict(const char *what, const struct rtdp_verdict *v);

/*
 * The proof every engine patch must pass, for the objects evaluated together
 * (eval_set, or one object with rtdp_policy_eval when single is true):
 * each verdict's patch applies with rtdp_json_patch_apply, never touches
 * /spec/selector, and re-evaluating the patched objects yields an empty patch
 * and none of the findings the first patch claimed to fix. Returns the number
 * of patch operations checked.
 */
size_t check_idempotent(const struct rtdp_policy *p, const cJSON *const *objects, size_t n,
                        bool single, bool namespace_selected);

#endif
