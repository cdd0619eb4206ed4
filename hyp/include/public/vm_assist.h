// SPDX-License-Identifier: MIT
#ifndef PUBLIC_VM_ASSIST_H
#define PUBLIC_VM_ASSIST_H

/* vm_assist (hypercall 21): x0 = command, x1 = assist type. */

#define VMASST_CMD_enable  0
#define VMASST_CMD_disable 1

/* The only assist meaningful on Arm: set XEN_RUNSTATE_UPDATE while writing runstate areas. */
#define VMASST_TYPE_runstate_update_flag 5

#endif
