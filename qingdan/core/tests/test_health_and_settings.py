import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_answers_200_with_the_database_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client):
    with mock.patch(
        "qingdan.core.views.connection.cursor", side_effect=OperationalError("connection refused")
    ):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def run_django(args: list[str], **env) -> subprocess.CompletedProcess:
    dropped = ("DATABASE_URL", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_malformed_database_url_is_a_clear_error():
    result = run_django(["check"], DATABASE_URL="not a url at all")
    assert result.returncode != 0
    assert "DATABASE_URL is malformed" in result.stderr


def test_production_without_a_secret_key_refuses_to_start():
    result = run_django(["check"], DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="park.example")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_in_production_with_a_real_secret(tmp_path):
    result = run_django(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="0",
        SECRET_KEY="k" * 20 + "8f3Jq!vR2#pL9xZ$wT6yN0mB4cH7eG1uA5sD",
        ALLOWED_HOSTS="park.example",
        QINGDAN_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_links_in_messages_follow_the_port_or_the_site_url(tmp_path):
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
    ]
    by_port = run_django(show, PORT="8123", QINGDAN_DATA_DIR=str(tmp_path))
    assert by_port.stdout.strip() == "http://127.0.0.1:8123", by_port.stderr
    explicit = run_django(show, SITE_URL="https://qd.park.example/", QINGDAN_DATA_DIR=str(tmp_path))
    assert explicit.stdout.strip() == "https://qd.park.example"


def test_development_mails_go_to_files_unless_the_console_is_asked_for(tmp_path):
    show = [
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
    ]
    quiet = run_django(show, QINGDAN_DATA_DIR=str(tmp_path), EMAIL_BACKEND="")
    assert quiet.stdout.strip().endswith("filebased.EmailBackend"), quiet.stderr
    loud = run_django(show, QINGDAN_DATA_DIR=str(tmp_path), QINGDAN_EMAIL_CONSOLE="1")
    assert loud.stdout.strip().endswith("console.EmailBackend")


@pytest.mark.parametrize(
    "key",
    [
        "x",
        "short-but-random-8f3Jq!vR2#pL9",  # < 50 characters
        "ab" * 40,  # long, but two distinct characters
        "django-insecure-" + "8f3Jq!vR2#pL9xZ$wT6yN0mB4cH7eG1uA5sD-k2k2k2k2k2k2k2",
        "dev-only-insecure-key-do-not-use-in-production",
    ],
)
def test_production_refuses_a_weak_secret_key(key, tmp_path):
    result = run_django(
        ["check"],
        DEBUG="0",
        SECRET_KEY=key,
        ALLOWED_HOSTS="park.example",
        QINGDAN_DATA_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "SECRET_KEY is weak" in result.stderr and "token_urlsafe" in result.stderr


def test_development_still_starts_with_the_development_key(tmp_path):
    result = run_django(["check"], QINGDAN_DATA_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
