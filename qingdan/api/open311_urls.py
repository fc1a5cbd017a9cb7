from django.urls import re_path
from django.views.decorators.http import require_GET

from qingdan.api import open311

FMT = r"\.(?P<fmt>json|xml)$"

app_name = "open311"

urlpatterns = [
    re_path(r"^discovery" + FMT, require_GET(open311.discovery), name="discovery"),
    re_path(r"^services" + FMT, require_GET(open311.services), name="services"),
    re_path(
        r"^services/(?P<code>[\w-]+)" + FMT, require_GET(open311.service_definition), name="service"
    ),
    re_path(r"^requests" + FMT, open311.requests_endpoint, name="requests"),
    re_path(
        r"^requests/(?P<number>[\w-]+)" + FMT, require_GET(open311.get_request), name="request"
    ),
    re_path(r"^tokens/(?P<token>[\w-]+)" + FMT, require_GET(open311.token), name="token"),
]
