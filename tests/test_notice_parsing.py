"""Reading signed notices: the corpus in fixtures/notices/ read against its expected answers
(the share of items found with the right anchor, lead agency and deadline is the README's
figure), agencies named every way, deadlines written every way, and the files that cannot
be read refused with a reason instead of a guess."""

import datetime
import io

import pytest
import time_machine
from fpdf import FPDF

from conclusions.models import AgencyAlias, Recommendation
from devtools.notice_corpus import load_registry, render, samples, score
from intake.parsing import UnreadableNotice, parse_notice, registry_for
from intake.parsing.deadlines import Context, SittingRow, read_deadline

D = datetime.date
SAMPLES = samples()
HEADER = ("number", "title", "signer", "source_kind", "tracking_committee")


@pytest.fixture
def council(db):
    return load_registry()


@pytest.fixture
def read(council):
    registry = registry_for(council)

    def parse(data: bytes, filename: str) -> dict:
        return parse_notice(data, filename, council=council, registry=registry).payload()

    return parse


def test_the_corpus_has_a_dozen_notices_in_both_formats_and_every_numbering():
    assert len(SAMPLES) >= 12
    assert {s.format for s in SAMPLES} == {"docx", "pdf"}
    anchors = [i["anchor"] for s in SAMPLES for i in s.expected["recommendations"]]
    for kind in ("II.1.a", "2.1", "II.1.-1", "c.-1.+1", "II.1.1", "1"):
        assert kind in anchors


def test_at_least_95_percent_of_the_items_are_read_right(read, council):
    results = [(s, read(s.render(), s.filename)) for s in SAMPLES]
    sittings = dict(council.sittings.values_list("pk", "name"))
    figures = score(results, sittings)
    print(
        f"\n{figures.right}/{figures.expected} items ({figures.share:.1%}), {figures.extra} extra"
    )
    assert figures.share >= 0.95, figures.misses
    assert figures.extra == 0
    assert Recommendation.objects.count() == 0  # reading writes nothing


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_each_notice_gives_its_number_date_title_signer_and_committee(read, sample):
    draft = read(sample.render(), sample.filename)
    assert draft["issue_date"] == sample.expected["issue_date"].isoformat()
    for field in HEADER:
        assert draft[field] == sample.expected[field], field


def test_the_words_of_each_deadline_are_kept_beside_it(read):
    sample = next(s for s in SAMPLES if s.name.startswith("01"))
    items = read(sample.render(), sample.filename)["recommendations"]
    assert [i["deadline_text"] for i in items] == [
        "hoàn thành trước ngày 30/9/2026",
        "trong quý III/2026",
        "chậm nhất ngày 30 tháng 9 năm 2026",
        "Thường xuyên",
    ]


def test_uncertain_fields_are_warned_about_in_both_languages(read):
    sample = next(s for s in SAMPLES if s.name.startswith("11"))
    draft = read(sample.render(), sample.filename)
    warnings = draft["warnings"]
    ambiguous = warnings["recommendations[0].lead_agencies"][0]
    assert "dân dụng và công nghiệp" in ambiguous and "giao thông tỉnh" in ambiguous
    assert "Sở Ngoại vụ" in warnings["recommendations[2].lead_agencies"][0]
    assert set(warnings) == set(draft["warnings_en"])
    assert draft["warnings_en"]["recommendations[2].lead_agencies"][0].startswith("“Sở Ngoại vụ”")


def test_a_deadline_that_names_no_date_is_left_empty_with_a_warning(read):
    sample = next(s for s in SAMPLES if s.name.startswith("06"))
    draft = read(sample.render(), sample.filename)
    assert draft["recommendations"][0]["deadline"] is None
    assert "trước mùa mưa bão" in draft["warnings"]["recommendations[0].deadline"][0]


NOTICE = """HĐND TỈNH HẬU GIANG || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 70/TB-HĐND || Hậu Giang, ngày 01 tháng 9 năm 2026
THÔNG BÁO
Kết luận giám sát
II. KIẾN NGHỊ
1. {item}
Giao Ban Văn hóa - Xã hội theo dõi.
TM. THƯỜNG TRỰC HĐND ||
CHỦ TỊCH ||
Trần Văn Huyến ||
"""


@pytest.mark.parametrize(
    ("item", "lead", "coordinating", "accountable"),
    [
        (
            "Đề nghị UBND tỉnh chỉ đạo Sở Y tế chủ trì, phối hợp với Sở Tài chính và UBND các "
            "xã rà soát trạm y tế.",
            ["so-yt"],
            ["so-tc"],
            "ubnd-tinh",
        ),
        (
            "De nghi UBND tinh chi dao So Y te chu tri, phoi hop So Tai chinh.",
            ["so-yt"],
            ["so-tc"],
            "ubnd-tinh",
        ),
        (
            "Sở LĐ-TB&XH chủ trì, phối hợp với Sở KH&CN và Sở GTVT.",
            ["so-ldtbxh"],
            ["so-khcn", "so-xd"],
            "",
        ),
        ("Ủy ban nhân dân tỉnh Hậu Giang rà soát quy hoạch.", ["ubnd-tinh"], [], ""),
        ("Sở Y tế (chủ trì), Sở Tài chính (phối hợp) thực hiện.", ["so-yt"], ["so-tc"], ""),
        ("Sở Tài chính tham mưu UBND tỉnh bố trí kinh phí.", ["so-tc"], [], ""),
    ],
)
def test_agencies_are_found_however_the_notice_names_them(
    read, item, lead, coordinating, accountable
):
    data = render(NOTICE.format(item=item), "docx")
    [found] = read(data, "tb.docx")["recommendations"]
    assert found["lead_agencies"] == lead
    assert sorted(found["coordinating_agencies"]) == sorted(coordinating)
    assert found["accountable"] == accountable


def test_an_alias_the_admin_adds_is_read_from_then_on(read, council):
    data = render(NOTICE.format(item="Sở Khoa học chủ trì triển khai."), "docx")
    assert read(data, "tb.docx")["recommendations"][0]["lead_agencies"] == []
    AgencyAlias.objects.create(agency=council.agencies.get(code="so-khcn"), name="Sở Khoa học")
    registry = registry_for(council)
    draft = parse_notice(data, "tb.docx", council=council, registry=registry).payload()
    assert draft["recommendations"][0]["lead_agencies"] == ["so-khcn"]


SITTINGS = [
    SittingRow(1, "Kỳ họp thứ 12 (kỳ họp thường lệ giữa năm 2026)", D(2026, 7, 8)),
    SittingRow(2, "Kỳ họp thứ 14 (kỳ họp thường lệ cuối năm 2026)", D(2026, 12, 8)),
]


@pytest.mark.parametrize(
    ("words", "spec"),
    [
        ("hoàn thành trước ngày 30/9/2026.", {"date": D(2026, 9, 30)}),
        ("chậm nhất ngày 30 tháng 9 năm 2026", {"date": D(2026, 9, 30)}),
        ("trong quý III/2026", {"quarter": 3, "year": 2026}),
        ("trong tháng 5/2027", {"month": 5, "year": 2027}),
        ("trong 6 tháng", {"months": 6}),
        ("trong 15 ngày làm việc kể từ ngày ký", {"working_days": 15}),
        ("trong vòng 30 ngày", {"calendar_days": 30}),
        ("trước kỳ họp thường lệ cuối năm 2026", {"sitting": 2, "lead_days": 10}),
        ("báo cáo tại kỳ họp thứ 12", {"sitting": 1, "lead_days": 10}),
        ("trước ngày 15/7", {"date": D(2026, 7, 15)}),  # the year of the notice
        ("trước ngày 15/3", {"date": D(2027, 3, 15)}),  # already past: next year
        ("trong năm 2026", {"date": D(2026, 12, 31)}),
        ("6 tháng đầu năm 2027", {"month": 6, "year": 2027}),
        ("thực hiện thường xuyên", None),
    ],
)
def test_deadlines_are_read_from_the_words_as_written(words, spec):
    reading = read_deadline(words, Context(D(2026, 6, 5), SITTINGS, 10))
    assert reading.spec == spec
    assert reading.problem is None
    assert reading.words and reading.words in words


@pytest.mark.parametrize(
    ("words", "problem"),
    [
        ("trong thời gian sớm nhất", "Không hiểu thời hạn"),
        ("rà soát, báo cáo kết quả", "Không thấy thời hạn"),
        ("trước kỳ họp cuối năm 2027", "Chưa có kỳ họp nào khớp"),
    ],
)
def test_a_deadline_not_understood_is_said_so(db, words, problem):
    reading = read_deadline(words, Context(D(2026, 6, 5), SITTINGS, 10))
    assert reading.spec is None
    assert str(reading.problem).startswith(problem)


@time_machine.travel(datetime.datetime(2026, 9, 1, 8, tzinfo=datetime.UTC))
def test_without_an_issue_date_years_are_counted_from_today(read):
    source = NOTICE.replace("Hậu Giang, ngày 01 tháng 9 năm 2026", "Hậu Giang")
    [item] = read(render(source.format(item="Sở Y tế rà soát trước ngày 15/3."), "docx"), "a.docx")[
        "recommendations"
    ]
    assert item["deadline"] == {"date": "2027-03-15"}


def _scan() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 170, 250, style="F")  # a page that is only a picture
    return bytes(pdf.output())


def test_a_scan_without_a_text_layer_is_refused_not_guessed(council):
    with pytest.raises(UnreadableNotice) as refusal:
        parse_notice(_scan(), "ban-quet.pdf", council=council)
    assert refusal.value.code == "no_text_layer"
    assert "không có lớp chữ" in str(refusal.value.message)


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"\xd0\xcf\x11\xe0 old Word", "tb.doc", "unsupported_file"),
        (b"\x89PNG\r\n", "tb.png", "unsupported_file"),
        (b"PK\x03\x04 not really a zip", "tb.docx", "unreadable_file"),
        (b"%PDF-1.4 broken", "tb.pdf", "unreadable_file"),
    ],
)
def test_other_files_are_refused_with_a_reason(council, data, name, code):
    with pytest.raises(UnreadableNotice) as refusal:
        parse_notice(data, name, council=council)
    assert refusal.value.code == code


def test_the_demo_knows_the_short_forms_its_notices_use(db):
    from django.core.management import call_command

    from conclusions.models import Council

    call_command("loaddemo", stdout=io.StringIO())
    count = AgencyAlias.objects.count()
    call_command("loaddemo", stdout=io.StringIO())
    assert AgencyAlias.objects.count() == count > 0
    registry = registry_for(Council.objects.get(code="can-tho"))
    [mention] = registry.agencies.find("Sở NN&MT chủ trì")
    assert mention.codes == ("ct-so-nnmt",)
