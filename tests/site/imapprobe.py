#!/usr/bin/env python3
"""A small IMAP client that measures how a server treats idle connections.

Used by the end-to-end tests and the demo to see the two time-outs act:

  imapprobe.py --port P connect-idle    never authenticate; seconds until closed
  imapprobe.py --port P login-idle      LOGIN, then silence; seconds from the
                                        last command until closed
  imapprobe.py --port P login-noop --every 10 --for 50
                                        LOGIN, NOOP every 10 s; stayed open?
  imapprobe.py --port P login           LOGIN and LOGOUT once
  imapprobe.py wait-ports [--timeout S] PORT...
                                        wait until every port accepts

Output is one line of key=value pairs ("closed_after=30.02"). With
--expect N [--tolerance T] an idle measurement outside N +/- T exits 1;
--ready-file F is written when the idle phase begins (after LOGIN, or
after the greeting for connect-idle), so a test can act on an open session.
Exit status: 0 as expected, 1 measured something else, 2 could not probe.
"""

import argparse
import socket
import sys
import time

EXIT_OK, EXIT_UNEXPECTED, EXIT_ERROR = 0, 1, 2


class Closed(Exception):
    """The server closed the connection."""


class Probe:
    def __init__(self, host, port, connect_timeout):
        self.sock = socket.create_connection((host, port),
                                             timeout=connect_timeout)
        self.connected_at = time.monotonic()
        self.buf = b""
        self.tag = 0

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def _fill(self, deadline):
        """Read more bytes; raise Closed on EOF or reset, TimeoutError at
        the deadline (monotonic; None waits forever)."""
        if deadline is None:
            self.sock.settimeout(None)
        else:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError()
            self.sock.settimeout(left)
        try:
            data = self.sock.recv(4096)
        except socket.timeout:
            raise TimeoutError()
        except (ConnectionResetError, BrokenPipeError):
            raise Closed()
        if not data:
            raise Closed()
        self.buf += data

    def readline(self, deadline):
        while b"\r\n" not in self.buf:
            self._fill(deadline)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode("utf-8", "replace")

    def greeting(self, deadline):
        line = self.readline(deadline)
        if not line.startswith("* OK"):
            raise ProbeError("unexpected greeting: %r" % line)
        return line

    def command(self, text, deadline):
        """Send a tagged command, return (status, tagged line, time the
        tagged answer came). Untagged lines are skipped."""
        self.tag += 1
        tag = "a%03d" % self.tag
        try:
            self.sock.sendall(("%s %s\r\n" % (tag, text)).encode())
        except (ConnectionResetError, BrokenPipeError):
            raise Closed()
        while True:
            line = self.readline(deadline)
            if line.startswith(tag + " "):
                parts = line.split(" ", 2)
                return parts[1].upper(), line, time.monotonic()

    def wait_closed(self, deadline):
        """Discard anything the server sends until it closes; returns the
        monotonic time of the close, or None at the deadline."""
        try:
            while True:
                self.buf = b""
                self._fill(deadline)
        except Closed:
            return time.monotonic()
        except TimeoutError:
            return None


class ProbeError(Exception):
    pass


def imap_quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def login(p, args, deadline):
    status, line, done = p.command(
        "LOGIN %s %s" % (imap_quote(args.user), imap_quote(args.password)),
        deadline)
    if status != "OK":
        raise ProbeError("login as %s refused: %s" % (args.user, line))
    return done


def ready(args):
    """Tell a waiting test that the idle phase has begun."""
    if args.ready_file:
        with open(args.ready_file, "w") as f:
            f.write("ready\n")


def verdict(closed_after, args):
    """Compare an idle measurement with --expect; returns the exit status."""
    if closed_after is None:
        print("closed_after=none still_open_after=%.2f" % args.max)
        return EXIT_UNEXPECTED
    if args.expect is None:
        print("closed_after=%.2f" % closed_after)
        return EXIT_OK
    ok = abs(closed_after - args.expect) <= args.tolerance
    print("closed_after=%.2f expected=%g tolerance=%g %s" % (
        closed_after, args.expect, args.tolerance,
        "ok" if ok else "OUT_OF_RANGE"))
    return EXIT_OK if ok else EXIT_UNEXPECTED


def run_connect_idle(args):
    p = Probe(args.host, args.port, args.connect_timeout)
    try:
        # The pre-authentication timer starts at connect, so time from there.
        deadline = p.connected_at + args.max
        p.greeting(deadline)
        ready(args)
        closed = p.wait_closed(deadline)
    finally:
        p.close()
    return verdict(None if closed is None else closed - p.connected_at, args)


def run_login_idle(args):
    p = Probe(args.host, args.port, args.connect_timeout)
    try:
        p.greeting(time.monotonic() + args.connect_timeout)
        # The proxy's idle timer starts once the backend accepted the
        # login (the answer may be delayed) and restarts with client traffic.
        done = login(p, args, time.monotonic() + args.connect_timeout)
        ready(args)
        closed = p.wait_closed(done + args.max)
    finally:
        p.close()
    return verdict(None if closed is None else closed - done, args)


