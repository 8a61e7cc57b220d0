"""The content security policy in a real Chromium: the viewflow pages, the admin and the
API docs work under it, and the browser reports no violation on any of them."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser import log_in, log_out
from tests.test_browser import browser_page  # noqa: F401  (a fixture)
from tests.world import build_world
from workflow.models import Case

pytestmark = [pytest.mark.browser, pytest.mark.postgres]


@pytest.fixture
def watched(request):
    """The browser page, and everything the browser refused because of the policy."""
    page = request.getfixturevalue("browser_page")
    found: list[str] = []

    def seen(message) -> None:
        if "Content Security Policy" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.on("console", seen)
    return page, found


def test_pages_work_under_the_policy_without_a_single_violation(
    transactional_db, live_server, watched
):
    world = build_world()
    User.objects.create_superuser("admin", password="demo")
    (page, violations), base = watched, live_server.url

    response = page.goto(f"{base}/accounts/login/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    log_in(page, base, "so_ldtbxh")
    page.goto(f"{base}{reverse('workflow:case_list')}")
    expect(page.locator("h1")).to_be_visible()
    page.goto(f"{base}{reverse('workflow:case_detail', args=[world.case.pk])}")
    # Scripts run: the page's action button posts and Turbo shows the new state.
    page.get_by_role("button", name="Bắt đầu thực hiện").click()
    expect(page.get_by_test_id("case-state")).to_have_text("Đang thực hiện")
    # The menu (viewflow's own script) still opens.
    page.locator(".vf-page__menu-toggle-button").click()
    expect(page.locator("form[action$='/accounts/logout/'] button")).to_be_visible()
    page.locator(".vf-page__menu-toggle-button").click()
    log_out(page)

    log_in(page, base, "vanphong")
    page.goto(f"{base}{reverse('intake:register:execute')}")
    forms = page.locator(".dd-recommendation-form")
    before = forms.count()
    page.locator("#intake-add-recommendation").click()  # its script is a static file
    expect(forms).to_have_count(before + 1)
    log_out(page)

    page.goto(f"{base}/admin/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "demo")
    page.locator("input[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"{base}/admin/workflow/case/{world.case.pk}/change/")
    expect(page.locator("#content")).to_be_visible()

    # The API docs: Swagger UI from the local sidecar files lists the operations.
    page.goto(f"{base}/api/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(
        page.locator(".opblock-summary-path", has_text="/api/v1/cases/{id}/start/")
    ).to_be_visible()

    assert violations == []
    assert Case.objects.get(pk=world.case.pk).state == "in_progress"
