"""Organisations (enterprises and units) and the people who work in them."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qingdan.core.models import AppendOnlyModel
from qingdan.core.templatetags.fmt import when_text
from qingdan.lib import creditcode, webhooks


def validate_credit_code(value: str) -> None:
    error = creditcode.find_error(value)
    if error is None:
        return
    if error.kind == "length":
        message = _("A unified social credit code has 18 characters; this one has %(found)s.")
    elif error.kind == "character":
        message = _(
            "Character %(position)s (“%(found)s”) is not allowed in a unified social credit "
            "code (digits and capital letters except I, O, S, V, Z)."
        )
    else:
        message = _(
            "Character %(position)s is the check character: it should be “%(expected)s”, "
            "not “%(found)s”. Please check the code for a typing error."
        )
    raise ValidationError(
        message,
        code=f"credit_code_{error.kind}",
        params={"position": error.position, "found": error.found, "expected": error.expected},
    )


class CreditCodeField(models.CharField):
    """A credit code, stored normalised (no spaces, upper case) and validated on clean."""

    default_validators = [validate_credit_code]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", creditcode.LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return creditcode.normalize(value) if isinstance(value, str) else value


class Industry(models.TextChoices):
    ELECTRONICS = "electronics", _("Electronic information")
    SMART_EQUIPMENT = "smart_equipment", _("Smart equipment manufacturing")
    PLANT_EXTRACTION = "plant_extraction", _("Plant extraction and biomedicine")
    NEW_MATERIALS = "new_materials", _("New materials")
    AUTO_PARTS = "auto_parts", _("Auto parts")
    FOOD = "food", _("Food processing")
    TEXTILES = "textiles", _("Textiles and garments")
    LOGISTICS = "logistics", _("Modern logistics")
    DIGITAL = "digital", _("Digital economy")
    OTHER = "other", _("Other")


class Enterprise(models.Model):
    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        error_messages={"unique": _("An enterprise with this name is already registered.")},
    )
    credit_code = CreditCodeField(
        _("unified social credit code"),
        unique=True,
        error_messages={
            "unique": _("An enterprise with this unified social credit code is already registered.")
        },
    )
    industry = models.CharField(_("industry"), max_length=32, choices=Industry.choices)
    address = models.CharField(_("address"), max_length=300, blank=True)
    zone = models.CharField(_("zone"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_above_scale = models.BooleanField(_("above-scale industrial"), default=False)
    is_high_tech = models.BooleanField(_("high-tech enterprise"), default=False)
    is_little_giant = models.BooleanField(_("specialised “little giant”"), default=False)
    is_listed = models.BooleanField(_("listed company"), default=False)
    is_fortune500_investment = models.BooleanField(
        _("Fortune Global 500 investment"), default=False
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def validate_webhook_url(value: str) -> None:
    """https only, and no address inside the network (qingdan.lib.webhooks)."""
    try:
        webhooks.check(value, resolve=True)
    except webhooks.UnsafeWebhook as refused:
        raise ValidationError(refused.message, code=refused.code) from None


class UnitKind(models.TextChoices):
    LEADERSHIP = "leadership", _("Park leadership")
    SECRETARIAT = "secretariat", _("Business environment office")
    BUREAU = "bureau", _("Park bureau")
    UTILITY = "utility", _("Public utility")
    TRANSPORT = "transport", _("Public transport")
    FINANCE = "finance", _("Financial institution")
    OTHER = "other", _("Other")


class Unit(models.Model):
    """A body that handles tasks: a park bureau, a utility, a bank, the bus company…"""

    name = models.CharField(
        _("name"),
        max_length=100,
        unique=True,
        error_messages={"unique": _("A unit with this name already exists.")},
    )
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    liaison = models.ForeignKey(
        "accounts.User",
        verbose_name=_("liaison officer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The unit's work group chat, if it has a robot: messages about its tasks go there too.
    wecom_webhook = models.URLField(
        _("WeCom group robot webhook"),
        max_length=300,
        blank=True,
        validators=[validate_webhook_url],
    )
    dingtalk_webhook = models.URLField(
        _("DingTalk group robot webhook"),
        max_length=300,
        blank=True,
        validators=[validate_webhook_url],
    )
    dingtalk_secret = models.CharField(
        _("DingTalk robot signing secret"), max_length=100, blank=True
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.liaison_id and self.liaison.unit_id != self.pk:
            raise ValidationError(
                {"liaison": _("The liaison officer must be a person of this unit.")}
            )
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("A unit cannot be its own ancestor.")})
            ancestor = ancestor.parent


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise contact")
    SECRETARIAT = "secretariat", _("Secretariat")
    UNIT_OFFICER = "unit_officer", _("Unit officer")
    UNIT_HEAD = "unit_head", _("Unit head")
    LEADER = "leader", _("Leader")
    TEAM = "team", _("Challenge team")
    ADMIN = "admin", _("Administrator")


UNIT_ROLES = (Role.SECRETARIAT, Role.UNIT_OFFICER, Role.UNIT_HEAD, Role.LEADER)
# Who keeps the park's records (units and people, categories and holidays, projects, enterprise
# records, policies, loan programmes, factories and land): the one rule every keeping page, API
# operation and action asks.
KEEPERS = (Role.SECRETARIAT, Role.ADMIN)


def may_keep(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in KEEPERS


def keeper_only(request) -> None:
    """A keeping page: anyone else gets 403."""
    if not may_keep(request.user):
        raise PermissionDenied


class QingdanUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person. Everyone but a system administrator belongs to exactly one organisation."""

    name = models.CharField(_("full name"), max_length=60, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    job_title = models.CharField(_("job title"), max_length=60, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=40, blank=True)
    email_notifications = models.BooleanField(
        _("e-mail me notifications"),
        default=True,
        help_text=_("Notifications always appear in the site's list; turn e-mail off here."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        help_text=_("Leave empty to follow the browser."),
    )

    objects = QingdanUserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                name="user_belongs_to_one_organisation_by_role",
                condition=(
                    Q(role=Role.ENTERPRISE, enterprise__isnull=False, unit__isnull=True)
                    | Q(role__in=UNIT_ROLES, enterprise__isnull=True, unit__isnull=False)
                    | Q(role=Role.ADMIN, enterprise__isnull=True)
                    | Q(role=Role.TEAM, enterprise__isnull=True, unit__isnull=True)
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role == Role.ENTERPRISE:
            if not self.enterprise_id:
                raise ValidationError(
                    {"enterprise": _("An enterprise contact must belong to an enterprise.")}
                )
            if self.unit_id:
                raise ValidationError({"unit": _("An enterprise contact cannot belong to a unit.")})
        elif self.role in UNIT_ROLES:
            if not self.unit_id:
                raise ValidationError(
                    {"unit": _("This role belongs to a unit: choose the person's unit.")}
                )
            if self.enterprise_id:
                raise ValidationError(
                    {"enterprise": _("Only enterprise contacts belong to an enterprise.")}
                )
        elif self.role == Role.TEAM and (self.enterprise_id or self.unit_id):
            raise ValidationError(
                _(
                    "A challenge team member (a research team, a group) has no organisation here: "
                    "enterprise and unit staff apply with their own accounts."
                )
            )
        elif self.role == Role.ADMIN and self.enterprise_id:
            raise ValidationError(
                {"enterprise": _("Only enterprise contacts belong to an enterprise.")}
            )

    @property
    def organisation(self) -> Enterprise | Unit | None:
        return self.enterprise or self.unit

    @property
    def is_enterprise_contact(self) -> bool:
        return self.role == Role.ENTERPRISE

    @property
    def is_secretariat(self) -> bool:
        return self.role in (Role.SECRETARIAT, Role.ADMIN)

    @property
    def is_unit_member(self) -> bool:
        return self.role in (Role.UNIT_OFFICER, Role.UNIT_HEAD)

    @property
    def is_leader(self) -> bool:
        return self.role == Role.LEADER


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOGOUT = "logout", _("Signed out")
    LOCKED_OUT = "locked_out", _("Locked out")
    ADMIN_CHANGE = "admin_change", _("Change in the admin")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password set by an administrator")
    RESTORED = "restored", _("Restored from a backup")


class SecurityEvent(AppendOnlyModel):
    """The security log (安全审计): sign-ins and their failures, lockouts, admin changes, API
    tokens, passwords. Append-only; rows older than the retention period are removed only by
    ``qingdan.accounts.security.prune`` (``manage.py prune_security_log``)."""

    created = models.DateTimeField(_("time"), db_index=True)
    kind = models.CharField(_("event"), max_length=20, choices=SecurityEventKind.choices)
    # The person who acted (signed in, changed, issued); empty for an unknown user name.
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    username = models.CharField(_("user name tried"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser or client"), max_length=300, blank=True)
    subject = models.CharField(_("concerning"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security log entry")
        verbose_name_plural = _("security log")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["kind", "address", "created"])]

    def __str__(self) -> str:
        return f"{when_text(self.created)} {self.get_kind_display()} {self.username}"
