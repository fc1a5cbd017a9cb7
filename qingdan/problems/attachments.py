"""Upload checks: the type is read from the file's content, not trusted from its name, and the
name is made safe to store."""

import os
import unicodedata

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Detected type → (MIME type to serve, extensions the name may carry)
ALLOWED = {
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "png": ("image/png", {"png"}),
    "webp": ("image/webp", {"webp"}),
    "heic": ("image/heic", {"heic", "heif"}),
    "pdf": ("application/pdf", {"pdf"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {"docx"},
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        {"pptx"},
    ),
    "doc": ("application/msword", {"doc", "xls", "ppt"}),  # OLE2: all old Office files
}
ALLOWED_DESCRIPTION = _("photos (JPEG, PNG, WebP, HEIC), PDF, or Office files")
# Bytes (UTF-8) of a stored file name: file systems allow 255 per name; the storage may add
# "_" and 7 characters to make a name unique, and the rest stays readable.
STORED_NAME_BYTES = 150


def storage_name(name: str) -> str:
    """A file name safe to store: no folders, no control characters, at most
    ``STORED_NAME_BYTES`` bytes in UTF-8, shortened inside the stem (cut between characters,
    never inside one) so the extension survives. ``张…（很长）.pdf`` → ``张….pdf``."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = os.path.basename(name.replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '/<>:"|?*').strip(". ")
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension.encode()) > 16:
        stem, extension = name, ""
    suffix = f".{extension}" if extension else ""
    room = STORED_NAME_BYTES - len(suffix.encode())
    encoded = stem.encode()
    if len(encoded) > room:
        stem = encoded[:room].decode("utf-8", errors="ignore").rstrip(". ")
    return (stem or "file") + suffix


def check_upload(upload: UploadedFile) -> str:
    """Return the MIME type to store for an acceptable upload, or raise ValidationError.
    The upload's name becomes a name safe to store (``storage_name``)."""
    limit = settings.QINGDAN["ATTACHMENT_MAX_BYTES"]
    if upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; the largest file accepted is %(limit)s."),
            params={
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
            code="too_large",
        )
    upload.name = storage_name(upload.name)
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    detected = kind.extension if kind else ""
    if detected in ("xls", "ppt"):
        detected = "doc"
    if detected not in ALLOWED or extension not in ALLOWED[detected][1]:
        raise ValidationError(
            _("“%(name)s” is not an accepted file. Accepted: %(allowed)s."),
            params={"name": upload.name, "allowed": ALLOWED_DESCRIPTION},
            code="file_type",
        )
    return ALLOWED[detected][0]
