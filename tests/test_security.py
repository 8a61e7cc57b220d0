"""Protections around the whole site: login throttling on the web form and the API token,
CSRF on session writes, security headers, upload caps, private evidence files, and a
production profile that passes `check --deploy` and refuses to start without its secrets."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.helpers import api_client, move
from workflow.models import Case, Evidence, ProgressReport
from workflow.services import ReportInput, case_transition

API = "/api/v1"
LOGIN = "/accounts/login/"
LOCKED = "Bạn đã đăng nhập sai quá 5 lần"


def _report_with_evidence(world) -> Evidence:
    move(world, world.so_ldtbxh, "start")
    pdf = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4 bao cao", content_type="application/pdf")
    case = Case.objects.get(pk=world.case.pk)
    case_transition(
        case=case,
        actor=world.so_ldtbxh,
        action="report",
        report=ReportInput(text="Xong.", files=[pdf]),
    )
    return Evidence.objects.get()


# ------------------------------------------------------------------ login throttling


def test_five_wrong_passwords_on_the_login_page_lock_the_account_from_that_address(world):
    client = Client()
    for _ in range(4):
        response = client.post(LOGIN, {"username": "so_ldtbxh", "password": "sai"})
        assert response.status_code == 200  # the form again, with its error
    locked = client.post(LOGIN, {"username": "so_ldtbxh", "password": "sai"})
    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert int(locked["Retry-After"]) == 15 * 60
    # Even the right password is refused now, and no session is opened.
    right = client.post(LOGIN, {"username": "so_ldtbxh", "password": "demo"})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # Every try while locked out counts too, and starts the cool-off again.
    assert AccessAttempt.objects.get(username="so_ldtbxh").failures_since_start == 6


def test_a_lockout_does_not_touch_other_users(world):
    client = Client()
    for _ in range(5):
        client.post(LOGIN, {"username": "so_ldtbxh", "password": "sai"})
    response = client.post(LOGIN, {"username": "so_khdt", "password": "demo"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.so_khdt.pk)


def test_a_good_login_before_the_limit_clears_the_failures(world):
    client = Client()
    for _ in range(4):
        client.post(LOGIN, {"username": "so_ldtbxh", "password": "sai"})
    assert client.post(LOGIN, {"username": "so_ldtbxh", "password": "demo"}).status_code == 302
    assert not AccessAttempt.objects.filter(username="so_ldtbxh").exists()


def test_the_api_token_endpoint_is_throttled_too(world):
    client = APIClient()
    for _ in range(4):
        response = client.post(
            f"{API}/auth/token/", {"username": "so_ldtbxh", "password": "sai"}, format="json"
        )
        assert response.status_code == 400
    locked = client.post(
        f"{API}/auth/token/", {"username": "so_ldtbxh", "password": "sai"}, format="json"
    )
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert locked.json()["detail"].startswith(LOCKED)
    assert locked.json()["detail_en"]
    right = client.post(
        f"{API}/auth/token/", {"username": "so_ldtbxh", "password": "demo"}, format="json"
    )
    assert right.status_code == 429
    assert not Token.objects.exists()
    # The web form counts the same failures: the account is locked there as well.
    assert Client().post(LOGIN, {"username": "so_ldtbxh", "password": "demo"}).status_code == 429


def test_force_login_in_tests_is_not_throttled(client, world):
    for _ in range(6):
        client.force_login(world.so_ldtbxh)
    assert client.get(reverse("workflow:inbox")).status_code == 200


# ------------------------------------------------------------------ CSRF and sessions


def test_a_session_write_to_the_api_needs_the_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.so_ldtbxh)
    refused = client.post(f"{API}/cases/{world.case.pk}/start/", {}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"
    assert Case.objects.get(pk=world.case.pk).state == "assigned"
    client.get(LOGIN)  # any form page hands out the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    accepted = client.post(
        f"{API}/cases/{world.case.pk}/start/", {}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 200
    assert Case.objects.get(pk=world.case.pk).state == "in_progress"


def test_a_session_read_needs_no_csrf_token(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.so_ldtbxh)
    assert client.get(f"{API}/cases/").json()["count"] == 1


def test_a_token_write_needs_no_csrf_token(world):
    client = api_client(world.so_ldtbxh, enforce_csrf_checks=True)
    assert client.post(f"{API}/cases/{world.case.pk}/start/", {}).status_code == 200


# ------------------------------------------------------------------ headers


@pytest.mark.parametrize("path", [LOGIN, "/api/schema/", "/api/docs/"])
def test_every_response_carries_the_content_security_policy(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'unsafe-hashes' 'sha256-" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_api_docs_load_nothing_from_outside(db):
    html = Client().get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert "<script>" not in html  # the start-up script is a file too


# ------------------------------------------------------------------ upload caps


def test_an_oversized_upload_is_refused_before_it_is_read(world, settings):
    move(world, world.so_ldtbxh, "start")
    settings.DONDOC_MAX_UPLOAD_BYTES = 2000

    def big():
        return SimpleUploadedFile("to.pdf", b"%PDF" + b"0" * 4000, content_type="application/pdf")

    client = api_client(world.so_ldtbxh)
    response = client.post(
        f"{API}/cases/{world.case.pk}/report/", {"text": "Xong.", "evidence": [big()]}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert "quá lớn" in response.json()["detail"]
    web = Client()
    web.force_login(world.so_ldtbxh)
    page = web.post(
        reverse("workflow:case_action", args=[world.case.pk, "report"]),
        {"text": "Xong.", "evidence": [big()]},
    )
    assert page.status_code == 413
    assert "Dữ liệu gửi lên quá lớn" in page.content.decode()
    assert not ProgressReport.objects.exists()


def test_an_oversized_json_body_is_refused(world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = api_client(world.thuongtruc)
    body = json.dumps({"title": "x" * 2000})
    response = client.post(f"{API}/notices/", body, content_type="application/json")
    assert response.status_code == 413


# ------------------------------------------------------------------ private files


def test_evidence_is_served_only_to_those_who_may_see_its_case(world):
    evidence = _report_with_evidence(world)
    url = reverse("evidence_download", args=[evidence.pk])
    for allowed in (world.so_ldtbxh, world.so_khdt, world.ban_vhxh, world.thuongtruc):
        client = Client()
        client.force_login(allowed)
        response = client.get(url)
        assert response.status_code == 200, allowed
        assert b"".join(response.streaming_content) == b"%PDF-1.4 bao cao"
        assert response["Content-Disposition"].startswith("attachment")
    for refused in (world.so_tc, world.ban_ktns, world.other_thuongtruc, world.outsider):
        client = Client()
        client.force_login(refused)
        assert client.get(url).status_code == 404, refused
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(LOGIN)


def test_stored_files_are_not_public_under_media(world, settings):
    evidence = _report_with_evidence(world)
    client = Client()
    client.force_login(world.so_ldtbxh)
    assert client.get(f"/{settings.MEDIA_URL}{evidence.file.name}").status_code == 404


def test_the_case_page_links_evidence_through_the_guarded_view(world):
    evidence = _report_with_evidence(world)
    client = Client()
    client.force_login(world.ban_vhxh)
    html = client.get(reverse("workflow:case_detail", args=[world.case.pk])).content.decode()
    assert f'href="/evidence/{evidence.pk}/"' in html
    assert settings.MEDIA_URL + "evidence" not in html


# ------------------------------------------------------------------ production profile


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment |= {"DATABASE_URL": "postgres://dondoc@db.example.org/dondoc"} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "example.org",
}


def test_the_production_profile_passes_the_deployment_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_production_profile_uses_secure_cookies_and_hsts():
    code = (
        "from django.conf import settings as s; print(s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.DEBUG)"
    )
    result = _manage("shell", "-c", code, **PRODUCTION)
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line.split() == ["True", "True", "True", "True", "False"], result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = PRODUCTION | {"DATABASE_URL": "postgres://dondoc@db.example.org/dondoc"}
    env.pop(missing)
    environment = {
        k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("DJANGO_")
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=environment | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"Environment variable {missing} is required." in result.stderr


def test_behind_the_trusted_proxy_failures_count_by_the_clients_own_address(world, settings):
    settings.DONDOC_TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    proxied = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(5):
        Client().post(
            LOGIN,
            {"username": "so_ldtbxh", "password": "sai"},
            HTTP_X_REAL_IP="203.0.113.7",
            **proxied,
        )
    assert AccessAttempt.objects.get(username="so_ldtbxh").ip_address == "203.0.113.7"
    locked = Client().post(
        LOGIN,
        {"username": "so_ldtbxh", "password": "demo"},
        HTTP_X_REAL_IP="203.0.113.7",
        **proxied,
    )
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out by the first one's failures.
    other = Client().post(
        LOGIN,
        {"username": "so_ldtbxh", "password": "demo"},
        HTTP_X_REAL_IP="198.51.100.2",
        **proxied,
    )
    assert other.status_code == 302


def test_a_client_not_behind_a_trusted_proxy_cannot_choose_its_address(world, settings):
    settings.DONDOC_TRUSTED_PROXIES = frozenset({"127.0.0.1"})
    for n in range(5):  # a new forged address each time
        Client().post(
            LOGIN,
            {"username": "so_ldtbxh", "password": "sai"},
            REMOTE_ADDR="192.0.2.50",
            HTTP_X_REAL_IP=f"10.0.0.{n}",
        )
    assert AccessAttempt.objects.get(username="so_ldtbxh").ip_address == "192.0.2.50"
    locked = Client().post(
        LOGIN, {"username": "so_ldtbxh", "password": "demo"}, REMOTE_ADDR="192.0.2.50"
    )
    assert locked.status_code == 429
