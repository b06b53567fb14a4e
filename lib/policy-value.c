// SPDX-License-Identifier: GPL-3.0-or-later
/* One policy value: type checks, range checks and parsing, from a libconfig setting or from the
 * text of a built-in default.  Every refusal says what is wrong and what is expected. */
#include "config.h"

#include <errno.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "policy-internal.h"
#include "strv.h"

#define TEXT_MAX 4096

/* Messages are built with strdup_printf; a failed one still says something. */
#define why(...) (strdup_printf(__VA_ARGS__) ?: strdup("out of memory"))

static bool has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char) *s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

const struct subst subst_placeholder = { "user", "/home/user", 1000 };

/* Checks that text uses only %u %h %U %%; returns NULL or why. */
static char *subst_check(const char *text)
{
	for (const char *p = strchr(text, '%'); p; p = strchr(p + 2, '%')) {
		if (p[1] != 'u' && p[1] != 'h' && p[1] != 'U' && p[1] != '%')
			return why("\"%.100s\" uses %%%c; expected only %%u (user), %%h (home), "
				   "%%U (uid) or %%%%",
				   text, p[1] ? p[1] : ' ');
	}
	return NULL;
}

char *subst_apply(const char *text, const struct subst *s)
{
	size_t len = 0, cap = strlen(text) + 1;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	for (const char *p = text; *p; p++) {
		char num[16];
		const char *add = NULL;
		char one[2] = { *p, 0 };

		if (*p == '%' && p[1]) {
			p++;
			switch (*p) {
			case 'u': add = s->user; break;
			case 'h': add = s->home; break;
			case 'U':
				snprintf(num, sizeof(num), "%u", (unsigned) s->uid);
				add = num;
				break;
			default: one[0] = *p, add = one; break;
			}
		} else {
			add = one;
		}
		size_t n = strlen(add);
		if (len + n + 1 > cap) {
			cap = (len + n + 1) * 2;
			char *grown = realloc(out, cap);
			if (!grown) {
				free(out);
				return NULL;
			}
			out = grown;
		}
		memcpy(out + len, add, n);
		len += n;
	}
	out[len] = '\0';
	return out;
}

static bool hostname_is_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || s[0] == '-' || s[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '.'))
			return false;
	}
	return true;
}

static bool command_is_valid(const char *s)
{
	if (s[0] == '/')
		return path_is_canonical(s) && s[1];
	if (!s[0] || strlen(s) > 255 || strchr(s, '/') || has_control(s) || strchr(s, ' '))
		return false;
	return !(streq(s, ".") || streq(s, ".."));
}

/* A shell.commands entry: a command, or a full command line allowed exactly ("systemctl status
 * nginx"): words separated by single spaces, the first a command. */
static bool command_entry_is_valid(const char *s)
{
	_cleanup_free_ char *first = NULL;
	const char *sp = strchr(s, ' ');

	if (!sp)
		return command_is_valid(s);
	if (strlen(s) > 1024 || has_control(s) || strstr(s, "  ") || s[strlen(s) - 1] == ' ')
		return false;
	first = strndup(s, (size_t) (sp - s));
	return first && command_is_valid(first);
}

/* An alias's text: command words separated by spaces, the first a command; nothing that the
 * shell would read as an operator, a quote, an expansion or a pattern. */
static char *alias_check(const char *name, const char *text)
{
	static const char *const builtins[] = { "cd", "pwd", "help", "history", "limits", "exit",
						"logout", "export", "unset", NULL };
	_cleanup_free_ char *first = NULL;

	if (strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
	    strlen(name))
		return why("\"%.64s\" is not a command name; expected letters, digits, '_' or '-'",
			   name);
	for (int i = 0; builtins[i]; i++)
		if (streq(name, builtins[i]))
			return why("\"%.64s\" is a builtin of rshell; expected another name", name);
	if (!text[0] || strlen(text) > 1024 || has_control(text) ||
	    strpbrk(text, "|&;<>()$`\\\"'*?[]{}~#"))
		return why("%.64s: \"%.100s\" is not a command line; expected words separated by "
			   "spaces, such as \"ls -l\", without operators, quotes, $, ~ or patterns",
			   name, text);
	first = strndup(text, strcspn(text, " "));
	if (!first || !command_is_valid(first))
		return why("%.64s: \"%.100s\" does not start with a command; expected e.g. "
			   "\"ls -l\"",
			   name, text);
	return NULL;
}

