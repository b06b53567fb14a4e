// SPDX-License-Identifier: GPL-3.0-or-later
/* Tokens -> command list: pipelines of commands with redirections, joined by ; && || and &. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syntax.h"

#define ARGS_MAX 1024

static const char *tok_name(enum tok t)
{
	static const char *const names[] = { "word", "|", "&&", "||", ";", "&", "<", ">", ">>",
					     "2>", "2>&1" };
	return names[t];
}

static void command_free(struct command *c)
{
	for (size_t i = 0; i < c->argc; i++) {
		free(c->argv[i]);
		free(c->glob[i]);
	}
	free(c->argv);
	free(c->glob);
	for (size_t i = 0; i < c->nredirs; i++)
		free(c->redirs[i].path);
	free(c->redirs);
}

void pipeline_free(struct pipeline *p)
{
	for (size_t j = 0; j < p->n; j++)
		command_free(&p->cmds[j]);
	free(p->cmds);
	memset(p, 0, sizeof(*p));
}

void cmdlist_free(struct cmdlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		pipeline_free(&l->pipes[i]);
	free(l->pipes);
	free(l->links);
	memset(l, 0, sizeof(*l));
}

struct parser {
	struct token *t;
	size_t n, i;
	char *error;
};

static int err(struct parser *ps, const char *msg, const char *detail)
{
	if (!ps->error && asprintf(&ps->error, "%s%s", msg, detail ? detail : "") < 0)
		ps->error = NULL;
	return -1;
}

/* Takes the word at t[i] into the command (argv or a redirection's path). */
static int take_word(struct parser *ps, char **text, char **glob)
{
	*text = ps->t[ps->i].text;
	*glob = ps->t[ps->i].glob;
	ps->t[ps->i].text = ps->t[ps->i].glob = NULL;
	ps->i++;
	return 0;
}

static int parse_command(struct parser *ps, struct command *c)
{
	memset(c, 0, sizeof(*c));
	c->argv = calloc(1, sizeof(char *));
	c->glob = calloc(1, sizeof(char *));
	if (!c->argv || !c->glob)
		return err(ps, "out of memory", NULL);
	while (ps->i < ps->n) {
		struct token *t = &ps->t[ps->i];
		if (t->type == TOK_WORD) {
			char **a, **g;
			if (c->argc >= ARGS_MAX)
				return err(ps, "too many arguments", NULL);
			a = realloc(c->argv, (c->argc + 2) * sizeof(char *));
			if (a)
				c->argv = a;
			g = a ? realloc(c->glob, (c->argc + 2) * sizeof(char *)) : NULL;
			if (!a || !g)
				return err(ps, "out of memory", NULL);
			c->glob = g;
			take_word(ps, &c->argv[c->argc], &c->glob[c->argc]);
			c->argc++;
			c->argv[c->argc] = c->glob[c->argc] = NULL;
			continue;
		}
		if (t->type >= TOK_IN && t->type <= TOK_ERR2OUT) {
			struct redir *r = realloc(c->redirs, (c->nredirs + 1) * sizeof(*r));
			char *unused = NULL;
			if (!r)
				return err(ps, "out of memory", NULL);
			c->redirs = r;
			r = &c->redirs[c->nredirs];
			r->type = t->type == TOK_IN       ? R_IN
				  : t->type == TOK_OUT    ? R_OUT
				  : t->type == TOK_APPEND ? R_APPEND
				  : t->type == TOK_ERR    ? R_ERR
							  : R_ERR2OUT;
			r->path = NULL;
			c->nredirs++;
			ps->i++;
			if (r->type == R_ERR2OUT)
				continue;
			if (ps->i >= ps->n || ps->t[ps->i].type != TOK_WORD)
				return err(ps, "a redirection needs a file name after ", tok_name(t->type));
			take_word(ps, &r->path, &unused);
			free(unused);
			continue;
		}
		break; /* an operator ends the command */
	}
	if (c->argc == 0) {
		if (ps->i < ps->n)
			return err(ps, "missing command before ", tok_name(ps->t[ps->i].type));
		return err(ps, "missing command", NULL);
	}
	return 0;
}

