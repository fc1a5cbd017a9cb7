"""The admin speaks the reader's language too (issue 16): every registered model's list and one
of its records, in Chinese and in English, on the demo park, read like any page."""

import logging

import pytest
from django.contrib import admin
from django.urls import reverse

from qingdan.demo.tests import pagecheck
from qingdan.demo.tests.test_every_page import park, signed_in  # noqa: F401 (fixture)


@pytest.fixture
def quiet():
    logging.disable(logging.ERROR)
    yield
    logging.disable(logging.NOTSET)


def admin_pages():
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        yield reverse(f"{name}_changelist")
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            yield reverse(f"{name}_change", args=[first.pk])
        yield reverse(f"{name}_add")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ("zh-hans", "en"))
def test_every_admin_page_speaks_one_language(park, quiet, language):  # noqa: F811
    client = signed_in("admin", language)
    data = pagecheck.user_data()  # with the sign-in the admin's own log now holds
    faults = {}
    for url in admin_pages():
        response = client.get(url)
        if response.status_code == 403:  # a model the admin may not add to (read-only ledgers)
            continue
        assert response.status_code == 200, (url, response.status_code)
        for fault in pagecheck.faults(response.content.decode(), language, data):
            faults.setdefault(fault, url)
    assert not faults, "\n".join(f"{fault}  on {url}" for fault, url in sorted(faults.items()))


@pytest.mark.django_db
def test_a_record_s_json_is_shown_once_and_readable(park):  # noqa: F811
    from qingdan.problems.models import ProblemEvent

    event = ProblemEvent.objects.exclude(payload={}).order_by("pk").first()
    page = signed_in("admin", "zh-hans").get(
        reverse("admin:problems_problemevent_change", args=[event.pk])
    )
    html = page.content.decode()
    assert html.count("field-payload") == 1
    assert "<pre>" in html and "\\u" not in html  # Chinese as it is, not escaped