/* Files of /etc that must never enter a jail, or that jaild writes itself. */
static bool etc_name_is_forbidden(const char *s)
{
	return strstr(s, "shadow") || strstr(s, "sudoers") || streq(s, "passwd") ||
	       streq(s, "group") || strstr(s, "ssh") || strstr(s, "security") ||
	       strstr(s, "corral") || strstr(s, "pam.d");
}

static char *range_why(const struct pkey_info *ki, const char *text)
{
	char lo[32], hi[32];

	switch (ki->type) {
	case PT_SIZE:
		format_size(ki->min, lo, sizeof(lo));
		format_size(ki->max, hi, sizeof(hi));
		break;
	case PT_DURATION:
		format_duration(ki->min, lo, sizeof(lo));
		format_duration(ki->max, hi, sizeof(hi));
		break;
	case PT_PERCENT:
		snprintf(lo, sizeof(lo), "%lld%%", (long long) ki->min);
		snprintf(hi, sizeof(hi), "%lld%%", (long long) ki->max);
		break;
	default:
		snprintf(lo, sizeof(lo), "%lld", (long long) ki->min);
		snprintf(hi, sizeof(hi), "%lld", (long long) ki->max);
		break;
	}
	return why("%.100s is out of range; expected %s to %s%s", text, lo, hi,
		   ki->unlimited_ok ? ", or \"unlimited\"" : "");
}

/* Validates one scalar of key k given as text (already substituted with placeholders where the
 * key substitutes) and fills out.  Returns NULL or why. */
