#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Former entry point of the QEMU tier, kept for habit: the whole tier is
# tests/qemu/qemu-check.sh (`make qemu-check`). VERSIONS is passed on as
# QEMU_VERSIONS; both variants (upstream and ours) always run.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export QEMU_VERSIONS=${QEMU_VERSIONS:-${VERSIONS:-"6.1 6.12"}}
export XEN_EXTREGIONS=${XEN_EXTREGIONS:-$ROOT/build/xen-extregions}
exec bash "$ROOT/tests/qemu/qemu-check.sh" "$@"
