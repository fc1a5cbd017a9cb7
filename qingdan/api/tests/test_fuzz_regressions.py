"""Inputs the API fuzz test (test_fuzz.py) once found to fail, kept so they never come back."""

import pytest

from qingdan.api.models import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def auth(cast):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(cast.secretariat, name='t')[1]}"}


@pytest.mark.parametrize("value", ["100000000000000000000000", str(2**63), "0", "-1"])
def test_a_unit_id_outside_the_id_range_is_refused_not_a_server_error(client, auth, value):
    response = client.get("/api/v1/problems", {"unit": value}, **auth)
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["unit"]


def test_the_largest_unit_id_finds_nothing(client, auth, make_problem):
    make_problem("assigned")
    response = client.get("/api/v1/problems", {"unit": str(2**63 - 1)}, **auth)
    assert response.status_code == 200 and response.json()["items"] == []