static char *scalar_from_text(enum pkey k, const char *text, struct pval *out)
{
	const struct pkey_info *ki = &pkey_table[k];
	int64_t v = 0;
	int r;

	switch (ki->type) {
	case PT_SIZE:
	case PT_DURATION:
		if (ki->unlimited_ok && (streq(text, "unlimited") || streq(text, "max"))) {
			out->num = VALUE_UNLIMITED;
			return NULL;
		}
		r = ki->type == PT_SIZE ? parse_size(text, &v) : parse_duration(text, &v);
		if (r == -EINVAL)
			return ki->type == PT_SIZE
				       ? why("\"%.100s\" is not a size; expected a number with an "
					     "optional unit K, M, G or T, e.g. \"512M\"",
					     text)
				       : why("\"%.100s\" is not a duration; expected a number with a "
					     "unit s, m, h or d, e.g. \"15m\" or \"1h30m\"",
					     text);
		if (r < 0 || v < ki->min || v > ki->max)
			return range_why(ki, text);
		out->num = v;
		return NULL;
	case PT_PERCENT:
		r = parse_percent(text, &v);
		if (r == -EINVAL)
			return why("\"%.100s\" is not a percentage; expected e.g. \"50%%\" (half a "
				   "CPU) or \"150%%\"",
				   text);
		if (r < 0 || v < ki->min || v > ki->max)
			return range_why(ki, text);
		out->num = v;
		return NULL;
	case PT_ENUM:
		for (int i = 0; ki->choices[i]; i++)
			if (streq(ki->choices[i], text)) {
				out->num = i;
				return NULL;
			}
		{
			char list[256] = "";
			for (int i = 0; ki->choices[i]; i++) {
				strncat(list, i ? ", \"" : "\"", sizeof(list) - strlen(list) - 1);
				strncat(list, ki->choices[i], sizeof(list) - strlen(list) - 1);
				strncat(list, "\"", sizeof(list) - strlen(list) - 1);
			}
			return why("\"%.100s\" is not a choice; expected one of %s", text, list);
		}
	case PT_STRING:
		if (has_control(text))
			return why("contains a control character; expected printable text");
		if ((int64_t) strlen(text) > ki->max)
			return why("is %zu characters long; expected at most %lld", strlen(text),
				   (long long) ki->max);
		for (const char *p = strchr(text, '%'); p; p = strchr(p + 2, '%'))
			if (!p[1] || !strchr("uhw%", p[1]))
				return why("\"%.100s\" uses an unknown %% sequence; expected %%u, %%h, "
					   "%%w or %%%%",
					   text);
		return NULL;
	case PT_HOSTNAME:
		if (!hostname_is_valid(text))
			return why("\"%.100s\" is not a host name; expected 1 to 64 letters, digits, "
				   "'-' or '.'",
				   text);
		return NULL;
	case PT_PROGRAM:
		if (streq(text, "rshell") || (path_is_canonical(text) && text[1]))
			return NULL;
		return why("\"%.100s\" is not a shell; expected \"rshell\" or an absolute path such "
			   "as \"/bin/bash\"",
			   text);
	case PT_PATH:
		if (!path_is_canonical(text))
			return why("\"%.100s\" is not a canonical absolute path; expected e.g. "
				   "\"/usr/lib/openssh/sftp-server\" (no \"..\", \".\", \"//\" or "
				   "trailing \"/\")",
				   text);
		return NULL;
	case PT_POLICYREF: {
		const char *name = NULL;
		if (streq(text, "default"))
			return NULL;
		if (strncmp(text, "groups/", 7) == 0)
			name = text + 7;
		else if (strncmp(text, "users/", 6) == 0)
			name = text + 6;
		if (name && name_is_valid(name))
			return NULL;
		return why("\"%.100s\" is not a policy name; expected \"default\", "
			   "\"groups/NAME\" or \"users/NAME\"",
			   text);
	}
	case PT_HOURS:
		r = parse_hours(text, &out->hours);
		if (r < 0)
			return why("\"%.100s\" is not a set of hours; expected \"always\" or e.g. "
				   "\"Mon-Fri 08:00-20:00, Sat 10:00-14:00\" (start before end)",
				   text);
		return NULL;
	case PT_TEXT:
		for (const char *p = text; *p; p++)
			if (((unsigned char) *p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f)
				return why("contains a control character; expected printable text, "
					   "newlines and tabs");
		if ((int64_t) strlen(text) > ki->max)
			return why("is %zu characters long; expected at most %lld", strlen(text),
				   (long long) ki->max);
		return NULL;
	case PT_UMASK: {
		size_t n = strlen(text);
		if (n < 1 || n > 4 || strspn(text, "01234567") != n ||
		    (v = strtoll(text, NULL, 8)) > 0777)
			return why("\"%.100s\" is not a file mode mask; expected 1 to 4 octal digits "
				   "up to 0777, such as \"027\"",
				   text);
		out->num = v;
		return NULL;
	}
	case PT_UIDS:
		r = parse_uid_ranges(text, &out->uids);
		if (r < 0)
			return why("\"%.100s\" is not a uid range; expected e.g. \"2000-2999\" or "
				   "\"2000-2999, 3100\"",
				   text);
		return NULL;
	default:
		return why("internal error: key %s is not scalar", ki->name);
	}
}

/* Validates one element of a list key; returns NULL or why. */
static char *element_check(enum pkey k, const char *e)
{
	const struct pkey_info *ki = &pkey_table[k];
	const char *eq;

	switch (ki->type) {
	case PT_NAMES:
		if (!name_is_valid(e))
			return why("\"%.100s\" is not a user or group name; expected lower-case "
				   "letters, digits, '_', '-' or '.'",
				   e);
		return NULL;
	case PT_COMMANDS:
		if (!command_entry_is_valid(e))
			return why("\"%.100s\" is not a command; expected a name such as \"ls\", a "
				   "canonical absolute path, or a whole command line such as "
				   "\"systemctl status nginx\" (words separated by single spaces)",
				   e);
		return NULL;
	case PT_PATHS:
		if (!path_is_canonical(e))
			return why("\"%.100s\" is not a canonical absolute path; expected e.g. "
				   "\"/home/%%u\" (no \"..\", \".\", \"//\" or trailing \"/\")",
				   e);
		return NULL;
	case PT_ETCFILES:
		if (!e[0] || strchr(e, '/') || has_control(e) || streq(e, ".") || streq(e, ".."))
			return why("\"%.100s\" is not a file name under /etc; expected e.g. "
				   "\"localtime\"",
				   e);
		if (etc_name_is_forbidden(e))
			return why("\"%.100s\" must not enter a jail (secrets, or written by jaild); "
				   "expected another file",
				   e);
		return NULL;
	case PT_ENV:
		eq = strchr(e, '=');
		if (!eq || !env_name_is_valid(e, (size_t) (eq - e)) || has_control(eq))
			return why("\"%.100s\" is not NAME=VALUE; expected e.g. \"LANG=C.UTF-8\"", e);
		if (env_name_is_dangerous(e, (size_t) (eq - e)))
			return why("\"%.*s\" changes how programs load code or start shells; expected "
				   "another variable",
				   (int) (eq - e), e);
		return NULL;
	case PT_ENVNAMES:
		if (!env_name_is_valid(e, strlen(e)))
			return why("\"%.100s\" is not a variable name; expected e.g. \"EDITOR\"", e);
		if (env_name_is_dangerous(e, strlen(e)))
			return why("\"%.100s\" changes how programs load code or start shells; "
				   "expected another variable",
				   e);
		return NULL;
	default:
		return why("internal error: key %s is not a list", ki->name);
	}
}

/* For substituting keys, checks the % sequences, then validates the placeholder-substituted
 * text, which is what resolution will see for an ordinary user. */
char *text_check(enum pkey k, const char *text, struct pval *out, bool element)
{
	_cleanup_free_ char *sub = NULL;
	char *w;

	if (strlen(text) > TEXT_MAX)
		return why("is longer than %d characters", TEXT_MAX);
	if (pkey_table[k].subst) {
		w = subst_check(text);
		if (w)
			return w;
		sub = subst_apply(text, &subst_placeholder);
		if (!sub)
			return why("out of memory");
		text = sub;
	}
	return element ? element_check(k, text) : scalar_from_text(k, text, out);
}

void pval_clear(struct pval *v)
{
	free(v->str);
	strv_free(v->list);
	for (size_t i = 0; i < v->nbinds; i++) {
		free(v->binds[i].src);
		free(v->binds[i].dst);
	}
	free(v->binds);
	for (size_t i = 0; i < v->nrules; i++) {
		free(v->rules[i].command);
		strv_free(v->rules[i].deny);
	}
	free(v->rules);
	memset(v, 0, sizeof(*v));
}

bool ptype_is_list(enum ptype t)
{
	return t >= PT_NAMES && t <= PT_ENVNAMES;
}

int pval_parse_text(enum pkey k, const char *text, struct pval *out, char **ret_why)
{
	const struct pkey_info *ki = &pkey_table[k];
	struct pval v = { 0 };
	char *w = NULL;

	if (ki->type == PT_BINDS || ki->type == PT_RULES || ki->type == PT_ALIASES) {
		/* Only the empty default is written as text. */
		if (text[0]) {
			*ret_why = why("binds, rules and aliases have no text form");
			return -EINVAL;
		}
	} else if (ptype_is_list(ki->type)) {
		_cleanup_free_ char *copy = strdup(text);
		char *save = NULL;
		if (!copy)
			return -ENOMEM;
		if (strv_push(&v.list, "") < 0) /* an empty list, not NULL */
			return -ENOMEM;
		free(v.list[0]);
		v.list[0] = NULL;
		for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			while (*t == ' ')
				t++;
			w = text_check(k, t, &v, true);
			if (w || strv_push(&v.list, t) < 0)
				break;
		}
	} else if (ki->type == PT_BOOL) {
		if (streq(text, "true"))
			v.num = 1;
		else if (!streq(text, "false"))
			w = why("\"%.100s\" is not a boolean; expected true or false", text);
	} else if (ki->type == PT_INT && ki->unlimited_ok && streq(text, "unlimited")) {
		v.num = VALUE_UNLIMITED;
	} else if (ki->type == PT_INT) {
		char *end;
		errno = 0;
		long long n = strtoll(text, &end, 10);
		if (errno || end == text || *end)
			w = why("\"%.100s\" is not a whole number", text);
		else if (n < ki->min || n > ki->max)
			w = range_why(ki, text);
		v.num = n;
	} else {
		w = text_check(k, text, &v, false);
	}
	if (w) {
		pval_clear(&v);
		*ret_why = w;
		return -EINVAL;
	}
	if (ki->type == PT_ALIASES && !(v.list = calloc(1, sizeof(char *)))) {
		pval_clear(&v);
		return -ENOMEM;
	}
	if (!ptype_is_list(ki->type) && ki->type != PT_BINDS && ki->type != PT_RULES &&
	    ki->type != PT_ALIASES) {
		v.str = strdup(text);
		if (!v.str) {
			pval_clear(&v);
			return -ENOMEM;
		}
	}
	v.set = true;
	*out = v;
	return 0;
}

