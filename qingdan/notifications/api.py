"""A person's notices and what they follow, through the API (mounted by ``qingdan/api/v1.py``)."""

from datetime import datetime

from ninja import Field, Router, Schema

from qingdan.core.apitools import ERRORS
from qingdan.core.ratelimit import limit_writes
from qingdan.lib import bounds
from qingdan.notifications import actions
from qingdan.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    time: datetime
    label: str
    about: str
    url: str
    read: bool


@router.get("/notifications", response={200: list[NotificationOut], **ERRORS})
def notifications(request):
    """My latest 100 notices, newest first (only ever about what I may see)."""
    items = (
        Notification.objects.filter(recipient=request.user)
        .select_related("problem", "challenge", "event", "reminder")
        .order_by("-created", "-id")[:100]
    )
    return [
        {
            "time": n.created,
            "label": n.label,
            "about": str(n.subject or ""),
            "url": n.subject.get_absolute_url() if n.subject else "",
            "read": n.read_at is not None,
        }
        for n in items
    ]


class ReadOut(Schema):
    marked: int


@router.post("/notifications/read", response={200: ReadOut, **ERRORS})
def mark_notifications_read(request):
    """Mark all my notices as read."""
    return {"marked": actions.mark_all_read(request.user)}


class FollowIn(Schema):
    problem: str = Field("", max_length=bounds.CODE, description="A problem's number")
    challenge: str = Field("", max_length=bounds.CODE, description="A challenge's number")
    unit: int | None = Field(None, ge=1, le=bounds.MAX_ID, description="Park staff: a unit")
    category: int | None = Field(None, ge=1, le=bounds.MAX_ID, description="Park staff")
    stop: bool = False


class FollowOut(Schema):
    following: bool
    changed: bool


@router.post("/following", response={200: FollowOut, **ERRORS})
def follow(request, payload: FollowIn):
    """Follow (or, with `stop`, stop following) one problem, challenge, unit or category — as on
    the site: only what I may see, and I hear only of what I may see."""
    limit_writes(request)
    target = actions.target_for(
        request.user,
        problem=payload.problem,
        challenge=payload.challenge,
        unit=payload.unit or "",
        category=payload.category or "",
    )
    changed = actions.follow(request.user, target, stop=payload.stop)
    return {"following": not payload.stop, "changed": changed}


class AlertsIn(Schema):
    new_problem: bool | None = None
    return_: bool | None = Field(None, alias="return")
    extension: bool | None = None


@router.post("/notifications/alerts", response={200: dict[str, bool], **ERRORS})
def set_alerts(request, payload: AlertsIn):
    """The secretariat: be told (or not) of new problems, returns and extension requests."""
    limit_writes(request)
    wanted = {
        "new_problem": payload.new_problem,
        "return": payload.return_,
        "extension": payload.extension,
    }
    return actions.set_alerts(request.user, {k: v for k, v in wanted.items() if v is not None})
