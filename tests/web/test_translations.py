"""Every interface string is translated in both Chinese catalogues, placeholders intact."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages the code and templates use now (not the committed .pot)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "-k",
            "L_",
            "--no-location",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as fh:
        return [m for m in read_po(fh) if m.id]


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_every_message_is_translated(extracted, locale):
    with (ROOT / "kiosk/translations" / locale / "LC_MESSAGES/messages.po").open("rb") as fh:
        catalogue = read_po(fh)
    missing, broken = [], []
    for message in extracted:
        found = catalogue.get(message.id)
        strings = found.string if found else None
        if isinstance(strings, tuple):
            strings = strings[0]
        if not strings or found.fuzzy:
            missing.append(message.id)
            continue
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        if set(PLACEHOLDER.findall(singular)) != set(PLACEHOLDER.findall(strings)):
            broken.append(singular)
    assert not missing, f"untranslated in {locale}: {missing}"
    assert not broken, f"placeholders differ in {locale}: {broken}"