/* libconfig type names for messages. */
static const char *setting_type_name(const config_setting_t *s)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_GROUP: return "a group { }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64: return "a number";
	case CONFIG_TYPE_FLOAT: return "a decimal number";
	case CONFIG_TYPE_STRING: return "a string";
	case CONFIG_TYPE_BOOL: return "a boolean";
	case CONFIG_TYPE_ARRAY: return "an array [ ]";
	case CONFIG_TYPE_LIST: return "a list ( )";
	default: return "nothing";
	}
}

static const char *ptype_expect(enum ptype t)
{
	switch (t) {
	case PT_BOOL: return "true or false";
	case PT_INT: return "a whole number";
	case PT_SIZE: return "a size string such as \"512M\" (or a number of bytes)";
	case PT_DURATION: return "a duration string such as \"15m\" (or a number of seconds)";
	case PT_PERCENT: return "a percentage string such as \"50%\"";
	case PT_BINDS: return "a list of groups: ( { src = \"/usr\"; ro = true; } )";
	case PT_RULES: return "a list of groups: ( { command = \"find\"; deny = [\"-exec\"]; } )";
	case PT_ALIASES: return "a group: { ll = \"ls -l\"; }";
	case PT_UMASK: return "an octal string such as \"027\"";
	default: return ptype_is_list(t) ? "a list of strings: [\"a\", \"b\"]" : "a string";
	}
}

