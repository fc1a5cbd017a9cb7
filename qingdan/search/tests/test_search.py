import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from qingdan.problems import actions
from qingdan.problems.models import Channel, Problem
from qingdan.search import index, tokens
from qingdan.search.models import ProblemIndex
from qingdan.search.query import highlight, matching, search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_model_and_dictionary():
    """Each test's database has its own routing model and dictionary: look again."""
    from qingdan.search import learned, tokens

    learned.forget()
    tokens.forget()


def found(user_or_queryset, text):
    from qingdan.problems.access import visible_problems

    problems = (
        visible_problems(user_or_queryset)
        if not hasattr(user_or_queryset, "filter")
        else user_or_queryset
    )
    return set(matching(problems, text).values_list("number", flat=True))


def raise_as(cast, category, title, description="", enterprise=None):
    enterprise = enterprise or cast.acme
    contact = cast.acme_contact if enterprise == cast.acme else cast.globex_contact
    return actions.raise_problem(
        actor=contact,
        enterprise=enterprise,
        title=title,
        description=description or title,
        category=category,
        channel=Channel.ONLINE,
    )


# --- Tokens -----------------------------------------------------------------------------------


def test_every_two_character_word_is_a_token_whatever_the_segmenter_says():
    document = tokens.document("厂区线路频繁跳闸，水费偏高，公交不便，用地难，招工难").split()
    for word in ("跳闸", "水费", "公交", "用地", "招工", "频繁"):
        assert word in document
    # the segmenter's longer words are there too, and a single character starts a token
    assert "厂区" in document and "难" in document


def test_latin_and_digits_are_normalised_and_kept_whole():
    document = tokens.document("ＱＤ-2026-000123 10kV 线路 91431100MA4L0001XY").split()
    assert {"qd", "2026", "000123", "10kv", "91431100ma4l0001xy"} <= set(document)


def test_a_query_needs_every_word_and_matches_chinese_through_bigrams():
    query = tokens.parse("频繁跳闸  供电 QD-2026")
    assert query.terms == ["频繁跳闸", "供电", "qd", "2026"]
    assert query.needles == [
        ("频繁", False),
        ("繁跳", False),
        ("跳闸", False),
        ("供电", False),
        ("qd", True),
        ("2026", True),
    ]
    assert not tokens.parse("？？ ！") and tokens.parse("水").needles == [("水", True)]


def test_unit_names_and_dictionary_words_are_kept_whole(cast):
    from qingdan.accounts.models import Unit, UnitKind
    from qingdan.search.models import Term

    Unit.objects.create(name="永州经开区自来水公司", kind=UnitKind.UTILITY)
    Term.objects.create(word="园区驿站", created="2026-01-05T10:00+08:00")
    tokens.forget()
    words = tokens.words("请永州经开区自来水公司核查，并到园区驿站办理")
    assert "永州经开区自来水公司" in words and "园区驿站" in words


# --- Indexing ---------------------------------------------------------------------------------


def test_a_raised_problem_is_found_by_words_number_enterprise_and_credit_code(cast, category):
    problem = raise_as(cast, category, "厂区线路频繁跳闸", "本月停电三次，影响生产")
    secretariat = cast.secretariat
    assert found(secretariat, "跳闸") == {problem.number}
    assert found(secretariat, "停电 生产") == {problem.number}  # every word
    assert found(secretariat, "跳闸 水费") == set()
    assert found(secretariat, problem.number) == {problem.number}
    assert found(secretariat, problem.number.lower()) == {problem.number}
    assert found(secretariat, "甲电子") == {problem.number}  # part of the enterprise's name
    assert found(secretariat, cast.acme.credit_code) == {problem.number}
    assert found(secretariat, cast.acme.credit_code[:8]) == {problem.number}
    assert found(secretariat, "水电气") == {problem.number}  # its category


def test_the_lead_unit_and_added_information_become_searchable(cast, make_problem):
    problem = make_problem("accepted")
    assert found(cast.secretariat, "供电公司") == set()
    actions.assign(problem, actor=cast.secretariat, lead_unit=cast.power)
    assert found(cast.secretariat, "供电公司") == {problem.number}
    actions.add_info(problem, actor=cast.acme_contact, text="补充：变压器有异响")
    assert found(cast.secretariat, "变压器 异响") == {problem.number}


