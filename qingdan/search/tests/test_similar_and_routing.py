from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from qingdan.accounts.models import Unit, UnitKind
from qingdan.problems import actions
from qingdan.problems.models import Category, Channel, Problem, ProblemEvent, ProblemLink, Status
from qingdan.search import learned, routing
from qingdan.search.models import RoutingModel
from qingdan.search.similar import find_similar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_model_and_dictionary():
    """Each test's database has its own routing model and dictionary: look again."""
    from qingdan.search import learned, tokens

    learned.forget()
    tokens.forget()


def raise_as(cast, category, title, description, enterprise=None, **fields):
    enterprise = enterprise or cast.acme
    contact = cast.acme_contact if enterprise == cast.acme else cast.globex_contact
    return actions.raise_problem(
        actor=contact,
        enterprise=enterprise,
        title=title,
        description=description,
        category=category,
        channel=Channel.ONLINE,
        **fields,
    )


def publish(*problems):
    """A published bulletin listing these problems, as its public list shows them."""
    from qingdan.bulletins.models import Bulletin
    from qingdan.lib import clock

    items = [
        {
            "number": p.number,
            "title": p.title,
            "enterprise_public": "某新材料企业" if not p.may_name_publicly else p.enterprise.name,
            "status": p.status,
            "status_label": str(Status(p.status).label),
        }
        for p in problems
    ]
    earlier = Bulletin.objects.count()  # each call publishes an earlier week
    week = clock.today() - timedelta(days=clock.today().weekday() + 7 * (earlier + 1))
    return Bulletin.objects.create(
        week_start=week,
        state=Bulletin.State.PUBLISHED,
        content={"items": items},
        generated_at=clock.now(),
        published_at=clock.now(),
    )


def numbers(matches):
    return {m.number for m in matches}


@pytest.fixture
def trips(cast, category):
    """Acme's open 跳闸 problem, Globex's (accepted and published in a bulletin, not to be
    named) and Globex's submitted one (not public yet), and an unrelated problem."""
    acme = raise_as(cast, category, "厂区线路频繁跳闸", "配电线路本月跳闸三次，停电影响生产")
    named = raise_as(
        cast,
        category,
        "车间线路频繁跳闸停电",
        "配电柜跳闸，停电两小时",
        enterprise=cast.globex,
        may_name_publicly=False,
    )
    actions.accept(named, actor=cast.secretariat)
    publish(named)
    hidden = raise_as(cast, category, "线路跳闸停电", "配电房跳闸停电", enterprise=cast.globex)
    other = raise_as(cast, category, "员工食堂伙食差", "希望更换食堂承包商")
    return {"acme": acme, "public": named, "hidden": hidden, "other": other}


# --- Similar problems -------------------------------------------------------------------------


def test_enterprise_sees_its_own_and_public_ones_redacted(cast, trips):
    matches = find_similar(cast.acme_contact, title="线路老是跳闸", description="车间经常停电")
    assert numbers(matches) == {trips["acme"].number, trips["public"].number}
    public = next(m for m in matches if m.number == trips["public"].number)
    assert public.public and cast.globex.name not in public.enterprise
    assert public.enterprise == "某新材料企业"
    own = next(m for m in matches if m.number == trips["acme"].number)
    assert not own.public and own.same_enterprise


def test_accepted_but_unpublished_problems_of_others_stay_hidden(cast, trips, category):
    accepted = raise_as(
        cast,
        category,
        "园区线路跳闸停电",
        "配电跳闸",
        enterprise=cast.globex,
        may_name_publicly=True,
    )
    actions.accept(accepted, actor=cast.secretariat)
    matches = find_similar(cast.acme_contact, title="线路老是跳闸", description="车间经常停电")
    assert accepted.number not in numbers(matches)
    publish(accepted)
    shown = {m.number: m for m in find_similar(cast.acme_contact, title="线路跳闸停电")}
    assert shown[accepted.number].public and shown[accepted.number].enterprise == cast.globex.name


