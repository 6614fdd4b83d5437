#!/usr/bin/env bash
# Rebuild govuk-frontend.min.css and copy govuk-frontend.min.js from the npm package (run when
# moving to another govuk-frontend version; keep it matched to govuk-frontend-jinja, see
# https://pypi.org/project/govuk-frontend-jinja). Needs node and npm; the hub itself does not.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version="6.3.0"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm install --no-audit --no-fund --silent "govuk-frontend@$version" sass@1.89.2
cat > hub.scss <<'SCSS'
// Not a GOV.UK service: Arial, not GDS Transport; assets from the hub's own /static.
@use "pkg:govuk-frontend" with (
  $govuk-font-family: (arial, sans-serif),
  $govuk-assets-path: "/static/govuk/assets/"
);
SCSS
npx sass --pkg-importer=node --style=compressed --no-source-map --quiet-deps hub.scss "$here/govuk-frontend.min.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$here/"
echo "govuk-frontend $version built into $here"
