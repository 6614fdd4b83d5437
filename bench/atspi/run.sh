#!/usr/bin/env bash
# A soak of resident sessions driven over AT-SPI, on a virtual screen with the accessibility bus.
#   xvfb-run -a -s '-screen 0 1920x1080x24' dbus-run-session -- bench/atspi/run.sh [SESSIONS]
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
echo kt_none > "$work/token"
cat > "$work/kiosk.toml" <<TOML
kiosk_id = "soak-kiosk"
site = "bench"
state_dir = "$work/state"
journeys_dir = "$root/config/journeys"
places_file = "$root/config/demo/places.toml"
[hub]
url = "http://127.0.0.1:9"
device_token_file = "$work/token"
[outbox]
key = "q3Jm7vT1cXk9Wb2Yp5Nd8Rf0Hs4Lg6Az-Ue1Io3Ky7M="
TOML
gdbus call --session --dest org.a11y.Bus --object-path /org/a11y/bus --method org.a11y.Bus.GetAddress >/dev/null
export QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 QT_QPA_PLATFORM=xcb
cd "$root"
"$root/.venv/bin/python" -m kiosk run --config "$work/kiosk.toml" > "$work/kiosk.log" 2>&1 &
kiosk=$!
status=0
/usr/bin/python3 "$here/soak.py" "${1:-200}" || status=$?
if kill -0 "$kiosk" 2>/dev/null; then echo "kiosk process alive"; else echo "kiosk process GONE"; status=1; fi
echo "AT-SPI warnings in the kiosk's log: $(grep -c 'qt.accessibility' "$work/kiosk.log" || true)"
kill "$kiosk" 2>/dev/null || true
wait "$kiosk" 2>/dev/null || true
exit "$status"
