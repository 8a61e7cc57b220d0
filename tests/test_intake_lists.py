"""The intake's lists and pages in the office's words: the notice, the step, people by name,
dates as dd/mm/yyyy; none of the workflow engine's internals. The office lands on its queue."""

import pytest
from django.urls import reverse

from intake.models import NoticeIntakeProcess
from tests.helpers import login
from tests.test_intake_flow import REGISTER, _registration, _take

ENGINE_WORDS = ("Brief", "Process summary", "True", "False", "#1/", "Task", "of 1")


@pytest.fixture
def registered(client, world):
    world.ban_vhxh.first_name, world.ban_vhxh.last_name = "Lê Thị", "Hồng"
    world.ban_vhxh.save()
    assert login(client, world.vanphong).post(REGISTER, _registration(world)).status_code == 302
    return NoticeIntakeProcess.objects.get(notice__number="16/TB-HĐND")


def _html(client, user, url) -> str:
    response = login(client, user).get(url)
    assert response.status_code == 200
    return response.content.decode()


def _clean(html: str) -> None:
    for word in ENGINE_WORDS:
        assert word not in html, word


def test_the_committees_queue_names_the_notice_and_the_step(client, world, registered):
    html = _html(client, world.ban_vhxh, reverse("intake:queue"))
    assert "16/TB-HĐND" in html
    assert "Kết luận giám sát chuyên đề về đào tạo nghề" in html
    assert "Ban kiểm tra cơ quan và thời hạn" in html
    assert "1–1 trên 1" in html  # the pager, translated
    _clean(html)


def test_the_task_list_shows_who_holds_a_task_by_name(client, world, registered):
    from intake.flows import IntakeFlow

    _take(client, world.ban_vhxh, registered, IntakeFlow.check)
    for url in (reverse("intake:task_list"), reverse("intake:index")):
        html = _html(client, world.thuongtruc, url)
        assert "Lê Thị Hồng" in html and "16/TB-HĐND" in html, url
        assert "ban_vhxh" not in html, url
        _clean(html)


def test_a_notices_intake_page_lists_items_dates_and_steps_without_engine_fields(
    client, world, registered
):
    html = _html(client, world.vanphong, reverse("intake:process_detail", args=[registered.pk]))
    assert "30/09/2026" in html and "31/12/2026" in html
    assert "Vào sổ thông báo kết luận" in html  # the step taken
    assert "Ban kiểm tra cơ quan và thời hạn" in html
    assert "đã phê duyệt" not in html.lower()  # the process's raw boolean field
    _clean(html)


def test_the_office_lands_on_its_intake_queue_and_others_on_their_work(client, world):
    client.get(reverse("login"))
    office = client.post(reverse("login"), {"username": "vanphong", "password": "demo"})
    assert office["Location"] == reverse("intake:queue")
    client.logout()
    committee = client.post(reverse("login"), {"username": "ban_vhxh", "password": "demo"})
    assert committee["Location"] == "/"
    client.logout()
    asked = client.post(
        reverse("login") + "?next=/reports/", {"username": "vanphong", "password": "demo"}
    )
    assert asked["Location"] == "/reports/"