def test_secretariat_sees_all_and_units_only_their_tasks(cast, trips):
    everything = find_similar(cast.secretariat, title="线路跳闸", description="停电")
    assert numbers(everything) == {
        trips["acme"].number,
        trips["public"].number,
        trips["hidden"].number,
    }
    assert find_similar(cast.power_officer, title="线路跳闸", description="停电") == []
    actions.accept(trips["acme"], actor=cast.secretariat)
    actions.assign(trips["acme"], actor=cast.secretariat, lead_unit=cast.power)
    assert numbers(find_similar(cast.power_officer, title="线路跳闸", description="停电")) == {
        trips["acme"].number
    }
    assert find_similar(cast.water_officer, title="线路跳闸", description="停电") == []


def test_similar_scores_rank_the_same_problem_first(cast, trips):
    matches = find_similar(
        cast.secretariat,
        title="厂区线路频繁跳闸",
        description="本月配电线路跳闸三次",
        category="utilities",
        enterprise=cast.acme,
    )
    assert matches[0].number == trips["acme"].number and matches[0].likely_duplicate
    assert matches[0].same_enterprise and matches[0].same_category
    assert trips["other"].number not in numbers(matches)


def test_merged_declined_and_long_closed_problems_are_not_offered(cast, trips, category):
    actions.merge(trips["hidden"], actor=cast.secretariat, into=trips["acme"])
    assert trips["hidden"].number not in numbers(
        find_similar(cast.secretariat, title="线路跳闸", description="停电")
    )


