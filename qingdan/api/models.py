"""API tokens (shown once, stored hashed) and the record that makes POST retries safe."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qingdan.lib import clock

TOKEN_PREFIX = "qd_"


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough (no password stretching needed).
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("User"),
    )
    name = models.CharField(_("name"), max_length=60)
    key_hash = models.CharField(
        max_length=64, unique=True, editable=False, verbose_name=_("Key hash")
    )
    hint = models.CharField(_("starts with"), max_length=12, editable=False)
    created = models.DateTimeField(_("created"))
    expires = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.user} · {self.name} ({self.hint}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked is None and (self.expires is None or self.expires > clock.now())


def issue_token(user, *, name: str, expires=None) -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and only its hash is kept."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip() or "API",
        key_hash=hash_token(secret),
        hint=secret[:10],
        created=clock.now(),
        expires=expires,
    )
    return token, secret


def user_for_token(secret: str):
    """The active user a usable token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user", "user__enterprise")
        .filter(key_hash=hash_token(secret or ""))
        .first()
    )
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = clock.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    token.user.api_token = token
    return token.user


class IdempotencyRecord(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed to retries for 24 hours.
    ``scope`` identifies the caller (a hash of its credentials); status 0 means in progress."""

    scope = models.CharField(max_length=64, verbose_name=_("Scope"))
    key = models.CharField(max_length=200, verbose_name=_("Idempotency key"))
    request_hash = models.CharField(max_length=64, verbose_name=_("Request hash"))
    status = models.PositiveSmallIntegerField(default=0, verbose_name=_("Status"))
    body = models.BinaryField(default=b"", verbose_name=_("Body"))
    content_type = models.CharField(max_length=100, blank=True, verbose_name=_("Content type"))
    created = models.DateTimeField(verbose_name=_("Created"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="idempotency_key_per_caller")
        ]
        indexes = [models.Index(fields=["created"], name="idempotency_created")]

    def __str__(self) -> str:
        return f"{self.scope[:8]} {self.key}"


class Open311Token(models.Model):
    """Open311's moderated intake: a submitted request is not public, so its submitter gets a
    token; ``GET tokens/{token}`` gives the request's id once the secretariat has accepted it."""

    key = models.CharField(max_length=64, unique=True, verbose_name=_("Token key"))
    problem = models.OneToOneField(
        "problems.Problem",
        on_delete=models.CASCADE,
        related_name="open311_token",
        verbose_name=_("Problem"),
    )
    created = models.DateTimeField(verbose_name=_("Created"))

    class Meta:
        verbose_name = "Open311 token"

    def __str__(self) -> str:
        return f"{self.key[:8]}… → {self.problem_id}"

    @classmethod
    def issue(cls, problem) -> "Open311Token":
        return cls.objects.create(
            key=secrets.token_urlsafe(24), problem=problem, created=clock.now()
        )
