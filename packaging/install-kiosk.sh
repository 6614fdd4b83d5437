#!/usr/bin/env bash
# Install a kiosk on Debian 12, from this checkout. Run as root.
#   packaging/install-kiosk.sh --kiosk-id CSC-01 --site stockton-csc --hub-url https://hub... \
#       --token-file /path/to/device-token [--pin 1234]
# Makes user "kiosk", copies the app to /opt/council-kiosk with its own venv (from Debian's
# python3, so the kiosk user can run it), writes /etc/council-kiosk/kiosk.toml if missing,
# and enables council-kiosk.service (cage on tty1) as the graphical target.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "Run as root." >&2; exit 1; }
src="$(cd "$(dirname "$0")/.." && pwd)"
prefix=/opt/council-kiosk
kiosk_id="" site="" hub_url="" token_file="" pin=""
while [ $# -gt 0 ]; do
  case "$1" in
    --kiosk-id) kiosk_id="$2"; shift 2 ;;
    --site) site="$2"; shift 2 ;;
    --hub-url) hub_url="$2"; shift 2 ;;
    --token-file) token_file="$2"; shift 2 ;;
    --pin) pin="$2"; shift 2 ;;
    *) echo "Unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$kiosk_id" ] && [ -n "$site" ] && [ -n "$hub_url" ] && [ -n "$token_file" ] \
  || { echo "Need --kiosk-id, --site, --hub-url and --token-file (from: hub create-token)." >&2; exit 2; }

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3 python3-venv cage rsync \
  libegl1 libgl1 libfontconfig1 libxkbcommon0 libwayland-client0 libwayland-cursor0 libwayland-egl1 \
  libdbus-1-3 libglib2.0-0 libpulse0 libspeechd2 speech-dispatcher fonts-noto-core ca-certificates

id kiosk >/dev/null 2>&1 || useradd --system --create-home --home-dir /var/lib/council-kiosk-home \
  --shell /usr/sbin/nologin --groups video,input,render kiosk

mkdir -p "$prefix"
rsync -a --delete --exclude .git --exclude .venv --exclude .demo "$src/" "$prefix/"
/usr/bin/python3 -m venv "$prefix/.venv"
"$prefix/.venv/bin/pip" install -q --disable-pip-version-check -r "$prefix/requirements.txt"
chmod -R go-w "$prefix"

install -d -m 0750 -o root -g kiosk /etc/council-kiosk
install -m 0640 -o root -g kiosk "$token_file" /etc/council-kiosk/device-token
if [ ! -f /etc/council-kiosk/kiosk.toml ]; then
  [ -n "$pin" ] || { echo "First install: give --pin for the maintenance PIN (4-8 digits)." >&2; exit 2; }
  key="$("$prefix/.venv/bin/python" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
  pin_hash="$(echo "$pin" | PYTHONPATH="$prefix" "$prefix/.venv/bin/python" -m kiosk hash-pin)"
  sed -e "s|^kiosk_id = .*|kiosk_id = \"$kiosk_id\"|" -e "s|^site = .*|site = \"$site\"|" \
      -e "s|^url = .*|url = \"$hub_url\"|" -e "s|OUTBOX-KEY|$key|" -e "s|PIN-HASH|${pin_hash//|/\\|}|" \
      "$prefix/packaging/examples/kiosk.toml" > /etc/council-kiosk/kiosk.toml
  install -m 0640 -o root -g kiosk "$prefix/config/demo/places.toml" /etc/council-kiosk/places.toml
  chown root:kiosk /etc/council-kiosk/kiosk.toml && chmod 0640 /etc/council-kiosk/kiosk.toml
fi
(cd "$prefix" && PYTHONPATH="$prefix" "$prefix/.venv/bin/python" -m kiosk check-config /etc/council-kiosk/kiosk.toml)

install -m 0644 "$prefix/packaging/pam/cage" /etc/pam.d/cage
install -m 0644 "$prefix/packaging/systemd/council-kiosk.service" /etc/systemd/system/council-kiosk.service
systemctl daemon-reload
systemctl enable council-kiosk.service
systemctl set-default graphical.target
echo "Installed. Start now with: systemctl start council-kiosk (or reboot)."
