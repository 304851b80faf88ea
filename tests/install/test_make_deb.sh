#!/usr/bin/env bash
# make deb, on a copy of the tree (dpkg-buildpackage writes beside it): the
# package builds, lintian finds no error, and it holds make install's layout
# with the config as a conffile and /var/lib/imapadm root's alone.
set -u
SRC=${SOURCE_DIR:?}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/imapadm-deb.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAILS=0
CHECKS=0
expect() { CHECKS=$((CHECKS + 1)); eval "$1" || { FAILS=$((FAILS + 1)); echo "FAIL: $2" >&2; }; }

mkdir "$TMP/src"
# The files a clone has (the tree may hold builds of its own).
(cd "$SRC" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 cp --parents -t "$TMP/src") || { echo "FAIL: cannot copy the tree" >&2; exit 1; }
make -C "$TMP/src" deb >"$TMP/log" 2>&1
RC=$?
expect '[ $RC = 0 ]' "make deb failed (exit $RC): $(tail -n 20 "$TMP/log")"
deb=$(ls "$TMP"/imapadm_*.deb 2>/dev/null | head -n 1)
expect '[ -n "$deb" ]' "no package was built"
if [ -n "$deb" ]; then
	dpkg-deb -c "$deb" >"$TMP/list"
	for f in ./usr/bin/imapadm ./usr/share/man/man1/imapadm.1.gz \
	    ./usr/lib/imapadm/nginx-reload-checked ./etc/imapadm/imapadm.conf; do
		expect 'grep -q " $f\$" "$TMP/list"' "the package lacks $f"
	done
	expect 'grep -q "^drwx------ root/root .* ./var/lib/imapadm/\$" "$TMP/list"' \
	    "/var/lib/imapadm is not root's 0700 in the package"
	dpkg-deb -e "$deb" "$TMP/ctl"
	expect 'grep -qx /etc/imapadm/imapadm.conf "$TMP/ctl/conffiles"' \
	    "the config is not a conffile (an upgrade would replace the admin's)"
	# dlopen()ed, so dpkg-shlibdeps does not see it: named by hand.
	expect 'grep -Eq "^Depends:.* libssl3( |,|\$)" "$TMP/ctl/control"' \
	    "the package does not depend on libssl3, which imapadm dlopen()s: $(grep ^Depends: "$TMP/ctl/control")"
	expect '! grep -q "^E: " "$TMP/log"' "lintian reported errors: $(grep '^E: ' "$TMP/log")"
fi
echo "test_make_deb: $CHECKS checks, $FAILS failed"
[ "$FAILS" = 0 ]
