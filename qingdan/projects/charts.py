"""The dashboard's charts as SVG for its PDF (WeasyPrint draws SVG; no browser, no script):
the 12 weeks' raised and resolved, the project pipeline and the indicators' growth, each bar
with its value written on it. Every text is escaped for XML."""

from xml.sax.saxutils import escape

from django.utils.safestring import mark_safe

FONT = 'font-family="Noto Sans CJK SC, sans-serif"'
INK, MUTED, BLUE, GREY, GREEN, RED = (
    "#1f2933",
    "#616e7c",
    "#1d4e89",
    "#9aa5b1",
    "#2f7d32",
    "#b3261e",
)


def _svg(width: int, height: int, parts: list[str]) -> str:
    body = "".join(parts)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" {FONT}>{body}</svg>'
    )


def _text(x, y, text, size=11, fill=INK, anchor="start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}">{escape(str(text))}</text>'
    )


def trend_svg(trend: list[dict], raised_label: str, resolved_label: str) -> str:
    width, height, left, top, bottom = 720, 240, 30, 30, 40
    plot_h = height - top - bottom
    peak = max([t["raised"] for t in trend] + [t["resolved"] for t in trend] + [1])
    step = (width - left - 10) / max(len(trend), 1)
    parts = [
        f'<rect x="{left}" y="8" width="10" height="10" fill="{GREY}"/>',
        _text(left + 14, 17, raised_label),
        f'<rect x="{left + 120}" y="8" width="10" height="10" fill="{BLUE}"/>',
        _text(left + 134, 17, resolved_label),
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        f'stroke="{MUTED}"/>',
    ]
    for index, point in enumerate(trend):
        x = left + index * step
        for offset, key, colour in ((0.1, "raised", GREY), (0.5, "resolved", BLUE)):
            bar = plot_h * point[key] / peak
            bx = x + step * offset
            parts.append(
                f'<rect x="{bx:.1f}" y="{top + plot_h - bar:.1f}" '
                f'width="{step * 0.38:.1f}" height="{bar:.1f}" fill="{colour}"/>'
            )
            parts.append(
                _text(bx + step * 0.19, top + plot_h - bar - 3, point[key], 9, anchor="middle")
            )
        parts.append(
            _text(x + step / 2, height - bottom + 16, str(point["week"])[5:], 9, MUTED, "middle")
        )
    return _svg(width, height, parts)


def pipeline_svg(rows: list[dict]) -> str:
    width, row_h, left = 720, 26, 150
    height = 10 + row_h * max(len(rows), 1)
    peak = max([r["count"] for r in rows] + [1])
    parts = []
    for index, row in enumerate(rows):
        y = 6 + index * row_h
        bar = (width - left - 60) * row["count"] / peak
        parts.append(_text(left - 8, y + 14, row["label"], 11, anchor="end"))
        parts.append(
            f'<rect x="{left}" y="{y}" width="{bar:.1f}" height="{row_h - 8}" fill="{BLUE}"/>'
        )
        parts.append(_text(left + bar + 6, y + 14, row["count"], 11))
    return _svg(width, height, parts)


def indicators_svg(pairs) -> str:
    """Year-on-year growth per indicator: a bar right (growth) or left (decline) of zero, its
    value written at its end — every bar labelled."""
    rows = [(i, v) for i, v in pairs if v is not None and v.growth is not None]
    width, row_h, left = 720, 24, 230
    height = 10 + row_h * max(len(rows), 1)
    biggest = max([abs(float(v.growth)) for _i, v in rows] + [1])
    has_negative = any(v.growth < 0 for _i, v in rows)
    zero = left + (width - left) * (0.35 if has_negative else 0.02)
    span = (width - zero - 70) if not has_negative else min(zero - left, width - zero - 70)
    parts = [f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" stroke="{MUTED}"/>']
    for index, (indicator, value) in enumerate(rows):
        y = 6 + index * row_h
        growth = float(value.growth)
        bar = span * abs(growth) / biggest
        x = zero if growth >= 0 else zero - bar
        colour = GREEN if growth >= 0 else RED
        parts.append(
            _text(left - 8, y + 13, f"{indicator.label}（{indicator.unit}）", 10, anchor="end")
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{bar:.1f}" height="{row_h - 8}" fill="{colour}"/>'
        )
        label_x = zero + bar + 4 if growth >= 0 else zero - bar - 4
        parts.append(
            _text(label_x, y + 13, f"{growth:+.2f}%", 10, anchor="start" if growth >= 0 else "end")
        )
    return _svg(width, height, parts)
