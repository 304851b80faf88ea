#!/usr/bin/env bash
# Robustness of the command line: a few hundred argument vectors made from
# the real verbs, parameters and values, then mutated (empty strings, huge
# numbers, Unicode, bytes that are not UTF-8, control characters, '--', '-',
# '=' and ':' forms, repeats, missing values), with a fixed seed so a failure
# can be replayed. Every run must exit 0, 1 or 2 (no signal, no 127, no
# sanitizer report), explain itself on stderr in "imapadm: " lines, let no
# escape sequence through (a service's error output has one), print valid
# JSON when asked for it, and leave the database intact: integrity_check
# passes, each run adds exactly one audit row per change it reports, and
# every stored value is in its range.
#
# FUZZ_SEED and FUZZ_RUNS in the environment replay or extend a run.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/home" "$TMP/xdg" "$TMP/adir"
: >"$TMP/afile"
printf 'not sqlite\n' >"$TMP/notadb"
printf 'profile {\n' >"$TMP/bad.conf"
cat >"$TMP/imapadm.conf" <<'EOF'
profile good {
	type = "command"
	check = {"true"}
	restart = {"true"}
	reload = {"true"}
	status = {"echo", "active on %{identity} %{fqdn}"}
}
profile bad {
	type = "command"
	restart = {"/bin/sh", "-c", "printf '\\033[31mcannot bind\\n' >&2; exit 3"}
}
profile remote {
	type = "command"
	restart = {"env", "HOST=%{fqdn}", "true", "%{AuthenticatedConnectionTimeout}"}
}
EOF

# The ranges come from the binary's own help: one source of truth.
"$IMAPADM_BIN" help set-imapsettings >"$TMP/help" 2>&1

python3 - "$TMP" "$DB" "$IMAPADM_BIN" "$(basename "$0")" <<'PY'
import json, os, random, re, sqlite3, subprocess, sys, time

tmp, db, binary, name = sys.argv[1:5]
seed = int(os.environ.get("FUZZ_SEED", "20240611"))
runs = int(os.environ.get("FUZZ_RUNS", "400"))
rng = random.Random(seed)

help_text = " ".join(open(os.path.join(tmp, "help")).read().split())
ranges = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in
    re.finditer(r"-(\w+) <time> .*?Valid: (\d+)-(\d+)", help_text)}
if len(ranges) != 2:
    print("cannot read the setting ranges from the help: %r" % help_text,
        file=sys.stderr)
    sys.exit(1)
AUTH, PRE = "AuthenticatedConnectionTimeout", "PreAuthenticatedConnectionTimeout"

env = dict(os.environ)
env.update({"HOME": os.path.join(tmp, "home"),
    "XDG_DATA_HOME": os.path.join(tmp, "xdg"),
    "XDG_CONFIG_HOME": os.path.join(tmp, "xdg"),
    "IMAPADM_DB": db,
    "IMAPADM_CONFIG": os.path.join(tmp, "imapadm.conf")})

# Other databases and configs a vector may name: none of them can take a
# change (a directory, a file that is not SQLite, a directory that cannot
# be made), so every change lands in db and is counted there.
DBS = [db, db, db, "", os.path.join(tmp, "adir"), os.path.join(tmp, "notadb"),
    os.path.join(tmp, "afile", "x.db")]
CONFIGS = [env["IMAPADM_CONFIG"], "", os.path.join(tmp, "none.conf"),
    os.path.join(tmp, "bad.conf"), tmp]

VERBS = ["get-imapsettings", "set-imapsettings", "restart-imapservice",
    "get-server", "new-server", "remove-server", "get-auditlog", "help"]
PARAMS = ["Identity", "format", "Fqdn", "Roles", "Site", "Profile",
    "ResultSize", "Verb", "reload", AUTH, PRE, "db", "config", "help", "?",
    "version", "Bogus", "Identit", "AuthenticatedConectionTimeout"]
