"""Bulk import machinery (intake.imports), run through its first import: other names of the
council's agencies. Upload → preview of every row → confirm → one transaction."""

import datetime
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from conclusions import rules
from conclusions.models import AgencyAlias
from intake.imports import get_import, register
from intake.imports.aliases import AgencyAliasImport
from intake.imports.services import pending_import_confirm
from intake.models import PendingImport
from tests.helpers import login
from tests.imports_support import (
    cp1258,
    csv_text,
    filled_template,
    preview_url,
    upload,
    xlsx,
)
from tests.world import build_world
from workflow.errors import CaseConflict

KEY = "ten-co-quan"
HEADER = ["Cơ quan", "Tên gọi khác"]


def _aliases() -> set[tuple[str, str]]:
    return set(AgencyAlias.objects.values_list("agency__code", "name"))


def test_the_template_round_trips_into_a_preview_and_a_confirmed_import(client, world):
    login(client, world.vanphong)
    template = client.get(reverse("intake:imports:template", args=[KEY]))
    assert template.status_code == 200
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == ["Cơ quan (*)", "Tên gọi khác (*)"]
    assert "Mã hoặc tên" in sheet["A1"].comment.text
    data = filled_template(
        template.content, [["so-tc", "STC"], ["Sở Lao động - Thương binh và Xã hội", "Sở LĐ"]]
    )
    url = preview_url(upload(client, KEY, data, "mau.xlsx", world.council))
    page = client.get(url)
    assert page.status_code == 200
    assert "2 dòng dữ liệu" in page.content.decode()
    assert _aliases() == set()  # the preview writes nothing
    done = client.post(url)
    assert done.status_code == 302
    assert _aliases() == {("so-tc", "STC"), ("so-ldtbxh", "Sở LĐ")}
    assert "Đã thêm 2 tên gọi khác" in client.get(url).content.decode()


def test_errors_in_several_rows_are_all_shown_beside_their_cells_and_nothing_is_written(
    client, world
):
    login(client, world.vanphong)
    rows = [
        HEADER,
        ["so-tc", "STC"],
        ["so-khong-co", "X"],
        ["so-khdt", ""],
        ["so-tc", "STC"],
        ["so-tc", "x" * 201],
    ]
    url = preview_url(upload(client, KEY, xlsx(rows), "sai.xlsx", world.council))
    html = client.get(url).content.decode()
    assert "4 dòng có lỗi" in html
    assert 'id="dong-3" data-row="3" class="dd-import-bad"' in html
    assert "Không có cơ quan “so-khong-co” trong danh mục." in html
    assert "Chưa nhập Tên gọi khác." in html
    assert "Trùng với một dòng phía trên." in html
    assert "Dài quá 200 ký tự (hiện có 201)." in html
    assert 'data-testid="import-confirm"' not in html
    refused = client.post(url)
    assert refused.status_code == 400
    assert _aliases() == set()
    assert PendingImport.objects.get().confirmed_at is None


def test_the_preview_speaks_english_when_the_page_does(client, world):
    login(client, world.vanphong)
    rows = [HEADER, ["so-khong-co", "X"]]
    url = preview_url(upload(client, KEY, xlsx(rows), "sai.xlsx", world.council))
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No agency “so-khong-co” in the registry." in html


def test_headers_are_matched_without_case_diacritics_or_spacing(client, world):
    login(client, world.vanphong)
    rows = [["  CO QUAN ", "ten goi KHAC (*)", "Ghi chú"], ["so-tc", "STC", "bỏ qua"]]
    url = preview_url(upload(client, KEY, xlsx(rows), "a.xlsx", world.council))
    html = client.get(url).content.decode()
    assert "Cột không dùng: Ghi chú" in html
    assert client.post(url).status_code == 302
    assert _aliases() == {("so-tc", "STC")}


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (cp1258(csv_text([HEADER, ["Sở Kế hoạch và Đầu tư", "Sở KH-ĐT"]], ";")), "a.csv"),
        (csv_text([HEADER, ["Sở Kế hoạch và Đầu tư", "Sở KH-ĐT"]]).encode("utf-8-sig"), "a.csv"),
        (csv_text([HEADER, ["Sở Kế hoạch và Đầu tư", "Sở KH-ĐT"]], "\t").encode("utf-16"), "a.csv"),
    ],
    ids=["cp1258-semicolons", "utf8-bom", "utf16-tabs"],
)
def test_a_csv_in_another_encoding_reads_with_its_diacritics(client, world, data, name):
    login(client, world.vanphong)
    url = preview_url(upload(client, KEY, data, name, world.council))
    assert client.post(url).status_code == 302
    assert _aliases() == {("so-khdt", "Sở KH-ĐT")}


