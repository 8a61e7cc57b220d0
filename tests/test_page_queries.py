"""The case list and the case page cost a constant number of queries, whatever the number
of cases and however long a case's history: counted on a small world, then again after the
world has grown (more notices and cases, and a long history on the case shown)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conclusions.models import Agency, Committee
from tests.api_support import notice_body
from tests.helpers import api_client, detail_url, login, move
from workflow.extensions import extension_decide, extension_request
from workflow.models import Case
from workflow.services import ReportInput, case_comment

PDF = b"%PDF-1.4\n%%EOF\n"


def _report(n: int) -> ReportInput:
    files = [SimpleUploadedFile(f"minh-chung-{n}.pdf", PDF, "application/pdf")]
    return ReportInput(text=f"Báo cáo lần {n}.", letter_number=f"{n}/BC", files=files)


def _live_a_round(world, n: int) -> None:
    """One round of the case's history: report with evidence, returned, a comment, an
    extension asked and refused."""
    move(world, world.so_ldtbxh, "report", report=_report(n))
    move(world, world.ban_vhxh, "return", note=f"Bổ sung lần {n}.")
    case = Case.objects.get(pk=world.case.pk)
    case_comment(case=case, actor=world.so_khdt, text=f"Ý kiến phối hợp {n}.")
    until = case.deadline + datetime.timedelta(days=30)
    extension = extension_request(
        case=case, actor=world.so_ldtbxh, requested_until=until, reason=f"Lý do {n}."
    )
    extension_decide(extension=extension, actor=world.thuongtruc, approve=False)


def _grow(world, *, notices: int, rounds: int, start: int) -> None:
    for index in range(notices):
        body = notice_body(number=f"{start + index}/TB-HĐND")
        assert (
            api_client(world.thuongtruc).post("/api/v1/notices/", body, format="json").status_code
            == 201
        )
    for n in range(start, start + rounds):
        _live_a_round(world, n)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _pages(world) -> dict[str, tuple]:
    cases = reverse("workflow:case_list")
    return {
        "list, Standing Committee": (world.thuongtruc, cases),
        "list filtered, Standing Committee": (world.thuongtruc, f"{cases}?state=in_progress"),
        "list, lead agency": (world.so_ldtbxh, cases),
        "list, committee": (world.ban_vhxh, cases),
        "case, lead agency": (world.so_ldtbxh, detail_url(world.case)),
        "case, coordinating agency": (world.so_khdt, detail_url(world.case)),
        "case, committee": (world.ban_vhxh, detail_url(world.case)),
        "case, Standing Committee": (world.thuongtruc, detail_url(world.case)),
        "API case": (world.so_ldtbxh, f"/api/v1/cases/{world.case.pk}/"),
        "API list": (world.thuongtruc, "/api/v1/cases/?page_size=100"),
    }


def _counts(client, world) -> dict[str, int]:
    counts = {}
    for name, (user, url) in _pages(world).items():
        if name.startswith("API"):
            counts[name] = _count(api_client(user), url)
        else:
            counts[name] = _count(login(client, user), url)
    return counts


def test_the_case_list_and_the_case_page_cost_the_same_queries_in_a_larger_world(client, world):
    move(world, world.so_ldtbxh, "start")
    _grow(world, notices=1, rounds=2, start=100)
    small = _counts(client, world)
    _grow(world, notices=12, rounds=6, start=200)
    assert Case.objects.count() >= 50
    assert _counts(client, world) == small
    assert max(small.values()) <= 20, small


def test_the_case_filter_offers_only_the_users_councils_bodies_and_visible_notices(client, world):
    other = world.other_council
    Agency.objects.create(council=other, code="ct-so-yt", name="Sở Y tế Cần Thơ", kind="department")
    Committee.objects.create(
        council=other, code="ct-ban-xh", name="Ban Xã hội Cần Thơ", kind="legal"
    )
    html = login(client, world.ban_vhxh).get(reverse("workflow:case_list")).content.decode()
    assert "Sở Lao động - Thương binh và Xã hội" in html  # its own council's agency
    assert "Sở Y tế Cần Thơ" not in html and "Ban Xã hội Cần Thơ" not in html
    foreign = Agency.objects.get(code="ct-so-yt").pk
    refused = login(client, world.ban_vhxh).get(reverse("workflow:case_list"), {"agency": foreign})
    assert refused.status_code == 400
