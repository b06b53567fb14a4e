// SPDX-License-Identifier: GPL-3.0-or-later
/* rshell's lexer and parser: what each line becomes, and the exact refusal for each construct
 * that sh would run code for, including the classic restricted-shell bypasses. */
#include "testutil.h"

#include "syntax.h"

static const char *lookup(const char *name, void *data)
{
	(void) data;
	if (strcmp(name, "HOME") == 0)
		return "/home/ann";
	if (strcmp(name, "STAR") == 0)
		return "*";
	return NULL;
}

static const struct lex_env env = { .lookup = lookup, .last_status = 3, .home = "/home/ann" };

/* Renders a parse as [word] [word] with operators and redirections between. */
static char *render(const struct cmdlist *l)
{
	static const char *const links[] = { "", " ;", " &&", " ||" };
	static const char *const redirs[] = { "<", ">", ">>", "2>", "2>&1" };
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	for (size_t i = 0; i < l->n; i++) {
		const struct pipeline *p = &l->pipes[i];
		for (size_t j = 0; j < p->n; j++) {
			const struct command *c = &p->cmds[j];
			if (j)
				fputs(" |", f);
			for (size_t k = 0; k < c->argc; k++)
				fprintf(f, "%s[%s]", (i || j || k) ? " " : "", c->argv[k]);
			for (size_t k = 0; k < c->nredirs; k++)
				fprintf(f, " %s%s", redirs[c->redirs[k].type],
					c->redirs[k].path ? c->redirs[k].path : "");
		}
		if (p->background)
			fputs(" &", f);
		else
			fputs(links[l->links[i]], f);
	}
	fclose(f);
	return out;
}

struct syntax_case {
	const char *line;
	const char *parse; /* the rendering, or NULL when an error is expected */
	const char *error; /* the exact refusal */
};

