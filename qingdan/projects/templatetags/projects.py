import json

from django import template

register = template.Library()


@register.filter
def growth(value):
    """12.3456 → "+12.35%"; None or nothing → "—"."""
    if value is None or value == "":
        return "—"
    return f"{value:+.2f}%"


@register.filter
def trim(value):
    """A Decimal without trailing zeros: 315.6000 → 315.6; nothing (an indicator without a
    value yet) → "—"."""
    if value is None or value == "":
        return "—"
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def chart_json(rows, kind):
    if kind == "pipeline":
        return json.dumps(
            {
                "labels": [r["label"] for r in rows],
                "counts": [r["count"] for r in rows],
                "amounts": [float(r["amount_wan_yuan"]) for r in rows],
            },
            ensure_ascii=False,
        )
    if kind == "indicators":
        shown = [(i, v) for i, v in rows if v is not None and v.growth is not None]
        return json.dumps(
            {
                "labels": [i.label for i, _v in shown],
                "growth": [float(v.growth) for _i, v in shown],
            },
            ensure_ascii=False,
        )
    return json.dumps(
        {
            "weeks": [t["week"] for t in rows],
            "raised": [t["raised"] for t in rows],
            "resolved": [t["resolved"] for t in rows],
        }
    )
