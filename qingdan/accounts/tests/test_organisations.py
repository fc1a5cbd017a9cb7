import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from qingdan.accounts.models import Enterprise, Industry, Role, User
from qingdan.lib.creditcode import make_code

VALID = make_code("91", "431100", "MA4LX001")


def enterprise(**fields):
    values = {
        "name": "湖南测试电子有限公司",
        "credit_code": VALID,
        "industry": Industry.ELECTRONICS,
    }
    values.update(fields)
    return Enterprise(**values)


@pytest.mark.django_db
def test_wrong_check_character_is_rejected_naming_position_18():
    wrong = VALID[:17] + ("0" if VALID[17] != "0" else "1")
    with pytest.raises(ValidationError) as raised:
        enterprise(credit_code=wrong).full_clean()
    message = raised.value.message_dict["credit_code"][0]
    assert "18" in message and VALID[17] in message


@pytest.mark.django_db
def test_forbidden_letter_is_rejected_naming_its_position():
    code = VALID[:4] + "O" + VALID[5:]
    with pytest.raises(ValidationError) as raised:
        enterprise(credit_code=code).full_clean()
    assert "5" in raised.value.message_dict["credit_code"][0]


@pytest.mark.django_db
def test_credit_code_is_stored_normalised():
    company = enterprise(credit_code=" " + VALID.lower() + " ")
    company.full_clean()
    company.save()
    assert Enterprise.objects.get().credit_code == VALID


@pytest.mark.django_db
def test_duplicate_enterprise_gets_a_clear_message_and_nothing_is_written():
    enterprise().save()
    duplicate = enterprise(name="另一家公司")
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        duplicate.full_clean()
    with translation.override("en"):
        assert "already registered" in raised.value.message_dict["credit_code"][0]
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_duplicate_enterprise_in_admin_shows_message_in_chinese(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:accounts_enterprise_add"),
        {"name": "新公司", "credit_code": cast.acme.credit_code, "industry": "electronics"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "该统一社会信用代码的企业已登记" in response.content.decode()
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_person_without_organisation_is_refused_by_clean_and_by_the_database(cast):
    person = User(username="orphan", role=Role.UNIT_OFFICER)
    with pytest.raises(ValidationError) as raised:
        person.full_clean()
    assert "unit" in raised.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        person.save()
    assert not User.objects.filter(username="orphan").exists()


@pytest.mark.django_db
def test_enterprise_contact_needs_an_enterprise_not_a_unit(cast):
    person = User(username="x", role=Role.ENTERPRISE, unit=cast.power)
    with pytest.raises(ValidationError) as raised:
        person.full_clean(exclude=["password"])
    assert "enterprise" in raised.value.message_dict


@pytest.mark.django_db
def test_createsuperuser_makes_an_administrator_without_organisation():
    user = User.objects.create_superuser("root", "root@example.org", "x-long-password-1")
    assert user.role == Role.ADMIN and user.organisation is None


@pytest.mark.django_db
def test_unit_liaison_must_belong_to_the_unit(cast):
    cast.power.liaison = cast.water_officer
    with pytest.raises(ValidationError) as raised:
        cast.power.full_clean()
    assert "liaison" in raised.value.message_dict


@pytest.mark.django_db
def test_admin_is_in_chinese_and_lists_organisations(client, cast):
    client.force_login(cast.admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert "组织与人员" in page and "企业" in page and "单位" in page
    listing = client.get(reverse("admin:accounts_enterprise_changelist")).content.decode()
    assert cast.acme.name in listing and cast.globex.name in listing


@pytest.mark.django_db
def test_non_staff_cannot_open_the_admin(client, cast):
    client.force_login(cast.acme_contact)
    response = client.get(reverse("admin:accounts_enterprise_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url
