/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rshell's command language: what the lexer accepts and the parser builds.  A deliberately small
 * subset of sh: words with '' "" and \ quoting, $VAR / ${VAR} / $? expansion from the session's
 * own variables (no word splitting; each part of a list expanded when it runs), ~ and ~/, globs (* ? [...]), pipelines, && || ; and & , and
 * the redirections < > >> 2> 2>&1.  Everything else that sh would run code for is refused with a
 * message: command and process substitution, backquotes, here-documents and here-strings, $'..'
 * quoting, subshells, functions, other fds.  Control characters and invalid UTF-8 are refused
 * before anything else, so Ctrl-V tricks cannot smuggle a newline.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define LINE_MAX_BYTES 65536
#define TOKENS_MAX 4096

enum tok {
	TOK_WORD,
	TOK_PIPE,   /* | */
	TOK_AND,    /* && */
	TOK_OR,     /* || */
	TOK_SEMI,   /* ; */
	TOK_BG,     /* & */
	TOK_IN,     /* < */
	TOK_OUT,    /* > */
	TOK_APPEND, /* >> */
	TOK_ERR,    /* 2> */
	TOK_ERR2OUT /* 2>&1 */
};

struct token {
	enum tok type;
	char *text; /* words: the expanded text */
	char *glob; /* words: '1' where text has an unquoted glob character, else '0' */
	size_t start, end; /* where it was in the line: [start, end) */
};

/* Where $VAR, ${VAR}, $? and ~ come from. */
struct lex_env {
	const char *(*lookup)(const char *name, void *data);
	void *data;
	int last_status;
	const char *home;
};

/* Returns 0 with the tokens, or -1 with *ret_error (allocated) saying what is refused. */
int lex_line(const char *line, const struct lex_env *env, struct token **ret, size_t *ret_n,
	     char **ret_error);
void tokens_free(struct token *t, size_t n);

enum redir_type { R_IN, R_OUT, R_APPEND, R_ERR, R_ERR2OUT };
struct redir {
	enum redir_type type;
	char *path; /* NULL for R_ERR2OUT */
};

struct command {
	char **argv;  /* NULL-terminated */
	char **glob;  /* per word: glob masks, as in struct token */
	size_t argc;
	struct redir *redirs;
	size_t nredirs;
};

struct pipeline {
	struct command *cmds;
	size_t n;
	bool background;
	size_t src_start, src_end; /* its text in the line, without the operator after it */
};

enum link { LINK_END, LINK_SEMI, LINK_AND, LINK_OR };

struct cmdlist {
	struct pipeline *pipes;
	enum link *links; /* links[i] joins pipes[i] and pipes[i + 1] */
	size_t n;
};

/* Builds the list from tokens (which it takes over); 0, or -1 with *ret_error. */
int parse_tokens(struct token *t, size_t n, struct cmdlist *ret, char **ret_error);
void cmdlist_free(struct cmdlist *l);
/* lex_line then parse_tokens. */
int parse_line(const char *line, const struct lex_env *env, struct cmdlist *ret, char **ret_error);
/* Expands one part of a parsed line again, with the values of env now: each part of a list is
 * expanded when it runs, as in sh.  Expansion never makes operators (no word splitting), so the
 * part keeps its shape.  0 with *ret (free with pipeline_free), or -1 with *ret_error. */
int parse_part(const char *line, const struct pipeline *part, const struct lex_env *env,
	       struct pipeline *ret, char **ret_error);
void pipeline_free(struct pipeline *p);
