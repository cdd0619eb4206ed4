// SPDX-License-Identifier: Apache-2.0
/* What the boot path keeps for the rest of Punt. */
#ifndef PUNT_MAIN_H
#define PUNT_MAIN_H

/* Punt's own command line, as the boot configuration gave it ("" if none). */
const char *punt_command_line(void);

#endif
