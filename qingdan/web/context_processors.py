from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qingdan.accounts.models import Role
from qingdan.core import hooks
from qingdan.web import todo

# (label, url name, roles that see it). Later apps add their pages here.
SECRETARIAT = {Role.SECRETARIAT, Role.ADMIN}
UNIT = {Role.UNIT_OFFICER, Role.UNIT_HEAD}
NAVIGATION = [
    (_("Home"), "home", None),
    (_("Raise a problem"), "problems:new", {Role.ENTERPRISE}),
    (_("My problems"), "problems:list", {Role.ENTERPRISE}),
    (_("Unit inbox"), "problems:inbox", UNIT),
    (_("Work queue"), "problems:intake", SECRETARIAT),
    (_("Approvals"), "problems:approvals", SECRETARIAT),
    (_("Dashboard"), "projects:dashboard", SECRETARIAT | {Role.LEADER}),
    (_("Overview"), "problems:overview", SECRETARIAT | {Role.LEADER}),
    (_("Overdue board"), "problems:overdue", SECRETARIAT | {Role.LEADER}),
    (_("Supervisions"), "problems:supervisions", SECRETARIAT | UNIT | {Role.LEADER}),
    (_("Instructions"), "problems:instructions", SECRETARIAT | UNIT | {Role.LEADER}),
    (_("Interviews"), "problems:interviews", SECRETARIAT | UNIT | {Role.LEADER}),
    (_("All problems"), "problems:list", SECRETARIAT | {Role.LEADER}),
    (_("Exchange days"), "exchange:list", SECRETARIAT | {Role.LEADER}),
    (_("Bulletins"), "bulletins:list", SECRETARIAT | UNIT | {Role.LEADER}),
    (_("Appeals"), "problems:appeals", SECRETARIAT | UNIT | {Role.LEADER}),
    (_("Challenges"), "challenges:list", None),
    (_("Projects"), "projects:list", SECRETARIAT | UNIT | {Role.LEADER, Role.ENTERPRISE}),
    (_("Indicators"), "projects:indicators", SECRETARIAT | UNIT | {Role.LEADER}),
    (_("Enterprises"), "enterprises:list", SECRETARIAT | UNIT | {Role.LEADER, Role.ENTERPRISE}),
    (_("Policies"), "policies:list", None),
    (_("Financing"), "finance:list", SECRETARIAT | UNIT | {Role.LEADER, Role.ENTERPRISE}),
    (_("Factories and land"), "carriers:index", SECRETARIAT | {Role.LEADER}),
    (_("Space requests"), "carriers:requests", {Role.ENTERPRISE}),
    (_("Notifications"), "notifications", None),
    (_("Following"), "following", None),
    (_("Search dictionary"), "search:dictionary", SECRETARIAT),
    (_("Categories and time limits"), "problems:categories", SECRETARIAT),
    (_("Units and people"), "units", SECRETARIAT),
    (_("Administration"), "admin:index", {Role.ADMIN}),
]

# Which to-do counts a menu entry shows (the sum of these items of the person's list).
BADGES = {
    "problems:list": ("to_rate", "needing_info"),
    "problems:inbox": ("to_sign",),
    "problems:intake": ("to_accept", "returns"),
    "problems:approvals": ("extensions", "returns"),
    "problems:overdue": ("overdue",),
    "problems:supervisions": ("supervision_replies", "supervision_late", "supervisions"),
    "problems:instructions": ("instructions",),
}

# ECharts is installed from npm at setup; without it charts fall back to their tables.
HAS_ECHARTS = (settings.BASE_DIR / "static" / "vendor" / "echarts.min.js").exists()


def navigation(request):
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        counts = {item.key: item.count for item in todo.items_of_request(request)}
        counts["unread"] = todo.unread(user)
        for label, url_name, roles in NAVIGATION:
            if roles is None or user.role in roles:
                # A branch may hide its menu item from someone with nothing there.
                shown = hooks.get(f"nav.{url_name}")
                if shown is not None and not shown(user):
                    continue
                url = reverse(url_name)
                keys = ("unread",) if url_name == "notifications" else BADGES.get(url_name, ())
                items.append(
                    {
                        "label": label,
                        "url": url,
                        "active": request.path == url,
                        "count": sum(counts.get(key, 0) for key in keys),
                    }
                )
    return {
        "park_name": settings.QINGDAN["PARK_NAME"],
        "nav_items": items,
        "has_echarts": HAS_ECHARTS,
    }