FORMULA = xlsx([HEADER, ["so-tc", '=A2&"x"']])


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "a.xlsx", "Tệp rỗng."),
        (b"PK\x03\x04 not a zip at all", "a.xlsx", "Không đọc được tệp Excel"),
        (b"\xd0\xcf\x11\xe0 old excel", "a.xls", "(.xls)"),
        (b"%PDF-1.4", "a.pdf", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV"),
        (FORMULA, "a.xlsx", "Tệp có ô chứa công thức (B2)"),
        (xlsx([HEADER]), "a.xlsx", "chưa có dòng dữ liệu"),
        (xlsx([["Cơ quan"], ["so-tc"]]), "a.xlsx", "Thiếu cột bắt buộc: Tên gọi khác"),
        (xlsx([["Cơ quan", "Cơ quan", "Tên gọi khác"], ["a", "b", "c"]]), "a.xlsx", "hai lần"),
        (b"\x81\x8d\x8f\x90\x9d", "a.csv", "bảng mã"),
    ],
    ids=["empty", "broken-zip", "xls", "pdf", "formula", "header-only", "missing", "twice", "enc"],
)
def test_a_bad_file_is_refused_with_a_clear_400_and_nothing_kept(
    client, world, data, name, message
):
    login(client, world.vanphong)
    response = upload(client, KEY, data, name, world.council)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PendingImport.objects.exists()


def test_a_file_over_the_limit_is_refused(client, world, monkeypatch):
    monkeypatch.setattr(rules, "IMPORT_MAX_BYTES", 1000)
    login(client, world.vanphong)
    response = upload(client, KEY, b"x" * 1001, "a.csv", world.council)
    assert response.status_code == 400
    assert "Tệp quá lớn (tối đa" in response.content.decode()


def test_a_file_with_too_many_rows_is_refused(client, world, monkeypatch):
    monkeypatch.setattr(rules, "IMPORT_MAX_ROWS", 3)
    login(client, world.vanphong)
    rows = [HEADER, *[["so-tc", f"x{i}"] for i in range(4)]]
    response = upload(client, KEY, csv_text(rows).encode(), "a.csv", world.council)
    assert response.status_code == 400
    assert "Tệp có quá 3 dòng dữ liệu." in response.content.decode()


def test_another_user_can_neither_see_nor_confirm_the_preview(client, world):
    login(client, world.vanphong)
    url = preview_url(upload(client, KEY, xlsx([HEADER, ["so-tc", "STC"]]), "a.xlsx"))
    login(client, world.thuongtruc)  # may import too, but this preview is not theirs
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert _aliases() == set()


def test_a_double_confirm_writes_once(client, world):
    login(client, world.vanphong)
    url = preview_url(upload(client, KEY, xlsx([HEADER, ["so-tc", "STC"]]), "a.xlsx"))
    assert client.post(url).status_code == 302
    again = client.post(url)
    assert again.status_code == 409
    assert "đã được nhập" in again.content.decode()
    assert AgencyAlias.objects.count() == 1


def test_a_confirmation_checks_again_and_refuses_what_changed_since_the_preview(client, world):
    login(client, world.vanphong)
    url = preview_url(upload(client, KEY, xlsx([HEADER, ["so-tc", "STC"]]), "a.xlsx"))
    world.tc.is_active = False
    world.tc.save(update_fields=["is_active"])
    assert client.post(url).status_code == 400
    assert _aliases() == set()


class FailingAliasImport(AgencyAliasImport):
    """Writes its rows, then fails: the transaction must leave none of them behind."""

    key = "ten-co-quan-hong"

    def write(self, rows, *, actor, council, context) -> str:
        super().write(rows, actor=actor, council=council, context=context)
        raise ValidationError("Máy chủ sổ văn bản không trả lời.")


