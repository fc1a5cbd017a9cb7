"""Upload checks: the type is read from the file's content, not trusted from its name."""

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


def check_upload(upload: UploadedFile) -> str:
    """Return the MIME type to store for an acceptable upload, or raise ValidationError."""
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
