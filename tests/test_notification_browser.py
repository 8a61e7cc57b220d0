"""The notification bell in a real Chromium: the agency reports, the committee member sees
the unread count in the header, opens the list and marks one read; the database agrees."""

import re

import pytest
from playwright.sync_api import expect

from notifications.models import Delivery
from tests.browser import chromium_page, log_in
from tests.helpers import start_and_report
from tests.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def page(monkeypatch):
    with chromium_page(monkeypatch) as page:
        yield page


def test_the_bell_counts_unread_notifications_and_mark_as_read_lowers_it(
    transactional_db, live_server, page
):
    w = build_world()
    start_and_report(w)
    log_in(page, live_server.url, "ban_vhxh")
    badge = page.locator("[data-testid=unread-count]")
    expect(badge).to_have_text("2")

    page.locator("[data-testid=notifications-bell]").click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    first = page.locator("[data-notification]").first
    expect(first).to_contain_text("Báo cáo kết quả chờ Ban xem xét: 15/TB-HĐND mục II.1.a")
    first.locator("[data-testid=mark-read]").click()
    expect(badge).to_have_text("1")
    reported = Delivery.objects.get(event__kind="case.reported", channel="inapp")
    assert reported.read_at is not None

    page.locator("[data-testid=read-all]").click()
    expect(badge).to_have_count(0)
    mine = Delivery.objects.filter(recipient__username="ban_vhxh", channel="inapp")
    assert mine.count() == 2 and not mine.filter(read_at__isnull=True).exists()
