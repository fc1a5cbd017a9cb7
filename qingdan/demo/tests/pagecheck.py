"""Reading a rendered page as its reader does: the visible text, the links, and what must not
be there (English words on the Chinese UI, Chinese on the English one, raw enum values, ISO
timestamps). Used by the every-page tests; user data (names, titles, notes) is excluded by
comparing with what the database holds."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.db import models

SKIP_TAGS = {"script", "style", "textarea", "code", "pre", "noscript"}
VOID = {"input", "br", "img", "meta", "link", "hr"}
ATTRS_READ = {"title", "placeholder", "aria-label", "alt"}

# ASCII words a Chinese page may show: product names, file formats and units people use as such.
ZH_ALLOWED = {
    "pdf",
    "excel",
    "word",
    "xlsx",
    "docx",
    "csv",
    "api",
    "url",
    "id",
    "html",
    "ok",
    "http",
    "https",
    "email",
    "mail",
    "wecom",
    "dingtalk",
    "open311",
    "json",
    "token",
    "qingdan",
    "echarts",
    "htmx",
    "gb",
    "gbt",
    "iso",
    "cjk",
    "noto",
    "www",
    "com",
    "org",
    "cn",
    "bearer",
    "post",
    "get",
    "sms",
    "ip",
    "kpi",
    "ppt",
    "xls",
    "docs",
    "redoc",
    "swagger",
    "openapi",
    "utf",
    "csrf",
    "django",
    "apt",
    "install",
    "fonts",
    "make",
    "run",
    "key",
    "sha",
    "office",
    "authorization",
    "api_key",
    "reindex",
    "manage",
    "english",
    "wps",
    "kva",
    "kwh",
    "geojson",
    "jpeg",
    "jpg",
    "png",
    "webp",
    "gif",
    "svg",
    "zip",
    "webhook",
    # Keyboard keys named in Django's admin help ("按住 Control 键或 Mac 上的 Command 键").
    "control",
    "command",
    "mac",
}

# Chinese an English page may show: a language's own name (the language switch).
EN_ALLOWED = {"中文", "简体中文"}
PUNCTUATION = re.compile(r"[　，。、：；（）！？「」《》【】“”]+")

WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
CJK_RUN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]+")
ISO_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
ENUM = re.compile(r"\b[a-z]+_[a-z_]+\b")


class PageText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self.skip = 0
        self.stack: list[str] = []  # open elements that declare another language (lang=…)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIP_TAGS:
            self.skip += 1
        if attrs.get("lang") and tag not in VOID and tag != "html":
            self.skip += 1
            self.stack.append(tag)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in ATTRS_READ:
            if attrs.get(name) and not self.skip:
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS and self.skip:
            self.skip -= 1
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.texts.append(data.strip())


def read(html: str) -> PageText:
    parser = PageText()
    parser.feed(html)
    return parser


def user_data() -> str:
    """Every text the database holds (names, titles, notes…), joined: what people typed or
    imported, which a page shows as it is."""
    chunks = []
    for model in apps.get_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(
                f, (models.CharField, models.TextField, models.JSONField, models.FileField)
            )
            and not f.choices
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields).iterator():
            chunks.extend(
                json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else str(v)
                for v in row
                if v
            )
    return "\n".join(chunks)


def faults(html: str, language: str, data: str) -> list[str]:
    found = []
    for text in read(html).texts:
        if ISO_STAMP.search(text):
            found.append(f"ISO timestamp: {text[:80]!r}")
        if language == "en":
            for run in CJK_RUN.findall(text):
                # Lists of names are joined with 、, a unit follows in （）: each piece is data.
                for piece in PUNCTUATION.split(run):
                    if piece and piece not in data and piece not in EN_ALLOWED:
                        found.append(f"Chinese on the English page: {piece!r} in {text[:80]!r}")
        else:
            for word in WORD.findall(text):
                if word.lower() in ZH_ALLOWED or word in data:
                    continue
                found.append(f"English on the Chinese page: {word!r} in {text[:80]!r}")
        for enum in ENUM.findall(text):
            if enum not in data and enum not in ZH_ALLOWED:
                found.append(f"raw value: {enum!r} in {text[:80]!r}")
    return found


def internal_links(html: str, base: str) -> list[str]:
    out = []
    for href in read(html).links:
        url = urljoin(base, href)
        parts = urlsplit(url)
        if parts.scheme and parts.scheme not in ("http", "https"):
            continue
        if parts.netloc and parts.netloc != "testserver":
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        out.append(path)
    return out
