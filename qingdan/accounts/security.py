"""The security log and the sign-in defences around django-axes.

- ``record()`` writes one ``SecurityEvent`` (append-only). Sign-ins, failures, sign-outs,
  lockouts, every admin change (``LogEntry``), password changes and resets are recorded by the
  receivers below; API token issue and revoke call ``record()`` where they happen.
- ``client_address()`` is the one answer to "which address is this request from", used by the
  log, django-axes (``AXES_CLIENT_IP_CALLABLE``) and the address throttle.
- ``AddressThrottleBackend`` refuses sign-ins from an address that failed too often across
  user names (password spraying), while django-axes locks a user name *from one address*
  (``AXES_LOCKOUT_PARAMETERS``): a stranger can no longer lock someone out from elsewhere.
- ``prune()`` is the only way rows leave the log: those older than the retention period.
"""

import ipaddress
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver

from qingdan.accounts.models import SecurityEvent, SecurityEventKind, User
from qingdan.lib import clock

Kind = SecurityEventKind

# The request being served, so that records made deep inside (an admin LogEntry, a password
# saved by a form) still know the address. Set by ``SecurityContextMiddleware``.
current_request: ContextVar = ContextVar("qingdan_security_request", default=None)


def _clean(text, limit: int) -> str:
    """Stored text: no NUL (PostgreSQL refuses it), no control characters, bounded."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text or ""))
    return text[:limit]


def _valid_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except (ValueError, AttributeError):
        return None


def client_address(request) -> str | None:
    """The client's address. Behind a proxy (``BEHIND_PROXY=1``) the proxy appends the address
    it saw to ``X-Forwarded-For``: the ``PROXY_COUNT``-th entry from the right is the client's;
    anything left of it was written by the client and is not trusted."""
    remote = _valid_address(request.META.get("REMOTE_ADDR", ""))
    hops = settings.QINGDAN["PROXY_COUNT"]
    if hops:
        forwarded = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p]
        if len(forwarded) >= hops:
            return _valid_address(forwarded[-hops]) or remote
    return remote


def record(
    kind: str,
    *,
    request=None,
    actor=None,
    username: str = "",
    subject: str = "",
    detail: dict | None = None,
) -> SecurityEvent:
    request = request if request is not None else current_request.get()
    if actor is not None and not getattr(actor, "pk", None):
        actor = None  # AnonymousUser
    if not username and actor is not None:
        username = actor.get_username()
    return SecurityEvent.objects.create(
        created=clock.now(),
        kind=kind,
        actor=actor,
        username=_clean(username, 150),
        address=client_address(request) if request is not None else None,
        user_agent=_clean(request.META.get("HTTP_USER_AGENT", ""), 300) if request else "",
        subject=_clean(subject, 300),
        detail=detail or {},
    )


# --- Sign-in, sign-out, lockout -----------------------------------------------------------------


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(Kind.LOGIN, request=request, actor=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.LOGOUT, request=request, actor=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get(User.USERNAME_FIELD) or credentials.get("username") or ""
    known = User.objects.filter(username=_clean(username, 150)).first()
    record(Kind.LOGIN_FAILED, request=request, actor=known, username=username)
    address = client_address(request) if request is not None else None
    if address and failures_from(address) == settings.QINGDAN["LOGIN_ADDRESS_FAILURE_LIMIT"]:
        record(
            Kind.LOCKED_OUT,
            request=request,
            username=username,
            detail={"scope": "address", "minutes": _window_minutes()},
        )


def _window_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def failures_from(address: str) -> int:
    """Failed sign-ins from this address, whatever the user name, within the window."""
    since = clock.now() - settings.AXES_COOLOFF_TIME
    return SecurityEvent.objects.filter(
        kind=Kind.LOGIN_FAILED, address=address, created__gte=since
    ).count()


def _axes_locked_out(sender, request, username, ip_address, **kwargs):
    record(
        Kind.LOCKED_OUT,
        request=request,
        username=username or "",
        detail={"scope": "username and address", "minutes": _window_minutes()},
    )


try:  # django-axes is installed in every configuration; keep the import local to this hook
    from axes.signals import user_locked_out

    user_locked_out.connect(_axes_locked_out, dispatch_uid="qingdan_security_axes_lockout")
except ImportError:  # pragma: no cover
    pass


class AddressThrottleBackend:
    """First authentication backend: an address with ``LOGIN_ADDRESS_FAILURE_LIMIT`` failed
    sign-ins in the cool-off window (any user names) may not try again until the window has
    passed. The limit is well above one person's typing errors, so a bureau behind one NAT
    address is not locked out by a colleague, but spraying passwords over many user names
    stops after a handful of tries per name."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        address = client_address(request)
        if address and failures_from(address) >= settings.QINGDAN["LOGIN_ADDRESS_FAILURE_LIMIT"]:
            request.axes_locked_out = True  # django-axes' middleware answers 429 with our page
            request.qingdan_lockout = "address"
            raise PermissionDenied("too many failed sign-ins from this address")
        return None


