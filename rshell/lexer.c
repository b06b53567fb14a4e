// SPDX-License-Identifier: GPL-3.0-or-later
/* Line -> tokens.  See syntax.h for the language; every refusal names the construct. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syntax.h"

struct buf {
	char *text, *glob;
	size_t len, cap;
	bool active; /* a word has started (even an empty '' one) */
};

struct lexer {
	const char *line, *p;
	size_t word_start; /* where the word being built began */
	const struct lex_env *env;
	struct token *toks;
	size_t n;
	struct buf w;
	char *error;
};

static int fail(struct lexer *lx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct lexer *lx, const char *fmt, ...)
{
	va_list ap;

	if (lx->error)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&lx->error, fmt, ap) < 0)
		lx->error = NULL;
	va_end(ap);
	if (!lx->error)
		lx->error = strdup("out of memory");
	return -1;
}

static int put(struct lexer *lx, char c, bool glob)
{
	struct buf *w = &lx->w;

	if (w->len + 2 > w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		char *t, *g;
		if (cap > LINE_MAX_BYTES * 4)
			return fail(lx, "the expanded line is too long");
		t = realloc(w->text, cap);
		if (t)
			w->text = t;
		g = t ? realloc(w->glob, cap) : NULL;
		if (!t || !g)
			return fail(lx, "out of memory");
		w->glob = g;
		w->cap = cap;
	}
	w->text[w->len] = c;
	w->glob[w->len] = glob ? '1' : '0';
	w->len++;
	w->active = true;
	return 0;
}

static int put_str(struct lexer *lx, const char *s)
{
	for (; s && *s; s++)
		if (put(lx, *s, false) < 0)
			return -1;
	lx->w.active = true;
	return 0;
}

static int push(struct lexer *lx, enum tok type, char *text, char *glob, size_t start,
		size_t end)
{
	struct token *t;

	if (lx->n >= TOKENS_MAX)
		return fail(lx, "too many words and operators (at most %d)", TOKENS_MAX);
	t = realloc(lx->toks, (lx->n + 1) * sizeof(*t));
	if (!t)
		return fail(lx, "out of memory");
	lx->toks = t;
	lx->toks[lx->n++] = (struct token){ type, text, glob, start, end };
	return 0;
}

static int end_word(struct lexer *lx)
{
	struct buf *w = &lx->w;
	char *text, *glob;

	if (!w->active)
		return 0;
	text = strndup(w->text ? w->text : "", w->len);
	glob = strndup(w->glob ? w->glob : "", w->len);
	w->len = 0;
	w->active = false;
	if (!text || !glob) {
		free(text);
		free(glob);
		return fail(lx, "out of memory");
	}
	if (push(lx, TOK_WORD, text, glob, lx->word_start, (size_t) (lx->p - lx->line)) < 0) {
		free(text);
		free(glob);
		return -1;
	}
	return 0;
}

static int op(struct lexer *lx, enum tok type, size_t len)
{
	size_t start = (size_t) (lx->p - lx->line);

	if (end_word(lx) < 0)
		return -1;
	lx->p += len;
	return push(lx, type, NULL, NULL, start, start + len);
}

static bool name_start(char c)
{
	return isalpha((unsigned char) c) || c == '_';
}

static bool name_char(char c)
{
	return isalnum((unsigned char) c) || c == '_';
}

