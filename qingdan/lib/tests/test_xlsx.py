"""The safe spreadsheet reader refuses bombs and sparse monsters before parsing a cell."""

import io
import tracemalloc
import zipfile
import zlib

import pytest
from openpyxl import Workbook

from qingdan.lib import xlsx


def workbook(cells: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    for reference, value in cells.items():
        sheet[reference] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The same workbook with one part replaced (or added), deflated."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != name:
                target.writestr(item, source.read(item))
        target.writestr(name, content)
    return out.getvalue()


def shared_strings_bomb() -> bytes:
    """A small file whose sharedStrings part expands to 100 MB (ratio ≈ 450)."""
    repeated = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = deflate.compress(head) + b"".join(deflate.compress(repeated) for _ in range(100_000))
    body += deflate.compress(b"</sst>") + deflate.flush()
    size = len(head) + len(repeated) * 100_000 + len(b"</sst>")
    crc = zlib.crc32(head)
    for _ in range(100_000):
        crc = zlib.crc32(repeated, crc)
    crc = zlib.crc32(b"</sst>", crc)
    base = workbook({"A1": "x"})
    source = zipfile.ZipFile(io.BytesIO(base))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename != "xl/sharedStrings.xml":
                target.writestr(item, source.read(item))
    # Append the pre-compressed part by hand: a local header, the data, and a central record.
    raw = out.getvalue()
    archive = zipfile.ZipFile(io.BytesIO(raw))
    info = zipfile.ZipInfo("xl/sharedStrings.xml", date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.CRC, info.compress_size, info.file_size = crc, len(body), size
    entries = [(i, archive.read(i)) for i in archive.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item, content in entries:
            target.writestr(item, content)
        info.header_offset = target.fp.tell()
        target.fp.write(info.FileHeader())
        target.fp.write(body)
        target.start_dir = target.fp.tell()
        target.filelist.append(info)
        target.NameToInfo[info.filename] = info
    return out.getvalue()


@pytest.fixture
def never_parsed(monkeypatch):
    """Fails the test if openpyxl is asked to open the workbook."""
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a file that should have been refused first")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_plain_workbook_is_read_with_bounded_width():
    data = workbook({"A1": "标题", "B1": "值", "A2": "甲", "B2": 3, "H2": "ignored"})
    assert xlsx.rows(data, width=2, max_rows=10) == [("标题", "值"), ("甲", 3)]


def test_sharedstrings_bomb_is_refused_without_expanding_it(never_parsed):
    bomb = shared_strings_bomb()
    assert len(bomb) < 1_000_000
    tracemalloc.start()
    try:
        with pytest.raises(xlsx.SpreadsheetRefused) as refused:
            xlsx.rows(bomb, width=7, max_rows=1000)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # the 100 MB part was never inflated
    assert "plain .xlsx" in refused.value.message or "普通" in refused.value.message


def test_sparse_sheet_with_a_far_cell_is_refused_before_parsing(never_parsed):
    data = workbook({"A1": "x", "XFD1048576": "far away"})
    with pytest.raises(xlsx.SpreadsheetRefused) as refused:
        xlsx.rows(data, width=7, max_rows=200_001)
    assert "XFD1048576" in refused.value.message


def test_too_many_rows_are_refused_naming_the_limit(never_parsed):
    data = workbook({f"A{n}": n for n in range(1, 30)})
    with pytest.raises(xlsx.SpreadsheetRefused) as refused:
        xlsx.rows(data, width=1, max_rows=20)
    assert "20" in refused.value.message


def test_oversized_file_is_refused_by_size(never_parsed, settings):
    settings.QINGDAN = {**settings.QINGDAN, "IMPORT_MAX_BYTES": 1000}
    with pytest.raises(xlsx.SpreadsheetRefused):
        xlsx.rows(workbook({"A1": "x" * 5000}), width=1, max_rows=10)


def test_a_part_with_a_dtd_is_refused(never_parsed):
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;">]><sst>&lol2;</sst>'
    )
    data = with_part(workbook({"A1": "x"}), "xl/sharedStrings.xml", laughs)
    with pytest.raises(xlsx.SpreadsheetRefused):
        xlsx.rows(data, width=1, max_rows=10)


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 broken", b"not a zip at all"])
def test_garbage_is_not_an_excel_file(data, never_parsed):
    with pytest.raises(xlsx.SpreadsheetRefused) as refused:
        xlsx.rows(data, width=1, max_rows=10)
    assert "xlsx" in refused.value.message
