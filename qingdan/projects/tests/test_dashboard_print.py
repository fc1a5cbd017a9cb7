"""The leader's dashboard PDF (issue 16): charts included (SVG, each indicator bar with its
value), every table column labelled, the 12-week table laid out to fit the page."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from qingdan.projects import views
from qingdan.projects.demo import build_indicators
from qingdan.projects.models import IndicatorValue

pytestmark = pytest.mark.django_db


def test_the_dashboard_pdf_has_its_charts_and_labelled_columns(client, cast, monkeypatch):
    build_indicators(2026)
    printed = {}
    monkeypatch.setattr(
        views.pdf, "html_to_pdf", lambda html: printed.setdefault("html", html) and b"%PDF-1.7 test"
    )
    with time_machine.travel(date(2026, 11, 26), tick=False):
        client.force_login(cast.leader)
        response = client.get(reverse("projects:dashboard_pdf"))
    assert response.status_code == 200
    html = printed["html"]
    assert html.count("<svg") == 3  # trend, pipeline, indicators
    assert "<script" not in html
    shown = IndicatorValue.objects.filter(year=2026, month=11).exclude(prior_year_value=None)
    growth_labels = re.findall(r">([+-]\d+\.\d\d%)</text>", html)
    assert len(growth_labels) == shown.count() > 0  # a label on every bar
    assert "+144.08%" in growth_labels
    for table in ("trend", "warnings", "behind", "challenges", "pipeline", "indicators"):
        block = html.split(f'<table class="{table}">', 1)[1].split("</table>", 1)[0]
        assert "<thead>" in block, table
    assert "table-layout: fixed" in html
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", html)  # when it was printed
