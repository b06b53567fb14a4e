// SPDX-License-Identifier: GPL-3.0-or-later
/* Writes a policy back as libconfig text that parses again, each value annotated with the file
 * and line it came from (like git config --show-origin). */
#include "config.h"

#include <stdbool.h>
#include <string.h>

#include "policy.h"

/* Quotes s for libconfig.  With pct (a substituting key, printed for re-reading) a literal % is
 * written %% so that the text reads back as the same value. */
static void print_quoted(FILE *out, const char *s, bool pct)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		if (*s == '%' && pct)
			fputc('%', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void print_origin(FILE *out, const struct pval *v, bool origins, int line)
{
	if (!origins)
		fputc('\n', out);
	else if (line > 0)
		fprintf(out, "\t# %s:%d\n", v->file, line);
	else
		fprintf(out, "\t# %s\n", v->file);
}

static void print_list(FILE *out, char *const *list, bool pct)
{
	fputc('[', out);
	for (size_t i = 0; list && list[i]; i++) {
		if (i)
			fputs(", ", out);
		print_quoted(out, list[i], pct);
	}
	fputc(']', out);
}

static void print_value(FILE *out, enum pkey k, const struct pval *v, const char *indent,
			bool origins)
{
	const struct pkey_info *ki = &pkey_table[k];
	const char *leaf = strchr(ki->name, '.') ? strchr(ki->name, '.') + 1 : ki->name;
	/* Without origins the text is for reading back (a jail's copy): escape %. */
	const bool pct = ki->subst && !origins;

	if (!v->set) {
		fprintf(out, "%s# %s: not set\n", indent, leaf);
		return;
	}
	fprintf(out, "%s%s = ", indent, leaf);
	switch (ki->type) {
	case PT_BOOL:
		fputs(v->num ? "true;" : "false;", out);
		break;
	case PT_INT:
		if (v->num == VALUE_UNLIMITED)
			fputs("\"unlimited\";", out);
		else
			fprintf(out, "%lld;", (long long) v->num);
		break;
	case PT_BINDS:
		fputs("(", out);
		print_origin(out, v, origins, v->line);
		for (size_t i = 0; i < v->nbinds; i++) {
			const struct bind *b = &v->binds[i];
			fprintf(out, "%s\t{ src = ", indent);
			print_quoted(out, b->src, pct);
			fputs("; dst = ", out);
			print_quoted(out, b->dst, pct);
			fprintf(out, "; ro = %s;%s }%s", b->ro ? "true" : "false",
				b->optional ? " optional = true;" : "", i + 1 < v->nbinds ? "," : "");
			print_origin(out, v, origins, b->line);
		}
		fprintf(out, "%s);\n", indent);
		return;
	case PT_RULES:
		fputs("(", out);
		print_origin(out, v, origins, v->line);
		for (size_t i = 0; i < v->nrules; i++) {
			const struct arg_rule *r = &v->rules[i];
			fprintf(out, "%s\t{ command = ", indent);
			print_quoted(out, r->command, false);
			fputs("; deny = ", out);
			print_list(out, r->deny, false);
			fprintf(out, "; }%s", i + 1 < v->nrules ? "," : "");
			print_origin(out, v, origins, r->line);
		}
		fprintf(out, "%s);\n", indent);
		return;
	case PT_ALIASES:
		fputs("{", out);
		for (size_t i = 0; v->list && v->list[i]; i++) {
			const char *eq = strchr(v->list[i], '=');
			fprintf(out, " %.*s = ", (int) (eq - v->list[i]), v->list[i]);
			print_quoted(out, eq + 1, false);
			fputc(';', out);
		}
		fputs(" };", out);
		break;
	default:
		if (ptype_is_list(ki->type))
			print_list(out, v->list, pct);
		else
			print_quoted(out, v->str ? v->str : "", pct);
		fputc(';', out);
		break;
	}
	print_origin(out, v, origins, v->line);
}

void policy_print(const struct policy *p, FILE *out, bool origins)
{
	const char *section = NULL;

	for (int k = 0; k < PK__COUNT; k++) {
		const char *name = pkey_table[k].name;
		const char *dot = strchr(name, '.');
		size_t slen = dot ? (size_t) (dot - name) : 0;

		/* match, inherit and priority describe a file, not the effective policy. */
		if (PKEY_FILE_LOCAL(k) && !p->v[k].set)
			continue;
		if (section && (!dot || strncmp(section, name, slen) != 0 || section[slen] != '.')) {
			fputs("};\n", out);
			section = NULL;
		}
		if (dot && !section) {
			fprintf(out, "%.*s = {\n", (int) slen, name);
			section = name;
		}
		print_value(out, (enum pkey) k, &p->v[k], dot ? "\t" : "", origins);
	}
	if (section)
		fputs("};\n", out);
}