IDS = ["CAS01", "CAS02", "cas01", "MBX01", "CAS09", "NEW1", "x", "A" * 63,
    "A" * 64, "-rf", "_x", "CAS 01", "CAS01;touch pwned"]
TIMES = ["30", "29", "60", "1799", "1800", "3600", "3601", "86400", "86401",
    "0", "-1", "-0", "00:30:00", "1.00:00:00", "0.00:00:30", "24:00:00",
    "00:60:00", "00:00:5", "1:00:00", "99999999999999999999",
    "9223372036854775807", "9223372036854775808", "106751991167300.00:00:00",
    "1e3", "0x10", "30.5", " 60 ", "6 0", "6\n0", "\t1800\n", "+60", "٣٠",
    "３０", "1.2.00:00:00", ":", "::", "1:2:3:4", ".00:30:00"]
WEIRD = ["", "-", "--", "=", ":", "-5", "--=", "-=x", "---x", "-?",
    "\x1b[2J\x1b]0;t\x07", "\x01\x02\x7f", "\u202eevil", "é", "ＣＡＳ０１",
    "\U0001f600", b"\xff\xfe", b"\xc2\x9b31m", b"\xed\xa0\x80", "a" * 5000,
    "%{fqdn}", "%%", "$(touch pwned)", "`id`", "; rm -rf /", "'\"",
    "-oProxyCommand=touch pwned", "\\", "*", "~", "..", "/"]
FQDNS = ["cas09.contoso.test", "a.b", "x", "-oProxyCommand=x", "a..b",
    "a-.b", "a" * 64 + ".test", "1.2.3.4", "::1", "é.test", ""]
ROLES = ["ClientAccess", "Mailbox", "ClientAccess,Mailbox",
    "mailbox, clientaccess", "Mailbox,", ",", "Hub", ""]
SITES = ["Site-1", "", "\x1b[31m", "é site", "s" * 129, "-site"]
PROFILES = ["good", "bad", "remote", "", "nope", "-good"]
FORMATS = ["list", "table", "json", "JSON", "xml", ""]
SIZES = ["1", "5", "Unlimited", "unlimited", "0", "-1", "1000000001",
    "99999999999999999999999", " 1", "1 "]

def pick(pool):
    return rng.choice(pool)

def value_for(param):
    return {"Identity": IDS, "Fqdn": FQDNS, "Roles": ROLES, "Site": SITES,
        "Profile": PROFILES, "format": FORMATS, "ResultSize": SIZES,
        "Verb": VERBS + ["nope", ""], AUTH: TIMES, PRE: TIMES,
        "db": DBS, "config": CONFIGS}.get(param, WEIRD)

def spell(param):
    """The many ways one parameter name may be written."""
    form = rng.randrange(6)
    if form == 0:
        return "-" + param
    if form == 1:
        return "--" + param.lower()
    if form == 2:
        return "-" + param.upper()
    if form == 3:
        return "--" + param
    if form == 4:
        return "-" + "".join(c.upper() if rng.random() < 0.5 else c.lower()
            for c in param)
    return "-" + param

def param_tokens(param, value):
    flag = spell(param)
    if param in ("reload", "help", "?", "version"):
        return [flag] if rng.random() < 0.8 else [flag + "=" + str(value)]
    if isinstance(value, bytes):
        return [flag, value]
    form = rng.randrange(4)
    if form == 0:
        return [flag + "=" + value]
    if form == 1:
        return [flag + ":" + value]
    return [flag, value]