# --- Passwords --------------------------------------------------------------------------------


@receiver(post_save, sender=User)
def _password_saved(sender, instance, created, update_fields=None, **kwargs):
    """``set_password()`` followed by ``save()``: by the person, by an administrator (admin
    password form), or from the command line (``changepassword``, ``createsuperuser``)."""
    if getattr(instance, "_password", None) is None:
        return
    request = current_request.get()
    actor = getattr(request, "user", None) if request is not None else None
    if actor is not None and actor.is_authenticated and actor.pk == instance.pk:
        record(Kind.PASSWORD_CHANGED, request=request, actor=instance)
        return
    record(
        Kind.PASSWORD_RESET,
        request=request,
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject=f"{instance.get_username()} ({instance})",
        detail={"target_id": instance.pk, "new_account": created}
        | ({} if request is not None else {"source": "command line"}),
    )


# --- Admin changes ----------------------------------------------------------------------------


def _record_log_entry(entry) -> None:
    record(
        Kind.ADMIN_CHANGE,
        actor=entry.user,
        subject=f"{entry.content_type.app_label}.{entry.content_type.model} "
        f"#{entry.object_id}: {entry.object_repr}",
        detail={
            "action": {1: "added", 2: "changed", 3: "deleted"}.get(entry.action_flag, "?"),
            "change": entry.change_message,
        },
    )


def connect_admin_log() -> None:
    from django.contrib.admin.models import LogEntry

    def saved(sender, instance, created, **kwargs):
        if created:
            _record_log_entry(instance)

    post_save.connect(saved, sender=LogEntry, weak=False, dispatch_uid="qingdan_security_log")


def logged_delete_selected(modeladmin, request, queryset):
    """The admin's "delete selected" action, recorded: Django logs a bulk deletion with
    ``bulk_create`` (no ``post_save``), so each deleted row is recorded here."""
    confirmed = bool(request.POST.get("post"))
    rows = [(obj.pk, str(obj)) for obj in queryset] if confirmed else []
    response = django_delete_selected(modeladmin, request, queryset)
    if confirmed and response is None and len(rows) > 1:
        meta = queryset.model._meta
        for pk, text in rows:
            record(
                Kind.ADMIN_CHANGE,
                request=request,
                actor=request.user,
                subject=f"{meta.app_label}.{meta.model_name} #{pk}: {text}",
                detail={"action": "deleted", "change": ""},
            )
    return response


logged_delete_selected.allowed_permissions = ("delete",)
logged_delete_selected.short_description = django_delete_selected.short_description


# --- Retention --------------------------------------------------------------------------------


def retention_days() -> int:
    return settings.QINGDAN["SECURITY_LOG_DAYS"]


def prune(now=None) -> int:
    """Delete log rows older than the retention period (never fewer than 180 days); the only
    deletion the log allows. Returns how many rows went."""
    days = retention_days()
    if days < 180:
        raise ValueError("The security log is kept at least 180 days.")
    cutoff = (now or clock.now()) - timedelta(days=days)
    old = SecurityEvent.objects.filter(created__lt=cutoff)
    deleted, _by_model = models.QuerySet.delete(old)  # past AppendOnlyQuerySet's refusal
    return deleted
