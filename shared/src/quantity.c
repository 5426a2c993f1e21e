#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "quantity.h"
#include "rtdp/banned.h"

struct suffix {
	const char *text;
	double factor;
};

/* clang-format off */
static const struct suffix suffixes[] = {
	{ "Ki", 1024.0 }, { "Mi", 1048576.0 }, { "Gi", 1073741824.0 },
	{ "Ti", 1099511627776.0 }, { "Pi", 1125899906842624.0 }, { "Ei", 1152921504606846976.0 },
	{ "n", 1e-9 }, { "u", 1e-6 }, { "m", 1e-3 }, { "", 1.0 }, { "k", 1e3 }, { "M", 1e6 },
	{ "G", 1e9 }, { "T", 1e12 }, { "P", 1e15 }, { "E", 1e18 },
};
/* clang-format on */

/* The grammar of k8s.io/apimachinery's resource.Quantity: sign, digits, optional
 * fraction, then a binary or decimal SI suffix or a decimal exponent. */
int quantity_parse(const char *s, double *value)
{
	const char *p = s, *num_end;
	size_t i;
	int digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	while (isdigit((unsigned char)*p))
		p++, digits++;
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p))
			p++, digits++;
	}
	if (!digits)
		return 0;
	num_end = p;
	*value = strtod(s, NULL);
	if ((*p == 'e' || *p == 'E') && p[1]) {
		const char *e = p + 1;

		if (*e == '+' || *e == '-')
			e++;
		if (isdigit((unsigned char)*e)) {
			while (isdigit((unsigned char)*e))
				e++;
			if (*e == '\0') {
				*value = strtod(s, NULL);
				return isfinite(*value);
			}
		}
	}
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		if (strcmp(num_end, suffixes[i].text) == 0) {
			*value *= suffixes[i].factor;
			return isfinite(*value);
		}
	}
	return 0;
}
