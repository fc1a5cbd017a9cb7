"""Fail when the Chinese catalogue is stale or incomplete.

English is the source language (the msgids); zh_Hans must translate every string the code and
templates use, none fuzzy, and the committed .mo must be compiled from the committed .po.
Run by `make lint` and by the test suite. Needs GNU gettext (Debian's `gettext`).
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
MAKEMESSAGES = [
    sys.executable, "manage.py", "makemessages", "--locale", "zh_Hans", "--no-obsolete",
    "--no-location", "--ignore", ".venv/*", "--ignore", "node_modules/*", "--ignore", "var/*",
    "--ignore", "bench/data/*",
]  # fmt: skip


def untranslated(po: Path) -> list[str]:
    """msgids that are fuzzy or lack a translation, read with msgattrib (part of gettext)."""
    found = []
    for option, label in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        out = subprocess.run(
            ["msgattrib", option, "--no-obsolete", str(po)],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        for line in out.splitlines():
            if line.startswith("msgid ") and line != 'msgid ""':
                found.append(f"{label}: {line[6:]}")
    return found


def problems() -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        backup = Path(tmp) / "django.po"
        shutil.copy2(PO, backup)
        try:
            subprocess.run(MAKEMESSAGES, cwd=ROOT, capture_output=True, check=True)
            found = untranslated(PO)
        finally:
            shutil.copy2(backup, PO)
        compiled = Path(tmp) / "django.mo"
        subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(PO)], check=True)
        if not MO.exists() or compiled.read_bytes() != MO.read_bytes():
            found.append(
                f"{MO.relative_to(ROOT)} is not compiled from the .po: run `make messages`"
            )
    return found


if __name__ == "__main__":
    issues = problems()
    for issue in issues:
        print(issue)
    if issues:
        print("Translate these in locale/zh_Hans/LC_MESSAGES/django.po, then `make messages`.")
    sys.exit(1 if issues else 0)
