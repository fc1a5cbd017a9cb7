"""Staff administer only what their job needs: the secretariat keeps reference data in the admin,
but nothing there lets it manage accounts, roles, groups or permissions — not its own either."""

import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from conftest import TEST_PASSWORD
from qingdan.accounts.groups import SECRETARIAT_GROUP
from qingdan.accounts.models import User
from qingdan.problems.models import HolidayOverride

# What would let someone manage accounts, wherever it shows: a form field, a read-only row,
# a list filter, the password form or the group/permission admin.
FORBIDDEN = [
    re.compile(p)
    for p in (
        r"field-is_superuser",
        r"field-is_staff",
        r"field-groups",
        r"field-user_permissions",
        r"field-password",
        r'name="(is_superuser|is_staff|groups|user_permissions|password|password1|password2)"',
        r"is_superuser__exact|is_staff__exact",
        r"/admin/accounts/user/\d+/password/",
        r"/admin/accounts/user/add/",
        r"/admin/auth/",
    )
]
HREF = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def staff_secretariat(cast):
    """The secretariat as deployed: staff, in the secretariat group (made by migrate)."""
    cast.secretariat.is_staff = True
    cast.secretariat.save(update_fields=["is_staff"])
    cast.secretariat.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return cast.secretariat


def crawl(client, start="/admin/", limit=400):
    """Every admin page reachable by following links from the index (one visit per path)."""
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen or not path.startswith("/admin/") or "logout" in path:
            continue
        seen.add(path)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            pages[url] = (response.status_code, "")
            continue
        body = response.content.decode()
        pages[url] = (200, body)
        for link in HREF.findall(body):
            queue.append(urljoin(url, link.replace("&amp;", "&")))
    return pages


@pytest.mark.django_db
def test_secretariat_group_cannot_manage_people_groups_or_permissions(cast):
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "view_user" in codenames  # looks people up (a unit's liaison…)
    assert not codenames & {"add_user", "change_user", "delete_user"}
    assert not group.permissions.filter(content_type__app_label="auth").exists()
    assert {"change_unit", "change_enterprise", "change_category"} <= codenames


@pytest.mark.django_db
def test_migrate_takes_back_account_rights_granted_earlier(cast):
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    group.permissions.add(*Permission.objects.filter(codename__in=["change_user", "add_group"]))
    call_command("migrate", verbosity=0)
    assert not group.permissions.filter(codename__in=["change_user", "add_group"]).exists()


@pytest.mark.django_db
def test_every_admin_page_the_secretariat_reaches_hides_account_management(
    client, cast, staff_secretariat, make_problem
):
    make_problem(upto="resolved")  # rows for the problem, event and notification admins
    HolidayOverride.objects.create(date="2026-12-31", is_workday=False, note="测试")
    client.force_login(staff_secretariat)
    pages = crawl(client)
    # It did reach the admin: the index, its apps, changelists, add and change pages.
    reached = [url for url, (status, _b) in pages.items() if status == 200]
    assert "/admin/" in reached
    assert "/admin/accounts/" in reached
    assert "/admin/accounts/user/" in reached
    assert "/admin/accounts/unit/add/" in reached
    assert any(re.fullmatch(r"/admin/accounts/unit/\d+/change/", u) for u in reached)
    assert any(re.fullmatch(r"/admin/accounts/user/\d+/change/", u) for u in reached)
    assert any(re.fullmatch(r"/admin/problems/category/\d+/history/", u) for u in reached)
    assert len(reached) > 30
    for url, (_status, body) in pages.items():
        for pattern in FORBIDDEN:
            assert not pattern.search(body), f"{url} shows {pattern.pattern}"
        if "/admin/accounts/user/" in url:  # a person's role is shown, never editable
            assert not re.search(r'name="(role|unit|enterprise|username)"', body), url
    # The user pages it may open are read-only cards without flags or password.
    own = client.get(reverse("admin:accounts_user_change", args=[staff_secretariat.pk]))
    assert own.status_code == 200
    body = own.content.decode()
    assert "t-secretariat" in body and 'name="_save"' not in body
    assert all(not p.search(body) for p in FORBIDDEN)
    # Pages it cannot reach at all.
    for url in [
        reverse("admin:accounts_user_add"),
        reverse("admin:auth_user_password_change", args=[staff_secretariat.pk]),
        reverse("admin:accounts_user_delete", args=[cast.acme_contact.pk]),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
    ]:
        assert client.get(url).status_code in (403, 404), url


@pytest.mark.django_db
def test_secretariat_posts_that_would_raise_its_rights_are_refused(client, cast, staff_secretariat):
    client.force_login(staff_secretariat)
    me = staff_secretariat
    change = reverse("admin:accounts_user_change", args=[me.pk])
    response = client.post(
        change,
        {
            "username": me.username,
            "name": me.name,
            "role": "admin",
            "unit": me.unit_id,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [g.pk for g in Group.objects.all()],
            "user_permissions": list(Permission.objects.values_list("pk", flat=True)[:50]),
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    assert response.status_code == 403
    # Someone else's password, a new superuser, a new group: all refused.
    password = reverse("admin:auth_user_password_change", args=[cast.acme_contact.pk])
    assert (
        client.post(
            password, {"password1": "Owned-by-me-2026", "password2": "Owned-by-me-2026"}
        ).status_code
        == 403
    )
    add = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "backdoor",
            "name": "x",
            "role": "admin",
            "password1": "Back-door-2026!",
            "password2": "Back-door-2026!",
        },
    )
    assert add.status_code == 403
    group = client.post(reverse("admin:auth_group_add"), {"name": "mine"})
    assert group.status_code == 403
    me.refresh_from_db()
    cast.acme_contact.refresh_from_db()
    assert not me.is_superuser and me.role == "secretariat"
    assert me.user_permissions.count() == 0
    assert list(me.groups.values_list("name", flat=True)) == [SECRETARIAT_GROUP]
    assert cast.acme_contact.check_password(TEST_PASSWORD)
    assert not User.objects.filter(username="backdoor").exists()
    assert not Group.objects.filter(name="mine").exists()


@pytest.mark.django_db
def test_superuser_still_manages_accounts(client, cast):
    client.force_login(cast.admin)
    body = client.get(
        reverse("admin:accounts_user_change", args=[cast.acme_contact.pk])
    ).content.decode()
    assert 'name="is_superuser"' in body and 'name="groups"' in body
    response = client.post(
        reverse("admin:auth_user_password_change", args=[cast.acme_contact.pk]),
        {"password1": "New-secret-2026!", "password2": "New-secret-2026!"},
    )
    assert response.status_code == 302
    cast.acme_contact.refresh_from_db()
    assert cast.acme_contact.check_password("New-secret-2026!")