#define ERR(s, ...) perr_add(errs, file, config_setting_source_line(s), __VA_ARGS__)

static int strings_from_setting(enum pkey k, const char *keyname, config_setting_t *s,
				const char *file, char ***ret, struct perr_list *errs)
{
	_cleanup_strv_free_ char **list = calloc(1, sizeof(char *));
	int n = config_setting_length(s), bad = 0;

	if (!list)
		return -ENOMEM;
	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		ERR(s, "%s: is %s; expected %s", keyname, setting_type_name(s),
		    ptype_expect(pkey_table[k].type));
		return -EINVAL;
	}
	if (n < pkey_table[k].min || n > pkey_table[k].max) {
		ERR(s, "%s: has %d entries; expected %lld to %lld", keyname, n,
		    (long long) pkey_table[k].min, (long long) pkey_table[k].max);
		return -EINVAL;
	}
	for (int i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(s, (unsigned) i);
		const char *t = config_setting_get_string(e);
		_cleanup_free_ char *w = NULL;

		if (!t) {
			ERR(e, "%s: entry %d is %s; expected a string", keyname, i + 1,
			    setting_type_name(e));
			bad = 1;
			continue;
		}
		w = text_check(k, t, NULL, true);
		if (w) {
			ERR(e, "%s: %s", keyname, w);
			bad = 1;
			continue;
		}
		if (strv_contains(list, t)) {
			ERR(e, "%s: \"%.100s\" is listed twice; expected each entry once", keyname,
			    t);
			bad = 1;
			continue;
		}
		if (strv_push(&list, t) < 0)
			return -ENOMEM;
	}
	if (bad)
		return -EINVAL;
	*ret = TAKE_PTR(list);
	return 0;
}

/* Reads the members of a group element (a bind or a rule) against an allowed key list. */
static bool group_keys_ok(config_setting_t *g, const char *keyname, const char *const *allowed,
			  const char *file, struct perr_list *errs)
{
	bool ok = true;

	for (int i = 0; i < config_setting_length(g); i++) {
		config_setting_t *m = config_setting_get_elem(g, (unsigned) i);
		const char *name = config_setting_name(m);
		bool known = false;

		for (int j = 0; allowed[j]; j++)
			known |= streq(allowed[j], name);
		if (!known) {
			char list[128] = "";
			for (int j = 0; allowed[j]; j++) {
				strncat(list, j ? ", " : "", sizeof(list) - strlen(list) - 1);
				strncat(list, allowed[j], sizeof(list) - strlen(list) - 1);
			}
			ERR(m, "%s: unknown key \"%.64s\"; expected one of %s", keyname, name, list);
			ok = false;
		}
	}
	return ok;
}

static int bool_member(config_setting_t *g, const char *name, bool def, bool *ret,
		       const char *keyname, const char *file, struct perr_list *errs)
{
	config_setting_t *m = config_setting_get_member(g, name);

	*ret = def;
	if (!m)
		return 0;
	if (config_setting_type(m) != CONFIG_TYPE_BOOL) {
		ERR(m, "%s: %s is %s; expected true or false", keyname, name, setting_type_name(m));
		return -EINVAL;
	}
	*ret = config_setting_get_bool(m);
	return 0;
}

