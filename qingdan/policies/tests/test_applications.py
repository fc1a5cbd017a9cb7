"""申报 → 审核 → 兑现: every step through the engine with its event; refusals write nothing;
an enterprise sees only its own applications; the reviewing unit only its policies'; the API
follows the same rules; the KPIs count what was stored."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingdan.api.models import issue_token
from qingdan.enterprises import actions as records
from qingdan.lib import clock
from qingdan.lib.errors import InvalidInput, NotAllowed
from qingdan.policies import actions, figures
from qingdan.policies.colours import colour_of
from qingdan.policies.models import Application, ApplicationEvent, State
from qingdan.problems.warnings import cutoffs

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, name='test')[1]}"}


@pytest.fixture
def policy(cast):
    policy = actions.create_policy(
        actor=cast.secretariat,
        values={
            "title": "技改补助",
            "issuer": "园区经发局",
            "valid_from": date(2026, 1, 1),
            "benefit": "设备投资 10% 补助",
            "summary": "技改企业可申请",
            "review_unit": cast.power,
            "review_days": 5,
        },
    )
    actions.publish_policy(policy, actor=cast.secretariat)
    return policy


def events(application):
    return list(
        ApplicationEvent.objects.filter(application=application).values_list("action", "to_state")
    )


def test_full_journey_writes_one_event_per_step(cast, policy):
    pdf = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    application = actions.apply(policy, actor=cast.acme_contact, statement="申请", files=[pdf])
    assert application.state == State.SUBMITTED and application.materials.count() == 1
    assert application.review_deadline > clock.today()
    actions.request_info(application, actor=cast.power_officer, note="补充发票")
    actions.resubmit(application, actor=cast.acme_contact, note="已补充")
    actions.approve(application, actor=cast.power_officer)
    with pytest.raises(NotAllowed):  # the unit reviews; the secretariat records the payment
        actions.pay(
            application,
            actor=cast.power_officer,
            amount_wan_yuan=Decimal(20),
            paid_on=clock.today(),
        )
    actions.pay(
        application, actor=cast.secretariat, amount_wan_yuan=Decimal("20.5"), paid_on=clock.today()
    )
    application.refresh_from_db()
    assert application.state == State.PAID and application.amount_wan_yuan == Decimal("20.5")
    assert events(application) == [
        ("submit", "submitted"),
        ("request_info", "more_info"),
        ("resubmit", "submitted"),
        ("approve", "approved"),
        ("pay", "paid"),
    ]
    totals = figures.totals()
    assert totals["applications"] == 1 and totals["paid"] == 1
    assert totals["amount"] == Decimal("20.5") and totals["average_days_to_payment"] == 0
    week = figures.week(clock.today() - timedelta(days=6), clock.today() + timedelta(days=1))
    assert week["received"] == 1 and week["paid"] == 1


def test_refusals_write_no_event(cast, policy):
    application = actions.apply(policy, actor=cast.acme_contact)
    before = events(application)
    with pytest.raises(InvalidInput):
        actions.refuse(application, actor=cast.power_officer, reason="  ")
    with pytest.raises(NotAllowed):  # another unit
        actions.approve(application, actor=cast.water_officer)
    with pytest.raises(NotAllowed):  # the enterprise cannot approve itself
        actions.approve(application, actor=cast.acme_contact)
    with pytest.raises(NotAllowed):  # not approved yet
        actions.pay(
            application, actor=cast.secretariat, amount_wan_yuan=Decimal(1), paid_on=clock.today()
        )
    with pytest.raises(InvalidInput):  # one live application per enterprise and policy
        actions.apply(policy, actor=cast.acme_contact)
    assert events(application) == before and Application.objects.count() == 1
    actions.refuse(application, actor=cast.power_officer, reason="不在支持范围")
    application.refresh_from_db()
    assert application.reason == "不在支持范围" and events(application)[-1] == ("refuse", "refused")


def test_apply_only_in_window_and_by_enterprises(cast, policy):
    with pytest.raises(NotAllowed):
        actions.apply(policy, actor=cast.secretariat)
    actions.update_policy(
        policy,
        actor=cast.secretariat,
        values={
            "window_opens": date(2026, 1, 1),
            "window_closes": clock.today() - timedelta(days=1),
            "valid_from": policy.valid_from,
        },
    )
    with pytest.raises(InvalidInput):
        actions.apply(policy, actor=cast.acme_contact)
    assert not ApplicationEvent.objects.exists()


def test_review_colour_follows_the_deadline(cast, policy):
    application = actions.apply(policy, actor=cast.acme_contact)
    assert colour_of(application, cutoffs()) in ("", "blue")
    late = cutoffs(application.review_deadline + timedelta(days=30))
    assert colour_of(application, late) == "red"


def test_who_sees_which_application(client, cast, policy):
    mine = actions.apply(policy, actor=cast.acme_contact)
    theirs = actions.apply(policy, actor=cast.globex_contact)
    url = reverse("policies:application", args=[theirs.code])
    client.force_login(cast.acme_contact)
    assert client.get(url).status_code == 404
    assert client.get(reverse("policies:application", args=[mine.code])).status_code == 200
    client.force_login(cast.water_officer)  # not the reviewing unit
    assert client.get(url).status_code == 404
    client.force_login(cast.power_officer)
    assert client.get(url).status_code == 200
    api = client.get("/api/v1/policy-applications", **bearer(cast.acme_contact)).json()
    assert [a["code"] for a in api] == [mine.code]
    assert (
        client.get(
            f"/api/v1/policy-applications/{theirs.code}", **bearer(cast.acme_contact)
        ).status_code
        == 404
    )
    step = client.post(
        f"/api/v1/policy-applications/{theirs.code}/actions/withdraw",
        "{}",
        content_type="application/json",
        **bearer(cast.acme_contact),
    )
    assert step.status_code == 404
    assert client.get("/api/v1/policy-kpis", **bearer(cast.acme_contact)).status_code == 403


def test_api_steps_use_the_same_forms_and_rules(client, cast, policy):
    post = lambda url, data, user: client.post(  # noqa: E731
        url, json.dumps(data), content_type="application/json", **bearer(user)
    )
    made = post(f"/api/v1/policies/{policy.code}/apply", {"statement": "申请"}, cast.acme_contact)
    assert made.status_code == 201
    code = made.json()["code"]
    base = f"/api/v1/policy-applications/{code}/actions"
    assert post(f"{base}/refuse", {"reason": ""}, cast.power_officer).status_code == 422
    assert post(f"{base}/approve", {}, cast.power_officer).json()["state"] == "approved"
    paid = post(
        f"{base}/pay", {"amount_wan_yuan": "12", "paid_on": str(clock.today())}, cast.secretariat
    )
    assert paid.json()["state"] == "paid" and paid.json()["amount_wan_yuan"] == "12.00"
    kpis = client.get("/api/v1/policy-kpis", **bearer(cast.leader)).json()
    assert kpis["paid"] == 1 and kpis["amount"] == "12.00"


def test_exempt_policy_pays_the_approved_list(client, cast):
    policy = actions.create_policy(
        actor=cast.secretariat,
        values={
            "title": "高企奖励",
            "issuer": "科技局",
            "valid_from": date(2026, 1, 1),
            "benefit": "奖励 20 万",
            "summary": "高企直接奖励",
            "exempt": True,
        },
    )
    actions.add_condition(
        policy, actor=cast.secretariat, kind="tag", operator="has", value="high_tech"
    )
    actions.publish_policy(policy, actor=cast.secretariat)
    records.save_record(cast.acme, actor=cast.secretariat, values={"tags": ["high_tech"]})
    with pytest.raises(InvalidInput):  # Globex's record says nothing: not eligible
        actions.grant_exempt(policy, actor=cast.secretariat, enterprises=[cast.globex])
    with pytest.raises(InvalidInput):  # no application for a 免申即享 policy
        actions.apply(policy, actor=cast.acme_contact)
    client.force_login(cast.secretariat)
    page = client.get(policy.get_absolute_url()).content.decode()
    assert "免申即享" in page and cast.acme.name in page
    client.post(reverse("policies:grant", args=[policy.code]), {"enterprises": [cast.acme.pk]})
    granted = Application.objects.get(policy=policy)
    assert granted.exempt and granted.state == State.APPROVED and granted.applicant is None
    assert events(granted) == [("grant", "approved")]
    actions.pay(granted, actor=cast.secretariat, amount_wan_yuan=Decimal(20), paid_on=clock.today())
    assert figures.totals()["exempt"] == 1


def test_enterprise_sees_its_matches_on_its_page_and_applies(client, cast, policy):
    client.force_login(cast.acme_contact)
    page = client.get(reverse("enterprises:detail", args=[cast.acme.credit_code])).content.decode()
    assert policy.title in page
    response = client.post(reverse("policies:apply", args=[policy.code]), {"statement": "请审核"})
    application = Application.objects.get()
    assert response.url == application.get_absolute_url()
    client.force_login(cast.power_officer)
    client.post(
        reverse("policies:act", args=[application.code, "approve"]),
        {"version": application.version},
    )
    application.refresh_from_db()
    assert application.state == State.APPROVED
    client.force_login(cast.secretariat)
    client.post(
        reverse("policies:act", args=[application.code, "pay"]),
        {"version": application.version, "amount_wan_yuan": "30", "paid_on": str(clock.today())},
    )
    dashboard = client.get(reverse("projects:dashboard")).content.decode()
    assert 'data-kpi="paid">1<' in dashboard and 'data-kpi="amount">30.00<' in dashboard


def test_secretariat_writes_policies_others_cannot(client, cast):
    client.force_login(cast.power_officer)
    assert client.get(reverse("policies:new")).status_code == 403
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("policies:new"),
        {
            "title": "稳岗补贴",
            "issuer": "人社局",
            "valid_from": "2026-01-01",
            "summary": "不裁员给补贴",
            "benefit": "每人 1000 元",
            "review_days": 10,
        },
    )
    assert response.status_code == 302
    client.force_login(cast.acme_contact)  # a draft is not seen
    assert client.get(response.url).status_code == 404


def test_materials_are_served_only_to_those_who_see_the_application(client, cast, policy):
    pdf = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    application = actions.apply(policy, actor=cast.acme_contact, files=[pdf])
    material = application.materials.get()
    url = reverse("policies:material", args=[application.code, material.pk])
    client.force_login(cast.globex_contact)
    assert client.get(url).status_code == 404
    client.force_login(cast.acme_contact)
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput):
        actions.apply(policy, actor=cast.globex_contact, files=[bad])
    assert not Application.objects.filter(enterprise=cast.globex).exists()


def test_api_apply_then_attach_materials_as_multipart(client, cast, policy):
    from qingdan.notifications.models import Notification

    made = client.post(
        f"/api/v1/policies/{policy.code}/apply",
        json.dumps({"statement": "申请"}),
        content_type="application/json",
        **bearer(cast.acme_contact),
    )
    code = made.json()["code"]
    url = f"/api/v1/policy-applications/{code}/materials"
    application = Application.objects.get(code=code)

    def attach(user, *files, **fields):
        return client.post(url, {"files": list(files), **fields}, **bearer(user))

    def pdf(name="申请书.pdf"):
        return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")

    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    # One refused file refuses the step: nothing stored, no event, the reviewers not told.
    refused = attach(cast.acme_contact, pdf(), bad)
    assert refused.status_code == 422 and "files" in refused.json()["error"]["fields"]
    assert attach(cast.acme_contact).status_code == 422  # at least one file
    assert events(application) == [("submit", "submitted")]
    assert application.materials.count() == 0
    # Another enterprise cannot find it; the reviewing unit cannot add the applicant's materials.
    assert attach(cast.globex_contact, pdf()).status_code == 404
    assert attach(cast.power_officer, pdf()).status_code == 403
    told_before = Notification.objects.filter(recipient=cast.power_officer).count()
    done = attach(cast.acme_contact, pdf(), pdf("营业执照.pdf"), note="补充材料")
    assert done.status_code == 200 and done.json()["state"] == "submitted"
    assert sorted(application.materials.values_list("name", flat=True)) == [
        "申请书.pdf",
        "营业执照.pdf",
    ]
    added = ApplicationEvent.objects.filter(application=application).last()
    assert (added.action, added.to_state, added.note) == ("add_materials", "submitted", "补充材料")
    assert set(application.materials.values_list("event", flat=True)) == {added.pk}
    assert Notification.objects.filter(recipient=cast.power_officer).count() == told_before + 1
    # Once decided, no more materials.
    actions.approve(application, actor=cast.power_officer)
    assert attach(cast.acme_contact, pdf()).status_code == 403
    assert application.materials.count() == 2


def test_one_refused_file_refuses_the_added_materials(cast, policy):
    application = actions.apply(policy, actor=cast.acme_contact)
    good = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput):
        actions.add_materials(application, actor=cast.acme_contact, files=[good, bad])
    with pytest.raises(InvalidInput):
        actions.add_materials(application, actor=cast.acme_contact, files=[])
    assert events(application) == [("submit", "submitted")]
    assert application.materials.count() == 0


def test_a_refused_file_leaves_the_resubmission_undone(cast, policy):
    application = actions.apply(policy, actor=cast.acme_contact)
    actions.request_info(application, actor=cast.power_officer, note="补充发票")
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput):
        actions.resubmit(application, actor=cast.acme_contact, files=[bad])
    application.refresh_from_db()
    assert application.state == State.MORE_INFO
    assert events(application)[-1] == ("request_info", "more_info")


def test_the_weekly_bulletin_counts_the_week_s_payments_in_every_format(cast, policy):
    import io

    import openpyxl
    from docx import Document

    from qingdan.bulletins import actions as bulletin_actions
    from qingdan.bulletins import render
    from qingdan.bulletins.content import monday_of

    application = actions.apply(policy, actor=cast.acme_contact, statement="申请")
    actions.approve(application, actor=cast.power_officer)
    actions.pay(
        application, actor=cast.secretariat, amount_wan_yuan=Decimal("12.5"), paid_on=clock.today()
    )
    draft = bulletin_actions.generate_draft(monday_of(clock.today()), actor=cast.secretariat)
    frozen = {s["key"]: s["figures"] for s in draft.content["sections"]}
    assert frozen["policies"] == {
        "received": 1,
        "paid": 1,
        "amount_wan_yuan": "12.50",
        "average_days_to_payment": "0.0",
    }
    meta = bulletin_actions.meta_of(draft)
    words = "\n".join(
        cell.text
        for table in Document(io.BytesIO(render.render_docx(draft.content, meta))).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "已兑现申请" in words and "12.50" in words
    book = openpyxl.load_workbook(io.BytesIO(render.render_xlsx(draft.content, meta)))
    sheet = book["惠企政策兑现"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["兑现金额（万元）"] == 12.5 and values["已兑现申请"] == 1
