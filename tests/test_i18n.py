"""Vietnamese first, English on request: the project's own strings through locale/en, and
viewflow's English strings through the hand-kept catalog in locale/vi.

These tests read the compiled catalogs (`make messages`, i.e. `manage.py compilemessages`)."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from workflow.errors import CaseForbidden
from workflow.models import Case
from workflow.services import case_transition

LOCALE = Path(settings.BASE_DIR) / "locale"
# The project's catalogs, and those a newer app keeps beside its own code.
CATALOGS = [
    *(LOCALE / language / "LC_MESSAGES" / "django.po" for language in ("en", "vi")),
    *sorted(Path(settings.BASE_DIR).glob("*/locale/*/LC_MESSAGES/django.po")),
]
INBOX = reverse("workflow:inbox")


@pytest.fixture(autouse=True, scope="module")
def compiled_catalogs():
    for po in CATALOGS:
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            pytest.fail(f"{mo} is missing or older than its .po: run `make messages` first")


def _page(client, user, url=INBOX, language=None, **headers) -> str:
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    response = client.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_the_inbox_reads_in_english_when_english_is_chosen(client, world):
    html = _page(client, world.so_ldtbxh, language="en")
    assert "My tasks" in html
    assert "1 task is waiting for you." in html
    assert "To start" in html and "Due 30/09/2026" in html
    assert "Việc của tôi" not in html
    assert "Chờ tiếp nhận" not in html


def test_without_a_chosen_language_the_inbox_is_in_vietnamese(client, world):
    html = _page(client, world.so_ldtbxh)
    assert "Việc của tôi" in html
    assert "1 việc đang chờ bạn." in html
    assert "My tasks" not in html


def test_a_browser_asking_for_english_gets_english(client, world):
    html = _page(client, world.so_ldtbxh, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "My tasks" in html


def test_the_case_page_reads_in_english_with_its_states_and_actions(client, world):
    case_page = reverse("workflow:case_detail", args=[world.case.pk])
    html = _page(client, world.so_ldtbxh, case_page, language="en")
    for english in ("Tracking committee", "Deadline", "Assigned", "Start work", "History"):
        assert english in html
    for vietnamese in ("Ban theo dõi", "Thời hạn", "Đã giao", "Bắt đầu thực hiện", "Diễn biến"):
        assert vietnamese not in html


def test_viewflow_menu_reads_in_vietnamese_by_default(client, world):
    html = _page(client, world.so_ldtbxh)
    assert "Đăng xuất" in html
    assert "Ứng dụng" in html
    assert "Log out" not in html
    assert "Applications" not in html


def test_viewflow_menu_reads_in_english_when_english_is_chosen(client, world):
    html = _page(client, world.so_ldtbxh, language="en")
    assert "Log out" in html
    assert "Đăng xuất" not in html


def test_viewflow_task_lists_read_in_vietnamese(client, world):
    html = _page(client, world.vanphong, reverse("intake:task_list"))
    assert "Công việc" in html
    assert "Tạo lúc" in html
    assert ">Created<" not in html


def test_posting_to_setlang_switches_the_language_both_ways(client, world):
    client.force_login(world.so_ldtbxh)
    response = client.post(reverse("set_language"), {"language": "en", "next": INBOX})
    assert response.status_code == 302
    assert response["Location"] == INBOX
    assert "My tasks" in client.get(INBOX).content.decode()
    client.post(reverse("set_language"), {"language": "vi", "next": INBOX})
    assert "Việc của tôi" in client.get(INBOX).content.decode()


def test_the_login_page_is_in_vietnamese_down_to_the_form_labels(client):
    html = client.get(reverse("login")).content.decode()
    for vietnamese in ("Đăng nhập", "Tên đăng nhập", "Mật khẩu"):
        assert vietnamese in html
    for english in ("Log in", "Username", "Password"):
        assert english not in html


def test_a_login_refused_by_the_csrf_check_explains_itself_in_vietnamese(db):
    response = Client(enforce_csrf_checks=True).post(
        reverse("login"), {"username": "so_ldtbxh", "password": "demo"}
    )
    assert response.status_code == 403
    assert "Kiểm tra CSRF không thành công" in response.content.decode()


def test_a_refusal_renders_in_both_languages(world):
    with pytest.raises(CaseForbidden) as refusal:
        case_transition(
            case=Case.objects.get(pk=world.case.pk), actor=world.so_ldtbxh, action="close"
        )
    messages = refusal.value.messages()
    assert messages["vi"] == "Bạn không có quyền thực hiện “Đóng hồ sơ” trên hồ sơ này."
    assert messages["en"] == "You are not allowed to “Close the case” on this case."


def test_a_refused_action_shows_its_message_in_the_chosen_language(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.so_ldtbxh)
    response = client.post(reverse("workflow:case_action", args=[world.case.pk, "close"]))
    assert response.status_code == 403
    assert "You are not allowed to “Close the case” on this case." in response.content.decode()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs gettext's msgfmt")
@pytest.mark.parametrize(
    "po", CATALOGS, ids=lambda po: str(po.relative_to(settings.BASE_DIR).parent.parent)
)
def test_every_catalog_entry_is_translated_and_none_is_fuzzy(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr
