"""The ledger: actions and their events, refusals, permissions on pages and the API, Excel."""

import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from qingdan.carriers import actions, importing
from qingdan.carriers.models import Building, BuildingState, Lease, SpaceRequest
from qingdan.carriers.tests.factories import TODAY, building, lease, parcel, project
from qingdan.core.models import RecordChange
from qingdan.lib.errors import InvalidInput, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def changes(model: str) -> int:
    return RecordChange.objects.filter(model=f"carriers.{model}").count()


def test_the_secretariat_adds_a_building_and_each_change_is_recorded(cast):
    b = actions.save_building(
        None,
        actor=cast.secretariat,
        values={
            "code": "A-09",
            "park_area": "东区",
            "name": "9号厂房",
            "floors": 3,
            "floor_area_m2": Decimal("2000"),
            "floor_load_kn_m2": Decimal("8"),
            "clear_height_m": Decimal("6"),
            "state": BuildingState.UNDER_CONSTRUCTION,
            "planned_completion": date(2027, 6, 30),
        },
    )
    assert b.total_area_m2 == Decimal("6000")
    change = RecordChange.objects.get(model="carriers.building", object_id=str(b.pk))
    assert change.action == "create" and change.actor == cast.secretariat
    actions.save_building(
        b,
        actor=cast.secretariat,
        values={"state": BuildingState.READY, "completed_on": date(2026, 11, 1)},
    )
    last = RecordChange.objects.filter(model="carriers.building").order_by("-pk").first()
    assert last.changes["state"] == ["under_construction", "ready"]


def test_refusals_change_nothing_and_write_no_event(cast):
    b = building()
    before = changes("building")
    with pytest.raises(InvalidInput):  # a completed building has its completion date
        actions.save_building(b, actor=cast.secretariat, values={"completed_on": None})
    with pytest.raises(NotAllowed):
        actions.save_building(b, actor=cast.acme_contact, values={"name": "x"})
    with pytest.raises(NotAllowed):
        actions.save_building(b, actor=cast.power_officer, values={"name": "x"})
    assert changes("building") == before
    b.refresh_from_db()
    assert b.completed_on == date(2025, 6, 1)


def test_a_lease_beyond_the_free_area_is_refused_and_a_full_building_becomes_leased(cast):
    b = building()
    p = project(cast)
    with pytest.raises(InvalidInput):
        actions.create_lease(
            b, actor=cast.secretariat, area_m2=Decimal("5001"), starts_on=TODAY, project=p
        )
    with pytest.raises(InvalidInput):  # floor 2 of a one-storey building
        actions.create_lease(
            b, actor=cast.secretariat, area_m2=Decimal("10"), floor=2, starts_on=TODAY, project=p
        )
    assert changes("lease") == 0 and not Lease.objects.exists()
    first = actions.create_lease(
        b, actor=cast.secretariat, area_m2=Decimal("3000"), starts_on=TODAY, project=p
    )
    assert first.enterprise == cast.acme  # the project's investor
    assert changes("lease") == 1
    b.refresh_from_db()
    assert b.state == BuildingState.READY
    with pytest.raises(InvalidInput):
        actions.create_lease(
            b,
            actor=cast.secretariat,
            area_m2=Decimal("2001"),
            starts_on=TODAY,
            enterprise=cast.globex,
        )
    actions.create_lease(
        b, actor=cast.secretariat, area_m2=Decimal("2000"), starts_on=TODAY, enterprise=cast.globex
    )
    b.refresh_from_db()
    assert b.state == BuildingState.LEASED
    last = RecordChange.objects.filter(model="carriers.building").order_by("-pk").first()
    assert last.changes["state"] == ["ready", "leased"]
    actions.end_lease(first, actor=cast.secretariat, ends_on=date(2026, 12, 31))
    b.refresh_from_db()
    assert b.state == BuildingState.READY


