import importlib

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from qingdan.accounts.demo_accounts import DEMO_PASSWORD, DEMO_USERNAMES
from qingdan.accounts.models import Enterprise, Industry, Role, Unit, User
from qingdan.demo.park import build_demo_park
from qingdan.lib.creditcode import find_error
from qingdan.problems.models import Problem, ProblemEvent, Status
from qingdan.problems.warnings import colour_q, cutoffs

default_categories = importlib.import_module("qingdan.problems.migrations.0002_default_categories")


def snapshot():
    return (
        list(Enterprise.objects.order_by("name").values_list("name", "credit_code", "industry")),
        list(Unit.objects.order_by("name").values_list("name", "kind")),
        list(User.objects.order_by("username").values_list("username", "name", "role")),
        list(
            Problem.objects.order_by("number").values_list("number", "title", "status", "deadline")
        ),
        list(ProblemEvent.objects.order_by("id").values_list("action", "created")),
    )


@pytest.mark.django_db
def test_demo_park_has_the_articles_units_and_80_valid_enterprises():
    build_demo_park()
    names = set(Unit.objects.values_list("short_name", flat=True))
    for expected in [
        "经发局",
        "规建局",
        "人社局",
        "供电公司",
        "自来水公司",
        "公交公司",
        "建设银行",
    ]:
        assert expected in names
    enterprises = list(Enterprise.objects.all())
    assert len(enterprises) >= 80
    assert all(find_error(e.credit_code) is None for e in enterprises)
    industries = {e.industry for e in enterprises}
    assert {Industry.ELECTRONICS, Industry.SMART_EQUIPMENT, Industry.PLANT_EXTRACTION} <= industries
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)


@pytest.mark.django_db
def test_demo_accounts_have_the_documented_roles_and_password():
    build_demo_park()
    accounts = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    assert set(accounts) == set(DEMO_USERNAMES)
    assert all(u.check_password(DEMO_PASSWORD) for u in accounts.values())
    assert accounts["unit"].unit.short_name == "供电公司"
    assert accounts["enterprise"].enterprise.industry == Industry.ELECTRONICS
    assert accounts["admin"].is_superuser
    # Other demo people cannot sign in with the published password.
    others = User.objects.exclude(username__in=DEMO_USERNAMES)[:5]
    assert not any(u.has_usable_password() for u in others)


@pytest.mark.django_db(transaction=True)
def test_demo_is_idempotent_and_deterministic():
    default_categories.create(django_apps, None)  # transactional tests start flushed
    build_demo_park()
    first = snapshot()
    build_demo_park()
    assert snapshot() == first
    call_command("flush", interactive=False, verbosity=0)
    default_categories.create(django_apps, None)
    build_demo_park()
    assert snapshot() == first


@pytest.mark.django_db
def test_demo_history_has_problems_in_every_state_some_overdue_redone_and_merged():
    build_demo_park()
    statuses = set(Problem.objects.values_list("status", flat=True))
    assert {
        Status.CLOSED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.DECLINED,
        Status.MERGED,
    } <= statuses
    assert Problem.objects.filter(colour_q("red", cutoffs())).exists()
    assert Problem.objects.filter(redo_count__gt=0).exists()
    assert ProblemEvent.objects.filter(action="approve_extension").exists()
    assert ProblemEvent.objects.filter(action="return").exists()
    for action in ("urge", "supervise", "supervision_reply", "instruct", "interview"):
        assert ProblemEvent.objects.filter(action=action).exists(), action
    enterprise = User.objects.get(username="enterprise").enterprise
    assert Problem.objects.filter(enterprise=enterprise).count() >= 10
    unit = User.objects.get(username="unit").unit
    assert Problem.objects.filter(lead_unit=unit).exists()
    # Every problem's cached state is its latest event's.
    for problem in Problem.objects.all()[:50]:
        assert problem.events.order_by("-created", "-id").first().to_status == problem.status


@pytest.mark.django_db
def test_demo_command_if_empty_leaves_an_existing_database_alone(cast, capsys):
    call_command("demo", "--if-empty")
    assert "already has data" in capsys.readouterr().out
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_demo_secretariat_edits_projects_in_the_admin(client):
    from django.urls import reverse

    build_demo_park()
    client.force_login(User.objects.get(username="secretariat"))
    assert client.get(reverse("admin:projects_project_changelist")).status_code == 200
    assert client.get(reverse("admin:projects_indicator_changelist")).status_code == 200
    assert client.get(reverse("admin:problems_problemevent_changelist")).status_code == 403
