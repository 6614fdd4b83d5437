#!/usr/bin/env bash
# Inside xvfb-run and dbus-run-session: start the accessibility bus, run the kiosk on xcb with
# accessibility on, and drive it with the AT-SPI walker. Usage: session.sh KIOSK_CONFIG
set -eu
config="$1"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
gdbus call --session --dest org.a11y.Bus --object-path /org/a11y/bus --method org.a11y.Bus.GetAddress >/dev/null
export QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 QT_QPA_PLATFORM=xcb
cd "$root"
"$root/.venv/bin/python" -m kiosk run --config "$config" > "$(dirname "$config")/kiosk.log" 2>&1 &
kiosk=$!
status=0
/usr/bin/python3 "$here/walker.py" || status=$?
kill "$kiosk" 2>/dev/null || true
wait "$kiosk" 2>/dev/null || true
exit "$status"