def test_a_failure_while_writing_writes_nothing(client, world):
    register(FailingAliasImport())
    login(client, world.vanphong)
    rows = [HEADER, ["so-tc", "STC"], ["so-khdt", "KHĐT"]]
    url = preview_url(upload(client, "ten-co-quan-hong", xlsx(rows), "a.xlsx"))
    response = client.post(url)
    assert response.status_code == 400
    assert "Máy chủ sổ văn bản không trả lời." in response.content.decode()
    assert _aliases() == set()
    assert PendingImport.objects.get().confirmed_at is None


def test_who_may_import_is_the_councils_office_and_standing_committee(client, world):
    login(client, world.so_tc)
    assert client.get(reverse("intake:imports:upload", args=[KEY])).status_code == 403
    response = upload(client, KEY, xlsx([HEADER, ["so-tc", "STC"]]), "a.xlsx", world.council)
    assert response.status_code == 403
    login(client, world.other_thuongtruc)  # a council of their own, but not this one
    response = upload(client, KEY, xlsx([HEADER, ["so-tc", "STC"]]), "a.xlsx", world.council)
    assert response.status_code == 400  # the council is not among their choices
    assert not PendingImport.objects.exists()
    client.logout()
    assert client.get(reverse("intake:imports:list")).status_code == 302


def test_the_list_offers_each_import_the_user_may_run(client, world):
    login(client, world.vanphong)
    html = client.get(reverse("intake:imports:list")).content.decode()
    assert reverse("intake:imports:upload", args=[KEY]) in html
    assert client.get(reverse("intake:imports:upload", args=["khong-co"])).status_code == 404


@pytest.mark.postgres
def test_two_confirmations_at_once_write_the_rows_once(transactional_db, client):
    world = build_world()
    login(client, world.vanphong)
    rows = [HEADER, ["so-tc", "STC"], ["so-khdt", "KHĐT"]]
    url = preview_url(upload(client, KEY, xlsx(rows), "a.xlsx"))
    pending = PendingImport.objects.get()
    barrier = threading.Barrier(2)
    results: list[str] = []

    def confirm() -> None:
        barrier.wait()
        try:
            pending_import_confirm(
                sheet_import=get_import(KEY), pending_id=pending.pk, user=world.vanphong
            )
            results.append("written")
        except CaseConflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["conflict", "written"]
    assert AgencyAlias.objects.count() == 2
    assert "Đã thêm 2 tên gọi khác" in client.get(url).content.decode()


def test_a_title_row_above_the_header_is_passed_over(client, world):
    login(client, world.vanphong)
    rows = [["DANH SÁCH TÊN GỌI KHÁC CỦA CƠ QUAN"], ["(kèm theo Công văn số 12/HĐND)"], HEADER]
    url = preview_url(upload(client, KEY, xlsx([*rows, ["so-tc", "STC"]]), "a.xlsx"))
    assert client.post(url).status_code == 302
    assert _aliases() == {("so-tc", "STC")}


def test_the_preview_can_show_only_the_rows_with_errors(client, world):
    login(client, world.vanphong)
    rows = [HEADER, ["so-tc", "STC"], ["so-khong-co", "X"], ["so-khdt", "KH"]]
    url = preview_url(upload(client, KEY, xlsx(rows), "a.xlsx"))
    everything = client.get(url).content.decode()
    assert all(f'id="dong-{n}"' in everything for n in (2, 3, 4))
    only = client.get(url, {"loi": "1"}).content.decode()
    assert 'id="dong-3"' in only
    assert 'id="dong-2"' not in only and 'id="dong-4"' not in only


def test_an_expired_preview_is_refused_and_forgotten_at_the_next_upload(client, world):
    login(client, world.vanphong)
    url = preview_url(upload(client, KEY, xlsx([HEADER, ["so-tc", "STC"]]), "a.xlsx"))
    old = PendingImport.objects.get()
    old.created_at -= datetime.timedelta(hours=rules.IMPORT_PENDING_HOURS + 1)
    old.save(update_fields=["created_at"])
    refused = client.post(url)
    assert refused.status_code == 409
    assert "quá hạn" in refused.content.decode()
    assert _aliases() == set()
    login(client, world.thuongtruc)
    preview_url(upload(client, KEY, xlsx([HEADER, ["so-tc", "STC"]]), "a.xlsx"))
    assert not PendingImport.objects.filter(pk=old.pk).exists()
