"""The indicator import opens the workbook through the safe reader (qingdan.lib.xlsx)."""

import pytest

from qingdan.lib.tests.test_xlsx import never_parsed, shared_strings_bomb, workbook  # noqa: F401
from qingdan.projects import importing
from qingdan.projects.models import IndicatorValue

HEADINGS = {f"{chr(65 + i)}1": heading for i, (_k, heading) in enumerate(importing.COLUMNS)}


@pytest.mark.django_db
def test_indicator_import_refuses_a_sparse_sheet_before_parsing(never_parsed, cast):  # noqa: F811
    data = workbook({**HEADINGS, "XFD1048576": "x"})
    imported, errors = importing.import_xlsx(data, actor=cast.secretariat)
    assert imported == 0 and "XFD1048576" in errors[0].message
    assert not IndicatorValue.objects.exists()


@pytest.mark.django_db
def test_indicator_import_refuses_a_sharedstrings_bomb(never_parsed, cast):  # noqa: F811
    imported, errors = importing.import_xlsx(shared_strings_bomb(), actor=cast.secretariat)
    assert imported == 0 and len(errors) == 1
