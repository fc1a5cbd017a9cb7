"""HTML to PDF (WeasyPrint), only when the Chinese fonts are there (``fonts.require_cjk``)."""

from qingdan.lib import fonts


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    fonts.require_cjk()
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
