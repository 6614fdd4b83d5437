#!/usr/bin/env bash
# Inside xvfb-run and dbus-run-session: the accessibility bus, the kiosk on xcb with accessibility
# on, Debian's Orca with its speech written to a debug log, then the key-by-key driver.
# Usage: session.sh KIOSK_CONFIG WORKDIR
set -eu
config="$1"
work="$2"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
gdbus call --session --dest org.a11y.Bus --object-path /org/a11y/bus --method org.a11y.Bus.GetAddress >/dev/null
export QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 QT_QPA_PLATFORM=xcb KIOSK_READY_FILE="$work/ready"
cd "$root"
"$root/.venv/bin/python" -m kiosk run --config "$config" > "$work/kiosk.log" 2>&1 &
kiosk=$!
# Orca is Debian's, run by Debian's Python; its prefs live in the work folder (nothing of the host's).
# It starts once the kiosk is at its attract screen, as on a kiosk where it is always running.
for _ in $(seq 1 300); do [ -f "$work/ready" ] && break; sleep 0.1; done
/usr/bin/python3 "$here/run_orca.py" --replace --user-prefs "$work/orca-prefs" --debug-file "$work/orca.log" > "$work/orca.out" 2>&1 &
orca=$!
status=0
"$root/.venv/bin/python" "$here/drive.py" "$work/orca.log" "$work/report.json" || status=$?
kill "$orca" "$kiosk" 2>/dev/null || true
wait "$kiosk" 2>/dev/null || true
exit "$status"
