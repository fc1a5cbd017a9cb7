"""Sign-in defences, password rules, session expiry and the security log."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from conftest import TEST_PASSWORD
from qingdan.accounts import security
from qingdan.accounts.models import SecurityEvent, SecurityEventKind, User
from qingdan.api.models import ApiToken, user_for_token
from qingdan.lib import clock

Kind = SecurityEventKind


def sign_in(client, username, password, address="10.1.1.1", agent="pytest-browser"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=agent,
    )


def signed_in_as(client):
    return client.session.get("_auth_user_id")


# --- Lockout by user name and address ---------------------------------------------------------


@pytest.mark.django_db
def test_five_bad_passwords_lock_the_user_only_from_that_address(client, cast, settings):
    for _ in range(5):
        sign_in(client, "t-water", "wrong", address="203.0.113.9")
    locked = sign_in(client, "t-water", TEST_PASSWORD, address="203.0.113.9")
    assert locked.status_code == 429 and "账户已锁定" in locked.content.decode()
    assert signed_in_as(client) is None
    # The real person, at their own desk, still signs in: a stranger cannot lock them out.
    response = sign_in(client, "t-water", TEST_PASSWORD, address="10.20.0.7")
    assert response.status_code == 302
    assert signed_in_as(client) == str(cast.water_officer.pk)
    lockouts = SecurityEvent.objects.filter(kind=Kind.LOCKED_OUT, username="t-water")
    assert lockouts.exists() and lockouts.first().address == "203.0.113.9"


@pytest.mark.django_db
def test_password_spraying_from_one_address_is_stopped(client, cast, settings):
    settings.QINGDAN = {**settings.QINGDAN, "LOGIN_ADDRESS_FAILURE_LIMIT": 12}
    users = [f"staff{n:02d}" for n in range(6)]
    # Two tries per user name: no user name comes near its own limit of 5.
    for name in users * 2:
        assert sign_in(client, name, "Spring2026!", address="198.51.100.4").status_code == 200
    # The address has failed 12 times: even a right password from it is refused for now…
    refused = sign_in(client, "t-acme", TEST_PASSWORD, address="198.51.100.4")
    assert refused.status_code == 429
    assert "网络地址" in refused.content.decode()
    assert signed_in_as(client) is None
    # …while everyone elsewhere signs in, and the address may try again after the window.
    assert sign_in(client, "t-acme", TEST_PASSWORD, address="10.20.0.8").status_code == 302
    client.logout()
    with time_machine.travel(clock.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        assert sign_in(client, "t-acme", TEST_PASSWORD, address="198.51.100.4").status_code == 302
    throttled = SecurityEvent.objects.get(kind=Kind.LOCKED_OUT, detail__scope="address")
    assert throttled.address == "198.51.100.4"


@pytest.mark.django_db
def test_behind_a_proxy_the_client_address_comes_from_the_proxys_own_entry(rf, settings):
    settings.QINGDAN = {**settings.QINGDAN, "PROXY_COUNT": 1}
    request = rf.get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.50"
    )  # the client wrote 1.2.3.4 itself; the proxy appended what it saw
    assert security.client_address(request) == "203.0.113.50"
    settings.QINGDAN = {**settings.QINGDAN, "PROXY_COUNT": 0}
    assert security.client_address(request) == "127.0.0.1"


# --- Passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password", ["zhangweizhangwei", "Zhangwei2026!", "2026-zhangwei-ok", "zhang.wei.zhang"]
)
def test_passwords_built_from_the_user_name_are_refused_in_chinese(password):
    user = User(username="zhangwei", email="z.w@example.org")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as raised:
        validate_password(password, user)
    assert "用户名" in " ".join(raised.value.messages)


def test_a_good_password_for_that_user_passes():
    validate_password("Qing-dan-harbour-77", User(username="zhangwei"))


@pytest.mark.django_db
def test_password_change_form_refuses_the_username_twice(client, cast):
    client.force_login(cast.acme_contact)
    doubled = "t-acmet-acme!"
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": doubled, "new_password2": doubled},
    )
    assert response.status_code == 200 and "用户名" in response.content.decode()
    cast.acme_contact.refresh_from_db()
    assert cast.acme_contact.check_password(TEST_PASSWORD)


# --- Session expiry ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_session_ends_after_eight_hours_without_activity(client, cast, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600 and settings.SESSION_SAVE_EVERY_REQUEST
    start = clock.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, "t-acme", TEST_PASSWORD)
        traveller.shift(timedelta(hours=7, minutes=50))
        assert client.get(reverse("home")).status_code == 200  # activity renews the session
        traveller.shift(timedelta(hours=7, minutes=50))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(timedelta(hours=8, minutes=5))
        response = client.get(reverse("problems:list"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_session_idle_hours_come_from_the_environment(monkeypatch):
    import importlib

    import qingdan.settings as project_settings

    monkeypatch.setenv("QINGDAN_SESSION_IDLE_HOURS", "2")
    try:
        assert importlib.reload(project_settings).SESSION_COOKIE_AGE == 2 * 3600
    finally:
        monkeypatch.delenv("QINGDAN_SESSION_IDLE_HOURS")
        importlib.reload(project_settings)


# --- The security log --------------------------------------------------------------------------


@pytest.mark.django_db
def test_sign_in_failure_and_sign_out_are_logged_with_address_and_agent(client, cast):
    start = SecurityEvent.objects.count()  # the cast's passwords were set: logged too
    sign_in(client, "nobody-here", "x", address="192.0.2.1", agent="curl/8")
    sign_in(client, "t-power", "wrong", address="192.0.2.2")
    sign_in(client, "t-power", TEST_PASSWORD, address="192.0.2.2", agent="Firefox/140")
    client.post(reverse("logout"), REMOTE_ADDR="192.0.2.2")
    rows = list(
        SecurityEvent.objects.order_by("id").values_list("kind", "username", "address")[start:]
    )
    assert rows == [
        (Kind.LOGIN_FAILED, "nobody-here", "192.0.2.1"),
        (Kind.LOGIN_FAILED, "t-power", "192.0.2.2"),
        (Kind.LOGIN, "t-power", "192.0.2.2"),
        (Kind.LOGOUT, "t-power", "192.0.2.2"),
    ]
    unknown, failed, success = SecurityEvent.objects.order_by("id")[start : start + 3]
    assert unknown.actor is None and unknown.user_agent == "curl/8"
    assert failed.actor == cast.power_officer
    assert success.user_agent == "Firefox/140"


@pytest.mark.django_db
def test_admin_changes_are_logged_with_who_changed_what(client, cast):
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:accounts_unit_change", args=[cast.water.pk]),
        {"name": "自来水公司", "short_name": "水务", "kind": "utility", "is_active": "on"},
        REMOTE_ADDR="192.0.2.30",
    )
    assert response.status_code == 302
    entry = SecurityEvent.objects.get(kind=Kind.ADMIN_CHANGE)
    assert entry.actor == cast.admin and entry.address == "192.0.2.30"
    assert entry.subject == f"accounts.unit #{cast.water.pk}: 自来水公司"
    assert entry.detail["action"] == "changed" and "Short name" in entry.detail["change"]
    # Even a LogEntry written outside a request is copied.
    LogEntry.objects.create(
        user=cast.admin,
        content_type_id=LogEntry.objects.get().content_type_id,
        object_id=str(cast.power.pk),
        object_repr="供电公司",
        action_flag=CHANGE,
    )
    assert SecurityEvent.objects.filter(kind=Kind.ADMIN_CHANGE).count() == 2


@pytest.mark.django_db
def test_bulk_deletion_in_the_admin_is_logged_row_by_row(client, cast):
    from datetime import date

    from qingdan.problems.models import HolidayOverride

    days = [
        HolidayOverride.objects.create(date=date(2026, 12, d), is_workday=False) for d in (1, 2)
    ]
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:problems_holidayoverride_changelist"),
        {"action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"},
    )
    assert response.status_code == 302 and not HolidayOverride.objects.exists()
    deleted = SecurityEvent.objects.filter(kind=Kind.ADMIN_CHANGE, detail__action="deleted")
    assert sorted(e.subject for e in deleted) == sorted(
        f"problems.holidayoverride #{d.pk}: {d}" for d in days
    )


@pytest.mark.django_db
def test_api_tokens_issued_and_revoked_are_logged(client, cast):
    client.force_login(cast.acme_contact)
    response = client.post(reverse("api_tokens"), {"name": "热线对接"}, REMOTE_ADDR="192.0.2.5")
    secret = response.context["secret"]
    token = ApiToken.objects.get(user=cast.acme_contact)
    client.post(reverse("api_token_revoke", args=[token.pk]), REMOTE_ADDR="192.0.2.5")
    issued = SecurityEvent.objects.get(kind=Kind.TOKEN_ISSUED)
    revoked = SecurityEvent.objects.get(kind=Kind.TOKEN_REVOKED)
    assert issued.actor == revoked.actor == cast.acme_contact
    assert "热线对接" in issued.subject and secret not in issued.subject
    assert revoked.address == "192.0.2.5"
    assert user_for_token(secret) is None


@pytest.mark.django_db
def test_api_token_from_the_shell_is_logged(cast, capsys):
    call_command("api_token", "t-power", "--name", "桥接")
    secret = capsys.readouterr().out.strip()
    issued = SecurityEvent.objects.get(kind=Kind.TOKEN_ISSUED)
    assert issued.actor == cast.power_officer and issued.detail == {"source": "command line"}
    assert secret[:10] in issued.subject and secret not in issued.subject


@pytest.mark.django_db
def test_password_changes_and_resets_are_logged(client, cast):
    before = SecurityEvent.objects.count()
    client.force_login(cast.acme_contact)
    client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Qing-dan-2026!",
            "new_password2": "Qing-dan-2026!",
        },
        REMOTE_ADDR="192.0.2.7",
    )
    changed = SecurityEvent.objects.get(kind=Kind.PASSWORD_CHANGED)
    assert changed.actor == cast.acme_contact and changed.address == "192.0.2.7"
    client.force_login(cast.admin)
    client.post(
        reverse("admin:auth_user_password_change", args=[cast.globex_contact.pk]),
        {"password1": "Reset-by-admin-1", "password2": "Reset-by-admin-1"},
    )
    reset = SecurityEvent.objects.filter(kind=Kind.PASSWORD_RESET).latest("id")
    assert reset.actor == cast.admin and reset.detail["target_id"] == cast.globex_contact.pk
    assert SecurityEvent.objects.count() > before


@pytest.mark.django_db
def test_the_log_is_append_only_and_pruned_only_past_retention(cast, settings):
    with time_machine.travel(clock.now() - timedelta(days=181)):
        old = security.record(Kind.LOGIN, actor=cast.leader)
    with time_machine.travel(clock.now() - timedelta(days=179)):
        kept = security.record(Kind.LOGIN, actor=cast.leader)
    with pytest.raises(TypeError):
        kept.delete()
    with pytest.raises(TypeError):
        SecurityEvent.objects.filter(pk=kept.pk).delete()
    with pytest.raises(TypeError):
        SecurityEvent.objects.filter(pk=kept.pk).update(username="x")
    with pytest.raises(TypeError):
        kept.save()
    call_command("prune_security_log")
    assert not SecurityEvent.objects.filter(pk=old.pk).exists()
    assert SecurityEvent.objects.filter(pk=kept.pk).exists()
    settings.QINGDAN = {**settings.QINGDAN, "SECURITY_LOG_DAYS": 30}
    with pytest.raises(ValueError):
        security.prune()


@pytest.mark.django_db
def test_the_pruning_job_is_scheduled_daily():
    from qingdan.core.schedule import JOBS

    job = next(j for j in JOBS if j.task == "qingdan.accounts.tasks.prune_security_log")
    assert job.latest(clock.now()) > clock.now() - timedelta(days=1)


@pytest.mark.django_db
def test_only_the_administrator_sees_the_security_log(client, cast):
    from django.contrib.auth.models import Group

    from qingdan.accounts.groups import SECRETARIAT_GROUP

    security.record(Kind.LOGIN_FAILED, username="probe")
    url = reverse("admin:accounts_securityevent_changelist")
    client.force_login(cast.admin)
    page = client.get(url, {"kind__exact": Kind.LOGIN_FAILED})
    assert page.status_code == 200 and "probe" in page.content.decode()
    assert client.get(url, {"q": "probe"}).status_code == 200
    entry = SecurityEvent.objects.get(username="probe")
    detail = client.get(reverse("admin:accounts_securityevent_change", args=[entry.pk]))
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert (
        client.post(reverse("admin:accounts_securityevent_delete", args=[entry.pk])).status_code
        == 403
    )
    cast.secretariat.is_staff = True
    cast.secretariat.save(update_fields=["is_staff"])
    cast.secretariat.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    client.force_login(cast.secretariat)
    assert client.get(url).status_code == 403
    assert "securityevent" not in client.get(reverse("admin:index")).content.decode()
    assert SecurityEvent.objects.filter(username="probe").exists()
