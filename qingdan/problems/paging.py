"""Keyset pagination: pages stay fast at any depth and stable while rows are added.

Three orders: ``recent`` (newest first: created, id descending), ``deadline`` (earliest
deadline first: deadline, id ascending) and ``relevance`` (a search's ``search_rank`` annotation
first, then newest; without the annotation it is ``recent``). The cursor is the last row's sort
key.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from qingdan.lib.bounds import MAX_ID

ORDERS = {
    "recent": ("-created", "-id"),
    "deadline": ("deadline", "id"),
    "relevance": ("-search_rank", "-created", "-id"),
}


@dataclass
class Page:
    items: list
    order: str
    next_cursor: str
    size: int


def _encode(order: str, item) -> str:
    if order == "relevance":
        return f"{item.search_rank}_{item.created.isoformat()}_{item.pk}"
    if order == "recent":
        return f"{item.created.isoformat()}_{item.pk}"
    return f"{item.deadline.isoformat() if item.deadline else ''}_{item.pk}"


def _after(order: str, cursor: str) -> Q | None:
    try:
        value, pk = cursor.rsplit("_", 1)
        pk = int(pk)
        if not 0 < pk <= MAX_ID:
            return None
        if order == "relevance":
            rank, value = value.split("_", 1)
            rank, moment = int(rank), datetime.fromisoformat(value)
            if not 0 <= rank <= MAX_ID:
                return None
            return (
                Q(search_rank__lt=rank)
                | Q(search_rank=rank, created__lt=moment)
                | Q(search_rank=rank, created=moment, id__lt=pk)
            )
        if order == "recent":
            moment = datetime.fromisoformat(value)
            return Q(created__lt=moment) | Q(created=moment, id__lt=pk)
        day = date.fromisoformat(value)
        return Q(deadline__gt=day) | Q(deadline=day, id__gt=pk)
    except ValueError:
        return None  # a mangled cursor starts from the first page


def keyset_page(queryset: QuerySet, order: str, cursor: str, *, size: int) -> Page:
    if order not in ORDERS or (
        order == "relevance" and "search_rank" not in queryset.query.annotations
    ):
        order = "recent"
    if order == "deadline":
        queryset = queryset.filter(deadline__isnull=False)
    if cursor:
        condition = _after(order, cursor)
        if condition is not None:
            queryset = queryset.filter(condition)
    items = list(queryset.order_by(*ORDERS[order])[: size + 1])
    more = len(items) > size
    items = items[:size]
    return Page(
        items=items,
        order=order,
        next_cursor=_encode(order, items[-1]) if more else "",
        size=size,
    )
