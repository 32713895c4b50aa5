#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""conn_hold.py HOST PORT N [--greeting]: open N TCP connections to
HOST:PORT and hold them idle, as a peer exhausting a server's descriptors
would.

With --greeting (a server that speaks first, like a VTY console) each
connection waits for the server's first bytes, or its close, before the
next one: the pace is then the server's accept() rate, and no connection
attempt is dropped for a full listen backlog and retried seconds later.

Prints "HELD N" once every connect() returned (a connection the server
accepted and closed at once still counts: the server is alive).  On
SIGUSR1 it half-closes each connection and reads until the server closed
its side too, then prints "RELEASED N" and exits: once that line is out,
the server has let go of every connection, with no waiting on a clock.
Exits 1 with "FAILED" when a connect fails (the server is gone)."""

import resource
import signal
import socket
import sys


def main():
    host, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    greeting = "--greeting" in sys.argv[4:]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = n + 64
    if soft < want:
        if hard != resource.RLIM_INFINITY and hard < want:
            print(f"FAILED: open files hard limit {hard} < {want}", flush=True)
            return 1
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    socks = []
    for i in range(n):
        try:
            s = socket.create_connection((host, port), timeout=10)
            socks.append(s)
            if greeting:
                s.recv(1, socket.MSG_PEEK)
        except OSError as e:
            print(f"FAILED after {i} connections: {e}", flush=True)
            return 1
    print(f"HELD {len(socks)}", flush=True)
    signal.sigwait({signal.SIGUSR1})
    closed = 0
    for s in socks:
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server closed it long ago
    for s in socks:
        s.settimeout(30)
        try:
            while s.recv(65536):
                pass
            closed += 1
        except OSError:
            pass
        s.close()
    print(f"RELEASED {closed}", flush=True)
    return 0 if closed == len(socks) else 1


if __name__ == "__main__":
    sys.exit(main())