/* Validates a bind path (src or dst) after placeholder substitution. */
static char *bind_path_check(const char *what, const char *text)
{
	_cleanup_free_ char *sub = NULL;
	char *w = subst_check(text);

	if (w)
		return w;
	sub = subst_apply(text, &subst_placeholder);
	if (!sub)
		return why("out of memory");
	return bind_path_check_resolved(what, sub);
}

char *bind_path_check_resolved(const char *what, const char *p)
{
	/* Never inside a jail, nor any directory that contains them. */
	static const char *const never[] = { "/etc/shadow", "/proc", "/sys", "/dev", "/run/corral",
					     "/var/run/corral", "/etc/corral",
					     "/etc/gshadow", "/etc/sudoers", "/etc/sudoers.d",
					     "/etc/ssh", "/etc/pam.d", "/etc/security", "/root",
					     NULL };

	if (!path_is_canonical(p))
		return why("%s \"%.100s\" is not a canonical absolute path; expected e.g. \"/usr\" "
			   "(no \"..\", \".\", \"//\" or trailing \"/\")",
			   what, p);
	if (streq(p, "/"))
		return why("%s \"/\" would expose the whole host; expected a directory below it",
			   what);
	if (streq(what, "src")) {
		for (int i = 0; never[i]; i++)
			if (path_is_under(p, never[i]) || path_is_under(never[i], p))
				return why("src \"%.100s\" overlaps %s, which never enters a jail; "
					   "expected another directory",
					   p, never[i]);
	} else if (path_is_under(p, "/proc") || path_is_under(p, "/dev") ||
		   path_is_under(p, "/tmp") || streq(p, "/etc") || streq(p, "/etc/passwd") ||
		   streq(p, "/etc/group")) {
		return why("dst \"%.100s\" is /proc, /dev, /tmp, /etc or a file jaild writes there; "
			   "expected another place",
			   p);
	}
	return NULL;
}

static int binds_from_setting(config_setting_t *s, const char *file, struct pval *out,
			      struct perr_list *errs)
{
	static const char *const keys[] = { "src", "dst", "ro", "optional", NULL };
	int n = config_setting_length(s), bad = 0;

	if (!config_setting_is_list(s)) {
		ERR(s, "jail.binds: is %s; expected %s", setting_type_name(s),
		    ptype_expect(PT_BINDS));
		return -EINVAL;
	}
	if (n > pkey_table[PK_JAIL_BINDS].max) {
		ERR(s, "jail.binds: has %d entries; expected at most %lld", n,
		    (long long) pkey_table[PK_JAIL_BINDS].max);
		return -EINVAL;
	}
	out->binds = calloc((size_t) n + 1, sizeof(struct bind));
	if (!out->binds)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(s, (unsigned) i);
		struct bind *b = &out->binds[out->nbinds];
		const char *src, *dst;
		_cleanup_free_ char *w = NULL;

		if (!config_setting_is_group(g)) {
			ERR(g, "jail.binds: entry %d is %s; expected a group { src = \"/usr\"; }",
			    i + 1, setting_type_name(g));
			bad = 1;
			continue;
		}
		if (!group_keys_ok(g, "jail.binds", keys, file, errs)) {
			bad = 1;
			continue;
		}
		if (!config_setting_lookup_string(g, "src", &src)) {
			ERR(g, "jail.binds: entry %d has no src string; expected src = \"/path\"",
			    i + 1);
			bad = 1;
			continue;
		}
		if (!config_setting_lookup_string(g, "dst", &dst)) {
			if (config_setting_get_member(g, "dst")) {
				ERR(g, "jail.binds: dst is not a string; expected dst = \"/path\"");
				bad = 1;
				continue;
			}
			dst = src;
		}
		w = bind_path_check("src", src);
		if (!w)
			w = bind_path_check("dst", dst);
		if (!w && (streq(src, "%h") || streq(dst, "%h")))
			w = why("\"%%h\" is the host home, which corral keeps root's; the user's "
				"files (jail.home) are shown there already: remove this entry");
		if (w) {
			ERR(g, "jail.binds: %s", w);
			bad = 1;
			continue;
		}
		if (bool_member(g, "ro", true, &b->ro, "jail.binds", file, errs) < 0 ||
		    bool_member(g, "optional", false, &b->optional, "jail.binds", file, errs) < 0) {
			bad = 1;
			continue;
		}
		for (size_t j = 0; j < out->nbinds; j++)
			if (streq(out->binds[j].dst, dst)) {
				ERR(g, "jail.binds: dst \"%.100s\" is already bound at line %d; "
				       "expected each dst once",
				    dst, out->binds[j].line);
				bad = 1;
			}
		if (bad)
			continue;
		b->src = strdup(src);
		b->dst = strdup(dst);
		b->line = config_setting_source_line(g);
		out->nbinds++;
		if (!b->src || !b->dst)
			return -ENOMEM;
	}
	return bad ? -EINVAL : 0;
}