def well_formed():
    """A command that often succeeds, so changes happen and are counted."""
    verb = rng.choices(VERBS, weights=[2, 6, 3, 1, 2, 1, 1, 1])[0]
    args = []
    if verb == "new-server":
        args = [pick(IDS[:8]), "-Fqdn", pick(FQDNS[:4]), "-Roles",
            pick(ROLES[:4])]
        if rng.random() < 0.7:
            args += ["-Profile", pick(PROFILES[:3])]
        if rng.random() < 0.3:
            args += ["-Site", pick(SITES[:1] + SITES[3:4])]
    elif verb == "set-imapsettings":
        args = [pick(IDS[:5])]
        for p in rng.sample([AUTH, PRE], rng.randint(1, 2)):
            args += param_tokens(p, pick(TIMES[:14]))
    elif verb == "restart-imapservice":
        args = [pick(IDS[:5])] + (["--reload"] if rng.random() < 0.3 else [])
    elif verb == "remove-server":
        args = [pick(IDS[:6])]
    elif verb in ("get-imapsettings", "get-server", "get-auditlog"):
        if rng.random() < 0.6:
            args += [pick(IDS[:5])]
        if rng.random() < 0.5:
            args += param_tokens("format", pick(FORMATS[:4]))
        if verb == "get-auditlog" and rng.random() < 0.5:
            args += param_tokens("ResultSize", pick(SIZES[:4]))
    elif verb == "help":
        args = [pick(VERBS)] if rng.random() < 0.7 else []
    if rng.random() < 0.5:
        verb = "".join(c.upper() if rng.random() < 0.3 else c for c in verb)
    return [verb] + args

def mutate(argv):
    argv = list(argv)
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(10)
        i = rng.randrange(len(argv) + 1)
        if op == 0 and argv:
            del argv[min(i, len(argv) - 1)]
        elif op == 1 and argv:
            j = min(i, len(argv) - 1)
            argv.insert(j, argv[j])
        elif op == 2:
            param = pick(PARAMS)
            argv[i:i] = param_tokens(param, pick(value_for(param)))
        elif op == 3:
            argv.insert(i, pick(WEIRD))
        elif op == 4:
            argv.insert(i, pick(["--", "-", "--db", "--config", "-Identity"]))
        elif op == 5 and argv:
            argv[min(i, len(argv) - 1)] = pick(WEIRD + TIMES)
        elif op == 6 and len(argv) > 1:
            j, k = rng.sample(range(len(argv)), 2)
            argv[j], argv[k] = argv[k], argv[j]
        elif op == 7:
            argv = argv[:i]
        elif op == 8:
            param = pick([AUTH, PRE, "Identity", "format"])
            toks = param_tokens(param, pick(value_for(param)))
            argv += toks + param_tokens(param, pick(value_for(param)))
        else:
            param = pick(["db", "config"])
            argv[i:i] = [spell(param).lower(), pick(value_for(param))]
    return argv

def encode(arg):
    return arg if isinstance(arg, bytes) else arg.encode("utf-8",
        "surrogateescape")

# Markers of a change each verb prints on success (one audit row each);
# a restart or reload command that ran has its own row before it.
CHANGED = [re.compile(p, re.M) for p in (r"^\S+: added \(",
    r"^\S+: removed$", r"^\S+: saved;",
    r"^  render +\S", r"^  (restart|reload) +\S")]

def audit_rows():
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute("SELECT count(*) FROM audit").fetchone()[0]
    finally:
        con.close()

def db_problems():
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        bad = []
        ok = con.execute("PRAGMA integrity_check").fetchall()
        if ok != [("ok",)]:
            bad.append("integrity_check: %r" % ok)
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            bad.append("foreign_key_check: %r" % fk)
        for sid, n, conf, running in con.execute(
                "SELECT server_id, name, configured, running"
                " FROM imap4_value"):
            lo, hi = ranges.get(n, (None, None))
            if lo is None:
                bad.append("unknown setting %r stored" % n)
                continue
            for what, v in (("configured", conf), ("running", running)):
                if v is not None and not lo <= v <= hi:
                    bad.append("server %d %s %s %d is outside %d-%d" %
                        (sid, n, what, v, lo, hi))
        return bad
    finally:
        con.close()

failures = []
checks = 0
stats = {0: 0, 1: 0, 2: 0}

