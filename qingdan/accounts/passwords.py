"""Password rules beyond Django's own validators."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")


def _letters_and_digits(text: str) -> str:
    return _NOT_LETTERS_OR_DIGITS.sub("", text or "").casefold()


class UsernameInPasswordValidator:
    """Refuses a password that contains the user name (or its e-mail's local part), repeated or
    with a few characters around it — "zhangweizhangwei", "Zhangwei2026!" for ``zhangwei`` —
    or that is itself a piece of the user name. Django's similarity check misses these because
    it compares whole strings."""

    def __init__(self, min_length: int = 3):
        self.min_length = min_length

    def _names(self, user) -> list[str]:
        names = [getattr(user, "username", "") or ""]
        email = getattr(user, "email", "") or ""
        if "@" in email:
            names.append(email.split("@", 1)[0])
        return [n for n in (_letters_and_digits(n) for n in names) if len(n) >= self.min_length]

    def validate(self, password, user=None):
        if user is None:
            return
        flat = _letters_and_digits(password)
        for name in self._names(user):
            if name in flat or (len(flat) >= self.min_length and flat in name):
                raise ValidationError(
                    _("The password must not contain the user name or resemble it."),
                    code="password_contains_username",
                )

    def get_help_text(self):
        return _("Your password can't contain your user name.")
