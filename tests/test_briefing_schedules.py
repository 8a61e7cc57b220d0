"""Trực báo schedules from the page: the province's Standing Committee or office changes a
schedule's title, due working days and communes, stops it and starts it again. The change
and the stop reach only the rounds still to open; bad input is refused as at creation;
nobody else sees the page."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from briefings.models import BriefingRound
from briefings.services import rounds_open
from tests.test_briefings import DUE, communes, round_  # noqa: F401  (fixtures)
from tests.world import NOW

D = datetime.date


def _change(client, user, schedule, **data):
    client.force_login(user)
    body = {"title": "Trực báo tháng (sửa)", "due_working_days": "5", "communes": []} | data
    return client.post(reverse("briefings:schedule", args=[schedule.pk]), body)


def _set_active(client, user, schedule, active: bool):
    client.force_login(user)
    url = reverse("briefings:schedule_active", args=[schedule.pk])
    return client.post(url, {"active": "1" if active else "0"})


def _reports(round_) -> set[str]:
    return set(round_.reports.values_list("council__code", flat=True))


def test_a_change_reaches_the_next_rounds_and_leaves_the_opened_ones_as_they_were(
    world, communes, round_, client
):
    a, _b = communes
    schedule = round_.schedule
    response = _change(client, world.vanphong, schedule, communes=[a.council.pk])
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.title, schedule.due_working_days) == ("Trực báo tháng (sửa)", 5)
    assert list(schedule.communes.values_list("code", flat=True)) == ["vi-thanh"]
    round_.refresh_from_db()
    assert (round_.due_on, _reports(round_)) == (DUE, {"vi-thanh", "vi-thuy"})
    assert rounds_open(today=D(2026, 11, 30)) == 1
    november = BriefingRound.objects.get(schedule=schedule, period_start=D(2026, 11, 1))
    assert (november.due_on, _reports(november)) == (D(2026, 12, 7), {"vi-thanh"})
    client.force_login(world.thuongtruc)
    page = client.get(reverse("briefings:schedule", args=[schedule.pk])).content.decode()
    assert "Trực báo tháng (sửa)" in page and f'data-round="{november.pk}"' in page


def test_a_stopped_schedule_opens_no_round_and_started_again_asks_from_then_on(
    world, communes, round_, client
):
    schedule = round_.schedule
    assert _set_active(client, world.thuongtruc, schedule, False).status_code == 302
    assert rounds_open(today=D(2026, 12, 31)) == 0  # November has ended: no round for it
    assert list(BriefingRound.objects.filter(schedule=schedule)) == [round_]
    assert _reports(round_) == {"vi-thanh", "vi-thuy"}  # the opened round stays
    again = _set_active(client, world.vanphong, schedule, False)
    assert again.status_code == 409 and "Lịch trực báo đã ngừng." in again.content.decode()
    page = client.get(reverse("briefings:list")).content.decode()
    assert "đã ngừng" in page
    with time_machine.travel(NOW + datetime.timedelta(days=21), tick=False):  # 15/12
        assert _set_active(client, world.thuongtruc, schedule, True).status_code == 302
    schedule.refresh_from_db()
    assert (schedule.is_active, schedule.resumed_on) == (True, D(2026, 12, 15))
    # November ended while it was stopped and is not asked for; December is.
    assert rounds_open(today=D(2026, 12, 31)) == 2
    periods = BriefingRound.objects.filter(schedule=schedule).values_list("period_start", flat=True)
    assert sorted(periods) == [D(2026, 10, 1), D(2026, 12, 1)]


@pytest.mark.parametrize(
    "body, vietnamese, english",
    [
        ({"title": "  "}, "Tên lịch trực báo:", "Schedule title:"),
        ({"due_working_days": "0"}, "Hạn nộp: số ngày làm việc sau cuối kỳ:", "Due: working"),
        ({"due_working_days": "61"}, "Hạn nộp: số ngày làm việc sau cuối kỳ:", "Due: working"),
        (
            {"communes": ["999999"]},
            "HĐND xã, phường (để trống: tất cả):",
            "Commune councils (blank: all):",
        ),
    ],
)
def test_a_bad_change_is_a_400_in_either_language_and_writes_nothing(
    world, communes, round_, client, body, vietnamese, english
):
    schedule = round_.schedule
    response = _change(client, world.thuongtruc, schedule, **body)
    assert response.status_code == 400 and vietnamese in response.content.decode()
    client.cookies["django_language"] = "en"
    response = _change(client, world.thuongtruc, schedule, **body)
    assert response.status_code == 400 and english in response.content.decode()
    schedule.refresh_from_db()
    assert (schedule.title, schedule.due_working_days, schedule.communes.count()) == (
        "Trực báo hoạt động HĐND các xã, phường hằng tháng",
        20,
        0,
    )


def test_nobody_but_the_provinces_standing_committee_or_office_sees_or_changes_it(
    world, communes, round_, client
):
    a, _b = communes
    schedule = round_.schedule
    url = reverse("briefings:schedule", args=[schedule.pk])
    outsiders = [
        (a.chair, 404),
        (a.clerk, 404),
        (world.other_thuongtruc, 404),
        # No Standing Committee or office seat: no trực báo at all, refused before any lookup.
        (world.ban_vhxh, 403),
        (world.so_ldtbxh, 403),
    ]
    for outsider, status in outsiders:
        client.force_login(outsider)
        assert client.get(url).status_code == status
        assert _change(client, outsider, schedule).status_code == status
        assert _set_active(client, outsider, schedule, False).status_code == status
    schedule.refresh_from_db()
    assert schedule.is_active and schedule.title.startswith("Trực báo hoạt động")
    client.force_login(world.thuongtruc)
    page = client.get(url).content.decode()
    assert 'data-testid="schedule-change"' in page and 'data-testid="schedule-stop"' in page


def test_a_change_sent_from_an_older_page_is_a_conflict_not_a_lost_update(
    world, communes, round_, client
):
    schedule = round_.schedule
    client.force_login(world.thuongtruc)
    page = client.get(reverse("briefings:schedule", args=[schedule.pk])).content.decode()
    assert 'name="version" value="0"' in page
    first = _change(client, world.vanphong, schedule, title="Trực báo quý", version="0")
    assert first.status_code == 302
    late = _change(client, world.thuongtruc, schedule, title="Trực báo tháng", version="0")
    assert late.status_code == 409 and "vừa được người khác sửa" in late.content.decode()
    schedule.refresh_from_db()
    assert (schedule.title, schedule.version) == ("Trực báo quý", 1)
    again = _change(client, world.thuongtruc, schedule, title="Trực báo tháng", version="1")
    assert again.status_code == 302
