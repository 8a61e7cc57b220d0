"""Each notice shows its progress (items closed as implemented over all, by state) on its
page and in the list, to those who may see its cases; any case list downloads as Excel with
the filters applied."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.helpers import login, move, start_and_report
from workflow.models import Case, Outcome
from workflow.progress import progress_by_notice

pytestmark = pytest.mark.django_db


def test_progress_counts_items_by_state_and_the_share_implemented(world):
    assert progress_by_notice(Case.objects.all())[world.notice.pk].percent == 0
    start_and_report(world)
    move(world, world.ban_vhxh, "close", outcome=Outcome.IMPLEMENTED)

    progress = progress_by_notice(Case.objects.all())[world.notice.pk]

    assert (progress.total, progress.implemented, progress.percent) == (1, 1, 100)
    assert dict((state, n) for state, _label, n in progress.by_state)["closed"] == 1


def test_a_partial_closing_is_not_counted_as_done(world):
    start_and_report(world)
    move(world, world.ban_vhxh, "close", outcome=Outcome.PARTIALLY)
    assert progress_by_notice(Case.objects.all())[world.notice.pk].implemented == 0


def test_the_notice_list_and_page_show_progress_to_those_who_see_its_cases(client, world):
    login(client, world.so_ldtbxh)
    listed = client.get(reverse("workflow:notice_list")).content.decode()
    assert world.notice.number in listed and 'data-testid="notice-progress"' in listed
    page = client.get(reverse("workflow:notice_detail", args=[world.notice.pk]))
    assert page.status_code == 200
    assert "0/1" in page.content.decode()

    login(client, world.so_tc)  # no case of this notice
    assert world.notice.number not in client.get(reverse("workflow:notice_list")).content.decode()
    assert client.get(reverse("workflow:notice_detail", args=[world.notice.pk])).status_code == 404


def test_the_case_list_downloads_as_excel_with_its_filters(client, world):
    Case.objects.filter(pk=world.case.pk).update(state="in_progress")
    login(client, world.ban_vhxh)

    sheet = _sheet(client.get(reverse("reports:case_export"), {"state": "in_progress"}))
    assert [row[1] for row in sheet[2:]] == ["II.1.a"]
    assert sheet[2][5].year == 2026  # a real date, shown dd/mm/yyyy
    assert _sheet(client.get(reverse("reports:case_export"), {"state": "closed"}))[2:] == []


def test_the_download_refuses_a_filter_it_cannot_read(client, world):
    login(client, world.ban_vhxh)
    answer = client.get(reverse("reports:case_export"), {"period_to": "31/12/9999"})
    assert answer.status_code == 400


def test_text_that_looks_like_a_formula_stays_text(client, world):
    world.case.recommendation.text = '=HYPERLINK("http://x")'
    world.case.recommendation.save(update_fields=["text"])
    login(client, world.ban_vhxh)
    answer = client.get(reverse("reports:case_export"))
    cell = load_workbook(io.BytesIO(answer.content))["Hồ sơ"]["C3"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")


def _sheet(answer) -> list[tuple]:
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    return list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