static int parse_pipeline(struct parser *ps, struct pipeline *p)
{
	memset(p, 0, sizeof(*p));
	p->src_start = ps->t[ps->i].start;
	for (;;) {
		struct command *c = realloc(p->cmds, (p->n + 1) * sizeof(*c));
		if (!c)
			return err(ps, "out of memory", NULL);
		p->cmds = c;
		p->n++;
		if (parse_command(ps, &p->cmds[p->n - 1]) < 0)
			return -1;
		p->src_end = ps->t[ps->i - 1].end;
		if (ps->i < ps->n && ps->t[ps->i].type == TOK_PIPE) {
			ps->i++;
			if (ps->i >= ps->n)
				return err(ps, "missing command after |", NULL);
			continue;
		}
		return 0;
	}
}

int parse_tokens(struct token *t, size_t n, struct cmdlist *ret, char **ret_error)
{
	struct parser ps = { .t = t, .n = n };
	struct cmdlist l = { 0 };
	int r = 0;

	while (ps.i < ps.n) {
		struct pipeline *p = realloc(l.pipes, (l.n + 1) * sizeof(*p));
		enum link *k = p ? realloc(l.links, (l.n + 1) * sizeof(*k)) : NULL;
		if (p)
			l.pipes = p;
		if (!p || !k) {
			r = err(&ps, "out of memory", NULL);
			break;
		}
		l.links = k;
		l.links[l.n] = LINK_END;
		l.n++;
		if (parse_pipeline(&ps, &l.pipes[l.n - 1]) < 0) {
			r = -1;
			break;
		}
		if (ps.i >= ps.n)
			break;
		switch (ps.t[ps.i].type) {
		case TOK_SEMI: l.links[l.n - 1] = LINK_SEMI; break;
		case TOK_AND: l.links[l.n - 1] = LINK_AND; break;
		case TOK_OR: l.links[l.n - 1] = LINK_OR; break;
		case TOK_BG:
			l.pipes[l.n - 1].background = true;
			l.links[l.n - 1] = LINK_SEMI;
			break;
		default: r = err(&ps, "unexpected ", tok_name(ps.t[ps.i].type)); break;
		}
		if (r < 0)
			break;
		ps.i++;
		/* ; and & may end the line; && and || need a right-hand side. */
		if (ps.i >= ps.n && (l.links[l.n - 1] == LINK_AND || l.links[l.n - 1] == LINK_OR)) {
			r = err(&ps, "missing command after ", l.links[l.n - 1] == LINK_AND ? "&&"
												  : "||");
			break;
		}
		if (ps.i >= ps.n)
			l.links[l.n - 1] = LINK_END;
	}
	tokens_free(t, n);
	if (r < 0) {
		cmdlist_free(&l);
		*ret_error = ps.error ? ps.error : strdup("syntax error");
		return -1;
	}
	*ret = l;
	return 0;
}

int parse_line(const char *line, const struct lex_env *env, struct cmdlist *ret, char **ret_error)
{
	struct token *t = NULL;
	size_t n = 0;

	if (lex_line(line, env, &t, &n, ret_error) < 0)
		return -1;
	return parse_tokens(t, n, ret, ret_error);
}

int parse_part(const char *line, const struct pipeline *part, const struct lex_env *env,
	       struct pipeline *ret, char **ret_error)
{
	char *text = strndup(line + part->src_start, part->src_end - part->src_start);
	struct cmdlist l;
	int r;

	if (!text) {
		*ret_error = strdup("out of memory");
		return -1;
	}
	r = parse_line(text, env, &l, ret_error);
	free(text);
	if (r < 0)
		return -1;
	if (l.n != 1) { /* cannot happen: the part parsed as one pipeline before */
		cmdlist_free(&l);
		*ret_error = strdup("the line changed shape when expanded");
		return -1;
	}
	*ret = l.pipes[0];
	ret->background = part->background;
	ret->src_start = part->src_start;
	ret->src_end = part->src_end;
	free(l.pipes);
	free(l.links);
	return 0;
}
