"""The demo accounts and their published password, in one place."""

from django.contrib.auth import get_user_model

DEMO_PASSWORD = "demo-2026"
DEMO_USERNAMES = ("admin", "secretariat", "leader", "unit", "enterprise", "team")


def demo_passwords_in_use() -> list[str]:
    """Usernames of demo accounts whose password is still the published one."""
    users = get_user_model().objects.filter(username__in=DEMO_USERNAMES, is_active=True)
    return sorted(user.username for user in users if user.check_password(DEMO_PASSWORD))
