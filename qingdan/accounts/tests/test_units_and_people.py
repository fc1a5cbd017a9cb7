"""Units and their people kept on pages and through the API, not in the admin (issue 16):
each change a RecordChange with who and when; a new person sets their own password."""

import pytest
from django.urls import reverse

from qingdan.accounts.models import Role, Unit, User
from qingdan.core.models import RecordChange

pytestmark = pytest.mark.django_db


def test_a_unit_and_a_new_person_on_pages(client, cast):
    client.force_login(cast.secretariat)
    assert client.get(reverse("units")).status_code == 200
    created = client.post(
        reverse("unit_new"),
        {
            "form": "unit",
            "name": "园区消防救援站",
            "short_name": "消防站",
            "kind": "bureau",
            "is_active": "on",
        },
    )
    assert created.status_code == 302, created.content.decode()[:300]
    unit = Unit.objects.get(name="园区消防救援站")
    assert RecordChange.objects.get(model="accounts.unit").actor == cast.secretariat
    added = client.post(
        reverse("unit_detail", args=[unit.pk]),
        {
            "form": "person",
            "person-username": "fire01",
            "person-name": "周队长",
            "person-role": Role.UNIT_HEAD,
            "person-phone": "13900000000",
            "person-email": "fire@example.org",
            "person-is_active": "on",
        },
    )
    assert added.status_code == 302
    person = User.objects.get(username="fire01")
    assert (person.unit, person.role, person.phone) == (unit, Role.UNIT_HEAD, "13900000000")
    assert not person.has_usable_password()
    assert RecordChange.objects.filter(model="accounts.user", actor=cast.secretariat).exists()
    page = client.get(reverse("unit_detail", args=[unit.pk])).content.decode()
    assert "周队长" in page and 'href="tel:13900000000"' in page
    edit = client.post(
        reverse("person_edit", args=[person.pk]),
        {
            "name": "周队长",
            "role": Role.UNIT_OFFICER,
            "phone": "13900000001",
            "email": "",
        },
    )
    assert edit.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13900000001" and not person.is_active


def test_a_duplicate_unit_name_is_refused_and_nothing_changes(client, cast):
    client.force_login(cast.secretariat)
    refused = client.post(
        reverse("unit_new"), {"form": "unit", "name": cast.power.name, "kind": "utility"}
    )
    assert refused.status_code == 400
    assert Unit.objects.filter(name=cast.power.name).count() == 1
    assert not RecordChange.objects.exists()


def test_the_secretariats_and_administrators_accounts_are_not_kept_here(client, cast):
    client.force_login(cast.secretariat)
    assert client.get(reverse("person_edit", args=[cast.admin.pk])).status_code == 404
    refused = client.post(
        reverse("unit_detail", args=[cast.power.pk]),
        {
            "form": "person",
            "person-username": "x1",
            "person-name": "某人",
            "person-role": "admin",
        },
    )
    assert refused.status_code == 400
    assert not User.objects.filter(username="x1").exists()


def test_the_api_twins(client, cast):
    client.force_login(cast.secretariat)
    unit = client.post(
        "/api/v1/units", {"name": "税务分局", "kind": "bureau"}, content_type="application/json"
    )
    assert unit.status_code == 201, unit.content
    unit_id = unit.json()["id"]
    assert (
        client.patch(
            f"/api/v1/units/{unit_id}", {"short_name": "税务"}, content_type="application/json"
        ).status_code
        == 200
    )
    person = client.post(
        f"/api/v1/units/{unit_id}/people",
        {"username": "tax01", "name": "吴科长", "role": "unit_officer"},
        content_type="application/json",
    )
    assert person.status_code == 201, person.content
    patched = client.patch(
        f"/api/v1/people/{person.json()['id']}",
        {"phone": "0746-1234567"},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert User.objects.get(username="tax01").phone == "0746-1234567"


@pytest.mark.parametrize("who", ["leader", "power_officer", "acme_contact"])
def test_only_the_secretariat_keeps_units(client, cast, who):
    client.force_login(getattr(cast, who))
    for url in [
        reverse("units"),
        reverse("unit_new"),
        reverse("unit_detail", args=[cast.power.pk]),
        reverse("person_edit", args=[cast.power_officer.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    api = client.post(
        "/api/v1/units", {"name": "某单位", "kind": "bureau"}, content_type="application/json"
    )
    assert api.status_code == 403
    assert not Unit.objects.filter(name="某单位").exists()
