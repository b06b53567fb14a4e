// SPDX-License-Identifier: GPL-3.0-or-later
/* Unit tests of the policy engine: schema validation with exact FILE:LINE messages, the safety
 * rules of the loader, resolution order, inheritance, origins and substitution. */
#include "testutil.h"

#include "cleanup.h"
#include "policy.h"
#include "strv.h"

static struct policy_load_opts load_opts(void)
{
	/* As root the owner checks run for real; others cannot create root-owned trees. */
	struct policy_load_opts o = { .skip_owner_checks = geteuid() != 0 };
	return o;
}

/* One malformed file and the one error it must produce, relative to the policy dir. */
struct bad_case {
	const char *rel;
	const char *content;
	const char *error;
};

static const struct bad_case bad_cases[] = {
	{ "default.conf", "jail = { hostname = ; };\n",
	  "default.conf:1: syntax error; expected libconfig syntax such as: limits = { memory = "
	  "\"512M\"; };" },
	{ "default.conf", "\ncolour = 1;\n",
	  "default.conf:2: colour: unknown key; expected one of inherit, priority, match, jail, "
	  "limits, shell, session" },
	{ "default.conf", "limits = {\n\tmemroy = \"1G\";\n};\n",
	  "default.conf:2: limits.memroy: unknown key; expected one of memory, swap, pids, cpu, "
	  "io_weight, io_read, io_write, disk, inodes, quota_optional, quota_keep, nofile, nproc, "
	  "fsize, cpu_time, core, as, data" },
	{ "default.conf", "limits = {\n\tdisk = \"lots\";\n};\n",
	  "default.conf:2: limits.disk: \"lots\" is not a size; expected a number with an optional "
	  "unit K, M, G or T, e.g. \"512M\"" },
	{ "default.conf", "limits = { disk = \"512K\"; };\n",
	  "default.conf:1: limits.disk: 512K is out of range; expected 1M to 1024T, or "
	  "\"unlimited\"" },
	{ "default.conf", "limits = { disk = -1; };\n",
	  "default.conf:1: limits.disk: -1 is negative; expected a size string such as \"512M\" "
	  "(or a number of bytes)" },
	{ "default.conf", "limits = { inodes = 8; };\n",
	  "default.conf:1: limits.inodes: 8 is out of range; expected 16 to 4294967295, or "
	  "\"unlimited\"" },
	{ "default.conf", "limits = { inodes = 5000000000L; };\n",
	  "default.conf:1: limits.inodes: 5000000000 is out of range; expected 16 to 4294967295, or "
	  "\"unlimited\"" },
	{ "default.conf", "limits = {\n\tinodes = \"10K\";\n};\n",
	  "default.conf:2: limits.inodes: is a string; expected a whole number from 16 to "
	  "4294967295, or \"unlimited\"" },
	{ "default.conf", "limits = { io_write = \"10Mb/s\"; };\n",
	  "default.conf:1: limits.io_write: \"10Mb/s\" is not a size; expected a number with an "
	  "optional unit K, M, G or T, e.g. \"512M\"" },
	{ "default.conf", "limits = { io_read = \"1K\"; };\n",
	  "default.conf:1: limits.io_read: 1K is out of range; expected 64K to 1T, or "
	  "\"unlimited\"" },
	{ "default.conf", "limits = { quota_optional = \"yes\"; };\n",
	  "default.conf:1: limits.quota_optional: is a string; expected true or false" },
	{ "default.conf", "limits = { quota_keep = 1; };\n",
	  "default.conf:1: limits.quota_keep: is a number; expected true or false" },
	{ "default.conf", "limits = { memory = \"5X\"; };\n",
	  "default.conf:1: limits.memory: \"5X\" is not a size; expected a number with an optional "
	  "unit K, M, G or T, e.g. \"512M\"" },
	{ "default.conf", "limits = { memory = \"1M\"; };\n",
	  "default.conf:1: limits.memory: 1M is out of range; expected 4M to 1T, or "
	  "\"unlimited\"" },
	{ "default.conf", "limits = { memory = -5; };\n",
	  "default.conf:1: limits.memory: -5 is negative; expected a size string such as \"512M\" "
	  "(or a number of bytes)" },
	{ "default.conf", "limits = {\n\tpids = \"many\";\n};\n",
	  "default.conf:2: limits.pids: is a string; expected a whole number from 1 to 4194304" },
	{ "default.conf", "limits = { pids = 0; };\n",
	  "default.conf:1: limits.pids: 0 is out of range; expected 1 to 4194304" },
	{ "default.conf", "limits = { cpu = \"50\"; };\n",
	  "default.conf:1: limits.cpu: \"50\" is not a percentage; expected e.g. \"50%\" (half a "
	  "CPU) or \"150%\"" },
	{ "default.conf", "limits = { cpu = 50; };\n",
	  "default.conf:1: limits.cpu: is a number; expected a percentage string such as \"50%\"" },
	{ "default.conf", "limits = { cpu = \"0%\"; };\n",
	  "default.conf:1: limits.cpu: 0% is out of range; expected 1% to 100000%" },
	{ "default.conf", "shell = { idle = \"15 minutes\"; };\n",
	  "default.conf:1: shell.idle: \"15 minutes\" is not a duration; expected a number with a "
	  "unit s, m, h or d, e.g. \"15m\" or \"1h30m\"" },
	{ "default.conf", "session = { hours = \"Mon-Fri 20:00-08:00\"; };\n",
	  "default.conf:1: session.hours: \"Mon-Fri 20:00-08:00\" is not a set of hours; expected "
	  "\"always\" or e.g. \"Mon-Fri 08:00-20:00, Sat 10:00-14:00\" (start before end)" },
	{ "default.conf", "jail = { network = \"internet\"; };\n",
	  "default.conf:1: jail.network: \"internet\" is not a choice; expected one of \"none\", "
	  "\"loopback\", \"host\"" },
	{ "default.conf", "shell = { paths = [\"home\"]; };\n",
	  "default.conf:1: shell.paths: \"home\" is not a canonical absolute path; expected e.g. "
	  "\"/home/%u\" (no \"..\", \".\", \"//\" or trailing \"/\")" },
	{ "default.conf", "jail = { binds = (\n\t{ src = \"/usr/../etc\"; }\n); };\n",
	  "default.conf:2: jail.binds: src \"/usr/../etc\" is not a canonical absolute path; "
	  "expected e.g. \"/usr\" (no \"..\", \".\", \"//\" or trailing \"/\")" },
	{ "default.conf", "jail = { binds = (\n\t{ src = \"/nonexistent-corral\"; }\n); };\n",
	  "default.conf:2: jail.binds: src \"/nonexistent-corral\" does not exist; expected an "
	  "existing path, or optional = true" },
	{ "default.conf", "jail = { binds = (\n\t{ src = \"/usr\";\n\t  readonly = true; }\n); };\n",
	  "default.conf:3: jail.binds: unknown key \"readonly\"; expected one of src, dst, ro, "
	  "optional" },
	{ "default.conf", "jail = { binds = ( { src = \"/\"; } ); };\n",
	  "default.conf:1: jail.binds: src \"/\" would expose the whole host; expected a directory "
	  "below it" },
	{ "default.conf", "jail = { binds = ( { src = \"/proc\"; dst = \"/hostproc\"; } ); };\n",
	  "default.conf:1: jail.binds: src \"/proc\" overlaps /proc, which never enters a jail; "
	  "expected another directory" },
	{ "default.conf", "jail = { binds = ( { src = \"/usr\"; dst = \"/dev/usr\"; } ); };\n",
	  "default.conf:1: jail.binds: dst \"/dev/usr\" is /proc, /dev, /tmp, /etc or a file "
	  "jaild writes there; expected another place" },
	{ "default.conf", "jail = { binds = ( { src = \"/etc\"; dst = \"/hostetc\"; } ); };\n",
	  "default.conf:1: jail.binds: src \"/etc\" overlaps /etc/shadow, which never enters a "
	  "jail; expected another directory" },
	{ "default.conf",
	  "jail = { binds = (\n\t{ src = \"/usr\"; },\n\t{ src = \"/bin\"; dst = \"/usr\"; }\n); "
	  "};\n",
	  "default.conf:3: jail.binds: dst \"/usr\" is already bound at line 2; expected each dst "
	  "once" },
	{ "default.conf", "shell = { scp = \"yes\"; };\n",
	  "default.conf:1: shell.scp: is a string; expected true or false" },
	{ "default.conf", "jail = { hostname = \"%x\"; };\n",
	  "default.conf:1: jail.hostname: \"%x\" uses %x; expected only %u (user), %h (home), %U "
	  "(uid) or %%" },
	{ "default.conf", "jail = { hostname = \"bad host\"; };\n",
	  "default.conf:1: jail.hostname: \"bad host\" is not a host name; expected 1 to 64 "
	  "letters, digits, '-' or '.'" },
	{ "default.conf", "jail = { etc = [\"hosts\", \"shadow\"]; };\n",
	  "default.conf:1: jail.etc: \"shadow\" must not enter a jail (secrets, or written by "
	  "jaild); expected another file" },
	{ "default.conf", "shell = { env = [\"LD_PRELOAD=/tmp/x.so\"]; };\n",
	  "default.conf:1: shell.env: \"LD_PRELOAD\" changes how programs load code or start "
	  "shells; expected another variable" },
	{ "default.conf", "shell = { export = [\"PATH\"]; };\n",
	  "default.conf:1: shell.export: \"PATH\" changes how programs load code or start shells; "
	  "expected another variable" },
	{ "default.conf", "shell = { commands = [\"ls\", \"ls\"]; };\n",
	  "default.conf:1: shell.commands: \"ls\" is listed twice; expected each entry once" },
	{ "default.conf", "shell = { commands = [\"bin/ls\"]; };\n",
	  "default.conf:1: shell.commands: \"bin/ls\" is not a command; expected a name such as "
	  "\"ls\", a canonical absolute path, or a whole command line such as \"systemctl status "
	  "nginx\" (words separated by single spaces)" },
	/* issue 14, lshell parity: the keys of exact entries, merging, aliases, intro, umask,
	 * timeout, deny lists, scp directions and the audit format */
	{ "default.conf", "shell = { commands = [\"systemctl  status\"]; };\n",
	  "default.conf:1: shell.commands: \"systemctl  status\" is not a command; expected a name such as "
	  "\"ls\", a canonical absolute path, or a whole command line such as \"systemctl status "
	  "nginx\" (words separated by single spaces)" },
	{ "default.conf", "shell = {\n\tcommands_add = [\"make \"];\n};\n",
	  "default.conf:2: shell.commands_add: \"make \" is not a command; expected a name such as "
	  "\"ls\", a canonical absolute path, or a whole command line such as \"systemctl status "
	  "nginx\" (words separated by single spaces)" },
	{ "default.conf", "shell = { commands_remove = [\"cat\", \"cat\"]; };\n",
	  "default.conf:1: shell.commands_remove: \"cat\" is listed twice; expected each entry "
	  "once" },
	{ "default.conf", "shell = { aliases = {\n\tll = \"ls -l | sh\"; }; };\n",
	  "default.conf:2: shell.aliases: ll: \"ls -l | sh\" is not a command line; expected words "
	  "separated by spaces, such as \"ls -l\", without operators, quotes, $, ~ or patterns" },
	{ "default.conf", "shell = { aliases = { cd = \"ls\"; }; };\n",
	  "default.conf:1: shell.aliases: \"cd\" is a builtin of rshell; expected another name" },
	{ "default.conf", "shell = { aliases = { l = \"bin/ls -l\"; }; };\n",
	  "default.conf:1: shell.aliases: l: \"bin/ls -l\" does not start with a command; expected "
	  "e.g. \"ls -l\"" },
	{ "default.conf", "shell = { aliases = { l = 1; }; };\n",
	  "default.conf:1: shell.aliases: l is a number; expected a string such as \"ls -l\"" },
	{ "default.conf", "shell = { aliases = [\"ll\"]; };\n",
	  "default.conf:1: shell.aliases: is an array [ ]; expected a group: { ll = \"ls -l\"; }" },
	{ "default.conf", "shell = { intro = \"hi\\x1b[2J\"; };\n",
	  "default.conf:1: shell.intro: contains a control character; expected printable text, "
	  "newlines and tabs" },
	{ "default.conf", "shell = { umask = \"089\"; };\n",
	  "default.conf:1: shell.umask: \"089\" is not a file mode mask; expected 1 to 4 octal "
	  "digits up to 0777, such as \"027\"" },
	{ "default.conf", "shell = { umask = 22; };\n",
	  "default.conf:1: shell.umask: is a number; expected an octal string such as \"027\"" },
	{ "default.conf", "shell = { timeout = \"8d\"; };\n",
	  "default.conf:1: shell.timeout: 8d is out of range; expected 0 to 7d" },
	{ "default.conf", "shell = { paths_deny = [\"%h/../x\"]; };\n",
	  "default.conf:1: shell.paths_deny: \"/home/user/../x\" is not a canonical absolute path; "
	  "expected e.g. \"/home/%u\" (no \"..\", \".\", \"//\" or trailing \"/\")" },
	{ "default.conf", "shell = { scp_upload = \"no\"; };\n",
	  "default.conf:1: shell.scp_upload: is a string; expected true or false" },
	{ "default.conf", "shell = { audit_format = \"xml\"; };\n",
	  "default.conf:1: shell.audit_format: \"xml\" is not a choice; expected one of \"text\", "
	  "\"json\"" },
	{ "default.conf", "shell = { commands = \"ls\"; };\n",
	  "default.conf:1: shell.commands: is a string; expected a list of strings: [\"a\", "
	  "\"b\"]" },
	{ "default.conf", "shell = { program = \"bash\"; };\n",
	  "default.conf:1: shell.program: \"bash\" is not a shell; expected \"rshell\" or an "
	  "absolute path such as \"/bin/bash\"" },
	{ "default.conf", "shell = { prompt = \"%x> \"; };\n",
	  "default.conf:1: shell.prompt: \"%x> \" uses an unknown % sequence; expected %u, %h, %w "
	  "or %%" },
	{ "default.conf", "shell = { rules = ( { command = \"find\"; } ); };\n",
	  "default.conf:1: shell.rules: entry 1 needs deny = [\"PATTERN\", ...]; expected a "
	  "non-empty list of argument patterns" },
	{ "default.conf", "limits = 5;\n",
	  "default.conf:1: limits: is not a group; expected limits = { ... };" },
	{ "default.conf", "inherit = \"groups/x\";\n",
	  "default.conf:1: inherit: default.conf is the root of every chain; expected no inherit" },
	{ "groups/lab.conf", "\ninherit = \"groups/nope\";\n",
	  "groups/lab.conf:2: inherit: \"groups/nope\" does not exist; expected the name of a "
	  "policy in this directory" },
	{ "groups/lab.conf", "inherit = \"../etc\";\n",
	  "groups/lab.conf:1: inherit: \"../etc\" is not a policy name; expected \"default\", "
	  "\"groups/NAME\" or \"users/NAME\"" },
	{ "groups/lab.conf", "match = { all = true; };\n",
	  "groups/lab.conf:1: match.all: only default.conf may apply to everyone; expected "
	  "match.users, match.groups or match.uids here" },
	{ "groups/lab.conf", "match = { uids = \"2000-1000\"; };\n",
	  "groups/lab.conf:1: match.uids: \"2000-1000\" is not a uid range; expected e.g. "
	  "\"2000-2999\" or \"2000-2999, 3100\"" },
	{ "users/ann.conf", "match = { groups = [\"x\"]; };\n",
	  "users/ann.conf:1: match.groups: not allowed in a user file; the file name already names "
	  "the user" },
	{ "users/ann.conf", "priority = 3;\n",
	  "users/ann.conf:1: priority: only group files are ranked; expected it in "
	  "groups/*.conf" },
	{ "groups/lab.conf", "priority = 5000;\n",
	  "groups/lab.conf:1: priority: 5000 is out of range; expected -1000 to 1000" },
	{ "groups/Lab.conf", "",
	  "groups/Lab.conf: \"Lab\" is not a group name; expected NAME.conf with NAME a valid "
	  "name" },
	{ "default.conf", "@include \"/etc/passwd\"\n",
	  "default.conf: uses @include; expected one self-contained file (use inherit to share "
	  "settings)" },
	{ "default.conf", "limits = { pids = 1; pids = 2; };\n",
	  "default.conf:1: duplicate setting name; expected libconfig syntax such as: limits = { "
	  "memory = \"512M\"; };" },
};