/* At '$': expands a variable into the word, or refuses what sh would run code for. */
static int dollar(struct lexer *lx)
{
	const char *p = lx->p + 1;
	char name[256], num[16];
	size_t n = 0;
	const char *val;

	if (*p == '(')
		return fail(lx, p[1] == '(' ? "arithmetic expansion $((...)) is not allowed"
					   : "command substitution $(...) is not allowed");
	if (*p == '\'')
		return fail(lx, "$'...' quoting is not supported; use '...' or \"...\"");
	if (*p == '"')
		return fail(lx, "$\"...\" quoting is not supported; use \"...\"");
	if (*p == '?') {
		snprintf(num, sizeof(num), "%d", lx->env ? lx->env->last_status : 0);
		lx->p = p + 1;
		return put_str(lx, num);
	}
	if (*p == '{') {
		p++;
		if (!name_start(*p))
			return fail(lx, "only ${NAME} is supported, not ${%.20s", p);
		while (name_char(*p) && n < sizeof(name) - 1)
			name[n++] = *p++;
		if (*p != '}')
			return fail(lx, "only ${NAME} is supported: ${%.*s%c... is not", (int) n, name,
				    *p ? *p : ' ');
		p++;
	} else if (name_start(*p)) {
		while (name_char(*p) && n < sizeof(name) - 1)
			name[n++] = *p++;
	} else if (*p && strchr("0123456789$!#@*-", *p)) {
		return fail(lx, "the special parameter $%c is not supported", *p);
	} else {
		lx->p++;
		return put(lx, '$', false); /* a lone $ is just a dollar sign */
	}
	name[n] = '\0';
	lx->p = p;
	val = lx->env && lx->env->lookup ? lx->env->lookup(name, lx->env->data) : NULL;
	/* The value is quoted: no globbing, no word splitting. */
	lx->w.active = true;
	return put_str(lx, val ? val : "");
}

static int single_quote(struct lexer *lx)
{
	const char *end = strchr(lx->p + 1, '\'');

	if (!end)
		return fail(lx, "unterminated single quote");
	lx->w.active = true;
	for (const char *c = lx->p + 1; c < end; c++)
		if (put(lx, *c, false) < 0)
			return -1;
	lx->p = end + 1;
	return 0;
}

static int double_quote(struct lexer *lx)
{
	lx->w.active = true;
	lx->p++;
	for (;;) {
		char c = *lx->p;
		if (!c)
			return fail(lx, "unterminated double quote");
		if (c == '"') {
			lx->p++;
			return 0;
		}
		if (c == '`')
			return fail(lx, "command substitution `...` is not allowed");
		if (c == '$') {
			if (dollar(lx) < 0)
				return -1;
			continue;
		}
		if (c == '\\' && lx->p[1] && strchr("$`\"\\", lx->p[1])) {
			if (put(lx, lx->p[1], false) < 0)
				return -1;
			lx->p += 2;
			continue;
		}
		if (put(lx, c, false) < 0)
			return -1;
		lx->p++;
	}
}

/* Refuses control characters (Ctrl-V Ctrl-J newline injection and friends) and bad UTF-8. */
static int check_bytes(struct lexer *lx, const char *line)
{
	const unsigned char *s = (const unsigned char *) line;
	size_t len = strlen(line);

	if (len > LINE_MAX_BYTES)
		return fail(lx, "the line is longer than %d bytes", LINE_MAX_BYTES);
	while (*s) {
		int extra;
		if (*s < 0x20 && *s != '\t')
			return fail(lx, "control characters are not allowed (byte 0x%02x)", *s);
		if (*s == 0x7f)
			return fail(lx, "control characters are not allowed (byte 0x7f)");
		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0 && *s >= 0xc2)
			extra = 1;
		else if ((*s & 0xf0) == 0xe0)
			extra = 2;
		else if ((*s & 0xf8) == 0xf0 && *s <= 0xf4)
			extra = 3;
		else
			return fail(lx, "the line is not valid UTF-8");
		for (int i = 1; i <= extra; i++)
			if ((s[i] & 0xc0) != 0x80)
				return fail(lx, "the line is not valid UTF-8");
		s += extra + 1;
	}
	return 0;
}

