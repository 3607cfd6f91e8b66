#!/usr/bin/env bash
# The daily tasks, in order; each is safe to run again. Run by gongshi-daily.service.
set -euo pipefail
cd "$(dirname "$0")/.."
flask() { .venv/bin/flask --app kiosk "$@"; }

flask revisions settle
# Personal data past its retention time: phones left with bad reviews, applicants'
# contacts, and the names and contacts on hearing comments and sign-ups.
flask ratings purge
flask requests purge
flask hearings purge-contacts
flask notices prune
flask uploads prune
backups=${GONGSHI_BACKUP_DIR:-/var/backups/gongshi}
mkdir -p "$backups"
flask backup create --out "$backups/gongshi-$(date +%F).tar.gz"
# Keep four weeks of backups.
find "$backups" -name 'gongshi-*.tar.gz' -mtime +28 -delete
