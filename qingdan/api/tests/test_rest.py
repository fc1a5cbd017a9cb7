import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from qingdan.api.models import ApiToken, IdempotencyRecord, hash_token, issue_token
from qingdan.problems.models import Problem, ProblemEvent

pytestmark = pytest.mark.django_db
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='test')[1]}"}


def post(client, url, data, auth, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **auth, **extra)


def test_token_is_shown_once_stored_hashed_and_revocable(client, cast):
    client.force_login(cast.acme_contact)
    page = client.post(reverse("api_tokens"), {"name": "小程序"})
    secret = page.context["secret"]
    token = ApiToken.objects.get()
    assert secret.startswith("qd_") and token.key_hash == hash_token(secret)
    assert secret not in token.key_hash and secret not in token.hint + "x" * 40
    assert secret not in client.get(reverse("api_tokens")).content.decode()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client.logout()
    assert client.get("/api/v1/problems", **auth).status_code == 200
    client.force_login(cast.acme_contact)
    client.post(reverse("api_token_revoke", args=[token.pk]))
    client.logout()
    response = client.get("/api/v1/problems", **auth)
    assert response.status_code == 401 and response.json()["error"]["code"] == "unauthenticated"


def test_other_people_cannot_revoke_my_token(client, cast):
    token, _secret = issue_token(cast.acme_contact, name="x")
    client.force_login(cast.globex_contact)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked is None


