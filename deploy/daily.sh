#!/usr/bin/env bash
# The daily tasks, in order; each is safe to run again. Run by gongshi-daily.service.
set -euo pipefail
cd "$(dirname "$0")/.."
flask() { .venv/bin/flask --app kiosk "$@"; }

flask revisions settle
# Every `purge` command deletes personal data past its retention time.
for group in $(flask --help | awk '/^  [a-z-]+ /{print $1}'); do
  if flask "$group" --help 2>/dev/null | grep -q '^  purge '; then
    flask "$group" purge
  fi
done
flask notices prune
backups=${GONGSHI_BACKUP_DIR:-/var/backups/gongshi}
mkdir -p "$backups"
flask backup create --out "$backups/gongshi-$(date +%F).tar.gz"
# Keep four weeks of backups.
find "$backups" -name 'gongshi-*.tar.gz' -mtime +28 -delete
