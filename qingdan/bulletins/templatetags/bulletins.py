import json

from django import template

from qingdan.bulletins.render import _appeal_cells, _unit_cells
from qingdan.bulletins.render import percent as percent_text

register = template.Library()


@register.filter
def percent(value):
    return percent_text(value)


@register.filter
def warning_blocks(content):
    return [("red", content["red"]), ("yellow", content["yellow"])]


@register.filter
def units_json(units):
    """Chart data for ECharts: unit names and resolution rates (as percentages)."""
    rows = [row for row in units if row["resolve_rate"] is not None][:20]
    return json.dumps(
        {
            "names": [r["unit"] for r in rows],
            "values": [float(r["resolve_rate"]) * 100 for r in rows],
        },
        ensure_ascii=False,
    )


@register.filter
def trend_json(trend):
    return json.dumps(
        {
            "weeks": [t["week"] for t in trend],
            "raised": [t["raised"] for t in trend],
            "resolved": [t["resolved"] for t in trend],
        }
    )


@register.filter
def unit_cells(row):
    return _unit_cells(row)


@register.filter
def appeal_cells(appeal):
    return _appeal_cells(appeal)