def run_login_noop(args):
    p = Probe(args.host, args.port, args.connect_timeout)
    try:
        p.greeting(time.monotonic() + args.connect_timeout)
        login(p, args, time.monotonic() + args.connect_timeout)
        ready(args)
        start = time.monotonic()
        end = start + args.for_
        nnoop = 0
        try:
            while True:
                next_at = min(start + (nnoop + 1) * args.every, end)
                # Silence until the next NOOP, but notice a close at once.
                closed = p.wait_closed(next_at)
                if closed is not None:
                    raise Closed()
                if time.monotonic() >= end:
                    break
                status, line, _ = p.command("NOOP", time.monotonic() +
                                            args.connect_timeout)
                if status != "OK":
                    raise ProbeError("NOOP failed: %s" % line)
                nnoop += 1
        except Closed:
            print("stayed_open=0 closed_after=%.2f noops=%d" % (
                time.monotonic() - start, nnoop))
            return EXIT_UNEXPECTED
        # Still usable at the end, not merely not yet noticed as closed.
        try:
            status, line, _ = p.command("NOOP", time.monotonic() +
                                        args.connect_timeout)
        except (Closed, TimeoutError):
            status = "CLOSED"
        if status != "OK":
            print("stayed_open=0 closed_after=%.2f noops=%d" % (
                time.monotonic() - start, nnoop))
            return EXIT_UNEXPECTED
        print("stayed_open=1 open_for=%.2f noops=%d" % (
            time.monotonic() - start, nnoop + 1))
        return EXIT_OK
    finally:
        p.close()


def run_login(args):
    p = Probe(args.host, args.port, args.connect_timeout)
    try:
        deadline = time.monotonic() + args.connect_timeout
        p.greeting(deadline)
        login(p, args, deadline)
        p.command("LOGOUT", deadline)
    finally:
        p.close()
    print("login=ok user=%s" % args.user)
    return EXIT_OK


def run_wait_ports(args):
    deadline = time.monotonic() + args.timeout
    pending = list(args.ports)
    while pending:
        port = pending[0]
        try:
            socket.create_connection((args.host, port), timeout=1).close()
            pending.pop(0)
            continue
        except OSError:
            pass
        if time.monotonic() >= deadline:
            print("ports_not_accepting=%s" % ",".join(map(str, pending)))
            return EXIT_UNEXPECTED
        time.sleep(0.05)
    return EXIT_OK


def common_options(ap, suppress):
    def d(value):
        return value if suppress is None else suppress
    ap.add_argument("--host", default=d("127.0.0.1"))
    ap.add_argument("--port", type=int, default=d(None))
    ap.add_argument("--user", default=d("alice"))
    ap.add_argument("--password", default=d("secret"))
    ap.add_argument("--connect-timeout", type=float, default=d(10),
                    help="limit for connecting and each command (s)")
    ap.add_argument("--max", type=float, default=d(120),
                    help="give up waiting for the close after this (s)")
    ap.add_argument("--expect", type=float, default=d(None),
                    help="expected seconds until the close")
    ap.add_argument("--tolerance", type=float, default=d(2))
    ap.add_argument("--ready-file", default=d(None),
                    help="written once the idle phase begins")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    common_options(ap, None)
    # The same options are accepted after the mode too; SUPPRESS keeps a
    # value given before the mode from being reset by the subparser.
    common = argparse.ArgumentParser(add_help=False)
    common_options(common, argparse.SUPPRESS)
    sub = ap.add_subparsers(dest="mode", required=True)
    sub.add_parser("connect-idle", parents=[common])
    sub.add_parser("login-idle", parents=[common])
    sub.add_parser("login", parents=[common])
    n = sub.add_parser("login-noop", parents=[common])
    n.add_argument("--every", type=float, default=10)
    n.add_argument("--for", dest="for_", type=float, default=50)
    w = sub.add_parser("wait-ports", parents=[common])
    w.add_argument("--timeout", type=float, default=15)
    w.add_argument("ports", type=int, nargs="+")
    args = ap.parse_args()

    if args.mode != "wait-ports" and args.port is None:
        ap.error("--port is required for %s" % args.mode)
    runners = {
        "connect-idle": run_connect_idle,
        "login-idle": run_login_idle,
        "login-noop": run_login_noop,
        "login": run_login,
        "wait-ports": run_wait_ports,
    }
    try:
        return runners[args.mode](args)
    except Closed:
        print("error=closed_unexpectedly")
        print("imapprobe: server closed the connection unexpectedly",
              file=sys.stderr)
    except TimeoutError:
        print("error=timeout")
        print("imapprobe: no answer from %s:%s within the time limit" % (
            args.host, args.port), file=sys.stderr)
    except ProbeError as e:
        print("error=protocol")
        print("imapprobe: %s" % e, file=sys.stderr)
    except OSError as e:
        print("error=connect")
        print("imapprobe: %s:%s: %s" % (args.host, args.port, e),
              file=sys.stderr)
    return EXIT_ERROR


if __name__ == "__main__":
    sys.exit(main())
