"""Every response carries the Content-Security-Policy: pages, the API, Open311, the admin."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


URLS = [
    "/accounts/login/",
    "/healthz",
    "/api/v1/docs",
    "/open311/v2/discovery.json",
    "/public/bulletins/",
    "/admin/login/",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", URLS)
def test_every_response_has_a_strict_content_security_policy(client, url):
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy


def test_signed_in_pages_have_it_too(client, cast):
    client.force_login(cast.secretariat)
    for url in (reverse("home"), reverse("problems:list"), reverse("api_tokens")):
        assert "script-src 'self'" in client.get(url)["Content-Security-Policy"]
