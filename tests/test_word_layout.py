"""The Word documents as an office sends them (Decree 30/2020): the signer and capacity from the
council's settings, a distribution list that never names the report's own author, appendices
"(Kèm theo Báo cáo số …/BC-HĐND ngày …)", page numbers from the second page. One of each
document (Reports A, B, F, G and an urging letter) is rendered to PDF by LibreOffice and read
back page by page with pdftotext (scripts/ensure-libreoffice installs both, as root).

The world gets fifteen more recommendations for Sở LĐ-TB&XH, all due 30/09/2026; on 05/11 they
are 36 days overdue, have an urging letter drafted, and are Report F's candidates."""

import datetime
import io
import os
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from conclusions.document_style import document_style
from conclusions.models import DocumentKind, DocumentSetting, SourceKind
from conclusions.services import RecommendationInput, notice_register
from reports.documents import document_for
from reports.exports.letter import letter_bytes
from reports.exports.word import document_bytes
from reports.models import ReportSnapshot
from reports.snapshots import snapshot_request
from tests.helpers import docx_texts
from workflow.escalation import escalate_due
from workflow.letters import letter_content
from workflow.models import UrgingLetter
from workflow.services import notice_issue

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date
AS_OF = D(2026, 11, 5)
KINDS = ("results", "notice", "candidates", "weekly")


def _travel(day: D, hour: int = 9):
    moment = datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)
    return time_machine.travel(moment, tick=False)


@pytest.fixture(autouse=True)
def build_in_process(settings):
    settings.DONDOC_REPORTS_SYNC = True


@pytest.fixture
def documents(world, django_capture_on_commit_callbacks) -> dict[str, bytes]:
    """The four reports and the urging letter, as .docx, made on 06/11/2026."""
    DocumentSetting.objects.create(
        council=world.council,
        kind=DocumentKind.REPORT,
        capacity="TM. THƯỜNG TRỰC HĐND\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
        signer="Lê Văn Bình",
        recipients="Thường trực Tỉnh ủy\nThường trực HĐND\nUBND tỉnh\nCác Ban HĐND tỉnh\nLưu: VT",
    )
    with _travel(D(2026, 6, 10), 8):
        notice = notice_register(
            council=world.council,
            number="23/TB-HĐND",
            issue_date=D(2026, 6, 10),
            title="Kết luận giám sát việc thực hiện chính sách giảm nghèo bền vững",
            source_kind=SourceKind.THEMATIC_SUPERVISION,
            tracking_committee=world.vhxh,
            recommendations=[
                RecommendationInput(
                    anchor=f"II.{n}",
                    text=(
                        f"Nội dung kiến nghị số {n}: rà soát, đánh giá và báo cáo kết quả thực "
                        "hiện chính sách hỗ trợ hộ nghèo, hộ cận nghèo trên địa bàn tỉnh."
                    ),
                    lead_agency_codes=["so-ldtbxh"],
                    accountable_code="ubnd-tinh",
                    deadline=D(2026, 9, 30),
                )
                for n in range(1, 16)
            ],
            actor=world.vanphong,
        )
        notice_issue(notice=notice, actor=world.thuongtruc)
    for day in (D(2026, 10, 1), AS_OF):
        with _travel(day, 8):
            escalate_due()
    made = {}
    with _travel(D(2026, 11, 6)):
        for kind in KINDS:
            with django_capture_on_commit_callbacks(execute=True):
                snapshot = snapshot_request(
                    actor=world.thuongtruc,
                    kind=kind,
                    as_of=AS_OF,
                    council=world.council,
                    notice=world.notice if kind == "notice" else None,
                    number="7/BC-HĐND" if kind == "results" else "",
                )
            snapshot.refresh_from_db()
            assert snapshot.status == ReportSnapshot.Status.DONE, snapshot.error
            with translation.override("vi"):
                made[kind] = document_bytes(snapshot, document_for(snapshot))
        letter = UrgingLetter.objects.get(agency=world.ldtbxh, kind="committee")
        with translation.override("vi"):
            made["letter"] = letter_bytes(letter_content(letter), draft=True)
    return made


# ------------------------------------------------------------------ what the document says