def test_part_of_a_floor_is_let_within_that_floor(cast):
    b = building(floors=3, floor_area_m2=Decimal("1000"))
    actions.create_lease(
        b,
        actor=cast.secretariat,
        area_m2=Decimal("600"),
        floor=2,
        starts_on=TODAY,
        enterprise=cast.acme,
    )
    with pytest.raises(InvalidInput):  # 400 left on floor 2
        actions.create_lease(
            b,
            actor=cast.secretariat,
            area_m2=Decimal("500"),
            floor=2,
            starts_on=TODAY,
            enterprise=cast.globex,
        )
    actions.create_lease(
        b,
        actor=cast.secretariat,
        area_m2=Decimal("400"),
        floor=2,
        starts_on=TODAY,
        enterprise=cast.globex,
    )
    actions.create_lease(
        b,
        actor=cast.secretariat,
        area_m2=Decimal("1000"),
        floor=3,
        starts_on=TODAY,
        enterprise=cast.globex,
    )
    assert Lease.objects.filter(building=b).count() == 3


def test_a_lease_cannot_start_before_the_building_is_ready(cast):
    b = building(
        state=BuildingState.UNDER_CONSTRUCTION,
        completed_on=None,
        planned_completion=date(2027, 3, 1),
    )
    with pytest.raises(InvalidInput):
        actions.create_lease(
            b, actor=cast.secretariat, area_m2=Decimal("100"), starts_on=TODAY, enterprise=cast.acme
        )
    lease = actions.create_lease(
        b,
        actor=cast.secretariat,
        area_m2=Decimal("100"),
        starts_on=date(2027, 3, 1),
        enterprise=cast.acme,
    )
    assert lease.pk


def test_an_enterprise_asks_for_space_for_itself_only(cast):
    mine = project(cast)
    theirs = project(cast, name="乙项目", investor=cast.globex)
    values = {"area_m2": Decimal("100"), "needed_by": date(2027, 1, 1), "note": ""}
    r = actions.create_request(actor=cast.acme_contact, values=dict(values))
    assert r.enterprise == cast.acme
    assert changes("spacerequest") == 1
    actions.create_request(actor=cast.acme_contact, values={**values, "project": mine})
    with pytest.raises(NotAllowed):
        actions.create_request(actor=cast.acme_contact, values={**values, "project": theirs})
    with pytest.raises(NotAllowed):
        actions.create_request(
            actor=cast.acme_contact, values={**values, "enterprise": cast.globex}
        )
    with pytest.raises(NotAllowed):
        actions.create_request(actor=cast.power_officer, values={**values, "enterprise": cast.acme})
    assert changes("spacerequest") == 2


def test_clean_up_steps_are_recorded(cast):
    p = parcel(state="clearing", cleanup_deadline=date(2026, 12, 31))
    step = actions.add_cleanup_step(p, actor=cast.secretariat, title="约谈", due_on=TODAY)
    actions.finish_cleanup_step(step, actor=cast.secretariat, done_on=TODAY)
    assert changes("cleanupstep") == 2
    with pytest.raises(InvalidInput):
        actions.finish_cleanup_step(step, actor=cast.secretariat, done_on=TODAY)
    assert changes("cleanupstep") == 2


def test_flexible_supply_states_its_term(cast):
    with pytest.raises(InvalidInput):
        actions.save_parcel(
            None,
            actor=cast.secretariat,
            values={
                "code": "L-9",
                "park_area": "西区",
                "name": "x",
                "area_mu": Decimal("10"),
                "planned_use": "工业",
                "state": "supplied",
                "supply_mode": "flexible",
            },
        )
    parcel_ = actions.save_parcel(
        None,
        actor=cast.secretariat,
        values={
            "code": "L-9",
            "park_area": "西区",
            "name": "x",
            "area_mu": Decimal("10"),
            "planned_use": "工业",
            "state": "supplied",
            "supply_mode": "flexible",
            "term_years": 20,
        },
    )
    assert parcel_.term_years == 20


# --- Pages and API: who reaches what ------------------------------------------------------


