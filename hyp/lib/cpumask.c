// SPDX-License-Identifier: Apache-2.0
#include <punt/cpumask.h>
#include <punt/format.h>

unsigned cpumask_weight(const cpumask_t *m, unsigned limit)
{
	unsigned n = 0;

	for (unsigned c = 0; c < limit && c < CONFIG_NR_CPUS; c++)
		n += cpumask_test(m, c);
	return n;
}

unsigned cpumask_nth(const cpumask_t *m, unsigned n, unsigned limit)
{
	unsigned count = cpumask_weight(m, limit);

	if (!count)
		return limit;
	n %= count;
	for (unsigned c = 0; c < limit && c < CONFIG_NR_CPUS; c++) {
		if (cpumask_test(m, c) && n-- == 0)
			return c;
	}
	return limit;
}

/* A decimal CPU number at s[*i]; advances *i. -1 if there is none or it is too large. */
static long parse_cpu(const char *s, size_t len, size_t *i)
{
	long v = 0;
	size_t start = *i;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		v = v * 10 + (s[*i] - '0');
		if (v >= CONFIG_NR_CPUS)
			return -1;
		(*i)++;
	}
	return *i == start ? -1 : v;
}

int cpumask_parse(const char *s, size_t len, cpumask_t *out)
{
	size_t i = 0;

	cpumask_clear(out);
	if (!s || !len)
		return -1;
	for (;;) {
		long first = parse_cpu(s, len, &i), last = first;
		if (first < 0)
			return -1;
		if (i < len && s[i] == '-') {
			i++;
			last = parse_cpu(s, len, &i);
			if (last < first)
				return -1;
		}
		for (long c = first; c <= last; c++)
			cpumask_set(out, (unsigned)c);
		if (i == len)
			return 0;
		if (s[i++] != ',')
			return -1;
	}
}

void cpumask_format(const cpumask_t *m, unsigned limit, char *buf, size_t size)
{
	size_t used = 0;

	if (!size)
		return;
	buf[0] = '\0';
	for (unsigned c = 0; c < limit && c < CONFIG_NR_CPUS; c++) {
		if (!cpumask_test(m, c) || (c > 0 && cpumask_test(m, c - 1)))
			continue;
		unsigned last = c;
		while (last + 1 < limit && cpumask_test(m, last + 1))
			last++;
		int n = last == c
			    ? fmt_snprintf(buf + used, size - used, "%s%u", used ? "," : "", c)
			    : fmt_snprintf(buf + used, size - used, "%s%u-%u", used ? "," : "", c,
					   last);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
	}
}