def fail(argv, msg, out=b"", err=b""):
    failures.append("FAIL: %s\n  argv: %r\n  stdout: %r\n  stderr: %r" %
        (msg, argv, out[-400:], err[-800:]))

# A base inventory so that the vectors find servers to work on.
setup = [["new-server", "CAS01", "-Fqdn", "cas01.contoso.test", "-Roles",
    "ClientAccess", "-Profile", "good"],
    ["new-server", "CAS02", "-Fqdn", "cas02.contoso.test", "-Roles",
    "ClientAccess", "-Profile", "remote"],
    ["new-server", "MBX01", "-Fqdn", "mbx01.contoso.test", "-Roles",
    "Mailbox"]]
start = time.monotonic()
vectors = setup + [well_formed() if rng.random() < 0.45 else
    mutate(well_formed()) for _ in range(runs)]
expected = 0
kinds = [0, 0, 0, 0, 0]
for n, argv in enumerate(vectors):
    # Half the runs name the database, half get it from IMAPADM_DB.
    full = [binary] + (["--db", db] if n % 2 == 0 else []) + argv
    try:
        p = subprocess.run([encode(a) for a in full], env=env,
            cwd=os.path.join(tmp, "home"), stdin=subprocess.DEVNULL,
            capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        fail(argv, "no exit within 30 s")
        continue
    checks += 4
    rc, out, err = p.returncode, p.stdout, p.stderr
    if rc not in (0, 1, 2):
        what = "killed by signal %d" % -rc if rc < 0 else "exit %d" % rc
        fail(argv, "%s, expected 0, 1 or 2" % what, out, err)
        continue
    stats[rc] += 1
    for marker in (b"Sanitizer", b"runtime error:", b"LeakSanitizer"):
        if marker in err:
            fail(argv, "sanitizer report", out, err)
            break
    for stream, data in (("stdout", out), ("stderr", err)):
        for seq in (b"\x1b", b"\x07", b"\xc2\x9b"):
            if seq in data:
                fail(argv, "%r reaches the terminal on %s" % (seq, stream),
                    out, err)
    if rc == 0 and out.startswith(b"["):
        checks += 1
        try:
            json.loads(out)
        except ValueError as e:
            fail(argv, "invalid JSON: %s" % e, out, err)
    lines = err.decode("utf-8", "replace").splitlines()
    if rc != 0 and not lines:
        fail(argv, "exit %d without a message" % rc, out, err)
    elif any(not l.startswith("imapadm: ") for l in lines):
        fail(argv, "stderr line without 'imapadm: '", out, err)
    if os.path.exists(db):
        text = out.decode("utf-8", "replace")
        for k, c in enumerate(CHANGED):
            if (rc == 0 or k >= 3) and c.search(text):
                expected += 1
                kinds[k] += 1
        checks += 2
        got = audit_rows()
        if got != expected:
            fail(argv, "audit log has %d rows, expected %d" % (got,
                expected), out, err)
            expected = got
        for problem in db_problems():
            fail(argv, problem, out, err)
    if n < len(setup) and rc != 0:
        fail(argv, "set-up command failed", out, err)
    if os.path.exists(os.path.join(tmp, "home", "pwned")):
        fail(argv, "a value ran a command")

for f in failures[:25]:
    print(f, file=sys.stderr)
if len(failures) > 25:
    print("... and %d more" % (len(failures) - 25), file=sys.stderr)
summary = "%d runs (seed %d; exit 0: %d, 1: %d, 2: %d; audited: %d added, " \
    "%d removed, %d saved, %d restarts) in %.1f s" % (len(vectors), seed,
    stats[0], stats[1], stats[2], kinds[0], kinds[1], kinds[2], kinds[3],
    time.monotonic() - start)
if failures:
    print("%s: %d of %d checks failed; %s" % (name, len(failures), checks,
        summary), file=sys.stderr)
    sys.exit(1)
print("%s: %d checks passed; %s" % (name, checks, summary))
PY
exit $?
