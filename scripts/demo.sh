#!/bin/sh
# The README's main job: build the binary, then a whole demo on the embedded SQLite, in ./demo.
set -eu
cd "$(dirname "$0")/.."
npm run --silent build >/dev/null
rm -rf demo
export CONFCTL_DATA_DIR=demo
confctl=./dist/confctl
$confctl migrate
DJANGO_SUPERUSER_EMAIL=admin@example.org DJANGO_SUPERUSER_PASSWORD=demo-password-2026 \
PRETALX_INIT_ORGANISER_NAME='Demo Organiser' PRETALX_INIT_ORGANISER_SLUG=demoorg \
  $confctl init --noinput -v 0
$confctl create_test_event --seed 1
site=$($confctl export_schedule_html democon --site-url http://localhost:8000)
zip=$($confctl export_schedule_html democon --zip --site-url http://localhost:8000)
echo
echo "The demo site:  $site/index.html"
echo "The same, zipped: $zip"
echo "Its feeds:      $site/schedule.json, schedule.xml, schedule.ics"
echo "The data is in ./demo; the administrator is admin@example.org (password demo-password-2026)."
