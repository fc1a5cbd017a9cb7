"""Every Excel import opens the workbook through the safe reader (qingdan.lib.xlsx)."""

import pytest

from qingdan.exchange import importing
from qingdan.lib.tests.test_xlsx import never_parsed, shared_strings_bomb, workbook  # noqa: F401

HEADINGS = {f"{chr(65 + i)}1": heading for i, (_k, heading) in enumerate(importing.COLUMNS)}


@pytest.mark.django_db
def test_problem_list_import_refuses_a_sparse_sheet_before_parsing(never_parsed):  # noqa: F811
    data = workbook({**HEADINGS, "A2": "湖南甲电子有限公司", "XFD1048576": "x"})
    rows, errors = importing.read_rows(data)
    assert rows == [] and len(errors) == 1 and "XFD1048576" in errors[0].message


@pytest.mark.django_db
def test_problem_list_import_refuses_a_sharedstrings_bomb(never_parsed):  # noqa: F811
    rows, errors = importing.read_rows(shared_strings_bomb())
    assert rows == [] and len(errors) == 1 and errors[0].row == 0


@pytest.mark.django_db
def test_problem_list_import_still_reads_a_good_file():
    data = workbook({**HEADINGS, "A2": "甲", "B2": "停电", "C2": "昨晚停电"})
    rows, errors = importing.read_rows(data)
    assert errors == [] and rows[0][0] == 2 and rows[0][1]["title"] == "停电"