def test_raise_page_offers_similar_problems_while_typing(client, cast, trips, category):
    client.force_login(cast.acme_contact)
    page = client.get(reverse("problems:new")).content.decode()
    assert 'hx-get="/search/similar/"' in page and "delay:600ms" in page
    response = client.get(
        reverse("search:similar"),
        {"title": "线路跳闸", "description": "车间停电", "category": category.pk},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert trips["acme"].number in html and trips["public"].number in html
    assert trips["hidden"].number not in html and cast.globex.name not in html
    # another enterprise's problem is not a link the contact could follow
    assert reverse("problems:detail", args=[trips["public"].number]) not in html


def test_only_those_who_raise_use_the_typing_panel(client, cast, trips):
    client.force_login(cast.power_officer)
    assert client.get(reverse("search:similar"), {"title": "跳闸"}).status_code == 403


def test_api_similar_within_what_the_caller_sees(client, cast, trips):
    actions.accept(trips["acme"], actor=cast.secretariat)
    client.force_login(cast.globex_contact)
    unpublished = {
        item["number"]
        for item in client.get("/api/v1/problems/similar", {"text": "线路跳闸停电"}).json()
    }
    assert trips["acme"].number not in unpublished  # accepted, not yet in a bulletin
    publish(trips["acme"])
    response = client.get("/api/v1/problems/similar", {"text": "线路跳闸停电"})
    assert response.status_code == 200
    found = {item["number"]: item for item in response.json()}
    assert set(found) == {trips["public"].number, trips["hidden"].number, trips["acme"].number}
    assert found[trips["acme"].number]["public"] and found[trips["acme"].number]["enterprise"] == (
        cast.acme.name  # Acme agreed to be named
    )
    client.force_login(cast.water_officer)
    assert client.get("/api/v1/problems/similar", {"text": "线路跳闸停电"}).json() == []
    client.force_login(cast.secretariat)
    response = client.get(
        "/api/v1/problems/similar",
        {"text": "线路跳闸停电", "category": "utilities", "enterprise": cast.acme.credit_code},
    )
    first = response.json()[0]
    assert first["number"] == trips["acme"].number and first["same_enterprise"]
    assert client.get("/api/v1/problems/similar", {"text": ""}).status_code == 422


# --- Merge or link from the queue ------------------------------------------------------------


def test_queue_hint_offers_one_click_merge_and_link(client, cast, trips):
    client.force_login(cast.secretariat)
    queue = client.get(reverse("problems:intake")).content.decode()
    hint = reverse("search:similar_to", args=[trips["hidden"].number]) + "?compact=1"
    assert hint in queue
    html = client.get(hint).content.decode()
    assert trips["acme"].number in html
    assert f'action="{reverse("problems:act", args=[trips["hidden"].number, "merge"])}"' in html
    # one click: merge into the suggested problem
    response = client.post(
        reverse("problems:act", args=[trips["hidden"].number, "merge"]),
        {"merge-version": trips["hidden"].version, "merge-into": trips["acme"].number},
    )
    assert response.status_code == 302
    trips["hidden"].refresh_from_db()
    assert trips["hidden"].status == Status.MERGED and trips["hidden"].merged_into == trips["acme"]


def test_link_as_related_writes_the_link_and_its_event(client, cast, trips):
    client.force_login(cast.secretariat)
    problem, other = trips["hidden"], trips["acme"]
    response = client.post(
        reverse("problems:act", args=[problem.number, "relate"]),
        {"relate-version": problem.version, "relate-related": other.number},
    )
    assert response.status_code == 302
    link = ProblemLink.objects.get()
    assert (link.problem, link.related) == (problem, other)
    event = ProblemEvent.objects.filter(problem=problem).latest("id")
    assert event.action == "relate" and event.payload == {"related": other.number}
    assert event.actor == cast.secretariat and event.from_status == event.to_status == "submitted"
    assert link.event == event
    # shown from either side, and offered no more
    panel = client.get(reverse("search:similar_to", args=[other.number])).content.decode()
    assert "相关问题" in panel or "Related problems" in panel
    assert problem.number in panel
    # linking again (either way) is refused and writes nothing
    problem.refresh_from_db()
    with pytest.raises(actions.InvalidInput):
        actions.relate(other, actor=cast.secretariat, related=problem)
    assert (
        ProblemLink.objects.count() == 1
        and ProblemEvent.objects.filter(action="relate").count() == 1
    )


def test_only_the_secretariat_links_and_the_panel_is_theirs(client, cast, trips):
    with pytest.raises(actions.NotAllowed):
        actions.relate(trips["acme"], actor=cast.acme_contact, related=trips["other"])
    with pytest.raises(actions.InvalidInput):
        actions.relate(trips["acme"], actor=cast.secretariat, related=trips["acme"])
    assert not ProblemEvent.objects.filter(action="relate").exists()
    for user in (cast.acme_contact, cast.power_officer):
        client.force_login(user)
        url = reverse("search:similar_to", args=[trips["acme"].number])
        assert client.get(url).status_code == 403
    client.force_login(cast.leader)
    html = client.get(reverse("search:similar_to", args=[trips["acme"].number])).content.decode()
    assert "merge-into" not in html and "relate-related" not in html  # leaders only watch


def test_panel_of_a_problem_the_person_may_not_see_is_404(client, cast, trips):
    client.force_login(cast.leader)
    assert client.get(reverse("search:similar_to", args=["QD-2000-999999"])).status_code == 404


# --- Routing ----------------------------------------------------------------------------------


@pytest.fixture
def history(cast, category, make_problem):
    """Power handled three 跳闸 problems (two on time); water handled two 水压 problems and
    returned a 跳闸 one."""
    for index in range(3):
        problem = make_problem("resolved", title=f"线路跳闸停电{index}")
        if index == 2:
            Problem.objects.filter(pk=problem.pk).update(deadline="2000-01-01")
    for index in range(2):
        problem = make_problem("accepted", title=f"厂区水压不足{index}")
        actions.assign(problem, actor=cast.secretariat, lead_unit=cast.water)
    returned = make_problem("accepted", title="配电线路跳闸停电")
    actions.assign(returned, actor=cast.secretariat, lead_unit=cast.water)
    actions.return_task(returned, actor=cast.water_officer, reason="不归我们")
    actions.assign(returned, actor=cast.secretariat, lead_unit=cast.power)
    Category.objects.filter(pk=category.pk).update(default_lead_unit=cast.water)
    routing.train()


def test_suggestions_learn_from_history_and_give_reasons(cast, history, category):
    with translation.override("zh-hans"):
        suggestions = routing.suggest(
            cast.secretariat, title="线路跳闸", description="车间停电", category=category
        )
    assert [s.unit for s in suggestions][:2] == [cast.power, cast.water]
    assert suggestions[0].score > suggestions[1].score
    assert suggestions[0].reason == "近一年4件相似问题由供电办理，2件按期办结"
    assert "退回过1件相似问题" in suggestions[1].reason


def test_a_return_counts_against_the_unit(cast, category, make_problem):
    for index in range(2):
        problem = make_problem("accepted", title=f"线路跳闸{index}")
        actions.assign(problem, actor=cast.secretariat, lead_unit=cast.water)
    routing.train()
    before = routing.suggest(cast.secretariat, title="线路跳闸", category=category)[0]
    returned = make_problem("accepted", title="线路跳闸了")
    actions.assign(returned, actor=cast.secretariat, lead_unit=cast.water)
    actions.return_task(returned, actor=cast.water_officer, reason="不归我们")
    routing.train()
    after = routing.suggest(cast.secretariat, title="线路跳闸", category=category)[0]
    assert before.unit == after.unit == cast.water and after.score < before.score


def test_a_new_park_falls_back_on_the_category_rule(cast, category):
    Category.objects.filter(pk=category.pk).update(default_lead_unit=cast.power)
    category.refresh_from_db()
    with translation.override("zh-hans"):
        suggestions = routing.suggest(cast.secretariat, title="随便什么", category=category)
    assert [s.unit for s in suggestions] == [cast.power]
    assert suggestions[0].reason == "“水电气”类问题通常由供电牵头办理"


def test_assign_form_shows_three_suggestions(client, cast, history, make_problem):
    Unit.objects.create(name="燃气公司", short_name="燃气", kind=UnitKind.UTILITY)
    problem = make_problem("accepted", title="线路跳闸停电")
    client.force_login(cast.secretariat)
    page = client.get(problem.get_absolute_url()).content.decode()
    url = reverse("search:suggestions", args=[problem.number])
    assert url in page
    html = client.get(url).content.decode()
    assert html.count("data-choose-unit=") == 2  # two units have any evidence
    assert f'data-choose-unit="{cast.power.pk}"' in html
    for user in (cast.acme_contact, cast.power_officer):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404)


