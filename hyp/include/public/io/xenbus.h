// SPDX-License-Identifier: MIT
#ifndef PUBLIC_IO_XENBUS_H
#define PUBLIC_IO_XENBUS_H

/* Xenbus device states, stored in xenstore as decimal strings under ".../state". */

enum xenbus_state {
	XenbusStateUnknown = 0,
	XenbusStateInitialising = 1,
	XenbusStateInitWait = 2,
	XenbusStateInitialised = 3,
	XenbusStateConnected = 4,
	XenbusStateClosing = 5,
	XenbusStateClosed = 6,
	XenbusStateReconfiguring = 7,
	XenbusStateReconfigured = 8,
};

#endif