def test_the_ledger_is_the_staffs(client, cast):
    b = building()
    p = parcel()
    for user, status in (
        (cast.secretariat, 200),
        (cast.leader, 200),
        (cast.acme_contact, 404),
        (cast.power_officer, 404),
    ):
        client.force_login(user)
        for url in (
            reverse("carriers:index"),
            b.get_absolute_url(),
            p.get_absolute_url(),
            reverse("carriers:alerts"),
            reverse("carriers:report"),
            reverse("carriers:map"),
            reverse("carriers:export", args=["buildings"]),
        ):
            assert client.get(url).status_code == status, (user, url)
        assert client.get(f"/api/v1/carriers/buildings/{b.code}").status_code == status
        assert client.get(f"/api/v1/carriers/parcels/{p.code}").status_code == status
    client.force_login(cast.acme_contact)
    assert client.get("/api/v1/carriers/buildings").json() == []


def test_the_leader_reads_but_does_not_write(client, cast):
    b = building()
    client.force_login(cast.leader)
    response = client.patch(
        f"/api/v1/carriers/buildings/{b.code}", {"name": "改"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert client.post(b.get_absolute_url(), {"name": "改"}).status_code == 403
    b.refresh_from_db()
    assert b.name != "改"


def test_an_enterprise_sees_its_own_leases_and_requests_only(client, cast):
    b = building()
    mine = lease(b, "1000", enterprise=cast.acme)
    lease(b, "1000", enterprise=cast.globex)
    theirs_request = SpaceRequest.objects.create(
        enterprise=cast.globex, area_m2=100, needed_by=TODAY, created_by=cast.secretariat
    )
    client.force_login(cast.acme_contact)
    listed = client.get("/api/v1/carriers/leases").json()
    assert [row["id"] for row in listed] == [mine.pk]
    page = client.get(reverse("carriers:leases")).content.decode()
    assert cast.globex.name not in page and cast.acme.name in page
    assert client.get(theirs_request.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/carriers/space-requests/{theirs_request.pk}").status_code == 404
    response = client.post(
        f"/api/v1/carriers/leases/{mine.pk}/end",
        {"ends_on": "2026-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 403  # its own: visible, not its to change
    other = Lease.objects.exclude(pk=mine.pk).get()
    response = client.post(
        f"/api/v1/carriers/leases/{other.pk}/end",
        {"ends_on": "2026-12-31"},
        content_type="application/json",
    )
    assert response.status_code == 404
    client.force_login(cast.power_officer)
    assert client.get(reverse("carriers:leases")).status_code == 404
    assert client.get("/api/v1/carriers/leases").json() == []


def test_an_enterprise_request_through_the_api_lists_what_fits(client, cast):
    building()
    building("A-02", floor_load_kn_m2=Decimal("3"))
    client.force_login(cast.acme_contact)
    response = client.post(
        "/api/v1/carriers/space-requests",
        {"area_m2": "3000", "floor_load_kn_m2": "8", "needed_by": "2027-01-31"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["enterprise"] == cast.acme.name
    assert [m["building"] for m in body["matches"]] == ["A-01"]  # no near misses for them
    assert {c["dimension"] for c in body["matches"][0]["checks"]} == {
        "date",
        "area",
        "floor_load",
        "clear_height",
        "crane",
        "power",
    }
    bad = client.post(
        "/api/v1/carriers/space-requests",
        {"area_m2": "-1", "needed_by": "x"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert SpaceRequest.objects.count() == 1


def test_the_secretariat_leases_through_the_api_and_the_project_page_shows_it(client, cast):
    b = building()
    p = project(cast)
    client.force_login(cast.secretariat)
    response = client.post(
        f"/api/v1/carriers/buildings/{b.code}/leases",
        {"area_m2": "2000", "project": p.pk, "starts_on": "2026-12-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["enterprise"] == cast.acme.name
    page = client.get(reverse("projects:detail", args=[p.pk])).content.decode()
    assert "A-01" in page and "2000" in page
    client.force_login(cast.acme_contact)  # the investor sees its project's carrier
    page = client.get(reverse("projects:detail", args=[p.pk])).content.decode()
    assert "A-01" in page


def test_match_search_from_a_land_problem(client, cast, make_problem):
    from qingdan.problems.models import Category

    building()
    problem = make_problem("submitted", title="标准厂房租赁面积不足")
    land = Category.objects.get(code="land")
    problem.category = land
    problem.save(update_fields=["category"])
    client.force_login(cast.secretariat)
    page = client.get(problem.get_absolute_url()).content.decode()
    assert reverse("carriers:match") in page
    assert f"?enterprise={cast.acme.pk}" in page
    prefilled = client.get(reverse("carriers:requests"), {"enterprise": cast.acme.pk})
    assert f'<option value="{cast.acme.pk}" selected>' in prefilled.content.decode()
    result = client.get(reverse("carriers:match"), {"area_m2": "3000", "needed_by": "2027-01-01"})
    assert "A-01" in result.content.decode()
    client.force_login(cast.acme_contact)
    assert client.get(reverse("carriers:match")).status_code == 404


def test_the_public_vacancy_list_names_no_tenant(client, cast):
    b = building()
    lease(b, "2000", enterprise=cast.globex)
    building("A-02", state=BuildingState.LEASED)
    lease(Building.objects.get(code="A-02"), "5000", enterprise=cast.acme)
    building(
        "B-01",
        state=BuildingState.UNDER_CONSTRUCTION,
        completed_on=None,
        planned_completion=date(2027, 5, 1),
    )
    page = client.get(reverse("carriers_public:vacancies")).content.decode()
    assert "A-01" in page and "3000" in page and "B-01" in page
    assert "A-02" not in page
    assert cast.globex.name not in page and cast.acme.name not in page
    api = client.get("/api/v1/public/vacancies").json()
    assert [(row["code"], row["free_m2"]) for row in api] == [
        ("A-01", "3000.00"),
        ("B-01", "5000.00"),
    ]
    assert all("enterprise" not in row for row in api)


def test_the_public_list_is_rate_limited(client, settings):
    settings.CARRIERS_PUBLIC_RATE = "2/m"
    assert client.get(reverse("carriers_public:vacancies")).status_code == 200
    assert client.get("/api/v1/public/vacancies").status_code == 200
    assert client.get(reverse("carriers_public:vacancies")).status_code == 429
    assert client.get("/api/v1/public/vacancies").status_code == 429


# --- Excel ---------------------------------------------------------------------------------


def test_export_then_import_round_trip_and_a_bad_file_imports_nothing(cast):
    building()
    parcel(state="clearing", cleanup_deadline=date(2026, 12, 31))
    data = importing.export_xlsx("buildings")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    assert sheet["L2"].value == "建成待租"
    sheet.append(
        [
            "A-02",
            "东区",
            "9号厂房",
            2,
            1000,
            8,
            6,
            0,
            500,
            0,
            10,
            "在建",
            "2026-01-01",
            "2027-06-30",
            None,
            None,
        ]
    )
    out = io.BytesIO()
    book.save(out)
    saved, errors = importing.import_xlsx("buildings", out.getvalue(), actor=cast.secretariat)
    assert errors == [] and saved == 2
    assert Building.objects.get(code="A-02").total_area_m2 == Decimal("2000")
    before = RecordChange.objects.count()
    sheet.append(
        ["A-03", "东区", "坏", 1, -5, 8, 6, 0, 500, 0, 10, "已租", None, None, "2026-01-01", None]
    )
    sheet.append(
        ["A-04", "东区", "好", 1, 100, 8, 6, 0, 500, 0, 10, "已租", None, None, None, None]
    )
    out = io.BytesIO()
    book.save(out)
    saved, errors = importing.import_xlsx("buildings", out.getvalue(), actor=cast.secretariat)
    assert saved == 0
    assert [(e.row, e.column) for e in errors] == [(4, "单层面积(㎡)"), (5, "竣工日期")]
    assert RecordChange.objects.count() == before and not Building.objects.filter(code="A-03")
    assert importing.import_xlsx("parcels", b"not a file", actor=cast.secretariat)[0] == 0
    parcels = importing.export_xlsx("parcels")
    assert importing.import_xlsx("parcels", parcels, actor=cast.secretariat) == (1, [])


def test_the_export_never_writes_a_formula(cast):
    from openpyxl import load_workbook

    building(name='=HYPERLINK("http://x")')
    cell = load_workbook(io.BytesIO(importing.export_xlsx("buildings"))).active["C2"]
    assert cell.data_type == "s" and cell.value.endswith('HYPERLINK("http://x")')


def test_the_import_page_is_the_secretariats(client, cast):
    client.force_login(cast.leader)
    data = importing.export_xlsx("buildings")
    upload = io.BytesIO(data)
    upload.name = "b.xlsx"
    assert (
        client.post(reverse("carriers:import", args=["buildings"]), {"file": upload}).status_code
        == 403
    )
    client.force_login(cast.acme_contact)
    upload.seek(0)
    assert (
        client.post(reverse("carriers:import", args=["buildings"]), {"file": upload}).status_code
        == 404
    )


def test_no_carrier_page_or_action_reaches_an_enterprise_or_a_unit(client, cast):
    """Every page and action of the ledger is 404 for an enterprise and a unit (its own leases
    and requests excepted, and the unit's space search)."""
    b = building()
    p = parcel(state="clearing", cleanup_deadline=TODAY)
    step = actions.add_cleanup_step(p, actor=cast.secretariat, title="约谈", due_on=TODAY)
    other = lease(b, "100", enterprise=cast.globex)
    r = SpaceRequest.objects.create(
        enterprise=cast.globex, area_m2=100, needed_by=TODAY, created_by=cast.secretariat
    )
    gets = [
        "index",
        "building_new",
        "parcel_new",
        "alerts",
        "report",
        "map",
        "plan_image",
        "geojson",
    ]
    posts = [
        reverse("carriers:building_new"),
        b.get_absolute_url(),
        reverse("carriers:parcel_new"),
        p.get_absolute_url(),
        reverse("carriers:step_add", args=[p.code]),
        reverse("carriers:step_done", args=[p.code, step.pk]),
        reverse("carriers:lease_end", args=[other.pk]),
        reverse("carriers:request_lease", args=[r.pk, b.code]),
        reverse("carriers:import", args=["buildings"]),
        reverse("carriers:indicators"),
        reverse("carriers:plan_upload"),
        reverse("carriers:shape_save"),
        reverse("carriers:geojson_upload"),
    ]
    before = RecordChange.objects.count()
    for user in (cast.acme_contact, cast.power_officer):
        client.force_login(user)
        for name in gets:
            assert client.get(reverse(f"carriers:{name}")).status_code == 404, (user, name)
        for url in (
            b.get_absolute_url(),
            p.get_absolute_url(),
            r.get_absolute_url(),
            reverse("carriers:export", args=["parcels"]),
        ):
            assert client.get(url).status_code == 404, (user, url)
        for url in posts:
            assert client.post(url, {"ends_on": "2026-12-31"}).status_code == 404, (user, url)
    client.force_login(cast.power_officer)
    assert client.get(reverse("carriers:requests")).status_code == 404
    assert client.get(reverse("carriers:match")).status_code == 200  # the units may search
    assert RecordChange.objects.count() == before


def test_list_pages_take_the_same_queries_for_more_rows(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [
        reverse("carriers:index"),
        reverse("carriers_public:vacancies"),
        reverse("carriers:leases"),
        "/api/v1/carriers/buildings",
        "/api/v1/public/vacancies",
    ]
    client.force_login(cast.secretariat)
    b = building("X-00")
    lease(b, "10", enterprise=cast.acme)
    parcel("P-00")
    for url in urls:  # the first request of a session fills caches (menu counts, calendar)
        count(url)
    few = [count(url) for url in urls]
    for n in range(1, 11):
        lease(building(f"X-{n:02d}"), "10", enterprise=cast.globex)
        parcel(f"P-{n:02d}")
    assert [count(url) for url in urls] == few
