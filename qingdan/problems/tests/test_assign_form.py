"""The assignment form helps (issue 16): the responsible person is chosen among the lead
unit's people only, and the list follows the lead unit (htmx)."""

import pytest
from django.urls import reverse

from qingdan.problems.models import ProblemEvent, Status

pytestmark = pytest.mark.django_db


def act_url(problem, action):
    return reverse("problems:act", args=[problem.number, action])


def test_the_responsible_list_holds_only_the_lead_units_people(client, cast, make_problem):
    problem = make_problem("accepted")
    client.force_login(cast.secretariat)
    page = client.get(problem.get_absolute_url())
    form = dict((name, form) for name, _label, form in page.context["forms"])["assign"]
    # No unit chosen yet: nobody listed; the lead unit's select asks for its people.
    assert list(form.fields["responsible"].queryset) == []
    html = page.content.decode()
    assert f'hx-get="{reverse("problems:responsible_options")}"' in html
    options = client.get(reverse("problems:responsible_options"), {"lead_unit": cast.power.pk})
    text = options.content.decode()
    assert cast.power_officer.name in text and cast.power_head.name in text
    assert cast.water_officer.name not in text


def test_a_person_of_another_unit_is_refused_and_nothing_changes(client, cast, make_problem):
    problem = make_problem("accepted")
    client.force_login(cast.secretariat)
    events = ProblemEvent.objects.count()
    response = client.post(
        act_url(problem, "assign"),
        {
            "assign-version": problem.version,
            "assign-lead_unit": cast.power.pk,
            "assign-responsible": cast.water_officer.pk,
        },
    )
    assert response.status_code == 400
    problem.refresh_from_db()
    assert problem.status == Status.ACCEPTED
    assert ProblemEvent.objects.count() == events
    # The form kept the chosen unit, and lists its people.
    form = dict((name, form) for name, _label, form in response.context["forms"])["assign"]
    assert set(form.fields["responsible"].queryset) == {cast.power_officer, cast.power_head}


def test_only_the_secretariat_asks_for_a_units_people(client, cast):
    client.force_login(cast.acme_contact)
    response = client.get(reverse("problems:responsible_options"), {"lead_unit": cast.power.pk})
    assert response.status_code == 403
