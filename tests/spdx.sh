#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every C, shell and Python file of the tree names its licence in an SPDX
# line near its top (README.md, "Licence"): a file added without one
# fails here.
set -u
cd "${srcdir:-.}" || exit 1
if [ -e .git ] && git ls-files >/dev/null 2>&1; then
	list=$(git ls-files '*.c' '*.h' '*.sh' '*.py')
else
	# a release tarball (make distcheck builds in _build, installs in _inst)
	list=$(find . \( -name _build -o -name _inst \) -prune -o \
		\( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' \) -type f -print)
fi
n=0 bad=0
for f in $list; do
	n=$((n + 1))
	if ! head -c 400 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later'; then
		echo "no SPDX licence line: $f"
		bad=$((bad + 1))
	fi
done
[ "$n" -gt 100 ] || { echo "FAIL: only $n files found"; exit 1; }
[ "$bad" -eq 0 ] || { echo "FAIL: $bad of $n files without an SPDX licence line"; exit 1; }
echo "ok: $n files, each with SPDX-License-Identifier: GPL-3.0-or-later"
