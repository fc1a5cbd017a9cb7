"""The secretariat's pages: create and edit, lease from a match, the map and its shapes."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qingdan.carriers.models import Building, LandParcel, Lease, SitePlan, SpaceRequest
from qingdan.carriers.tests.factories import TODAY, building, parcel, project
from qingdan.core.models import RecordChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(TODAY, tick=False):
        yield


BUILDING = {
    "code": "A-10",
    "park_area": "东区",
    "name": "十号厂房",
    "floors": "2",
    "floor_area_m2": "3000",
    "floor_load_kn_m2": "8",
    "clear_height_m": "7.5",
    "state": "under_construction",
    "planned_completion": "2027-05-01",
}


def test_the_secretariat_creates_and_edits_a_building_on_its_pages(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(reverse("carriers:building_new"), BUILDING)
    assert response.status_code == 302
    b = Building.objects.get(code="A-10")
    assert b.total_area_m2 == Decimal("6000") and b.crane_t == 0
    bad = client.post(b.get_absolute_url(), {"state": "leased"})  # no completion date
    assert bad.status_code == 400
    assert "竣工" in bad.content.decode() or "completion" in bad.content.decode()
    b.refresh_from_db()
    assert b.state == "under_construction"
    ok = client.post(b.get_absolute_url(), {"state": "ready", "completed_on": "2026-11-20"})
    assert ok.status_code == 302
    b.refresh_from_db()
    assert b.state == "ready"
    assert RecordChange.objects.filter(model="carriers.building").count() == 2
    page = client.get(b.get_absolute_url()).content.decode()
    assert "under_construction" in page  # the history shows before → after


def test_the_secretariat_creates_a_parcel_and_its_clean_up_steps(client, cast):
    client.force_login(cast.secretariat)
    client.post(
        reverse("carriers:parcel_new"),
        {
            "code": "L-9",
            "park_area": "西区",
            "name": "闲置地块",
            "area_mu": "40",
            "planned_use": "工业",
            "state": "clearing",
            "cleanup_deadline": "2026-12-31",
        },
    )
    p = LandParcel.objects.get(code="L-9")
    client.post(
        reverse("carriers:step_add", args=[p.code]), {"title": "约谈", "due_on": "2026-12-01"}
    )
    step = p.steps.get()
    client.post(reverse("carriers:step_done", args=[p.code, step.pk]), {"done_on": "2026-11-26"})
    step.refresh_from_db()
    assert step.done_on == date(2026, 11, 26)


def test_a_request_lists_matches_and_a_lease_from_it_shows_on_the_project(client, cast):
    building("A-01")
    building("A-02", clear_height_m=Decimal("5"))
    p = project(cast)
    client.force_login(cast.secretariat)
    response = client.post(
        reverse("carriers:requests"),
        {"project": p.pk, "area_m2": "2000", "clear_height_m": "8", "needed_by": "2027-01-31"},
    )
    r = SpaceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == r.get_absolute_url()
    page = client.get(r.get_absolute_url()).content.decode()
    assert page.index('data-building="A-01"') < page.index('data-building="A-02"')
    assert "净高 5.00m &lt; 所需 8.00m" in page
    response = client.post(
        reverse("carriers:request_lease", args=[r.pk, "A-01"]),
        {"area_m2": "2000", "project": p.pk, "starts_on": "2026-12-01"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[p.pk])
    r.refresh_from_db()
    assert r.lease == Lease.objects.get()
    assert "A-01" in client.get(response["Location"]).content.decode()


def test_an_enterprise_asks_for_space_on_the_page(client, cast):
    building()
    client.force_login(cast.acme_contact)
    client.post(reverse("carriers:requests"), {"area_m2": "100", "needed_by": "2027-01-31"})
    r = SpaceRequest.objects.get()
    assert r.enterprise == cast.acme
    page = client.get(r.get_absolute_url()).content.decode()
    assert "A-01" in page and "Record the lease" not in page and "记录租约" not in page
    client.force_login(cast.globex_contact)
    assert client.get(r.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("carriers:request_lease", args=[r.pk, "A-01"]), {}).status_code == 404
    )


def _png(width=40, height=20) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def test_the_map_takes_a_checked_site_plan_and_shapes(client, cast):
    b = building()
    parcel()
    client.force_login(cast.secretariat)
    fake = SimpleUploadedFile("plan.png", b"<html><script>alert(1)</script></html>")
    client.post(reverse("carriers:plan_upload"), {"file": fake})
    assert not SitePlan.objects.exists()
    client.post(
        reverse("carriers:plan_upload"),
        {"file": SimpleUploadedFile("plan.png", _png(), content_type="image/png")},
    )
    plan = SitePlan.objects.get()
    assert (plan.width, plan.height) == (40, 20)
    image = client.get(reverse("carriers:plan_image"))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    shape = [[0.1, 0.1], [0.3, 0.1], [0.3, 0.4]]
    client.post(
        reverse("carriers:shape_save"), {"target": "building:A-01", "shape": json.dumps(shape)}
    )
    b.refresh_from_db()
    assert b.shape == shape
    client.post(
        reverse("carriers:shape_save"), {"target": "building:A-01", "shape": "[[0,0],[2,2],[1,1]]"}
    )
    b.refresh_from_db()
    assert b.shape == shape  # out of the plan: refused
    page = client.get(reverse("carriers:map")).content.decode()
    assert 'id="park-map-data"' in page and "carriers/map.js" in page and "<script>" not in page
    data = json.loads(
        page.split('id="park-map-data" type="application/json">')[1].split("</script>")[0]
    )
    assert data["ratio"] == 0.5 and data["items"][0]["shape"] == shape
    client.force_login(cast.acme_contact)
    assert client.get(reverse("carriers:plan_image")).status_code == 404
    assert client.get(reverse("carriers:map")).status_code == 404
    assert (
        client.post(reverse("carriers:shape_save"), {"target": "building:A-01"}).status_code == 404
    )


def test_editing_on_the_page_keeps_the_shape_drawn_on_the_map(client, cast):
    shape = [[0.1, 0.1], [0.3, 0.1], [0.3, 0.4]]
    b = building(shape=shape)
    client.force_login(cast.secretariat)
    assert 'name="shape"' not in client.get(b.get_absolute_url()).content.decode()
    client.post(b.get_absolute_url(), {"name": "新名称", "shape": ""})
    b.refresh_from_db()
    assert (b.name, b.shape) == ("新名称", shape)


def test_shapes_round_trip_through_geojson_all_or_none(client, cast):
    building(shape=[[0.1, 0.1], [0.3, 0.1], [0.3, 0.4]])
    p = parcel()
    client.force_login(cast.secretariat)
    exported = client.get("/api/v1/carriers/map").json()
    assert exported["features"][0]["geometry"]["coordinates"][0][-1] == [0.1, 0.1]
    square = [[0.5, 0.5], [0.6, 0.5], [0.6, 0.6], [0.5, 0.6], [0.5, 0.5]]
    feature = {
        "type": "Feature",
        "properties": {"kind": "parcel", "code": p.code},
        "geometry": {"type": "Polygon", "coordinates": [square]},
    }
    odd = {**feature, "properties": {"kind": ["parcel"], "code": {"x": 1}}}
    response = client.post(
        "/api/v1/carriers/map",
        {"type": "FeatureCollection", "features": [odd, {}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    bad = {**feature, "properties": {"kind": "parcel", "code": "NOPE"}}
    body = {"type": "FeatureCollection", "features": [feature, bad]}
    response = client.post("/api/v1/carriers/map", body, content_type="application/json")
    assert response.status_code == 400
    p.refresh_from_db()
    assert p.shape == []
    body["features"] = [feature]
    response = client.post("/api/v1/carriers/map", body, content_type="application/json")
    assert response.json() == {"imported": 1}
    p.refresh_from_db()
    assert p.shape == square[:-1]
    upload = SimpleUploadedFile(
        "m.geojson", json.dumps(client.get(reverse("carriers:geojson")).json()).encode()
    )
    client.post(reverse("carriers:geojson_upload"), {"file": upload})
    client.force_login(cast.acme_contact)
    assert client.get("/api/v1/carriers/map").status_code == 403
    assert client.get(reverse("carriers:geojson")).status_code == 404


def test_the_navigation_leads_each_role_to_its_carrier_pages(client, cast):
    client.force_login(cast.acme_contact)
    home = client.get("/").content.decode()
    assert f'href="{reverse("carriers:requests")}"' in home
    assert f'href="{reverse("carriers:index")}"' not in home
    client.force_login(cast.leader)
    assert f'href="{reverse("carriers:index")}"' in client.get("/").content.decode()
