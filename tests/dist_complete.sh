#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/dist_complete.sh SRCDIR DISTDIR
# The release tarball is complete: every file that git tracks in SRCDIR is
# in DISTDIR (the tree "make dist" is about to pack), except those named
# below, which neither the build nor any test uses.  "make dist" and "make
# distcheck" run it (dist-hook in tests/Makefile.inc), so a file that a test
# needs, above all one that only the User-Mode-Linux guest tests read (which
# distcheck skips), cannot be left out of EXTRA_DIST unnoticed.  Outside a
# git checkout of its own (a tarball unpacked) there is nothing to compare: it says so.
set -u
src=$1
dist=$2

# Tracked files that stay out of the tarball on purpose: repository and CI
# plumbing, files that only make sense in a git checkout.  An entry that
# matches no tracked file is an error too, so the list cannot go stale.
exceptions='
.gitignore
.ci/*
'

# A tarball unpacked inside some other checkout (distcheck unpacks it under
# the build directory) is inside a work tree too, but not its top: only the
# top of a work tree is a checkout of this project.
top=$(git -C "$src" rev-parse --show-toplevel 2>/dev/null) || top=
if [ -z "$top" ] || [ "$(cd "$top" && pwd -P)" != "$(cd "$src" && pwd -P)" ]; then
	echo "dist_complete: $src is not a git checkout; nothing to compare the tarball with"
	exit 0
fi
[ -d "$dist" ] || { echo "FAIL: dist_complete: no $dist"; exit 1; }

set -f	# the exceptions are patterns for case, not for the shell's globbing
files=$(git -C "$src" ls-files) || { echo "FAIL: dist_complete: git ls-files"; exit 1; }
# excepted FILE: FILE matches an exception
excepted() {
	for e in $exceptions; do
		case $1 in $e) return 0 ;; esac
	done
	return 1
}
missing=0
nl='
'
old_ifs=$IFS
IFS=$nl
for f in $files; do
	if ! (IFS=$old_ifs; excepted "$f") && [ ! -e "$dist/$f" ]; then
		echo "FAIL: dist_complete: $f is tracked by git but not in the tarball (add it to EXTRA_DIST or a _SOURCES/_SCRIPTS list)"
		missing=$((missing + 1))
	fi
done
IFS=$old_ifs
for e in $exceptions; do
	used=no
	IFS=$nl
	for f in $files; do
		case $f in $e) used=yes; break ;; esac
	done
	IFS=$old_ifs
	if [ $used = no ]; then
		echo "FAIL: dist_complete: the exception '$e' matches no tracked file; remove it from tests/dist_complete.sh"
		missing=$((missing + 1))
	fi
done
if [ $missing -ne 0 ]; then
	echo "dist_complete: $missing problem(s)"
	exit 1
fi
echo "dist_complete: all $(echo "$files" | wc -l) tracked files are in the tarball or on the list of exceptions"