static int lex(struct lexer *lx)
{
	while (*lx->p) {
		char c = *lx->p;
		const char *p = lx->p;

		if (!lx->w.active)
			lx->word_start = (size_t) (p - lx->line); /* a word may start here */
		if (c == ' ' || c == '\t') {
			if (end_word(lx) < 0)
				return -1;
			lx->p++;
			continue;
		}
		if (c == '#' && !lx->w.active)
			break; /* a comment runs to the end of the line */
		if (c == '|') {
			if (p[1] == '&')
				return fail(lx, "|& is not supported; use 2>&1 |");
			if (op(lx, p[1] == '|' ? TOK_OR : TOK_PIPE, p[1] == '|' ? 2 : 1) < 0)
				return -1;
			continue;
		}
		if (c == '&') {
			if (p[1] == '>')
				return fail(lx, "&> is not supported; use > FILE 2>&1");
			if (op(lx, p[1] == '&' ? TOK_AND : TOK_BG, p[1] == '&' ? 2 : 1) < 0)
				return -1;
			continue;
		}
		if (c == ';') {
			if (p[1] == ';')
				return fail(lx, ";; is not supported");
			if (op(lx, TOK_SEMI, 1) < 0)
				return -1;
			continue;
		}
		if (c == '<') {
			if (p[1] == '<')
				return fail(lx, "here-documents and here-strings (<<, <<<) are not "
						"allowed");
			if (p[1] == '(')
				return fail(lx, "process substitution <(...) is not allowed");
			if (p[1] == '&' || p[1] == '>')
				return fail(lx, "<%c is not supported", p[1]);
			if (op(lx, TOK_IN, 1) < 0)
				return -1;
			continue;
		}
		if (c == '>') {
			if (p[1] == '(')
				return fail(lx, "process substitution >(...) is not allowed");
			if (p[1] == '&' || p[1] == '|')
				return fail(lx, ">%c is not supported; use > FILE or 2>&1", p[1]);
			if (op(lx, p[1] == '>' ? TOK_APPEND : TOK_OUT, p[1] == '>' ? 2 : 1) < 0)
				return -1;
			continue;
		}
		/* A file descriptor number right before > or < at the start of a word. */
		if (!lx->w.active && isdigit((unsigned char) c) && (p[1] == '>' || p[1] == '<')) {
			if (c == '2' && strncmp(p, "2>&1", 4) == 0) {
				if (op(lx, TOK_ERR2OUT, 4) < 0)
					return -1;
				continue;
			}
			if (c == '2' && p[1] == '>' && p[2] != '>' && p[2] != '&' && p[2] != '(') {
				if (op(lx, TOK_ERR, 2) < 0)
					return -1;
				continue;
			}
			return fail(lx, "only <, >, >>, 2> and 2>&1 are supported, not %.4s", p);
		}
		if (c == '(' || c == ')')
			return fail(lx, "subshells and functions ( ) are not allowed");
		if (c == '`')
			return fail(lx, "command substitution `...` is not allowed");
		if (c == '$') {
			if (dollar(lx) < 0)
				return -1;
			continue;
		}
		if (c == '\'') {
			if (single_quote(lx) < 0)
				return -1;
			continue;
		}
		if (c == '"') {
			if (double_quote(lx) < 0)
				return -1;
			continue;
		}
		if (c == '\\') {
			if (!p[1])
				return fail(lx, "a backslash ends the line; nothing to escape");
			if (put(lx, p[1], false) < 0)
				return -1;
			lx->p += 2;
			continue;
		}
		if (c == '~' && !lx->w.active && (p[1] == '/' || p[1] == ' ' || p[1] == '\t' ||
						  p[1] == '\0' || strchr(";&|<>", p[1]))) {
			if (!lx->env || !lx->env->home)
				return fail(lx, "~ has no home to expand to");
			if (put_str(lx, lx->env->home) < 0)
				return -1;
			lx->p++;
			continue;
		}
		if (put(lx, c, c == '*' || c == '?' || c == '[') < 0)
			return -1;
		lx->p++;
	}
	return end_word(lx);
}

void tokens_free(struct token *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(t[i].text);
		free(t[i].glob);
	}
	free(t);
}

int lex_line(const char *line, const struct lex_env *env, struct token **ret, size_t *ret_n,
	     char **ret_error)
{
	struct lexer lx = { .line = line, .p = line, .env = env };
	int r = check_bytes(&lx, line);

	if (r == 0)
		r = lex(&lx);
	free(lx.w.text);
	free(lx.w.glob);
	if (r < 0 || lx.error) {
		tokens_free(lx.toks, lx.n);
		*ret_error = lx.error ? lx.error : strdup("cannot read the line");
		return -1;
	}
	*ret = lx.toks;
	*ret_n = lx.n;
	return 0;
}