def test_api_suggestions_for_the_secretariat_only(client, cast, history):
    client.force_login(cast.secretariat)
    response = client.get(
        "/api/v1/suggestions/units", {"text": "线路跳闸停电", "category": "utilities"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body[0]["unit"]["id"] == cast.power.pk and 0 < body[0]["score"] <= 1
    assert body[0]["reason"]
    assert (
        client.get("/api/v1/suggestions/units", {"text": "x", "category": "nope"}).status_code
        == 404
    )
    for user in (cast.acme_contact, cast.power_officer):
        client.force_login(user)
        assert client.get("/api/v1/suggestions/units", {"text": "跳闸"}).status_code == 403


def test_commands_train_and_suggest(cast, history, capsys):
    call_command("train_routing")
    assert "Learned from 6 problems and 1 returns" in capsys.readouterr().out
    call_command("suggest_unit", "线路跳闸停电", "--category", "utilities")
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith(cast.power.name + "\t")


def test_the_scheduler_retrains_nightly(cast, history):
    from datetime import datetime

    from qingdan.core.schedule import JOBS, run_due
    from qingdan.lib import clock

    job = next(job for job in JOBS if job.name == "train-routing")
    before = RoutingModel.objects.count()
    moment = datetime(2026, 11, 27, 3, 0, tzinfo=clock.BEIJING)
    assert job.latest(moment) == datetime(2026, 11, 27, 2, 30, tzinfo=clock.BEIJING)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        assert "train-routing" in run_due(moment, jobs=[job])
    assert RoutingModel.objects.count() == before + 1
    learned.forget()
