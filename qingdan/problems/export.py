"""A problem list as an Excel file: every row that the list's filters select, written in
constant memory (openpyxl write-only, rows read in chunks) to a temporary file that is then
streamed. Each cell goes through ``lib/encode.set_cell``: text is never a formula."""

import tempfile

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from qingdan.lib import encode
from qingdan.problems.models import ProblemEvent
from qingdan.problems.warnings import COLOURS, colour_of, cutoffs

CHUNK = 2000


def columns() -> list[str]:
    return [
        _("Number"),
        _("Title"),
        _("Enterprise"),
        _("Category"),
        _("Channel"),
        _("Urgency"),
        _("Status"),
        _("Lead unit"),
        _("Responsible person"),
        _("Raised at"),
        _("Sign-for deadline"),
        _("Completion deadline"),
        _("Warning"),
        _("Urged"),
        _("Redone"),
        _("Satisfaction"),
        _("Closed at"),
    ]


def with_urges(problems):
    urges = (
        ProblemEvent.objects.filter(problem=OuterRef("pk"), action="urge")
        .values("problem")
        .annotate(n=Count("id"))
        .values("n")
    )
    return problems.annotate(urge_count=Coalesce(Subquery(urges), 0))


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def write(problems):
    """The workbook of ``problems`` in a temporary file (rewound), to stream and then close."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    cut = cutoffs()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Problems"))

    def row(values):
        cells = []
        for value in values:
            cell = WriteOnlyCell(sheet)
            encode.set_cell(cell, value)
            cells.append(cell)
        sheet.append(cells)

    row(columns())
    problems = with_urges(
        problems.select_related("enterprise", "category", "lead_unit", "responsible")
    ).order_by("-created", "-id")
    for problem in problems.iterator(chunk_size=CHUNK):
        colour = colour_of(problem, cut)
        row(
            [
                problem.number,
                problem.title,
                problem.enterprise.name,
                str(problem.category),
                problem.get_channel_display(),
                problem.get_urgency_display(),
                problem.get_status_display(),
                str(problem.lead_unit or ""),
                str(problem.responsible or ""),
                _when(problem.created),
                problem.sign_deadline.isoformat() if problem.sign_deadline else "",
                problem.deadline.isoformat() if problem.deadline else "",
                str(COLOURS.get(colour, "")),
                problem.urge_count,
                problem.redo_count,
                problem.get_satisfaction_display() if problem.satisfaction else "",
                _when(problem.closed_at),
            ]
        )
    file = tempfile.TemporaryFile()  # noqa: SIM115 (the streamed response closes it)
    book.save(file)
    file.seek(0)
    return file