def test_handling_notes_are_not_indexed(cast, make_problem):
    problem = make_problem("in_progress")
    actions.report_progress(problem, actor=cast.power_officer, note="已联系规划建设局协调")
    assert found(cast.secretariat, "规划建设局") == set()


def test_the_index_is_written_in_the_same_transaction(cast, category):
    with pytest.raises(RuntimeError), transaction.atomic():
        raise_as(cast, category, "园区道路破损")
        assert ProblemIndex.objects.count() == 1
        raise RuntimeError("roll back")
    assert not Problem.objects.exists() and not ProblemIndex.objects.exists()
    assert found(cast.secretariat, "道路") == set()


def test_a_bulk_raise_is_indexed_in_bulk(cast, category):
    from django.test.utils import CaptureQueriesContext

    rows = [
        {
            "enterprise": cast.acme,
            "title": f"批量问题{i}号 用地审批",
            "description": "企业反映",
            "category": category,
            "channel": Channel.EXCHANGE_DAY,
            "urgency": "normal",
        }
        for i in range(300)
    ]
    tokens.words("用地")  # the segmenter has read the dictionary
    with CaptureQueriesContext(connection) as captured:
        actions.raise_many(actor=cast.secretariat, rows=rows)
    statements = [q["sql"] for q in captured.captured_queries]
    # the documents are made from the rows in hand and written in one or two statements
    assert sum("search_problemindex" in sql for sql in statements) <= 2
    assert not any(sql.startswith("SELECT") for sql in statements)
    assert ProblemIndex.objects.count() == 300
    assert len(found(cast.secretariat, "用地")) == 300


def test_reindex_rebuilds_the_index_from_the_problems(cast, category, capsys):
    problem = raise_as(cast, category, "污水处理能力不足")
    ProblemIndex.objects.all().delete()
    assert found(cast.secretariat, "污水") == set()
    call_command("reindex")
    assert "1" in capsys.readouterr().out
    assert found(cast.secretariat, "污水") == {problem.number}
    assert found(cast.secretariat, "处理能力") == {problem.number}
    # the index keeps following changes afterwards
    later = raise_as(cast, category, "污水管网堵塞")
    assert found(cast.secretariat, "污水") == {problem.number, later.number}


def test_every_workflow_action_is_classified_for_indexing():
    from qingdan.problems.workflow import ACTION_LABELS

    assert set(ACTION_LABELS) <= index.CHANGES_INDEX | index.LEAVES_INDEX
    assert not index.CHANGES_INDEX & index.LEAVES_INDEX


# --- Visibility -------------------------------------------------------------------------------


def test_search_never_shows_what_the_person_may_not_see(cast, category, make_problem):
    acme = raise_as(cast, category, "厂区线路跳闸")
    globex = raise_as(cast, category, "厂区线路跳闸", enterprise=cast.globex)
    assert found(cast.acme_contact, "跳闸") == {acme.number}
    assert found(cast.globex_contact, "跳闸") == {globex.number}
    assert found(cast.water_officer, "跳闸") == set()
    actions.accept(acme, actor=cast.secretariat)
    actions.assign(acme, actor=cast.secretariat, lead_unit=cast.power)
    assert found(cast.power_officer, "跳闸") == {acme.number}
    assert found(cast.water_officer, "跳闸") == set()
    assert found(cast.leader, "跳闸") == {acme.number, globex.number}


def test_a_problem_number_finds_that_problem_within_what_the_person_sees(cast, category):
    from qingdan.problems.access import visible_problems

    acme = raise_as(cast, category, "厂区线路跳闸")
    globex = raise_as(cast, category, "厂区线路跳闸", enterprise=cast.globex)
    for text in (acme.number, acme.number.lower(), f" {acme.number} "):
        ranked = search(visible_problems(cast.secretariat), text, ranked=True)
        assert [(p.number, p.search_rank) for p in ranked] == [(acme.number, 8)]
    assert list(search(visible_problems(cast.acme_contact), acme.number)) == [acme]
    # Another enterprise's number: not found, by the number or by the words it holds.
    assert not search(visible_problems(cast.acme_contact), globex.number, ranked=True).exists()


