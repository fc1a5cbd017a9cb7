"""The Chinese fonts that documents need, found the way WeasyPrint finds them (fontconfig).

A PDF rendered without a CJK font shows every Chinese character as an empty box, and a published
bulletin's files never change afterwards: so nothing renders a document before ``require_cjk()``
has found a font. Only a found font is remembered; a missing one is looked for again next time
(after ``apt-get install fonts-noto-cjk`` the running server picks it up).
"""

import shutil
import subprocess
from pathlib import Path

from django.utils.translation import gettext as _

from qingdan.lib.errors import Unavailable

INSTALL_HINT = "apt-get install fonts-noto-cjk (or run `make run`, which installs it)"

_found: list[Path] = []


class FontsMissing(Unavailable):
    """No Chinese font on this machine: documents would be unreadable."""


def cjk_fonts() -> list[Path]:
    """Font files that cover Simplified Chinese, best for documents first (Noto Sans CJK)."""
    if _found:
        return _found
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    result = subprocess.run(
        [fc_list, ":lang=zh-cn", "file"], capture_output=True, text=True, timeout=30, check=False
    )
    files = {Path(line.split(":", 1)[0].strip()) for line in result.stdout.splitlines() if line}
    ranked = sorted(
        (path for path in files if path.exists()),
        key=lambda path: ("SansCJK-Regular" not in path.name, "CJK" not in path.name, str(path)),
    )
    _found.extend(ranked)
    return _found


def require_cjk() -> Path:
    """The font file to draw Chinese with, or FontsMissing with what to install."""
    fonts = cjk_fonts()
    if not fonts:
        raise FontsMissing(
            _(
                "No Chinese (CJK) font is installed on the server, so documents would show empty "
                "boxes instead of Chinese text: nothing was generated. An administrator must "
                "install one: %(hint)s."
            )
            % {"hint": INSTALL_HINT}
        )
    return fonts[0]
