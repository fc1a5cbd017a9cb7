"""Finding an enterprise by any part of its name or the start of its credit code, for the
quick entry's suggestions: at most ``LIMIT`` answers, the shortest names (closest matches)
first."""

from django.db.models import Q

from qingdan.accounts.models import Enterprise
from qingdan.lib.creditcode import normalize

LIMIT = 10
MAX_TYPED = 60


def suggest_enterprises(text: str) -> list[Enterprise]:
    text = (text or "").strip()[:MAX_TYPED]
    if len(text) < 2 and not (text and "\u4e00" <= text[0] <= "\u9fff"):
        return []  # one Latin letter or digit matches half the register
    code = normalize(text)
    if code.isascii() and code.isalnum() and len(code) >= 4:  # the start of a credit code
        query = Q(credit_code__startswith=code) | Q(name__contains=text)
    else:
        query = Q(name__contains=text)
    # No ORDER BY in the database: with a common word (湖南…) it would sort every match; the
    # first few found are ranked here, shortest names (the closest matches) first.
    found = list(
        Enterprise.objects.filter(query).order_by().only("name", "credit_code")[: LIMIT * 5]
    )
    return sorted(found, key=lambda e: (not e.name.startswith(text), len(e.name), e.name))[:LIMIT]
