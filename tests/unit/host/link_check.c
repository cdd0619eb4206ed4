// SPDX-License-Identifier: Apache-2.0
/*
 * host-link (tests/unit/Makefile): linked with every generic source and the fake
 * architecture, whole, so that the link fails if anything is undefined or defined twice.
 * There is nothing to run.
 */
int main(void)
{
	return 0;
}