def test_the_window_is_the_newest_matches_asked_newest_first(cast, category, monkeypatch):
    from qingdan.search import query

    old = [raise_as(cast, category, f"厂区线路跳闸 {n}").pk for n in range(3)]
    for n in range(4):
        raise_as(cast, category, f"水费计量有误 {n}")
    new = [raise_as(cast, category, f"厂区线路跳闸 {n}").pk for n in range(2)]
    monkeypatch.setattr(query, "FIRST_SPAN", 2)  # the newest two problems first, then wider
    parsed = tokens.parse("跳闸")
    assert query.recent_matches(parsed, limit=2) == new[::-1]
    assert query.recent_matches(parsed, limit=4) == [*new[::-1], old[-1], old[-2]]
    assert query.recent_matches(parsed, limit=10) == [*new[::-1], *old[::-1]]  # all there are
    assert query.recent_matches(tokens.parse("跳闸 水费"), limit=10) == []


# --- Pages and API ----------------------------------------------------------------------------


def test_list_search_is_ranked_highlighted_and_keeps_the_filters(client, cast, category):
    older = raise_as(cast, category, "用电增容报装进度慢", "厂区线路跳闸后需要增容")
    title_hit = raise_as(cast, category, "厂区线路频繁跳闸", "请排查<故障>")
    raise_as(cast, category, "水费偏高")
    client.force_login(cast.secretariat)
    response = client.get(reverse("problems:list"), {"q": "跳闸"})
    html = response.content.decode()
    assert response.status_code == 200
    assert [row.number for row, _c in response.context["rows"]] == [title_hit.number, older.number]
    assert "厂区线路频繁<mark>跳闸</mark>" in html
    assert "水费偏高" not in html
    # the status filter still applies, and the newest-first order can be chosen
    actions.accept(older, actor=cast.secretariat)
    response = client.get(reverse("problems:list"), {"q": "跳闸", "status": "accepted"})
    assert [row.number for row, _c in response.context["rows"]] == [older.number]
    response = client.get(reverse("problems:list"), {"q": "跳闸", "order": "recent"})
    assert [row.number for row, _c in response.context["rows"]] == [title_hit.number, older.number]


def test_highlight_escapes_first(cast):
    assert str(highlight("<b>跳闸</b> & 跳闸", "跳闸")) == (
        "&lt;b&gt;<mark>跳闸</mark>&lt;/b&gt; &amp; <mark>跳闸</mark>"
    )
    assert str(highlight("线路跳、闸", "跳闸")) == "线路跳、闸"
    assert str(highlight("频繁地跳闸", "频繁跳闸")) == "<mark>频繁</mark>地<mark>跳闸</mark>"


def test_relevance_pages_follow_on(client, cast, category):
    for i in range(5):
        raise_as(cast, category, f"第{i}次跳闸" if i % 2 else f"第{i}次停电", "线路跳闸")
    ranked = search(Problem.objects.all(), "跳闸", ranked=True)
    from qingdan.problems.paging import keyset_page

    first = keyset_page(ranked, "relevance", "", size=2)
    second = keyset_page(ranked, "relevance", first.next_cursor, size=2)
    third = keyset_page(ranked, "relevance", second.next_cursor, size=2)
    numbers = [p.number for page in (first, second, third) for p in page.items]
    assert len(numbers) == len(set(numbers)) == 5 and not third.next_cursor
    assert [p.search_rank for p in first.items] == [5, 5]


def test_enterprise_search_page_shows_only_its_own(client, cast, category):
    raise_as(cast, category, "园区道路破损", enterprise=cast.globex)
    mine = raise_as(cast, category, "园区道路积水")
    client.force_login(cast.acme_contact)
    response = client.get(reverse("problems:list"), {"q": "园区道路"})
    assert [row.number for row, _c in response.context["rows"]] == [mine.number]


def test_api_problem_list_searches_within_what_the_caller_sees(client, cast, category):
    mine = raise_as(cast, category, "园区道路破损")
    raise_as(cast, category, "园区道路破损", enterprise=cast.globex)
    client.force_login(cast.acme_contact)
    response = client.get("/api/v1/problems", {"q": "道路 破损"})
    assert response.status_code == 200
    assert [item["number"] for item in response.json()["items"]] == [mine.number]
    client.force_login(cast.secretariat)
    both = client.get("/api/v1/problems", {"q": "道路", "limit": 1}).json()
    rest = client.get("/api/v1/problems", {"q": "道路", "cursor": both["next_cursor"]}).json()
    assert len(both["items"]) == len(rest["items"]) == 1
    assert client.get("/api/v1/problems", {"q": "x" * 500}).status_code == 422


def test_the_database_full_text_index_exists():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'search_problemindex_document'"
            )
            assert "gin (document)" in cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_problem_fts'")
            assert "fts5" in cursor.fetchone()[0]
