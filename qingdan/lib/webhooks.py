"""Group-robot webhook addresses (WeCom, DingTalk): where the worker may be told to POST.

A unit's webhook is typed in by staff, and the worker sends to it from inside the park's
network, so an address is refused unless it is ``https`` and every address its host resolves to
is a public one — not private, loopback, link-local, shared, reserved or multicast — or it
starts with a prefix the administrator allowed (``QINGDAN_WEBHOOK_ALLOW``: an intranet robot
gateway, or a test server on 127.0.0.1).

``check()`` runs when the address is saved (a DNS name that does not resolve there is accepted:
it is checked again when sending), and ``open_guarded()`` when sending: it resolves the host,
checks every address and connects to the address it checked, so a DNS answer that changed
since (rebinding) cannot lead the worker elsewhere.
"""

import http.client
import ipaddress
import socket
import urllib.parse
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _

from qingdan.lib.errors import InvalidInput


class UnsafeWebhook(InvalidInput):
    code = "unsafe_webhook"


def allowed_prefixes() -> list[str]:
    return list(settings.QINGDAN.get("WEBHOOK_ALLOW", []))


def _split(url: str):
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port, parts.path or "/"


def is_allow_listed(url: str) -> bool:
    """Scheme, host and port equal to an allowed prefix's, and the path under its path."""
    try:
        scheme, host, port, path = _split(url)
    except ValueError:
        return False
    for prefix in allowed_prefixes():
        try:
            p_scheme, p_host, p_port, p_path = _split(prefix)
        except ValueError:
            continue
        if (scheme, host, port) == (p_scheme, p_host, p_port) and path.startswith(p_path):
            return True
    return False


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def _refused_address(address: str) -> UnsafeWebhook:
    return UnsafeWebhook(
        _(
            "This address leads inside the network (%(address)s): a group robot must be on "
            "the internet, or its address allowed by the system administrator."
        )
        % {"address": address}
    )


def check(url: str, *, resolve: bool = True) -> None:
    """Raise ``UnsafeWebhook`` unless the worker may send to ``url``."""
    if is_allow_listed(url):
        return
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        raise UnsafeWebhook(_("This is not a web address.")) from None
    if parts.scheme.lower() != "https":
        raise UnsafeWebhook(
            _(
                "Only https:// addresses are accepted for a group robot, unless the "
                "system administrator allowed the address."
            )
        )
    if parts.username or parts.password:
        raise UnsafeWebhook(_("A group robot's address may not carry a user name or password."))
    if not host:
        raise UnsafeWebhook(_("This is not a web address."))
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        if not is_public_address(host):
            raise _refused_address(host)
        return
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise _refused_address(host)
    if resolve:
        for address in resolve_host(host, parts.port or 443, missing_ok=True):
            if not is_public_address(address):
                raise _refused_address(f"{host} → {address}")


def resolve_host(host: str, port: int, *, missing_ok: bool = False) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        if missing_ok:
            return []
        raise
    return list(dict.fromkeys(info[4][0] for info in found))


# --- Sending ------------------------------------------------------------------------------------


def _guarded_create_connection(allow_private: bool):
    def create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
        host, port = address
        last_error = None
        addresses = resolve_host(host, port)  # resolved once: checked, then connected to
        for ip in addresses:
            if not allow_private and not is_public_address(ip):
                raise _refused_address(f"{host} → {ip}")
        for ip in addresses:
            try:
                return socket.create_connection((ip, port), timeout, source_address)
            except OSError as exc:
                last_error = exc
        raise last_error or OSError(f"cannot connect to {host}")

    return create_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    allow_private = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_create_connection(self.allow_private)


class _GuardedHTTPConnection(http.client.HTTPConnection):
    allow_private = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_create_connection(self.allow_private)


def open_guarded(request: urllib.request.Request, *, timeout: float):
    """``urlopen`` for a webhook: checked first, sent directly (no proxy, no redirects to
    elsewhere), connecting only to the addresses that passed the check."""
    url = request.full_url
    check(url, resolve=False)
    allowed = is_allow_listed(url)

    class HTTPS(_GuardedHTTPSConnection):
        allow_private = allowed

    class HTTP(_GuardedHTTPConnection):
        allow_private = allowed

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(HTTPS, req, context=self._context)

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req):
            if not allowed:
                raise UnsafeWebhook("plain http is not allowed")
            return self.do_open(HTTP, req)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # a robot answers where it is; a redirect is not followed

    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), HTTPSHandler(), HTTPHandler(), NoRedirect()
    )
    return opener.open(request, timeout=timeout)
