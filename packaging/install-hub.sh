#!/usr/bin/env bash
# Install the hub on Debian 12, from this checkout. Run as root.
#   packaging/install-hub.sh [--public-url https://hub.example.gov.uk] [--gazetteer addresses.csv]
# Makes user "council-hub", copies the app to /opt/council-kiosk with its own venv, writes
# /etc/council-hub/hub.toml if missing (with a new data key), and enables council-hub.service.
# Put a TLS reverse proxy (nginx, Caddy) in front of port 8700 for phones and kiosks.
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "Run as root." >&2; exit 1; }
src="$(cd "$(dirname "$0")/.." && pwd)"
prefix=/opt/council-kiosk
public_url="" gazetteer=""
while [ $# -gt 0 ]; do
  case "$1" in
    --public-url) public_url="$2"; shift 2 ;;
    --gazetteer) gazetteer="$2"; shift 2 ;;
    *) echo "Unknown option $1" >&2; exit 2 ;;
  esac
done
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends python3 python3-venv rsync
id council-hub >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin council-hub
mkdir -p "$prefix"
rsync -a --delete --exclude .git --exclude .venv --exclude .demo "$src/" "$prefix/"
/usr/bin/python3 -m venv "$prefix/.venv"
# The hub alone: no Qt (requirements.txt adds the kiosk's packages on top of these).
"$prefix/.venv/bin/pip" install -q --disable-pip-version-check -r "$prefix/requirements-hub.txt"
chmod -R go-w "$prefix"
install -d -m 0750 -o root -g council-hub /etc/council-hub
install -d -m 0700 -o council-hub -g council-hub /var/lib/council-hub
if [ ! -f /etc/council-hub/hub.toml ]; then
  key="$(PYTHONPATH="$prefix" "$prefix/.venv/bin/python" -m hub new-key)"
  sed -e "s|DATA-KEY|$key|" ${public_url:+-e "s|^public_url = .*|public_url = \"$public_url\"|"} \
    "$prefix/packaging/examples/hub.toml" > /etc/council-hub/hub.toml
  chown root:council-hub /etc/council-hub/hub.toml && chmod 0640 /etc/council-hub/hub.toml
fi
hub() { (cd "$prefix" && runuser -u council-hub -- env PYTHONPATH="$prefix" "$prefix/.venv/bin/python" -m hub \
  --config /etc/council-hub/hub.toml "$@"); }
# A new database gets the schema; one from an earlier version is brought up to date (back it up
# first: docs/operations.md). A hub refuses to start on an out-of-date schema.
hub db upgrade
[ -n "$gazetteer" ] && hub load-gazetteer "$gazetteer"
install -m 0644 "$prefix/packaging/systemd/council-hub.service" /etc/systemd/system/council-hub.service
systemctl daemon-reload
systemctl enable --now council-hub.service
cat <<TXT
Installed. Next:
  make a kiosk token:   cd $prefix && runuser -u council-hub -- env PYTHONPATH=$prefix .venv/bin/python -m hub --config /etc/council-hub/hub.toml create-token KIOSK-ID --site SITE --token-file /tmp/KIOSK-ID.token
  make a staff account: ... -m hub --config /etc/council-hub/hub.toml create-staff USER --name "Name" --role admin
TXT