START_TEST(test_bad_case)
{
	const struct bad_case *c = &bad_cases[_i];
	struct policy_load_opts o = load_opts();
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	char *dir = make_tmpdir(), expected[2048];

	put_file(dir, c->rel, c->content);
	ck_assert_int_eq(policy_set_load(dir, &o, &set, &errs), -EINVAL);
	ck_assert_ptr_null(set);
	snprintf(expected, sizeof(expected), "%s/%s", dir, c->error);
	ck_assert_msg(errs.n == 1, "case %d: %zu errors, first: %s", _i, errs.n,
		      errs.n ? errs.msg[0] : "none");
	ck_assert_str_eq(errs.msg[0], expected);
	perr_clear(&errs);
	rm_tree(dir);
	free(dir);
}
END_TEST

/* Every error is reported, not just the first, and the set is rejected whole. */
START_TEST(test_all_errors_reported)
{
	struct policy_load_opts o = load_opts();
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	char *dir = make_tmpdir();

	put_file(dir, "default.conf", "limits = { memory = \"5X\"; pids = 0; };\n");
	put_file(dir, "groups/a.conf", "shell = { scp = 1; };\n");
	put_file(dir, "users/ok.conf", "limits = { pids = 10; };\n");
	ck_assert_int_eq(policy_set_load(dir, &o, &set, &errs), -EINVAL);
	ck_assert_ptr_null(set);
	ck_assert_int_eq(errs.n, 3);
	perr_clear(&errs);
	rm_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_shipped_policies_valid)
{
	char dir[1024];
	struct policy_load_opts o = load_opts();
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	int r;

	snprintf(dir, sizeof(dir), "%s/policies", env_or("top_srcdir", "."));
	r = policy_set_load(dir, &o, &set, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	ck_assert_int_eq(r, 0);
	ck_assert_ptr_nonnull(set->def);
	ck_assert_int_eq(set->nfiles, 2); /* students, sftp-only; the .sample is not loaded */
	policy_set_free(set);
}
END_TEST

/* The sample user file is valid when installed as one, in a copy of the shipped tree. */
START_TEST(test_shipped_sample_valid)
{
	char *dir = make_tmpdir(), cmd[2048];
	struct policy_load_opts o = load_opts();
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	int r;

	snprintf(cmd, sizeof(cmd),
		 "cp -r %s/policies/. %s/ && mv %s/users/example.conf.sample %s/users/example.conf "
		 "&& chmod -R u+w,go-w %s",
		 env_or("top_srcdir", "."), dir, dir, dir, dir);
	ck_assert_int_eq(system(cmd), 0);
	r = policy_set_load(dir, &o, &set, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	ck_assert_int_eq(r, 0);
	ck_assert_int_eq(set->nfiles, 3);
	policy_set_free(set);
	rm_tree(dir);
	free(dir);
}
END_TEST

START_TEST(test_builtin_defaults_parse)
{
	struct policy *p = policy_builtin();

	ck_assert_ptr_nonnull(p);
	for (int k = 0; k < PK__COUNT; k++)
		ck_assert_msg(p->v[k].set == (pkey_table[k].def != NULL), "key %s",
			      pkey_table[k].name);
	ck_assert_int_eq(p->v[PK_LIMITS_MEMORY].num, 512LL << 20);
	ck_assert_int_eq(p->v[PK_LIMITS_CPU_TIME].num, VALUE_UNLIMITED);
	ck_assert_int_eq(strv_length(p->v[PK_SHELL_PATH].list), 3);
	policy_free(p);
}
END_TEST

/* corral-policy(5) documents every key of the schema, so the page cannot drift from the code. */
START_TEST(test_schema_documented)
{
	char path[1024], needle[128];
	char *man;

	snprintf(path, sizeof(path), "%s/man/corral-policy.5", env_or("top_srcdir", "."));
	man = read_all(path);
	ck_assert_ptr_nonnull(man);
	for (int k = 0; k < PK__COUNT; k++) {
		snprintf(needle, sizeof(needle), "\n.B %s\n", pkey_table[k].name);
		ck_assert_msg(strstr(man, needle), "%s is not documented in %s", pkey_table[k].name,
			      path);
	}
	free(man);
}
END_TEST

/* ---- resolution ---- */

static char *res_dir;
static char res_home[512], res_other_home[512];

static void res_setup(void)
{
	char data[700];

	res_dir = make_tmpdir();
	snprintf(res_home, sizeof(res_home), "%s/home-ann", res_dir);
	ck_assert_int_eq(mkdir(res_home, 0755), 0);
	snprintf(res_other_home, sizeof(res_other_home), "%s/home-other", res_dir);
	ck_assert_int_eq(mkdir(res_other_home, 0755), 0);
	ck_assert_int_eq(mkdir(strcat(strcpy(data, res_home), "-data"), 0755), 0);
	ck_assert_int_eq(mkdir(strcat(strcpy(data, res_other_home), "-data"), 0755), 0);
	put_file(res_dir, "default.conf",
		 "limits = {\n\tmemory = \"256M\";\n\tnofile = 300;\n};\n"
		 "jail = { binds = ( { src = \"/usr\"; }, { src = \"%h-data\"; ro = false; } ); };\n"
		 "shell = { commands = [\"ls\", \"cat\"]; };\n");
	put_file(res_dir, "groups/students.conf",
		 "priority = 10;\nlimits = {\n\tpids = 40;\n\tmemory = \"384M\";\n};\n"
		 "jail = { hostname = \"%u-lab\"; };\n");
	put_file(res_dir, "groups/staff.conf",
		 "priority = 5;\nlimits = { pids = 200; inodes = \"unlimited\"; disk = \"2G\";\n"
		 "\tio_write = \"10M\"; quota_optional = true; };\n"
		 "shell = {\n\tcommands_add = [\"make\", \"ls\", \"systemctl status nginx\"];\n"
		 "\tcommands_remove = [\"cat\", \"vi\"];\n"
		 "\taliases = { ll = \"ls -l\"; la = \"ls -a -l\"; };\n"
		 "\tintro = \"Welcome.\\n\\tBe kind.\";\n\tumask = \"027\";\n\ttimeout = \"5m\";\n"
		 "\tpaths_deny = [\"%h/secret\"];\n\tscp_download = true;\n"
		 "\taudit_format = \"json\";\n};\n");
	put_file(res_dir, "groups/range.conf",
		 "priority = 1;\nmatch = { uids = \"5000-5999\"; users = [\"zed\"]; };\n"
		 "limits = { pids = 77; };\n");
	put_file(res_dir, "users/ann.conf",
		 "inherit = \"groups/students\";\nlimits = { memory = \"1G\"; };\n"
		 "shell = { commands = [\"make\"]; };\n");
}

static void res_teardown(void)
{
	rm_tree(res_dir);
	free(res_dir);
}

static struct policy_set *res_load(void)
{
	struct policy_load_opts o = load_opts();
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	int r = policy_set_load(res_dir, &o, &set, &errs);

	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "%s\n", errs.msg[i]);
	ck_assert_int_eq(r, 0);
	perr_clear(&errs);
	return set;
}

static int resolve(struct policy_set *set, const char *name, uid_t uid, const char *groups,
		   struct policy **p, struct perr_list *errs)
{
	struct user_info u = { .uid = uid, .gid = uid };
	char *copy = strdup(groups), *save = NULL;
	int r;

	u.name = strdup(name);
	u.home = strdup(streq(name, "ann") ? res_home : res_other_home);
	u.groups = calloc(1, sizeof(char *));
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		strv_push(&u.groups, t);
	free(copy);
	r = policy_resolve(set, &u, p, errs);
	for (size_t i = 0; r < 0 && i < errs->n; i++)
		fprintf(stderr, "resolve %s: %s\n", name, errs->msg[i]);
	user_info_clear(&u);
	return r;
}

START_TEST(test_resolution_order)
{
	struct policy_set *set = res_load();
	struct perr_list errs = { 0 };
	struct policy *p = NULL;

	/* A user file beats the group files the user is in. */
	ck_assert_int_eq(resolve(set, "ann", 1001, "ann,staff", &p, &errs), POLICY_MATCHED);
	ck_assert_str_eq(p->source, "users/ann");
	policy_free(p);
	/* Two matching groups: the higher priority wins. */
	ck_assert_int_eq(resolve(set, "bob", 1002, "bob,staff,students", &p, &errs),
			 POLICY_MATCHED);
	ck_assert_str_eq(p->source, "groups/students");
	ck_assert_int_eq(p->v[PK_LIMITS_PIDS].num, 40);
	policy_free(p);
	ck_assert_int_eq(resolve(set, "carol", 1003, "carol,staff", &p, &errs), POLICY_MATCHED);
	ck_assert_str_eq(p->source, "groups/staff");
	policy_free(p);
	/* match.uids and match.users of a group file. */
	ck_assert_int_eq(resolve(set, "eve", 5500, "eve", &p, &errs), POLICY_MATCHED);
	ck_assert_str_eq(p->source, "groups/range");
	policy_free(p);
	ck_assert_int_eq(resolve(set, "zed", 1200, "zed", &p, &errs), POLICY_MATCHED);
	ck_assert_str_eq(p->source, "groups/range");
	policy_free(p);
	/* No group, default.conf applies to nobody: unmatched. */
	ck_assert_int_eq(resolve(set, "dave", 1004, "dave", &p, &errs), POLICY_UNMATCHED);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(errs.n, 0);
	policy_set_free(set);
}
END_TEST

START_TEST(test_default_match_all_and_root)
{
	struct perr_list errs = { 0 };
	struct policy_set *set;
	struct policy *p = NULL;

	put_file(res_dir, "default.conf", "match = { all = true; };\n");
	set = res_load();
	ck_assert_int_eq(resolve(set, "dave", 1004, "dave", &p, &errs), POLICY_MATCHED);
	ck_assert_str_eq(p->source, "default");
	policy_free(p);
	/* Root is never jailed, whatever the policy says. */
	ck_assert_int_eq(resolve(set, "root", 0, "root,students", &p, &errs), POLICY_UNMATCHED);
	policy_set_free(set);
}
END_TEST

START_TEST(test_priority_tie_is_error)
{
	struct perr_list errs = { 0 };
	struct policy_set *set;
	struct policy *p = NULL;
	char expected[1024];

	put_file(res_dir, "groups/staff.conf", "priority = 10;\n");
	set = res_load();
	ck_assert_int_eq(resolve(set, "bob", 1002, "bob,staff,students", &p, &errs), -EINVAL);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(errs.n, 1);
	snprintf(expected, sizeof(expected),
		 "%s/groups/students.conf: user bob matches both groups/staff and groups/students "
		 "with priority 10; expected one of them to set a higher priority",
		 res_dir);
	ck_assert_str_eq(errs.msg[0], expected);
	perr_clear(&errs);
	policy_set_free(set);
}
END_TEST

START_TEST(test_inheritance_and_origins)
{
	struct policy_set *set = res_load();
	struct perr_list errs = { 0 };
	struct policy *p = NULL;
	char path[1024];

	ck_assert_int_eq(resolve(set, "ann", 1001, "ann", &p, &errs), POLICY_MATCHED);
	/* Own value, parent's value, grandparent's value, built-in default. */
	ck_assert_int_eq(p->v[PK_LIMITS_MEMORY].num, 1LL << 30);
	ck_assert_int_eq(p->v[PK_LIMITS_PIDS].num, 40);
	ck_assert_int_eq(p->v[PK_LIMITS_NOFILE].num, 300);
	ck_assert_int_eq(p->v[PK_SESSION_MAX].num, 4);
	snprintf(path, sizeof(path), "%s/users/ann.conf", res_dir);
	ck_assert_str_eq(p->v[PK_LIMITS_MEMORY].file, path);
	ck_assert_int_eq(p->v[PK_LIMITS_MEMORY].line, 2);
	snprintf(path, sizeof(path), "%s/groups/students.conf", res_dir);
	ck_assert_str_eq(p->v[PK_LIMITS_PIDS].file, path);
	ck_assert_int_eq(p->v[PK_LIMITS_PIDS].line, 3);
	snprintf(path, sizeof(path), "%s/default.conf", res_dir);
	ck_assert_str_eq(p->v[PK_LIMITS_NOFILE].file, path);
	ck_assert_int_eq(p->v[PK_LIMITS_NOFILE].line, 3);
	ck_assert_str_eq(p->v[PK_SESSION_MAX].file, "(built-in)");
	/* Lists replace, never append. */
	ck_assert_int_eq(strv_length(p->v[PK_SHELL_COMMANDS].list), 1);
	ck_assert_str_eq(p->v[PK_SHELL_COMMANDS].list[0], "make");
	/* File-local keys stay with their file. */
	ck_assert(!p->v[PK_PRIORITY].set || p->v[PK_PRIORITY].num == 0);
	policy_free(p);
	policy_set_free(set);
}
END_TEST

START_TEST(test_substitution)
{
	struct policy_set *set = res_load();
	struct perr_list errs = { 0 };
	struct policy *p = NULL;
	const struct pval *b, *env;

	ck_assert_int_eq(resolve(set, "ann", 1001, "ann", &p, &errs), POLICY_MATCHED);
	ck_assert_str_eq(p->v[PK_JAIL_HOSTNAME].str, "ann-lab");
	b = &p->v[PK_JAIL_BINDS];
	ck_assert_int_eq(b->nbinds, 2);
	ck_assert(strncmp(b->binds[1].src, res_home, strlen(res_home)) == 0);
	ck_assert_str_eq(b->binds[1].src + strlen(res_home), "-data");
	ck_assert_str_eq(b->binds[1].dst, b->binds[1].src);
	ck_assert(!b->binds[1].ro);
	/* jail.home's built-in default, substituted. */
	ck_assert_str_eq(p->v[PK_JAIL_HOME].str, "/home/.corral/ann");
	ck_assert(b->binds[0].ro);
	env = &p->v[PK_SHELL_ENV];
	ck_assert(strv_contains(env->list, "USER=ann"));
	ck_assert(strv_contains(env->list, "LOGNAME=ann"));
	policy_free(p);
	policy_set_free(set);
}
END_TEST

/* jail.home lies apart from the host home, and no bind exposes the host home or the directory
 * that holds every user's jail home. */
START_TEST(test_jail_home_checks)
{
	struct policy_set *set;
	struct perr_list errs = { 0 };
	struct policy *p = NULL;
	char text[2048], jh[700];

	snprintf(jh, sizeof(jh), "%s/jh", res_dir);
	ck_assert_int_eq(mkdir(jh, 0755), 0);
	snprintf(text, sizeof(text),
		 "inherit = \"groups/students\";\njail = { home = \"%s/%%u\";\n"
		 "\tbinds = ( { src = \"%s\"; dst = \"/srv\"; } ); };\n",
		 jh, jh);
	put_file(res_dir, "users/ann.conf", text);
	set = res_load();
	ck_assert_int_eq(resolve(set, "ann", 1001, "ann", &p, &errs), -EINVAL);
	ck_assert_int_eq(errs.n, 1);
	ck_assert_msg(strstr(errs.msg[0], "jail.binds: ") && strstr(errs.msg[0], "where every user's "
									     "jail home lies"),
		      "%s", errs.msg[0]);
	perr_clear(&errs);
	policy_set_free(set);
	/* The jail home inside the host home. */
	snprintf(text, sizeof(text), "inherit = \"groups/students\";\njail = { home = \"%%h/files\"; };\n");
	put_file(res_dir, "users/ann.conf", text);
	set = res_load();
	ck_assert_int_eq(resolve(set, "ann", 1001, "ann", &p, &errs), -EINVAL);
	ck_assert_int_eq(errs.n, 1);
	ck_assert_msg(strstr(errs.msg[0], "jail.home: ") && strstr(errs.msg[0], "overlaps the host "
									     "home"),
		      "%s", errs.msg[0]);
	perr_clear(&errs);
	policy_set_free(set);
	/* A bind of %h itself is refused when the file is loaded. */
	put_file(res_dir, "users/ann.conf", "jail = { binds = ( { src = \"%h\"; ro = false; } ); };\n");
	{
		struct policy_load_opts o = load_opts();
		ck_assert_int_eq(policy_set_load(res_dir, &o, &set, &errs), -EINVAL);
		ck_assert_int_eq(errs.n, 1);
		ck_assert_msg(strstr(errs.msg[0], "\"%h\" is the host home, which corral keeps "
						  "root's"),
			      "%s", errs.msg[0]);
		perr_clear(&errs);
	}
}
END_TEST

START_TEST(test_resolve_missing_home_bind)
{
	struct policy_set *set = res_load();
	struct perr_list errs = { 0 };
	struct policy *p = NULL;
	struct user_info u = { .uid = 1009, .gid = 1009 };
	char expected[1024];

	u.name = strdup("gone");
	u.home = strdup("/nonexistent-home/gone");
	u.groups = calloc(2, sizeof(char *));
	u.groups[0] = strdup("students");
	ck_assert_int_eq(policy_resolve(set, &u, &p, &errs), -EINVAL);
	ck_assert_int_eq(errs.n, 1);
	snprintf(expected, sizeof(expected),
		 "%s/default.conf:5: jail.binds: src \"/nonexistent-home/gone-data\" does not exist; "
		 "expected an existing path, or optional = true",
		 res_dir);
	ck_assert_str_eq(errs.msg[0], expected);
	perr_clear(&errs);
	/* A home that is not canonical is refused rather than substituted into paths. */
	free(u.home);
	u.home = strdup("/home/../etc");
	ck_assert_int_eq(policy_resolve(set, &u, &p, &errs), -EINVAL);
	ck_assert_int_eq(errs.n, 1);
	ck_assert_ptr_nonnull(strstr(errs.msg[0], "not a canonical absolute path"));
	perr_clear(&errs);
	/* A home that lands on another bind's dst is caught after substitution. */
	free(u.home);
	u.home = strdup("/usr");
	ck_assert_int_eq(policy_resolve(set, &u, &p, &errs), -EINVAL);
	ck_assert_int_eq(errs.n, 2);
	ck_assert_ptr_nonnull(strstr(errs.msg[0], "default.conf:5: jail.binds: src \"/usr-data\""));
	ck_assert_ptr_nonnull(strstr(errs.msg[1], "default.conf:5: jail.binds: /usr -> /usr covers "
						  "or exposes the host home /usr; the jail home"));
	perr_clear(&errs);
	user_info_clear(&u);
	policy_set_free(set);
}
END_TEST

START_TEST(test_inherit_loop)
{
	struct policy_load_opts o = load_opts();
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;
	char expected[1024];

	put_file(res_dir, "groups/a.conf", "inherit = \"groups/b\";\n");
	put_file(res_dir, "groups/b.conf", "inherit = \"groups/a\";\n");
	ck_assert_int_eq(policy_set_load(res_dir, &o, &set, &errs), -EINVAL);
	ck_assert_int_eq(errs.n, 2);
	snprintf(expected, sizeof(expected),
		 "%s/groups/a.conf:1: inherit: the chain from groups/a loops back to itself; "
		 "expected a chain that ends at default",
		 res_dir);
	ck_assert_str_eq(errs.msg[0], expected);
	perr_clear(&errs);
}
END_TEST

START_TEST(test_print_round_trip)
{
	struct policy_set *set = res_load(), *set2 = NULL;
	struct policy_load_opts o = load_opts();
	struct perr_list errs = { 0 };
	struct policy *p = NULL, *p2 = NULL;
	char *dir2 = make_tmpdir(), path[1024];
	FILE *f;

	ck_assert_int_eq(resolve(set, "carol", 1003, "carol,staff", &p, &errs), POLICY_MATCHED);
	snprintf(path, sizeof(path), "%s/default.conf", dir2);
	f = fopen(path, "w");
	fputs("match = { all = true; };\n", f);
	p->v[PK_PRIORITY].set = false; /* a group-only key; default.conf may not carry it */
	policy_print(p, f, true);
	fclose(f);
	chmod(path, 0644);
	int r2 = policy_set_load(dir2, &o, &set2, &errs);
	for (size_t i = 0; i < errs.n; i++)
		fprintf(stderr, "round trip: %s\n", errs.msg[i]);
	ck_assert_int_eq(r2, 0);
	ck_assert_int_eq(resolve(set2, "carol", 1003, "carol", &p2, &errs), POLICY_MATCHED);
	for (int k = PK_JAIL_HOSTNAME; k < PK__COUNT; k++) {
		ck_assert_int_eq(p->v[k].set, p2->v[k].set);
		ck_assert_msg(p->v[k].num == p2->v[k].num, "key %s", pkey_table[k].name);
		ck_assert_int_eq(strv_length(p->v[k].list), strv_length(p2->v[k].list));
		ck_assert_int_eq(p->v[k].nbinds, p2->v[k].nbinds);
	}
	policy_free(p);
	policy_free(p2);
	policy_set_free(set);
	policy_set_free(set2);
	rm_tree(dir2);
	free(dir2);
}
END_TEST

/* The quota keys: sizes with units, a count that a child may lift again, the two flags. */
START_TEST(test_quota_keys)
{
	struct policy_set *set = res_load();
	struct perr_list errs = { 0 };
	struct policy *p = NULL;
	char *why = NULL;
	struct pval v;

	ck_assert_int_eq(resolve(set, "carol", 1003, "carol,staff", &p, &errs), POLICY_MATCHED);
	ck_assert_int_eq(p->v[PK_LIMITS_DISK].num, 2LL << 30);
	ck_assert_int_eq(p->v[PK_LIMITS_INODES].num, VALUE_UNLIMITED);
	ck_assert_int_eq(p->v[PK_LIMITS_IO_WRITE].num, 10LL << 20);
	ck_assert(!p->v[PK_LIMITS_IO_READ].set);
	ck_assert_int_eq(p->v[PK_LIMITS_QUOTA_OPTIONAL].num, 1);
	ck_assert_int_eq(p->v[PK_LIMITS_QUOTA_KEEP].num, 0);
	ck_assert_int_eq(p->v[PK_LIMITS_DISK].line, 2);
	policy_free(p);
	p = NULL;
	/* Not set where nothing asks for them: no quota is the built-in default. */
	ck_assert_int_eq(resolve(set, "ann", 1001, "ann,students", &p, &errs), POLICY_MATCHED);
	ck_assert(!p->v[PK_LIMITS_DISK].set && !p->v[PK_LIMITS_INODES].set);
	ck_assert_int_eq(p->v[PK_LIMITS_QUOTA_OPTIONAL].num, 0);
	policy_free(p);
	ck_assert_int_eq(pval_parse_text(PK_LIMITS_INODES, "20000", &v, &why), 0);
	ck_assert_int_eq(v.num, 20000);
	pval_clear(&v);
	ck_assert_int_eq(pval_parse_text(PK_LIMITS_INODES, "unlimited", &v, &why), 0);
	ck_assert_int_eq(v.num, VALUE_UNLIMITED);
	pval_clear(&v);
	/* Only keys that allow it take "unlimited". */
	ck_assert_int_eq(pval_parse_text(PK_LIMITS_PIDS, "unlimited", &v, &why), -EINVAL);
	free(why);
	policy_set_free(set);
}
END_TEST

/* issue 14: a group adds to and takes from the parent's commands instead of copying them; the
 * other parity keys reach the effective policy. */
START_TEST(test_parity_keys)
{
	struct policy_set *set = res_load();
	struct perr_list errs = { 0 };
	struct policy *p = NULL;
	char **cmds;
	char path[1024];

	ck_assert_int_eq(resolve(set, "carol", 1003, "carol,staff", &p, &errs), POLICY_MATCHED);
	cmds = p->v[PK_SHELL_COMMANDS].list;
	ck_assert_int_eq(strv_length(cmds), 3);
	ck_assert_str_eq(cmds[0], "ls");
	ck_assert_str_eq(cmds[1], "make");
	ck_assert_str_eq(cmds[2], "systemctl status nginx");
	snprintf(path, sizeof(path), "%s/groups/staff.conf", res_dir);
	ck_assert_str_eq(p->v[PK_SHELL_COMMANDS].file, path);
	ck_assert_int_eq(p->v[PK_SHELL_COMMANDS].line, 6);
	ck_assert(!p->v[PK_SHELL_COMMANDS_ADD].set && !p->v[PK_SHELL_COMMANDS_REMOVE].set);
	ck_assert_int_eq(strv_length(p->v[PK_SHELL_ALIASES].list), 2);
	ck_assert_str_eq(p->v[PK_SHELL_ALIASES].list[0], "ll=ls -l");
	ck_assert_str_eq(p->v[PK_SHELL_ALIASES].list[1], "la=ls -a -l");
	ck_assert_str_eq(p->v[PK_SHELL_INTRO].str, "Welcome.\n\tBe kind.");
	ck_assert_int_eq(p->v[PK_SHELL_UMASK].num, 027);
	ck_assert_int_eq(p->v[PK_SHELL_TIMEOUT].num, 300);
	snprintf(path, sizeof(path), "%s/secret", res_other_home);
	ck_assert_str_eq(p->v[PK_SHELL_PATHS_DENY].list[0], path);
	ck_assert(!p->v[PK_SHELL_SCP_UPLOAD].set);
	ck_assert(p->v[PK_SHELL_SCP_DOWNLOAD].set && p->v[PK_SHELL_SCP_DOWNLOAD].num);
	ck_assert_int_eq(p->v[PK_SHELL_AUDIT_FORMAT].num, 1);
	policy_free(p);
	p = NULL;
	/* A file that sets its own list and adds to it: the list, then the additions. */
	ck_assert_int_eq(resolve(set, "ann", 1001, "ann,students", &p, &errs), POLICY_MATCHED);
	ck_assert_int_eq(strv_length(p->v[PK_SHELL_COMMANDS].list), 1);
	ck_assert_int_eq(strv_length(p->v[PK_SHELL_ALIASES].list), 0);
	ck_assert(!p->v[PK_SHELL_UMASK].set && !p->v[PK_SHELL_INTRO].set);
	ck_assert_int_eq(p->v[PK_SHELL_TIMEOUT].num, 0);
	ck_assert_int_eq(p->v[PK_SHELL_AUDIT_FORMAT].num, 0);
	policy_free(p);
	policy_set_free(set);
}
END_TEST

/* jailctl check's warning: an allowed command in none of the jail's shell.path directories, as
 * the host has them through jail.binds, named at its file and line. */
START_TEST(test_missing_commands)
{
	struct policy_load_opts o = load_opts();
	struct perr_list errs = { 0 }, warn = { 0 };
	struct policy_set *set = NULL;
	char *dir = make_tmpdir(), expected[2048];

	put_file(dir, "default.conf",
		 "jail = { binds = ( { src = \"/usr\"; }, { src = \"/usr/bin\"; dst = \"/opt/b\"; } ); };\n"
		 "shell = {\n\tpath = [\"/usr/bin\", \"/nowhere\"];\n"
		 "\tcommands = [\"ls\", \"corral-absent-x\", \"ls -l /\", \"/usr/bin/cat\",\n"
		 "\t\t\"/bin/cat\"];\n};\n");
	/* /opt/b is a bind of /usr/bin: env is found there and nowhere else. */
	put_file(dir, "groups/g.conf",
		 "shell = {\n\tpath = [\"/opt/b\"];\n\tcommands_add = [\"env\", \"corral-absent-y\"];\n};\n");
	ck_assert_int_eq(policy_set_load(dir, &o, &set, &errs), 0);
	policy_set_missing_commands(set, &warn);
	ck_assert_int_eq(warn.n, 3);
	snprintf(expected, sizeof(expected),
		 "%s/default.conf:4: shell.commands: \"corral-absent-x\" is in none of the jail's "
		 "shell.path directories (/usr/bin, /nowhere, seen on the host through jail.binds); "
		 "rshell will say it is not installed",
		 dir);
	ck_assert_str_eq(warn.msg[0], expected);
	/* /bin is not bound into this jail, whatever the host has there. */
	ck_assert_msg(strstr(warn.msg[1], "default.conf:4: shell.commands: \"/bin/cat\""), "%s",
		      warn.msg[1]);
	ck_assert_msg(strstr(warn.msg[2], "groups/g.conf:3: shell.commands_add: "
					  "\"corral-absent-y\" is in none of the jail's shell.path "
					  "directories (/opt/b, "),
		      "%s", warn.msg[2]);
	perr_clear(&warn);
	policy_set_free(set);
	rm_tree(dir);
	free(dir);
}
END_TEST

/* ---- the loader's safety rules (root only: they are about root-owned trees) ---- */

static void expect_refused(const char *dir, const char *needle)
{
	struct policy_load_opts o = { 0 };
	struct perr_list errs = { 0 };
	struct policy_set *set = NULL;

	ck_assert_int_eq(policy_set_load(dir, &o, &set, &errs), -EINVAL);
	ck_assert_ptr_null(set);
	ck_assert_int_ge(errs.n, 1);
	ck_assert_msg(strstr(errs.msg[0], needle), "got: %s", errs.msg[0]);
	perr_clear(&errs);
}

START_TEST(test_safety_rules)
{
	char *dir = make_tmpdir(), path[1024], target[1024];

	if (geteuid() != 0) {
		free(dir);
		return; /* skipped: needs root to own the tree */
	}
	put_file(dir, "default.conf", "limits = { pids = 10; };\n");
	put_file(dir, "users/ann.conf", "limits = { pids = 11; };\n");
	snprintf(path, sizeof(path), "%s/users/ann.conf", dir);

	ck_assert_int_eq(chmod(path, 0664), 0);
	expect_refused(dir, "is writable by group or others (mode 0664); expected no such write "
			    "bit (chmod go-w");
	ck_assert_int_eq(chmod(path, 0644), 0);

	ck_assert_int_eq(chown(path, 65534, 0), 0);
	expect_refused(dir, "file is owned by uid 65534; expected root (chown root:root");
	ck_assert_int_eq(chown(path, 0, 0), 0);

	snprintf(target, sizeof(target), "%s/users", dir);
	ck_assert_int_eq(chmod(target, 0777), 0);
	expect_refused(dir, "directory is writable by group or others (mode 0777)");
	ck_assert_int_eq(chmod(target, 0755), 0);

	snprintf(target, sizeof(target), "%s/users/bob.conf", dir);
	ck_assert_int_eq(symlink("/etc/hostname", target), 0);
	expect_refused(dir, "is a symlink; expected no symlinks anywhere in the policy tree");
	ck_assert_int_eq(unlink(target), 0);

	/* A policy dir inside a directory others can write is not safe either. */
	ck_assert_int_eq(chmod(dir, 0777), 0);
	snprintf(target, sizeof(target), "%s/users", dir);
	expect_refused(target, "is owned by uid 0 or writable by others");
	ck_assert_int_eq(chmod(dir, 0755), 0);

	put_file(dir, "default.conf", "limits = { pids = 10; };\n");
	snprintf(path, sizeof(path), "%s/default.conf", dir);
	{
		FILE *f = fopen(path, "a");
		fputc('\0', f);
		fclose(f);
	}
	expect_refused(dir, "contains a NUL byte; expected a text file");
	rm_tree(dir);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("policy");
	TCase *tc = tcase_create("schema");
	TCase *tr = tcase_create("resolve");

	tcase_add_loop_test(tc, test_bad_case, 0, (int) (sizeof(bad_cases) / sizeof(bad_cases[0])));
	tcase_add_test(tc, test_all_errors_reported);
	tcase_add_test(tc, test_shipped_policies_valid);
	tcase_add_test(tc, test_shipped_sample_valid);
	tcase_add_test(tc, test_builtin_defaults_parse);
	tcase_add_test(tc, test_schema_documented);
	tcase_add_test(tc, test_safety_rules);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(tr, res_setup, res_teardown);
	tcase_add_test(tr, test_resolution_order);
	tcase_add_test(tr, test_default_match_all_and_root);
	tcase_add_test(tr, test_priority_tie_is_error);
	tcase_add_test(tr, test_inheritance_and_origins);
	tcase_add_test(tr, test_substitution);
	tcase_add_test(tr, test_resolve_missing_home_bind);
	tcase_add_test(tr, test_jail_home_checks);
	tcase_add_test(tr, test_inherit_loop);
	tcase_add_test(tr, test_print_round_trip);
	tcase_add_test(tr, test_quota_keys);
	tcase_add_test(tr, test_parity_keys);
	tcase_add_test(tr, test_missing_commands);
	suite_add_tcase(s, tr);
	return run_suite(s);
}
