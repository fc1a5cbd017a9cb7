from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role

# (label, url name, roles that see it). Later apps add their pages here.
NAVIGATION = [
    (_("Home"), "home", None),
    (_("Administration"), "admin:index", {Role.ADMIN}),
]


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for label, url_name, roles in NAVIGATION:
            if roles is None or user.role in roles:
                url = reverse(url_name)
                items.append({"label": label, "url": url, "active": request.path == url})
    return {"park_name": settings.QINGDAN["PARK_NAME"], "nav_items": items}
