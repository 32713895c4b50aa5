#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/cluster/gen-stiwfd-conf.sh N [TEMPLATE] > stiwfd-N.conf
# Write the configuration of stiwfd instance N (1, 2, ...) of the sample
# cluster (docs/SCALING.md): instances 2k-1 and 2k share point code 200+k,
# the first active, the second its hot standby (whichever reaches osmo-stp
# first is active: osmo-stp 1.6 in override mode keeps the AS with the ASP
# that is active and sends the other no NTFY until that one is gone).
# Addresses: instance N on 192.0.2.(10+N); override with the environment:
#   ADDR_BASE=192.0.2. ADDR_FIRST=10 PROXY=192.0.2.10 STP=192.0.2.1 REDIS=192.0.2.5:6379
set -eu
n=${1:?usage: gen-stiwfd-conf.sh N [TEMPLATE]}
tmpl=${2:-$(dirname "$0")/stiwfd.conf.in}
case $n in
''|*[!0-9]*) echo "gen-stiwfd-conf.sh: N must be a number" >&2; exit 2 ;;
esac
[ "$n" -ge 1 ] && [ "$n" -le 200 ] || { echo "gen-stiwfd-conf.sh: N out of 1..200" >&2; exit 2; }
base=${ADDR_BASE:-192.0.2.}
first=${ADDR_FIRST:-10}
pc=$((200 + (n + 1) / 2))
sed -e "s/@N@/$n/g" -e "s/@PC@/$pc/g" -e "s/@ADDR@/$base$((first + n))/g" \
	-e "s/@PROXY@/${PROXY:-192.0.2.10}/g" -e "s/@STP@/${STP:-192.0.2.1}/g" \
	-e "s/@REDIS@/${REDIS:-192.0.2.5:6379}/g" "$tmpl"
