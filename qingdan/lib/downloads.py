"""Serving files that people uploaded: one helper for every view that does.

A stored upload is sent as a download (``Content-Disposition: attachment``), never rendered by
the browser, with ``X-Content-Type-Options: nosniff`` and a sandboxing Content-Security-Policy.
Only an image that Pillow decodes as the type it was stored as — and that carries no markup
that a browser could run (a JPEG/HTML polyglot) — may be shown inline.
"""

import base64
import hashlib
import io
import re

from django.http import FileResponse

INLINE_IMAGES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_INLINE_PIXELS = 60_000_000
# Markup a browser would act on if it ever took the bytes for a page.
_MARKUP = re.compile(
    rb"<\s*(script|html|body|head|svg|iframe|object|embed|meta|!doctype|\?xml)|javascript:",
    re.IGNORECASE,
)
FILE_CSP = "default-src 'none'; img-src 'self'; sandbox"


def is_plain_image(data: bytes, content_type: str) -> bool:
    """True when the bytes decode as the image type they claim and hold no markup."""
    expected = INLINE_IMAGES.get(content_type)
    if expected is None or _MARKUP.search(data):
        return False
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected:
                return False
            width, height = image.size
            if width * height > MAX_INLINE_PIXELS:
                return False
            if expected == "JPEG":
                image.draft("RGB", (max(width // 8, 1), max(height // 8, 1)))  # fast decode
            image.load()
    except Exception:  # Pillow raises many kinds for bytes that are not a whole image
        return False
    return True


def serve_upload(field_file, *, name: str, content_type: str) -> FileResponse:
    """The response for one stored upload (``field_file`` is a ``FieldFile``)."""
    inline = False
    if content_type in INLINE_IMAGES:  # an image is read whole to be checked (≤ the upload cap)
        with field_file.open("rb") as handle:
            data = handle.read()
        inline = is_plain_image(data, content_type)
        body = io.BytesIO(data)
    else:
        body = field_file.open("rb")  # streamed; FileResponse closes it
    response = FileResponse(
        body,
        as_attachment=not inline,
        filename=name,
        content_type=content_type if inline else _download_type(content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _download_type(content_type: str) -> str:
    # The stored type was read from the content; a download keeps it (the saved file opens in
    # the right program), except types a browser might still render.
    if not content_type or "html" in content_type or "xml" in content_type:
        return "application/octet-stream"
    return content_type


_STYLE_BLOCK = re.compile(rb"<style>(.*?)</style>", re.DOTALL)


def document_csp(html: bytes) -> str:
    """The policy for a standalone HTML document the app generated (a published bulletin's
    HTML file): no script at all, images only inline (data:), and its own ``<style>`` blocks
    allowed by their SHA-256 — a frozen file keeps its styling without 'unsafe-inline'."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(block).digest()).decode() + "'"
        for block in _STYLE_BLOCK.findall(html)
    )
    style = hashes or "'none'"
    return (
        f"default-src 'none'; style-src {style}; img-src data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
