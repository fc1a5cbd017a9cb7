"""Published bulletins through the API (mounted at /api/v1/ by ``qingdan/api/v1.py``)."""

from datetime import date, datetime

from ninja import Query, Router, Schema

from qingdan.bulletins.models import Bulletin
from qingdan.core.apitools import ERRORS

router = Router(tags=["bulletins"])


class BulletinOut(Schema):
    week_start: date
    version: int
    issue_number: int | None
    published_at: datetime | None
    content_hash: str
    public_url: str
    content: dict


@router.get("/bulletins", response={200: list[BulletinOut], **ERRORS}, auth=None)
def bulletins(request, limit: int = Query(20, ge=1, le=104)):
    """Published bulletins (enterprise names as the public sees them), newest first."""
    published = Bulletin.objects.filter(state=Bulletin.State.PUBLISHED).order_by(
        "-week_start", "-version"
    )[:limit]
    return [
        {
            "week_start": b.week_start,
            "version": b.version,
            "issue_number": b.issue_number,
            "published_at": b.published_at,
            "content_hash": b.content_hash,
            "public_url": request.build_absolute_uri(b.get_public_url()),
            "content": _public_content(b.content),
        }
        for b in published
    ]


def _public_content(content: dict) -> dict:
    """The published figures with enterprise names as the public sees them."""

    def redact(item):
        return {k: v for k, v in item.items() if k != "enterprise"}

    return content | {
        "items": [redact(i) for i in content.get("items", [])],
        "unsatisfied": [redact(i) for i in content.get("unsatisfied", [])],
        "red": {
            **content.get("red", {}),
            "items": [redact(i) for i in content.get("red", {}).get("items", [])],
        },
        "yellow": {
            **content.get("yellow", {}),
            "items": [redact(i) for i in content.get("yellow", {}).get("items", [])],
        },
    }
