"""Fail when a catalogue is stale or incomplete.

English is the source language (the msgids). zh_Hans must translate every string the code and
templates use, none fuzzy; en is generated from the msgids by `msgen`. Each committed .mo must be
compiled from its committed .po. Run by `make lint` and by the test suite. Needs GNU gettext.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("zh_Hans", "en")
MAKEMESSAGES = [
    sys.executable,
    "manage.py",
    "makemessages",
    "--no-obsolete",
    "--no-location",
    "--extension",
    "html,txt,py,md",
    "--ignore",
    ".venv/*",
    "--ignore",
    "node_modules/*",
    "--ignore",
    "var/*",
    "--ignore",
    "bench/data/*",
]


def untranslated(po: Path) -> list[str]:
    """msgids that are fuzzy or lack a translation, read with msgattrib (part of gettext)."""
    found = []
    for option, label in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        out = subprocess.run(
            ["msgattrib", option, "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for line in out.splitlines():
            if line.startswith("msgid ") and line != 'msgid ""':
                found.append(f"{label}: {line[6:]}")
    return found


def po_of(locale: str) -> Path:
    return ROOT / "locale" / locale / "LC_MESSAGES" / "django.po"


def problems() -> list[str]:
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        backups = {}
        for locale in LOCALES:
            backups[locale] = Path(tmp) / f"{locale}.po"
            shutil.copy2(po_of(locale), backups[locale])
        try:
            po_of("en").unlink()  # made anew from the msgids, like `make messages` does
            subprocess.run(
                [*MAKEMESSAGES, *(f"--locale={locale}" for locale in LOCALES)],
                cwd=ROOT,
                capture_output=True,
                check=True,
            )
            english = po_of("en")
            subprocess.run(["msgen", "-o", str(english), str(english)], check=True)
            for locale in LOCALES:
                found += [f"{locale} {item}" for item in untranslated(po_of(locale))]
        finally:
            for locale in LOCALES:
                shutil.copy2(backups[locale], po_of(locale))
        for locale in LOCALES:
            po = po_of(locale)
            compiled = Path(tmp) / f"{locale}.mo"
            subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(po)], check=True)
            mo = po.with_suffix(".mo")
            if not mo.exists() or compiled.read_bytes() != mo.read_bytes():
                found.append(
                    f"{mo.relative_to(ROOT)} is not compiled from its .po: `make messages`"
                )
    return found


if __name__ == "__main__":
    issues = problems()
    for issue in issues:
        print(issue)
    if issues:
        print("Run `make messages`, translate what is new in locale/zh_Hans, run it again.")
    sys.exit(1 if issues else 0)
