#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# init of the User-Mode-Linux guest (ARCHITECTURE §6).  The guest mounts the
# host's / through hostfs; the kernel command line passes:
#   STIWF_GUEST_SCRIPT  the script to run inside (absolute path)
#   STIWF_GUEST_OUT     a host directory (in the build tree) for its output
# The script's exit status lands in $STIWF_GUEST_OUT/guest.rc.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys 2>/dev/null
mount -t tmpfs tmpfs /dev/shm 2>/dev/null || { mkdir -p /run/shm && mount -t tmpfs tmpfs /run/shm; }
out=${STIWF_GUEST_OUT:?}
exec >"$out/guest-init.log" 2>&1
echo "guest: kernel $(uname -r)"
mods=/usr/lib/uml/modules/$(uname -r)/kernel
for m in crypto/hmac.ko lib/crc-ccitt.ko net/ipv6/ipv6.ko net/ipv4/udp_tunnel.ko \
	 net/ipv6/ip6_udp_tunnel.ko net/sctp/sctp.ko; do
	/sbin/insmod "$mods/$m" || echo "guest: insmod $m failed"
done
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up
grep -q '^SCTP ' /proc/net/protocols && echo "guest: SCTP ready" || echo "guest: no SCTP"
export TMPDIR="$out" HOME="$out"
cd "$out" || exit 1
timeout "${STIWF_GUEST_TIMEOUT:-120}" /bin/bash "$STIWF_GUEST_SCRIPT" >"$out/guest.log" 2>&1
echo $? >"$out/guest.rc"
sync
# power off without an init system: halt where it exists, else the kernel's
# sysrq "o" (power off)
halt -f -p 2>/dev/null || echo o >/proc/sysrq-trigger