static int rules_from_setting(config_setting_t *s, const char *file, struct pval *out,
			      struct perr_list *errs)
{
	static const char *const keys[] = { "command", "deny", NULL };
	int n = config_setting_length(s), bad = 0;

	if (!config_setting_is_list(s)) {
		ERR(s, "shell.rules: is %s; expected %s", setting_type_name(s),
		    ptype_expect(PT_RULES));
		return -EINVAL;
	}
	out->rules = calloc((size_t) n + 1, sizeof(struct arg_rule));
	if (!out->rules)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		config_setting_t *g = config_setting_get_elem(s, (unsigned) i);
		struct arg_rule *r = &out->rules[out->nrules];
		config_setting_t *deny;
		const char *cmd;
		char **list = NULL;

		if (!config_setting_is_group(g)) {
			ERR(g, "shell.rules: entry %d is %s; expected %s", i + 1,
			    setting_type_name(g), "a group { command = \"find\"; deny = [...]; }");
			bad = 1;
			continue;
		}
		if (!group_keys_ok(g, "shell.rules", keys, file, errs)) {
			bad = 1;
			continue;
		}
		if (!config_setting_lookup_string(g, "command", &cmd) || !command_is_valid(cmd)) {
			ERR(g, "shell.rules: entry %d needs command = \"NAME\"; expected a command "
			       "name such as \"find\"",
			    i + 1);
			bad = 1;
			continue;
		}
		deny = config_setting_get_member(g, "deny");
		if (!deny || (!config_setting_is_array(deny) && !config_setting_is_list(deny)) ||
		    config_setting_length(deny) == 0) {
			ERR(g, "shell.rules: entry %d needs deny = [\"PATTERN\", ...]; expected a "
			       "non-empty list of argument patterns",
			    i + 1);
			bad = 1;
			continue;
		}
		list = calloc(1, sizeof(char *));
		if (!list)
			return -ENOMEM;
		for (int j = 0; j < config_setting_length(deny); j++) {
			config_setting_t *e = config_setting_get_elem(deny, (unsigned) j);
			const char *t = config_setting_get_string(e);
			if (!t || !t[0] || strlen(t) > 256 || has_control(t)) {
				ERR(e, "shell.rules: deny entry %d is not a pattern; expected a "
				       "string such as \"-exec\" or \"-c*\"",
				    j + 1);
				bad = 1;
			} else if (strv_push(&list, t) < 0) {
				strv_free(list);
				return -ENOMEM;
			}
		}
		r->command = strdup(cmd);
		r->deny = list;
		r->line = config_setting_source_line(g);
		out->nrules++;
		if (!r->command)
			return -ENOMEM;
	}
	return bad ? -EINVAL : 0;
}

/* shell.aliases: a group NAME = "TEXT", kept as a list of "NAME=TEXT". */
static int aliases_from_setting(config_setting_t *s, const char *file, struct pval *out,
				struct perr_list *errs)
{
	int n = config_setting_length(s), bad = 0;