def test_expired_token_is_refused(client, cast):
    from datetime import timedelta

    from qingdan.lib import clock

    _token, secret = issue_token(cast.acme_contact, name="x", expires=clock.now() - timedelta(1))
    assert client.get("/api/v1/problems", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401


def test_api_token_command_prints_only_a_working_token(client, cast, capsys):
    call_command("api_token", "t-acme")
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith("qd_")
    response = client.get("/api/v1/problems", HTTP_AUTHORIZATION=f"Bearer {out.strip()}")
    assert response.status_code == 200


def test_enterprise_creates_and_sees_only_its_own(client, cast, make_problem):
    theirs = make_problem(enterprise=cast.globex, title="乙公司问题")
    auth = bearer(cast.acme_contact)
    body = {"title": "停电", "description": "昨晚停电", "category": "utilities"}
    response = post(client, "/api/v1/problems", body, auth)
    assert response.status_code == 201
    body = response.json()
    assert body["enterprise"]["id"] == cast.acme.pk and body["status"] == "submitted"
    assert body["timeline"][0]["action"] == "raise"
    assert ProblemEvent.objects.get(problem__number=body["number"]).actor == cast.acme_contact
    listed = client.get("/api/v1/problems", **auth).json()["items"]
    assert [p["number"] for p in listed] == [body["number"]]
    assert client.get(f"/api/v1/problems/{theirs.number}", **auth).status_code == 404
    assert (
        post(
            client, f"/api/v1/problems/{theirs.number}/actions/add_info", {"text": "x"}, auth
        ).status_code
        == 404
    )


def test_secretariat_assigns_and_unit_signs_through_the_api(client, cast, make_problem):
    problem = make_problem("accepted")
    sec = bearer(cast.secretariat)
    response = post(
        client,
        f"/api/v1/problems/{problem.number}/actions/assign",
        {
            "lead_unit": cast.power.pk,
            "sign_deadline": "2099-01-01",
            "deadline": "2099-01-10",
            "division": "抢修",
        },
        sec,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "assigned"
    assert ProblemEvent.objects.filter(problem=problem, action="assign").exists()
    water = bearer(cast.water_officer)
    assert (
        post(client, f"/api/v1/problems/{problem.number}/actions/sign", {}, water).status_code
        == 404
    )
    power = bearer(cast.power_officer)
    stale = post(client, f"/api/v1/problems/{problem.number}/actions/sign", {"version": 1}, power)
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "conflict"
    ok = post(client, f"/api/v1/problems/{problem.number}/actions/sign", {"version": 3}, power)
    assert ok.status_code == 200 and ok.json()["status"] == "in_progress"
    wrong_state = post(client, f"/api/v1/problems/{problem.number}/actions/sign", {}, power)
    assert wrong_state.status_code == 403 and wrong_state.json()["error"]["code"] == "not_allowed"


def test_errors_are_json_with_fields_and_follow_accept_language(client, cast):
    auth = bearer(cast.acme_contact)
    response = post(
        client,
        "/api/v1/problems",
        {"title": "x", "description": "y", "category": "nope"},
        auth,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 422
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert "category" in response.json()["error"]["fields"]
    assert "字段" in response.json()["error"]["message"]
    english = post(client, "/api/v1/problems", {"title": 1}, auth, HTTP_ACCEPT_LANGUAGE="en")
    assert (
        english.status_code == 422
        and english.json()["error"]["message"] == "Some fields are invalid."
    )
    assert not Problem.objects.exists()
    action = post(client, "/api/v1/problems/QD-2026-999999/actions/accept", {}, auth)
    assert action.status_code == 404 and action.json()["error"]["code"] == "not_found"


def test_invalid_action_input_is_422_and_writes_nothing(client, cast, make_problem):
    problem = make_problem()
    response = post(
        client, f"/api/v1/problems/{problem.number}/actions/decline", {}, bearer(cast.secretariat)
    )
    assert response.status_code == 422 and "reason" in response.json()["error"]["fields"]
    assert problem.events.count() == 1


def test_cursor_pages_are_stable_under_inserts_and_limited_to_200(client, cast, make_problem):
    made = [make_problem(title=f"p{i}").number for i in range(5)]
    auth = bearer(cast.secretariat)
    first = client.get("/api/v1/problems", {"limit": 2}, **auth).json()
    make_problem(title="新插入")  # arrives between two page requests
    second = client.get(
        "/api/v1/problems", {"limit": 2, "cursor": first["next_cursor"]}, **auth
    ).json()
    third = client.get(
        "/api/v1/problems", {"limit": 2, "cursor": second["next_cursor"]}, **auth
    ).json()
    seen = [p["number"] for page in (first, second, third) for p in page["items"]]
    assert seen == list(reversed(made)) and third["next_cursor"] is None
    assert client.get("/api/v1/problems", {"limit": 201}, **auth).status_code == 422
    assert client.get("/api/v1/problems", {"cursor": "!!!"}, **auth).status_code == 400


def test_filters(client, cast, make_problem):
    assigned = make_problem("assigned")
    make_problem(enterprise=cast.globex)
    auth = bearer(cast.secretariat)

    def numbers(**params):
        return [p["number"] for p in client.get("/api/v1/problems", params, **auth).json()["items"]]

    assert numbers(status="assigned") == [assigned.number]
    assert numbers(unit=cast.power.pk) == [assigned.number]
    assert numbers(enterprise=cast.acme.credit_code) == [assigned.number]
    assert numbers(category="utilities", raised_after="2000-01-01")[-1] == assigned.number
    assert numbers(colour="red") == []


def test_idempotency_key_replays_the_first_answer_and_refuses_another_body(client, cast):
    auth = bearer(cast.acme_contact)
    body = {"title": "停电", "description": "昨晚停电", "category": "utilities"}
    first = post(client, "/api/v1/problems", body, auth, HTTP_IDEMPOTENCY_KEY="abc")
    again = post(client, "/api/v1/problems", body, auth, HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Problem.objects.count() == 1
    other = post(
        client, "/api/v1/problems", body | {"title": "别的"}, auth, HTTP_IDEMPOTENCY_KEY="abc"
    )
    assert other.status_code == 409 and Problem.objects.count() == 1
    # Another caller may use the same key for its own request.
    mine = post(
        client,
        "/api/v1/problems",
        body | {"enterprise": cast.acme.credit_code},
        bearer(cast.secretariat),
        HTTP_IDEMPOTENCY_KEY="abc",
    )
    assert mine.status_code == 201 and Problem.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 2


def test_writes_are_rate_limited_with_retry_after(client, cast, settings):
    settings.QINGDAN = settings.QINGDAN | {"API_WRITE_RATE_PER_CALLER": "2/m"}
    from django.core.cache import cache

    cache.clear()
    auth = bearer(cast.acme_contact)
    body = {"title": "停电", "description": "x", "category": "utilities"}
    codes = [post(client, "/api/v1/problems", body, auth).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    limited = post(client, "/api/v1/problems", body, auth)
    assert int(limited["Retry-After"]) >= 1 and limited.json()["error"]["code"] == "rate_limited"
    assert Problem.objects.count() == 2


def test_attachment_upload_checks_the_content(client, cast, make_problem):
    problem = make_problem()
    auth = bearer(cast.acme_contact)
    url = f"/api/v1/problems/{problem.number}/attachments"
    bad = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"not a pdf")}, **auth)
    assert bad.status_code == 422 and problem.attachments.count() == 0
    good = client.post(url, {"file": SimpleUploadedFile("a.png", PNG), "note": "现场照片"}, **auth)
    assert good.status_code == 200 and problem.attachments.count() == 1
    assert good.json()["timeline"][-1]["action"] == "add_info"
    assert (
        client.post(
            url, {"file": SimpleUploadedFile("a.png", PNG)}, **bearer(cast.globex_contact)
        ).status_code
        == 404
    )


def test_session_authentication_works_for_the_sites_own_pages(client, cast):
    client.force_login(cast.acme_contact)
    assert client.get("/api/v1/problems").status_code == 200
    assert client.get("/api/v1/units").status_code == 200


def test_reference_endpoints_respect_permissions(client, cast):
    ent = bearer(cast.acme_contact)
    assert [e["id"] for e in client.get("/api/v1/enterprises", **ent).json()] == [cast.acme.pk]
    assert client.get("/api/v1/exchange-days", **ent).status_code == 403
    assert client.get("/api/v1/exchange-days", **bearer(cast.leader)).status_code == 200
    assert client.get("/api/v1/bulletins").status_code == 200  # public
    assert client.get("/api/v1/openapi.json").status_code == 200


def test_challenges_are_readable_by_everyone_and_act_with_permissions(client, cast):
    from datetime import timedelta

    from qingdan.challenges import actions as challenge_actions
    from qingdan.lib import clock

    today = clock.today()
    challenge = challenge_actions.create(
        actor=cast.secretariat,
        title="揭榜",
        goal="目标",
        owner_unit=cast.power,
        application_deadline=today + timedelta(days=5),
        delivery_deadline=today + timedelta(90),
    )
    assert client.get("/api/v1/challenges").json() == []  # a draft is not public
    url = f"/api/v1/challenges/{challenge.code}/actions/publish"
    hidden = post(client, url, {}, bearer(cast.power_officer))
    assert hidden.status_code == 404  # a draft is the secretariat's alone
    refused = post(client, url, {}, bearer(cast.leader))
    assert refused.status_code == 404
    done = post(client, url, {"version": challenge.version}, bearer(cast.secretariat))
    assert done.status_code == 200 and done.json()["state"] == "published"
    not_yours = post(
        client,
        f"/api/v1/challenges/{challenge.code}/actions/start_review",
        {},
        bearer(cast.power_officer),
    )
    assert not_yours.status_code == 403
    public = client.get("/api/v1/challenges").json()
    assert [c["code"] for c in public] == [challenge.code] and public[0]["allowed_actions"] == []
    applied = post(
        client,
        f"/api/v1/challenges/{challenge.code}/actions/apply",
        {
            "team_kind": "enterprise",
            "team_name": "甲公司团队",
            "leader_name": "张",
            "plan": "p",
            "milestones": f"{today + timedelta(days=30)} 设计",
            "commitment": "c",
        },
        bearer(cast.acme_contact),
    )
    assert applied.status_code == 200 and "withdraw" in applied.json()["allowed_actions"]


def test_idempotency_keys_belong_to_their_caller_whatever_the_credentials(client, cast, category):
    body = {"title": "停电", "description": "昨晚停电", "category": "utilities"}
    # An anonymous request cannot burn a key for anyone (it is refused and not recorded).
    anonymous = post(client, "/api/v1/problems", body, {}, HTTP_IDEMPOTENCY_KEY="k1")
    assert anonymous.status_code == 401
    mine = post(
        client, "/api/v1/problems", body, bearer(cast.acme_contact), HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert mine.status_code == 201 and "Idempotent-Replayed" not in mine
    # Two Open311 clients with their api_key in the query string are two callers.
    for user in (cast.acme_contact, cast.globex_contact):
        secret = issue_token(user, name="311")[1]
        response = client.post(
            f"/open311/v2/requests.json?api_key={secret}",
            {"service_code": category.code, "description": "水压低"},
            HTTP_IDEMPOTENCY_KEY="k2",
        )
        assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Problem.objects.count() == 3
    # The same caller through another of its tokens retries safely.
    again = post(
        client, "/api/v1/problems", body, bearer(cast.acme_contact), HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert again["Idempotent-Replayed"] == "true" and Problem.objects.count() == 3
    # The query string is part of what the key stands for.
    other = post(
        client, "/api/v1/problems?x=1", body, bearer(cast.acme_contact), HTTP_IDEMPOTENCY_KEY="k1"
    )
    assert other.status_code == 409


def test_field_errors_are_said_in_the_callers_language(client, cast):
    auth = bearer(cast.acme_contact)
    body = {"title": "长" * 121, "description": "x", "category": "utilities"}
    chinese = post(client, "/api/v1/problems", body, auth, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert chinese.status_code == 422
    assert chinese.json()["error"]["fields"]["title"] == ["最多120个字符。"]
    english = post(client, "/api/v1/problems", body, auth, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error"]["fields"]["title"] == ["At most 120 characters."]
