/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Between a program's shell (nested.c) and the session's shell (broker.c): SOCK_SEQPACKET, one
 * datagram each way.  A request comes with exactly one fd, a socket of the asker's own where the
 * answer goes, so that shells asking at once never read each other's answers.
 *
 *   H                          hello: may a program's shell run here?
 *   A PROGRAM \0 LINE          its own check allowed LINE: may it run?
 *   R CODE \0 PROGRAM \0 WHY \0 LINE   its own check refused LINE (CODE: REFUSED...)
 *
 * Answers: "Y" WARNINGS \0 ENV... (run, with the session's variables; the reply to H and A),
 * "N" STATUS \0 TEXT (refused: print TEXT, exit STATUS), "Q" STATUS \0 TEXT (and the session
 * ends). */
#pragma once

#define BROKER_MSG_MAX 65536
#define BROKER_ENV "CORRAL_SHELL_FD"