static const struct syntax_case cases[] = {
	/* words and quoting */
	{ "ls", "[ls]" },
	{ "ls -l /tmp", "[ls] [-l] [/tmp]" },
	{ "  ls   -l  ", "[ls] [-l]" },
	{ "echo\ttab", "[echo] [tab]" },
	{ "echo 'a b'", "[echo] [a b]" },
	{ "echo \"a b\"", "[echo] [a b]" },
	{ "echo a\\ b", "[echo] [a b]" },
	{ "echo ''", "[echo] []" },
	{ "ba''sh", "[bash]" },
	{ "b\"a\"sh", "[bash]" },
	{ "e\\cho hi", "[echo] [hi]" },
	{ "echo \"a;b\"", "[echo] [a;b]" },
	{ "echo a';'b", "[echo] [a;b]" },
	{ "echo 'a && b'", "[echo] [a && b]" },
	{ "echo '`id`'", "[echo] [`id`]" },
	{ "echo \"\\$(id)\"", "[echo] [$(id)]" },
	{ "echo \"\\\"q\\\"\"", "[echo] [\"q\"]" },
	{ "echo \"a\\nb\"", "[echo] [a\\nb]" },
	{ "echo héllo", "[echo] [héllo]" },
	{ "echo a#b", "[echo] [a#b]" },
	{ "ls # a comment", "[ls]" },
	{ "", "" },
	{ "   ", "" },
	/* expansion: the session's variables only, never split, never globbed */
	{ "echo $HOME", "[echo] [/home/ann]" },
	{ "echo ${HOME}x", "[echo] [/home/annx]" },
	{ "echo \"$HOME\"", "[echo] [/home/ann]" },
	{ "echo $HOME$HOME", "[echo] [/home/ann/home/ann]" },
	{ "echo '$HOME'", "[echo] [$HOME]" },
	{ "echo \\$HOME", "[echo] [$HOME]" },
	{ "echo $UNSET", "[echo] []" },
	{ "cat${IFS}/etc/passwd", "[cat/etc/passwd]" },
	{ "echo $?", "[echo] [3]" },
	{ "echo $", "[echo] [$]" },
	{ "echo ~", "[echo] [/home/ann]" },
	{ "echo ~/x", "[echo] [/home/ann/x]" },
	{ "echo a~", "[echo] [a~]" },
	{ "echo ~root", "[echo] [~root]" },
	/* operators */
	{ "ls | wc -l", "[ls] | [wc] [-l]" },
	{ "ls && echo ok || echo no", "[ls] && [echo] [ok] || [echo] [no]" },
	{ "ls; pwd", "[ls] ; [pwd]" },
	{ "ls;pwd", "[ls] ; [pwd]" },
	{ "ls;", "[ls]" },
	{ "ls; bash", "[ls] ; [bash]" },
	{ "ls &", "[ls] &" },
	{ "ls & pwd", "[ls] & [pwd]" },
	{ "a|b|c", "[a] | [b] | [c]" },
	/* redirections */
	{ "echo hi > out.txt", "[echo] [hi] >out.txt" },
	{ "echo hi >out.txt", "[echo] [hi] >out.txt" },
	{ "echo hi >> log", "[echo] [hi] >>log" },
	{ "cat < in", "[cat] <in" },
	{ "make 2> err", "[make] 2>err" },
	{ "make 2>&1 | less", "[make] 2>&1 | [less]" },
	{ "ls -la > \"my file\"", "[ls] [-la] >my file" },
	{ "echo 2>x", "[echo] 2>x" },
	{ "echo a2>x", "[echo] [a2] >x" },
	/* refused: code that sh would run */
	{ "echo $(id)", NULL, "command substitution $(...) is not allowed" },
	{ "echo \"$(id)\"", NULL, "command substitution $(...) is not allowed" },
	{ "echo `id`", NULL, "command substitution `...` is not allowed" },
	{ "echo \"`id`\"", NULL, "command substitution `...` is not allowed" },
	{ "echo $((1+1))", NULL, "arithmetic expansion $((...)) is not allowed" },
	{ "$'\\x62ash'", NULL, "$'...' quoting is not supported; use '...' or \"...\"" },
	{ "X=$'\\x62ash'", NULL, "$'...' quoting is not supported; use '...' or \"...\"" },
	{ "echo $\"x\"", NULL, "$\"...\" quoting is not supported; use \"...\"" },
	{ "echo ${HOME:-x}", NULL, "only ${NAME} is supported: ${HOME:... is not" },
	{ "echo ${#HOME}", NULL, "only ${NAME} is supported, not ${#HOME}" },
	{ "echo $$", NULL, "the special parameter $$ is not supported" },
	{ "echo $1", NULL, "the special parameter $1 is not supported" },
	{ "cat <<EOF", NULL, "here-documents and here-strings (<<, <<<) are not allowed" },
	{ "cat <<< hi", NULL, "here-documents and here-strings (<<, <<<) are not allowed" },
	{ "diff <(ls) <(ls)", NULL, "process substitution <(...) is not allowed" },
	{ "ls >(cat)", NULL, "process substitution >(...) is not allowed" },
	{ "echo && cd () bash && cd", NULL, "subshells and functions ( ) are not allowed" },
	{ "(bash)", NULL, "subshells and functions ( ) are not allowed" },
	{ "f() { bash; }", NULL, "subshells and functions ( ) are not allowed" },
	{ "ls\nbash", NULL, "control characters are not allowed (byte 0x0a)" },
	{ "ls\rbash", NULL, "control characters are not allowed (byte 0x0d)" },
	{ "ls \x16\x0a", NULL, "control characters are not allowed (byte 0x16)" },
	{ "ls \x1b[A", NULL, "control characters are not allowed (byte 0x1b)" },
	{ "ls \x7f", NULL, "control characters are not allowed (byte 0x7f)" },
	{ "echo \xff", NULL, "the line is not valid UTF-8" },
	{ "echo \xc0\xaf", NULL, "the line is not valid UTF-8" },
	{ "echo \xe2\x82", NULL, "the line is not valid UTF-8" },
	{ "echo 'open", NULL, "unterminated single quote" },
	{ "echo \"open", NULL, "unterminated double quote" },
	{ "echo \\", NULL, "a backslash ends the line; nothing to escape" },
	{ "sleep 1 &&", NULL, "missing command after &&" },
	{ "ls ||", NULL, "missing command after ||" },
	{ "| ls", NULL, "missing command before |" },
	{ "ls |", NULL, "missing command after |" },
	{ "ls || || pwd", NULL, "missing command before ||" },
	{ "; ls", NULL, "missing command before ;" },
	{ "ls ;; pwd", NULL, ";; is not supported" },
	{ "echo hi >", NULL, "a redirection needs a file name after >" },
	{ "cat < | x", NULL, "a redirection needs a file name after <" },
	{ "> f", NULL, "missing command" },
	{ "ls &> f", NULL, "&> is not supported; use > FILE 2>&1" },
	{ "ls >& f", NULL, ">& is not supported; use > FILE or 2>&1" },
	{ "ls >| f", NULL, ">| is not supported; use > FILE or 2>&1" },
	{ "ls 3> f", NULL, "only <, >, >>, 2> and 2>&1 are supported, not 3> f" },
	{ "ls 2>> f", NULL, "only <, >, >>, 2> and 2>&1 are supported, not 2>> " },
	{ "ls 0< f", NULL, "only <, >, >>, 2> and 2>&1 are supported, not 0< f" },
	{ "ls |& cat", NULL, "|& is not supported; use 2>&1 |" },
	{ "ls <& 3", NULL, "<& is not supported" },
};

