"""Shared test fixtures: a fixed cast of organisations and people (two of each side)."""

import os
from dataclasses import dataclass

import pytest

from qingdan.accounts.models import Enterprise, Industry, Role, Unit, UnitKind, User
from qingdan.lib import workdays
from qingdan.lib.creditcode import make_code
from qingdan.problems import actions
from qingdan.problems.models import Category, Channel

TEST_PASSWORD = "correct-horse-battery"


@dataclass
class Cast:
    secretariat_unit: Unit
    leadership: Unit
    power: Unit
    water: Unit
    acme: Enterprise
    globex: Enterprise
    admin: User
    secretariat: User
    leader: User
    power_officer: User
    power_head: User
    water_officer: User
    acme_contact: User
    globex_contact: User


def make_user(username: str, role: str, **fields) -> User:
    user = User(username=username, role=role, name=fields.pop("name", username), **fields)
    user.set_password(TEST_PASSWORD)
    user.save()
    return user


def build_cast() -> Cast:
    leadership = Unit.objects.create(name="管委会", kind=UnitKind.LEADERSHIP)
    secretariat_unit = Unit.objects.create(
        name="营商办", kind=UnitKind.SECRETARIAT, parent=leadership
    )
    power = Unit.objects.create(
        name="供电公司", short_name="供电", kind=UnitKind.UTILITY, parent=leadership
    )
    water = Unit.objects.create(
        name="自来水公司", short_name="供水", kind=UnitKind.UTILITY, parent=leadership
    )
    acme = Enterprise.objects.create(
        name="湖南甲电子有限公司",
        credit_code=make_code("91", "431100", "TQ000001"),
        industry=Industry.ELECTRONICS,
    )
    globex = Enterprise.objects.create(
        name="湖南乙新材料有限公司",
        credit_code=make_code("91", "431100", "TQ000002"),
        industry=Industry.NEW_MATERIALS,
    )
    return Cast(
        secretariat_unit=secretariat_unit,
        leadership=leadership,
        power=power,
        water=water,
        acme=acme,
        globex=globex,
        admin=make_user("t-admin", Role.ADMIN, is_staff=True, is_superuser=True),
        secretariat=make_user(
            "t-secretariat", Role.SECRETARIAT, unit=secretariat_unit, email="sec@example.org"
        ),
        leader=make_user("t-leader", Role.LEADER, unit=leadership),
        power_officer=make_user(
            "t-power", Role.UNIT_OFFICER, unit=power, email="power@example.org"
        ),
        power_head=make_user("t-power-head", Role.UNIT_HEAD, unit=power),
        water_officer=make_user(
            "t-water", Role.UNIT_OFFICER, unit=water, email="water@example.org"
        ),
        acme_contact=make_user(
            "t-acme", Role.ENTERPRISE, enterprise=acme, email="acme@example.org"
        ),
        globex_contact=make_user(
            "t-globex", Role.ENTERPRISE, enterprise=globex, email="globex@example.org"
        ),
    )


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture
def category(db):
    # Made by a data migration; transactional tests flush it, hence get_or_create.
    category, _created = Category.objects.get_or_create(
        code="utilities",
        defaults={
            "name": "水电气",
            "sign_days": 1,
            "completion_days": 5,
            "urgent_completion_days": 2,
        },
    )
    return category  # 1 working day to sign, 5 to complete, 2 if urgent


@pytest.fixture
def make_problem(cast, category):
    """Raise a problem for Acme and take it through the first steps as asked."""

    def make(upto: str = "submitted", *, enterprise=None, title="园区线路频繁跳闸", **assign):
        contact = cast.acme_contact if enterprise in (None, cast.acme) else cast.globex_contact
        problem = actions.raise_problem(
            actor=contact,
            enterprise=enterprise or cast.acme,
            title=title,
            description="厂区 10kV 线路本月跳闸三次，影响生产。",
            category=category,
            channel=Channel.EXCHANGE_DAY,
        )
        if upto == "submitted":
            return problem
        actions.accept(problem, actor=cast.secretariat)
        if upto == "accepted":
            return problem
        assign.setdefault("lead_unit", cast.power)
        actions.assign(problem, actor=cast.secretariat, **assign)
        if upto == "assigned":
            return problem
        actions.sign_for(problem, actor=cast.power_officer)
        if upto == "in_progress":
            return problem
        actions.complete(problem, actor=cast.power_officer, report="已更换故障开关。")
        assert upto == "resolved"
        return problem

    return make


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.REFUSE_DEMO_PASSWORDS = False
    settings.SECURE_SSL_REDIRECT = False
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Deadlines are counted in working days, and a year without a holiday schedule is refused
    # (qingdan.problems.calendar). The suite runs on any day, so deadlines may reach past the
    # last year chinese-calendar knows: tests count those years Monday to Friday, as an
    # administrator may allow. The calendar's own tests set this to [] to see the refusal.
    settings.QINGDAN = {
        **settings.QINGDAN,
        "CALENDAR_WEEKDAY_YEARS": list(range(workdays.known_years().stop, 2101)),
    }
    from django.core.cache import cache

    from qingdan.problems import calendar

    cache.clear()  # rate-limit counters, dashboard figures: nothing carries over between tests
    calendar.forget()  # holiday overrides a rolled-back test wrote must not linger


# --- Browser tests ----------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open a fresh browser context (its own cookies) in Chinese; returns a factory."""
    contexts = []

    def open_page(locale: str = "zh-CN"):
        context = browser.new_context(locale=locale, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def login(page, username: str, password: str = TEST_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button.primary")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
