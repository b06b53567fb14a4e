// SPDX-License-Identifier: GPL-3.0-or-later
/* libFuzzer: the wire decoder.  What it accepts must encode back to the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t again[PROTO_MAX];
	struct proto_msg m;
	const char *why = NULL;

	if (proto_decode(data, size, NULL, 0, &m, &why) == 0) {
		ssize_t n = proto_encode(&m, again, sizeof(again));
		if (n != (ssize_t) size || memcmp(again, data, size) != 0)
			abort(); /* decoding lost or invented something */
		proto_msg_clear(&m);
	} else if (!why) {
		abort(); /* every refusal names its reason */
	}
	return 0;
}
