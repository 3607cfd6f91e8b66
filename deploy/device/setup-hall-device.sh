#!/usr/bin/env bash
# Turn a Debian/Ubuntu mini-PC into a hall kiosk or wall board.
#
#   sudo ./setup-hall-device.sh 'https://gongshi.example.cn/devices/register/…'
#
# The argument is the one-time registration link an admin creates at /admin/devices;
# it decides whether the device is a kiosk or a board. The script installs a minimal
# X session with Chromium in kiosk mode, opens the link at start, restarts Chromium if it
# crashes and keeps the screen from blanking. Run it again with a new link to re-register.
set -euo pipefail

link=${1:?usage: $0 REGISTRATION-LINK}
case "$link" in
  https://*|http://*) ;;
  *) echo "The registration link must start with https:// (or http:// on a hall network)." >&2; exit 2 ;;
esac
[ "$(id -u)" = 0 ] || { echo "Run as root (sudo)." >&2; exit 1; }

user=gongshi-screen
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
  xserver-xorg xinit x11-xserver-utils unclutter chromium fonts-noto-cjk

id "$user" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$user"
home=$(getent passwd "$user" | cut -d: -f6)

# The link is opened once; afterwards the device's own cookie brings it back to its screen.
install -o "$user" -m 600 /dev/null "$home/registration-link"
printf '%s\n' "$link" >"$home/registration-link"

cat >"$home/.xinitrc" <<'XINIT'
#!/bin/sh
# No screen saver, no power saving, no blanking: the screen is the service.
xset s off
xset s noblank
xset -dpms
unclutter -idle 3 &
link=$(cat "$HOME/registration-link")
origin=$(printf '%s' "$link" | sed -E 's#^(https?://[^/]+).*#\1#')
first=1
# Chromium restarts after a crash; after the first start it reopens the site's start page,
# where the registered device's cookie leads it to its kiosk or board.
while true; do
  if [ "$first" = 1 ]; then url=$link; first=0; else url="$origin/device/start"; fi
  chromium --kiosk --noerrdialogs --disable-infobars --no-first-run \
    --disable-session-crashed-bubble --disable-features=Translate \
    --overscroll-history-navigation=0 --check-for-update-interval=31536000 \
    "$url"
  sleep 2
done
XINIT
chown "$user:" "$home/.xinitrc"
chmod 755 "$home/.xinitrc"

# Log the screen user in on tty1 and start X there.
mkdir -p /etc/systemd/system/getty@tty1.service.d
cat >/etc/systemd/system/getty@tty1.service.d/autologin.conf <<UNIT
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin $user --noclear %I \$TERM
UNIT
cat >"$home/.bash_profile" <<'PROFILE'
if [ -z "$DISPLAY" ] && [ "$(tty)" = /dev/tty1 ]; then
  exec startx -- -nocursor -s 0 -dpms
fi
PROFILE
chown "$user:" "$home/.bash_profile"

# Do not sleep or suspend.
systemctl mask sleep.target suspend.target hibernate.target hybrid-sleep.target >/dev/null

systemctl daemon-reload
echo "Done. Reboot the device; it opens the registration link and stays on its screen."