START_TEST(test_syntax_case)
{
	const struct syntax_case *c = &cases[_i];
	struct cmdlist l;
	char *error = NULL;
	int r = parse_line(c->line, &env, &l, &error);

	if (c->parse) {
		ck_assert_msg(r == 0, "'%s': refused: %s", c->line, error);
		char *got = render(&l);
		ck_assert_msg(strcmp(got, c->parse) == 0, "'%s' became %s, expected %s", c->line,
			      got, c->parse);
		free(got);
		cmdlist_free(&l);
	} else {
		ck_assert_msg(r < 0, "'%s' was accepted", c->line);
		ck_assert_str_eq(error, c->error);
		free(error);
	}
}
END_TEST

START_TEST(test_glob_masks)
{
	struct cmdlist l;
	char *error = NULL;

	ck_assert_int_eq(parse_line("ls *.c '*.h' \"?\" a[bc] $STAR x\\*", &env, &l, &error), 0);
	ck_assert_str_eq(l.pipes[0].cmds[0].glob[1], "100");  /* *.c: the star globs */
	ck_assert_str_eq(l.pipes[0].cmds[0].glob[2], "000");  /* quoted */
	ck_assert_str_eq(l.pipes[0].cmds[0].glob[3], "0");    /* quoted */
	ck_assert_str_eq(l.pipes[0].cmds[0].glob[4], "01000"); /* only [ starts a class */
	ck_assert_str_eq(l.pipes[0].cmds[0].argv[5], "*");    /* a variable's value is literal */
	ck_assert_str_eq(l.pipes[0].cmds[0].glob[5], "0");
	ck_assert_str_eq(l.pipes[0].cmds[0].glob[6], "00");   /* escaped */
	cmdlist_free(&l);
}
END_TEST

