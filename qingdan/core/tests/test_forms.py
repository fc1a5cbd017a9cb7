"""The shared form parts: QuickSelect writes the same select Django would, escaped."""

from django import forms
from django.test.html import parse_html

from qingdan.core.forms import QuickSelect


def test_quick_select_writes_what_django_writes_and_escapes_it():
    choices = [("", "---------"), ("1", "<b>供电</b> & 水务"), ("2", '"引号"')]
    attrs = {"id": "id_unit", "required": True, "hx-get": "/x/?a=1&b=2"}
    for value in ("2", None, ""):
        django = forms.Select(choices=choices).render("unit", value, attrs=attrs)
        quick = QuickSelect(choices=choices).render("unit", value, attrs=attrs)
        assert parse_html(quick) == parse_html(django)  # the same elements and attributes
    quick = QuickSelect(choices=choices).render("unit", "1")
    assert "<b>" not in quick and "&lt;b&gt;供电&lt;/b&gt; &amp; 水务" in quick
    assert '<option value="1" selected>' in quick
