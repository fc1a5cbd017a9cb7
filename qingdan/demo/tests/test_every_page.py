"""Every page of every role, as its people read it (issue 16).

On the demo park, each demo account (and the anonymous public) starts at its home and follows
its own links to depth 3, in Chinese and in English. It must reach no page it cannot open
(403/404) and no error; and no page may show an English word on the Chinese UI or Chinese on
the English one (user data excluded: names, titles, notes are what people typed), a raw enum
value (``in_progress``) or an ISO timestamp (``2026-11-27T14:15``, ``2026-11-27 14:15``).
"""

import logging
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client

from qingdan.accounts.models import User
from qingdan.demo.park import build_demo_park
from qingdan.demo.tests import pagecheck
from qingdan.lib import fonts

DEPTH = 3
PER_PATTERN = 2  # pages of one shape (/problems/QD-N-N/) read per crawl
NOT_CRAWLED = ("/accounts/logout", "/api/", "/static/", "/open311/", "/healthz", "/media/")
LANGUAGES = ("zh-hans", "en")
HOST = "127.0.0.1"


@pytest.fixture(scope="module")
def park(django_db_setup, django_db_blocker):
    """The demo park, built once for the module and rolled back after it."""
    if not fonts.cjk_fonts():  # a test machine without Chinese fonts: documents still render
        fonts._found.append(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo_park()
        data = pagecheck.user_data()
        yield data
        transaction.set_rollback(True)
    fonts._found.clear()


def crawl(client: Client, language: str, data: str, start: str = "/"):
    """(pages read, [(status, url, linked from)], {fault: {url shapes}})."""
    seen: set[str] = set()
    shapes: Counter = Counter()
    refused: list[tuple[int, str, str]] = []
    faults: dict[str, set[str]] = defaultdict(set)
    frontier = [(start, "")]
    for _depth in range(DEPTH + 1):
        following = []
        for url, source in frontier:
            if url in seen or url.startswith(NOT_CRAWLED):
                continue
            shape = re.sub(r"\d+", "N", url.split("?")[0])
            shapes[shape] += 1
            if shapes[shape] > PER_PATTERN:
                continue
            seen.add(url)
            response = client.get(url, follow=True)
            if response.status_code >= 400:
                refused.append((response.status_code, url, source))
                continue
            if "html" not in response.get("Content-Type", ""):
                continue
            page = response.content.decode()
            final = response.redirect_chain[-1][0] if response.redirect_chain else url
            # The crawl reads the admin's index; every admin list and form is read by
            # test_admin_pages.py, model by model.
            if not final.startswith("/admin/") or final.rstrip("/") == "/admin":
                for fault in pagecheck.faults(page, language, data):
                    faults[fault].add(shape)
            if final.startswith("/admin/") and final.rstrip("/") != "/admin":
                continue
            following += [(link, url) for link in pagecheck.internal_links(page, final)]
        frontier = following
    return seen, refused, faults


def signed_in(username: str, language: str) -> Client:
    user = User.objects.get(username=username)
    user.language = language
    user.save(update_fields=["language"])
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    return client


def report(faults) -> str:
    return "\n".join(
        f"{fault}  on {sorted(shapes)[:3]}" for fault, shapes in sorted(faults.items())
    )


@pytest.fixture
def quiet():
    """403s and 404s the crawl may meet are reported by the test, not logged as errors."""
    logging.disable(logging.ERROR)
    yield
    logging.disable(logging.NOTSET)


ROLES = [
    "enterprise",
    "unit",
    "secretariat",
    "leader",
    "admin",
    "team",
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_a_role_opens_and_speaks_one_language(park, quiet, username, language):
    seen, refused, faults = crawl(signed_in(username, language), language, park)
    assert len(seen) >= 8, seen
    assert not refused, f"{username} reaches pages it cannot open: {refused}"
    assert not faults, f"{username} ({language}):\n{report(faults)}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_board_opens_and_speaks_one_language(park, quiet, language):
    client = Client(HTTP_HOST=HOST)
    client.cookies["django_language"] = language
    # The login page (where `/` sends a visitor) leads to the public board.
    seen, refused, faults = crawl(client, language, park, start="/accounts/login/")
    assert "/public/bulletins/" in seen
    assert len(seen) >= 4, seen
    assert not refused, refused
    assert not faults, f"public ({language}):\n{report(faults)}"


@pytest.mark.django_db
def test_the_admin_index_is_named_and_translated(park):
    page = signed_in("admin", "zh-hans").get("/admin/").content.decode()
    assert "Django" not in page
    assert "清单系统管理" in page
    assert "后台任务" in page and "登录尝试与锁定" in page


@pytest.mark.django_db
def test_forbidden_and_missing_pages_are_translated(park, quiet):
    client = signed_in("enterprise", "zh-hans")
    forbidden = client.get("/problems/overdue/")
    assert forbidden.status_code == 403
    assert "您无权打开此页面" in forbidden.content.decode()
    assert "Forbidden" not in forbidden.content.decode()
    missing = client.get("/problems/QD-0000-99999/")
    assert missing.status_code == 404
    assert "页面不存在" in missing.content.decode()