	if (!config_setting_is_group(s)) {
		ERR(s, "shell.aliases: is %s; expected %s", setting_type_name(s),
		    ptype_expect(PT_ALIASES));
		return -EINVAL;
	}
	if (n > pkey_table[PK_SHELL_ALIASES].max) {
		ERR(s, "shell.aliases: has %d entries; expected at most %lld", n,
		    (long long) pkey_table[PK_SHELL_ALIASES].max);
		return -EINVAL;
	}
	out->list = calloc(1, sizeof(char *));
	if (!out->list)
		return -ENOMEM;
	for (int i = 0; i < n; i++) {
		config_setting_t *e = config_setting_get_elem(s, (unsigned) i);
		const char *name = config_setting_name(e), *text = config_setting_get_string(e);
		_cleanup_free_ char *w = NULL, *entry = NULL;

		if (!text) {
			ERR(e, "shell.aliases: %.64s is %s; expected a string such as \"ls -l\"", name,
			    setting_type_name(e));
			bad = 1;
			continue;
		}
		w = alias_check(name, text);
		if (w) {
			ERR(e, "shell.aliases: %s", w);
			bad = 1;
			continue;
		}
		entry = strdup_printf("%s=%s", name, text);
		if (!entry || strv_push(&out->list, entry) < 0)
			return -ENOMEM;
	}
	return bad ? -EINVAL : 0;
}

int pval_from_setting(enum pkey k, config_setting_t *s, const char *file, struct pval *out,
		      struct perr_list *errs)
{
	const struct pkey_info *ki = &pkey_table[k];
	struct pval v = { 0 };
	char numtext[32];
	const char *text = NULL;
	int r = 0;

	switch (ki->type) {
	case PT_BINDS:
		r = binds_from_setting(s, file, &v, errs);
		break;
	case PT_RULES:
		r = rules_from_setting(s, file, &v, errs);
		break;
	case PT_ALIASES:
		r = aliases_from_setting(s, file, &v, errs);
		break;
	case PT_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
			ERR(s, "%s: is %s; expected true or false", ki->name, setting_type_name(s));
			r = -EINVAL;
			break;
		}
		v.num = config_setting_get_bool(s);
		text = v.num ? "true" : "false";
		break;
	case PT_INT:
		/* A count that may be lifted again below a parent that set it ("unlimited"). */
		if (ki->unlimited_ok && config_setting_type(s) == CONFIG_TYPE_STRING &&
		    streq(config_setting_get_string(s), "unlimited")) {
			v.num = VALUE_UNLIMITED;
			text = "unlimited";
			break;
		}
		if (config_setting_type(s) != CONFIG_TYPE_INT &&
		    config_setting_type(s) != CONFIG_TYPE_INT64) {
			ERR(s, "%s: is %s; expected a whole number from %lld to %lld%s", ki->name,
			    setting_type_name(s), (long long) ki->min, (long long) ki->max,
			    ki->unlimited_ok ? ", or \"unlimited\"" : "");
			r = -EINVAL;
			break;
		}
		v.num = config_setting_get_int64(s);
		snprintf(numtext, sizeof(numtext), "%lld", (long long) v.num);
		text = numtext;
		if (v.num < ki->min || v.num > ki->max) {
			_cleanup_free_ char *w = range_why(ki, text);
			ERR(s, "%s: %s", ki->name, w);
			r = -EINVAL;
		}
		break;
	default:
		if (ptype_is_list(ki->type)) {
			r = strings_from_setting(k, ki->name, s, file, &v.list, errs);
			break;
		}
		/* Sizes and durations may be plain numbers (bytes, seconds). */
		if ((ki->type == PT_SIZE || ki->type == PT_DURATION) &&
		    (config_setting_type(s) == CONFIG_TYPE_INT ||
		     config_setting_type(s) == CONFIG_TYPE_INT64)) {
			long long n = config_setting_get_int64(s);
			if (n < 0) {
				ERR(s, "%s: %lld is negative; expected %s", ki->name, n,
				    ptype_expect(ki->type));
				r = -EINVAL;
				break;
			}
			snprintf(numtext, sizeof(numtext), "%lld", n);
			text = numtext;
		} else if (config_setting_type(s) == CONFIG_TYPE_STRING) {
			text = config_setting_get_string(s);
		} else {
			ERR(s, "%s: is %s; expected %s", ki->name, setting_type_name(s),
			    ptype_expect(ki->type));
			r = -EINVAL;
			break;
		}
		_cleanup_free_ char *w = text_check(k, text, &v, false);
		if (w) {
			ERR(s, "%s: %s", ki->name, w);
			r = -EINVAL;
		}
		break;
	}
	if (r == 0 && text) {
		v.str = strdup(text);
		if (!v.str)
			r = -ENOMEM;
	}
	if (r < 0) {
		pval_clear(&v);
		return r;
	}
	v.set = true;
	v.file = file;
	v.line = config_setting_source_line(s);
	*out = v;
	return 0;
}