START_TEST(test_long_lines)
{
	char *line = malloc(1024 * 1024 + 1), *error = NULL;
	struct cmdlist l;

	memset(line, 'a', 1024 * 1024);
	line[1024 * 1024] = '\0';
	ck_assert_int_eq(parse_line(line, &env, &l, &error), -1);
	ck_assert_str_eq(error, "the line is longer than 65536 bytes");
	free(error);
	/* Many operators: bounded, refused, no crash. */
	for (size_t i = 0; i < 10000; i++)
		line[i] = i % 2 ? ';' : 'a';
	line[10000] = '\0';
	ck_assert_int_eq(parse_line(line, &env, &l, &error), -1);
	ck_assert_str_eq(error, "too many words and operators (at most 4096)");
	free(error);
	free(line);
}
END_TEST

/* Each part of a list keeps its text, and is expanded again with the values it runs with. */
struct part_case {
	const char *line;
	size_t part;
	const char *source; /* the part's text in the line */
	const char *parse;  /* expanded with $? = 1 and EDITOR = ok */
};

static const struct part_case part_cases[] = {
	{ "false; echo $?", 1, "echo $?", "[echo] [1]" },
	{ "false || echo status=$?", 1, "echo status=$?", "[echo] [status=1]" },
	{ "export EDITOR=ok && echo $EDITOR", 1, "echo $EDITOR", "[echo] [ok]" },
	{ "export EDITOR=ok && echo $EDITOR", 0, "export EDITOR=ok", "[export] [EDITOR=ok]" },
	{ "ls missing; echo $?", 0, "ls missing", "[ls] [missing]" },
	{ "  ls -l  |  wc  & echo \"$EDITOR\" # note", 0, "ls -l  |  wc", "[ls] [-l] | [wc] &" },
	{ "  ls -l  |  wc  & echo \"$EDITOR\" # note", 1, "echo \"$EDITOR\"", "[echo] [ok]" },
	{ "ls 2>&1;cat <in||echo ~/$EDITOR", 0, "ls 2>&1", "[ls] 2>&1" },
	{ "ls 2>&1;cat <in||echo ~/$EDITOR", 1, "cat <in", "[cat] <in" },
	{ "ls 2>&1;cat <in||echo ~/$EDITOR", 2, "echo ~/$EDITOR", "[echo] [/home/ann/ok]" },
	{ "echo a;echo 'b;c' \"$?\"", 1, "echo 'b;c' \"$?\"", "[echo] [b;c] [1]" },
};

static const char *lookup_later(const char *name, void *data)
{
	(void) data;
	return strcmp(name, "EDITOR") == 0 ? "ok" : NULL;
}

START_TEST(test_part_case)
{
	const struct part_case *c = &part_cases[_i];
	const struct lex_env later = { .lookup = lookup_later, .last_status = 1,
				       .home = "/home/ann" };
	struct cmdlist l = { 0 }, one = { 0 };
	struct pipeline p;
	char *error = NULL, *got;
	enum link end = LINK_END;

	ck_assert_int_eq(parse_line(c->line, &env, &l, &error), 0);
	ck_assert_uint_gt(l.n, c->part);
	got = strndup(c->line + l.pipes[c->part].src_start,
		      l.pipes[c->part].src_end - l.pipes[c->part].src_start);
	ck_assert_str_eq(got, c->source);
	free(got);
	ck_assert_msg(parse_part(c->line, &l.pipes[c->part], &later, &p, &error) == 0, "%s", error);
	one.pipes = &p;
	one.links = &end;
	one.n = 1;
	got = render(&one);
	ck_assert_msg(strcmp(got, c->parse) == 0, "part %zu of '%s' became %s, expected %s",
		      c->part, c->line, got, c->parse);
	free(got);
	pipeline_free(&p);
	cmdlist_free(&l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("syntax");
	TCase *tc = tcase_create("lexer and parser");

	tcase_add_loop_test(tc, test_syntax_case, 0, (int) (sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_glob_masks);
	tcase_add_test(tc, test_long_lines);
	tcase_add_loop_test(tc, test_part_case, 0,
			    (int) (sizeof(part_cases) / sizeof(part_cases[0])));
	suite_add_tcase(s, tc);
	return run_suite(s);
}
