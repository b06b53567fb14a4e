// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer: the policy parser and schema validation, as default.conf and as a group file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct perr_list errs = { 0 };
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	(void) policy_check_text("default", text, size, &errs);
	perr_clear(&errs);
	(void) policy_check_text("groups/fuzz", text, size, &errs);
	perr_clear(&errs);
	free(text);
	return 0;
}
