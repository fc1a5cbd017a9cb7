"""Categories with their limits and holiday overrides kept on pages and through the API, not
in the admin (issue 16): each change a RecordChange with who and when; bad input changes
nothing."""

from datetime import date

import pytest
from django.urls import reverse

from qingdan.core.models import RecordChange
from qingdan.problems.models import Category, HolidayOverride

pytestmark = pytest.mark.django_db


def test_a_category_and_its_limits_on_a_page(client, cast):
    client.force_login(cast.secretariat)
    assert client.get(reverse("problems:categories")).status_code == 200
    created = client.post(
        reverse("problems:category_new"),
        {
            "code": "land-use",
            "name": "用地保障",
            "name_en": "Land use",
            "sign_days": 2,
            "completion_days": 15,
            "urgent_completion_days": 7,
            "position": 5,
            "is_active": "on",
            "default_lead_unit": cast.power.pk,
        },
    )
    assert created.status_code == 302
    category = Category.objects.get(code="land-use")
    assert (category.completion_days, category.default_lead_unit) == (15, cast.power)
    change = RecordChange.objects.get(model="problems.category")
    assert change.actor == cast.secretariat
    edit = reverse("problems:category_edit", args=[category.pk])
    refused = client.post(
        edit,
        {
            "name": "用地保障",
            "sign_days": 20,
            "completion_days": 15,
            "urgent_completion_days": 7,
            "position": 5,
        },
    )
    assert refused.status_code == 400
    category.refresh_from_db()
    assert category.sign_days == 2 and RecordChange.objects.count() == 1


def test_a_holiday_override_on_a_page_moves_deadlines(client, cast):
    client.force_login(cast.secretariat)
    day = date(2026, 12, 31)
    saved = client.post(
        reverse("problems:holidays"), {"date": "2026-12-31", "is_workday": "0", "note": "测试调休"}
    )
    assert saved.status_code == 302
    override = HolidayOverride.objects.get(date=day)
    assert override.is_workday is False and override.note == "测试调休"
    assert RecordChange.objects.get(model="problems.holidayoverride").actor == cast.secretariat
    # The same day again changes its status (no duplicate).
    client.post(reverse("problems:holidays"), {"date": "2026-12-31", "is_workday": "1"})
    assert HolidayOverride.objects.get(date=day).is_workday is True
    page = client.get(reverse("problems:holidays") + "?year=2026").content.decode()
    assert "2026年12月31日" in page


def test_the_api_twins_keep_the_same_data(client, cast):
    client.force_login(cast.secretariat)
    created = client.post(
        "/api/v1/categories",
        {
            "code": "water",
            "name": "用水",
            "sign_days": 1,
            "completion_days": 5,
            "urgent_completion_days": 3,
            "position": 1,
            "is_active": True,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    patched = client.patch(
        f"/api/v1/categories/{pk}", {"completion_days": 8}, content_type="application/json"
    )
    assert patched.status_code == 200, patched.content
    assert Category.objects.get(pk=pk).completion_days == 8
    holiday = client.post(
        "/api/v1/holidays",
        {"date": "2026-10-10", "is_workday": "1"},
        content_type="application/json",
    )
    assert holiday.status_code == 200, holiday.content
    assert HolidayOverride.objects.get(date=date(2026, 10, 10)).is_workday


@pytest.mark.parametrize("who", ["leader", "power_officer", "acme_contact"])
def test_only_the_secretariat_keeps_categories_and_holidays(client, cast, who):
    client.force_login(getattr(cast, who))
    for url in [
        reverse("problems:categories"),
        reverse("problems:category_new"),
        reverse("problems:holidays"),
    ]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            reverse("problems:holidays"), {"date": "2026-12-31", "is_workday": "0"}
        ).status_code
        == 403
    )
    api = client.post(
        "/api/v1/holidays",
        {"date": "2026-12-31", "is_workday": "0"},
        content_type="application/json",
    )
    assert api.status_code == 403
    assert not HolidayOverride.objects.filter(date=date(2026, 12, 31)).exists()


def test_a_day_s_setting_is_taken_back_on_the_page_and_through_the_api(client, cast):
    from qingdan.problems import calendar

    client.force_login(cast.secretariat)
    day = date(2026, 12, 31)  # a Thursday: a working day by the built-in calendar
    client.post(reverse("problems:holidays"), {"date": "2026-12-31", "is_workday": "0"})
    assert not calendar.is_workday(day)
    page = reverse("problems:holidays") + "?year=2026"
    assert client.post(page, {"remove": "2026-12-31"}).status_code == 302
    assert not HolidayOverride.objects.filter(date=day).exists()
    assert calendar.is_workday(day)  # the built-in calendar decides again
    removed = RecordChange.objects.get(model="problems.holidayoverride", action="delete")
    assert removed.actor == cast.secretariat and removed.changes["is_workday"] == [False, None]
    # A day without a setting, or not a date: a message, nothing written.
    before = RecordChange.objects.count()
    again = client.post(page, {"remove": "2026-12-31"}, follow=True)
    assert "没有单独设置" in again.content.decode()
    client.post(page, {"remove": "not-a-date"})
    assert RecordChange.objects.count() == before
    # The API twin.
    client.post(reverse("problems:holidays"), {"date": "2026-12-31", "is_workday": "0"})
    assert client.delete("/api/v1/holidays/2026-12-31").status_code == 204
    assert not HolidayOverride.objects.filter(date=day).exists()
    assert client.delete("/api/v1/holidays/2026-12-31").status_code == 400


@pytest.mark.parametrize("who", ["leader", "power_officer", "acme_contact"])
def test_only_the_secretariat_takes_back_a_day_s_setting(client, cast, who):
    HolidayOverride.objects.create(date=date(2026, 12, 31), is_workday=False)
    client.force_login(getattr(cast, who))
    page = reverse("problems:holidays")
    assert client.post(page, {"remove": "2026-12-31"}).status_code == 403
    assert client.delete("/api/v1/holidays/2026-12-31").status_code == 403
    assert HolidayOverride.objects.filter(date=date(2026, 12, 31)).exists()
    assert not RecordChange.objects.exists()
