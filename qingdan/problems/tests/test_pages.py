import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingdan.problems.commands import ACTIONS
from qingdan.problems.models import Attachment, Problem, ProblemEvent, Status

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def act_url(problem, action):
    return reverse("problems:act", args=[problem.number, action])


def test_enterprise_raises_a_problem_with_a_photo(client, cast, category):
    client.force_login(cast.acme_contact)
    response = client.post(
        reverse("problems:new"),
        {
            "title": "厂区停电",
            "description": "昨晚停电两小时",
            "category": category.code,
            "channel": "online",
            "urgency": "urgent",
            "may_name_publicly": "",
            "files": [SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
        },
    )
    problem = Problem.objects.get()
    assert response.status_code == 302 and response.url == problem.get_absolute_url()
    assert problem.enterprise == cast.acme and not problem.may_name_publicly
    assert problem.events.get().action == "raise"
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.event.action == "raise"
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG


def test_a_file_pretending_to_be_a_pdf_is_refused_and_nothing_is_saved(client, cast, category):
    client.force_login(cast.acme_contact)
    response = client.post(
        reverse("problems:new"),
        {
            "title": "x",
            "description": "y",
            "category": category.code,
            "channel": "online",
            "urgency": "normal",
            "files": [SimpleUploadedFile("report.pdf", b"#!/bin/sh\nrm -rf /\n")],
        },
    )
    assert response.status_code == 200
    assert "report.pdf" in response.content.decode()
    assert not Problem.objects.exists() and not Attachment.objects.exists()


def test_secretariat_raises_on_behalf_of_an_enterprise_found_by_credit_code(client, cast, category):
    client.force_login(cast.secretariat)
    client.post(
        reverse("problems:new"),
        {
            "enterprise": cast.globex.credit_code.lower(),
            "title": "招工难",
            "description": "缺少普工 200 人",
            "category": category.code,
            "channel": "exchange_day",
            "urgency": "normal",
            "may_name_publicly": "on",
        },
    )
    problem = Problem.objects.get()
    assert problem.enterprise == cast.globex and problem.raised_by == cast.secretariat


def test_other_enterprise_and_other_unit_get_404_for_page_action_and_file(
    client, cast, make_problem
):
    problem = make_problem("assigned")
    Attachment.objects.create(
        problem=problem,
        file=SimpleUploadedFile("a.png", PNG),
        name="a.png",
        content_type="image/png",
        size=len(PNG),
        created=problem.created,
    )
    file_url = reverse("problems:attachment", args=[problem.number, Attachment.objects.get().pk])
    for outsider in (cast.globex_contact, cast.water_officer):
        client.force_login(outsider)
        assert client.get(problem.get_absolute_url()).status_code == 404
        assert client.get(file_url).status_code == 404
        response = client.post(act_url(problem, "sign"), {"sign-version": problem.version})
        assert response.status_code == 404
    assert problem.events.count() == 3
    client.force_login(cast.acme_contact)
    assert client.get(problem.get_absolute_url()).status_code == 200


def test_co_unit_sees_the_task_but_cannot_sign_it(client, cast, make_problem):
    problem = make_problem("assigned", co_units=[(cast.water, "配合")])
    client.force_login(cast.water_officer)
    page = client.get(problem.get_absolute_url())
    assert page.status_code == 200
    assert [name for name, _label, _form in page.context["forms"]] == []
    response = client.post(act_url(problem, "sign"), {"sign-version": problem.version})
    assert response.status_code == 403
    assert problem.events.count() == 3


def test_lists_show_only_what_each_person_may_see(client, cast, make_problem):
    mine = make_problem("assigned")
    theirs = make_problem("submitted", enterprise=cast.globex, title="乙公司的问题")
    client.force_login(cast.acme_contact)
    numbers = {p.number for p, _c in client.get(reverse("problems:list")).context["rows"]}
    assert numbers == {mine.number}
    client.force_login(cast.globex_contact)
    numbers = {p.number for p, _c in client.get(reverse("problems:list")).context["rows"]}
    assert numbers == {theirs.number}
    client.force_login(cast.water_officer)
    history = client.get(reverse("problems:inbox") + "?tab=history").context["rows"]
    assert history == []
    client.force_login(cast.power_officer)
    to_sign = client.get(reverse("problems:inbox")).context["rows"]
    assert [p.number for p, _c in to_sign] == [mine.number]


@pytest.mark.parametrize(
    "name", ["problems:intake", "problems:approvals", "problems:overdue", "problems:overview"]
)
def test_secretariat_pages_are_closed_to_enterprises_and_units(client, cast, name):
    for outsider in (cast.acme_contact, cast.power_officer):
        client.force_login(outsider)
        assert client.get(reverse(name)).status_code == 403
    client.force_login(cast.secretariat)
    assert client.get(reverse(name)).status_code == 200


def test_unit_inbox_is_for_units_only(client, cast):
    client.force_login(cast.acme_contact)
    assert client.get(reverse("problems:inbox")).status_code == 403


def test_leader_sees_overview_and_can_drill_down_and_only_supervises(client, cast, make_problem):
    problem = make_problem("assigned")
    client.force_login(cast.leader)
    overview = client.get(reverse("problems:overview"))
    row = next(r for r in overview.context["rows"] if r["lead_unit"] == cast.power.pk)
    assert row["running"] == 1
    drill = client.get(reverse("problems:list") + f"?unit={cast.power.pk}&status=open")
    assert [p.number for p, _c in drill.context["rows"]] == [problem.number]
    # A leader does not handle tasks: supervision (督办) and instructions (批示) only.
    forms = client.get(problem.get_absolute_url()).context["forms"]
    assert [name for name, _label, _form in forms] == ["supervise", "instruct"]


def test_stale_page_gets_changed_by_someone_else_and_nothing_is_written(client, cast, make_problem):
    problem = make_problem("assigned")
    stale = problem.version
    client.force_login(cast.power_head)
    assert client.post(act_url(problem, "sign"), {"sign-version": stale}).status_code == 302
    client.force_login(cast.power_officer)
    response = client.post(
        act_url(problem, "return"), {"return-version": stale, "return-reason": "不归我们"}
    )
    assert response.status_code == 409
    assert (
        "changed by someone else" in response.content.decode()
        or "他人" in response.content.decode()
    )
    assert problem.events.order_by("-id").first().action == "sign"


def test_assign_form_shows_the_computed_default_deadline(client, cast, make_problem):
    problem = make_problem("accepted")
    client.force_login(cast.secretariat)
    page = client.get(problem.get_absolute_url())
    form = dict((name, form) for name, _label, form in page.context["forms"])["assign"]
    assert form.initial["deadline"] is not None
    assert f'value="{form.initial["deadline"]:%Y-%m-%d}"' in page.content.decode()


def test_web_assign_sign_and_complete(client, cast, make_problem):
    problem = make_problem("accepted")
    client.force_login(cast.secretariat)
    response = client.post(
        act_url(problem, "assign"),
        {
            "assign-version": problem.version,
            "assign-lead_unit": cast.power.pk,
            "assign-responsible": cast.power_officer.pk,
            "assign-division": "抢修",
            "assign-sign_deadline": "2099-01-01",
            "assign-deadline": "2099-01-10",
            "assign-co_unit_1": cast.water.pk,
            "assign-co_division_1": "配合",
        },
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Status.ASSIGNED and str(problem.deadline) == "2099-01-10"
    client.force_login(cast.power_officer)
    client.post(act_url(problem, "sign"), {"sign-version": problem.version})
    problem.refresh_from_db()
    response = client.post(
        act_url(problem, "complete"),
        {
            "complete-version": problem.version,
            "complete-report": "已处理",
            "complete-files": [SimpleUploadedFile("照片.png", PNG)],
        },
    )
    assert response.status_code == 302
    event = ProblemEvent.objects.filter(problem=problem).order_by("-id").first()
    assert event.action == "complete" and event.attachments.count() == 1


def test_invalid_form_changes_nothing(client, cast, make_problem):
    problem = make_problem("submitted")
    client.force_login(cast.secretariat)
    response = client.post(act_url(problem, "decline"), {"decline-version": problem.version})
    assert response.status_code == 400
    assert problem.events.count() == 1


def test_list_pages_use_a_fixed_number_of_queries(
    client, cast, make_problem, django_assert_max_num_queries
):
    for index in range(3):
        make_problem("assigned", title=f"问题{index}")
    client.force_login(cast.secretariat)
    # (the menu's to-do counts — appeals included — and the urge counts are a fixed few queries)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("problems:list"))
    for index in range(10):
        make_problem("assigned", title=f"更多{index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("problems:list"))


def test_keyset_pages_walk_the_whole_list_without_repeats(client, cast, make_problem):
    numbers = {make_problem(title=f"p{index}").number for index in range(7)}
    client.force_login(cast.secretariat)
    from qingdan.problems import views

    seen, url = [], reverse("problems:list")
    original = views.keyset_page
    views.keyset_page = lambda qs, order, cursor, size: original(qs, order, cursor, size=3)
    try:
        cursor = ""
        while True:
            page = client.get(url, {"after": cursor}).context["page"]
            seen += [p.number for p in page.items]
            cursor = page.next_cursor
            if not cursor:
                break
    finally:
        views.keyset_page = original
    assert len(seen) == 7 and set(seen) == numbers


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_action_answers_404_to_another_enterprise_and_unit(
    client, cast, make_problem, action
):
    problem = make_problem("in_progress")
    for outsider in (cast.globex_contact, cast.water_officer):
        client.force_login(outsider)
        response = client.post(act_url(problem, action), {f"{action}-version": problem.version})
        assert response.status_code == 404
    assert problem.events.count() == 4


def test_unknown_action_is_404(client, cast, make_problem):
    problem = make_problem()
    client.force_login(cast.secretariat)
    assert client.post(act_url(problem, "delete_everything")).status_code == 404


def test_secretariat_raising_with_an_ambiguous_name_is_asked_to_be_precise(client, cast, category):
    client.force_login(cast.secretariat)
    data = {
        "enterprise": "湖南",
        "title": "招工难",
        "description": "缺普工",
        "category": category.code,
        "channel": "exchange_day",
        "urgency": "normal",
    }
    response = client.post(reverse("problems:new"), data)
    assert response.status_code == 200 and "湖南甲电子有限公司" in response.content.decode()
    assert not Problem.objects.exists()
    client.post(reverse("problems:new"), data | {"enterprise": "乙新材料"})  # one match
    assert Problem.objects.get().enterprise == cast.globex