def test_the_report_is_signed_and_sent_as_the_council_set_it(documents):
    texts = docx_texts(documents["results"])
    for expected in (
        "Số: 7/BC-HĐND",
        "TM. THƯỜNG TRỰC HĐND",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Văn Bình",
        "Nơi nhận:",
        "- Thường trực Tỉnh ủy;",
        "- UBND tỉnh;",
        "- Các Ban HĐND tỉnh;",
        "- Lưu: VT.",
    ):
        assert expected in texts, expected
    assert "- Thường trực HĐND;" not in texts  # the report's own author


def test_every_appendix_says_which_report_it_goes_with(documents):
    texts = docx_texts(documents["results"])
    titles = [t for t in texts if t.startswith("Phụ lục ")]
    attached = [t for t in texts if t == "(Kèm theo Báo cáo số 7/BC-HĐND ngày 06/11/2026)"]
    assert len(titles) == 5 and len(attached) == 5
    assert "(Kèm theo Báo cáo số …/BC-HĐND ngày 06/11/2026)" in docx_texts(documents["weekly"])


def test_without_settings_a_report_goes_to_the_usual_places_and_not_to_its_author(world):
    style = document_style(world.council, "report.results")
    assert style.capacity == ("TM. THƯỜNG TRỰC HĐND", "CHỦ TỊCH")
    assert style.recipients == (
        "Thường trực Tỉnh ủy",
        "UBND tỉnh",
        "Các Ban của HĐND tỉnh",
        "Lưu: VT",
    )


def test_page_numbers_are_set_from_the_second_page(documents):
    for name, body in documents.items():
        document = docx.Document(io.BytesIO(body))
        first = document.sections[0]
        assert first.different_first_page_header_footer, name
        assert "PAGE" in first.header._element.xml, name
        assert "PAGE" not in first.first_page_header._element.xml, name
        for later in document.sections[1:]:
            assert not later.different_first_page_header_footer, name
            assert later.header.is_linked_to_previous, name


# ------------------------------------------------------------------------- LibreOffice


def _libreoffice() -> None:
    """Present, installed now (as root, like chromium for the browser tests), or a skip."""
    if shutil.which("soffice") and shutil.which("pdftotext"):
        return
    script = Path(settings.BASE_DIR) / "scripts" / "ensure-libreoffice"
    if os.geteuid() == 0:
        subprocess.run(["bash", str(script)], check=False, capture_output=True, timeout=900)
    if not (shutil.which("soffice") and shutil.which("pdftotext")):
        pytest.skip(
            "LibreOffice (Debian's libreoffice-writer-nogui) and pdftotext (poppler-utils) are "
            "not installed and this user cannot install them: run scripts/ensure-libreoffice "
            "as root (make word)"
        )


def _pdfs(documents: dict[str, bytes], folder: Path) -> dict[str, Path]:
    for name, body in documents.items():
        (folder / f"{name}.docx").write_bytes(body)
    profile = (folder / "profile").as_uri()  # its own profile: runs beside any other soffice
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *(str(folder / f"{name}.docx") for name in documents),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {name: folder / f"{name}.pdf" for name in documents}


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]  # each page ends with a form feed


def _first_line(page: str) -> str:
    return next((line.strip() for line in page.splitlines() if line.strip()), "")


def test_libreoffice_renders_each_document_numbered_from_its_second_page(documents, tmp_path):
    _libreoffice()
    pdfs = _pdfs(documents, tmp_path)
    counts = {}
    for name, pdf in pdfs.items():
        pages = _pages(pdf)
        counts[name] = len(pages)
        assert len(pages) >= 2, name
        assert _first_line(pages[0]) != "1", name  # no number on the first page
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0], name
        for number, page in enumerate(pages[1:], start=2):
            assert _first_line(page) == str(number), (name, number, page[:200])
    # Report A: the text and signature, then five appendices in landscape; the letter's
    # sixteen items run onto the next page, its signature block whole on the last one.
    assert counts["results"] >= 3
    assert "Lê Văn Bình" in _pages(pdfs["results"])[0]
    assert "Nơi nhận:" in _pages(pdfs["letter"])[-1]
    assert "Kèm theo Báo cáo số 7/BC-HĐND" in _pages(pdfs["results"])[1]
