"""A long signed notice for the parser's benchmark: the corpus' recommendations, renumbered
under as many sections as it takes to fill the pages asked for, laid out as .docx and PDF;
the registry is the corpus' own, built in memory (no database)."""

import io
import re
import statistics
import time
from collections.abc import Callable

from devtools.notice_corpus import CORPUS, registry_data, render, samples
from intake.parsing.deadlines import SittingRow
from intake.parsing.extract import extract_blocks
from intake.parsing.names import Entry, NameFinder
from intake.parsing.notice import parse_blocks
from intake.parsing.registry import Registry

HEAD = """HĐND TỈNH HẬU GIANG || CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
THƯỜNG TRỰC HĐND || Độc lập - Tự do - Hạnh phúc
Số: 99/TB-HĐND || Hậu Giang, ngày 05 tháng 6 năm 2026
THÔNG BÁO
Kết luận giám sát chuyên đề tổng hợp về việc thực hiện các kiến nghị sau giám sát
Thường trực HĐND tỉnh kết luận như sau:"""
FOOT = """III. TỔ CHỨC THỰC HIỆN
Giao Ban Kinh tế - Ngân sách HĐND tỉnh theo dõi, đôn đốc việc thực hiện.
Nơi nhận: || TM. THƯỜNG TRỰC HĐND
- Như trên; || CHỦ TỊCH
- Lưu: VT. || Trần Văn Huyến"""
ITEM = re.compile(r"^(?:\d{1,2}(?:\.\d)?\.|[a-z]\))\s+(?P<text>.{60,})$")


def item_texts() -> list[str]:
    """The recommendations written as paragraphs in the corpus, without their numbers."""
    return [
        m["text"]
        for sample in samples()
        for line in sample.source.splitlines()
        if (m := ITEM.match(line.strip()))
    ]


def long_notice(sections: int) -> str:
    texts = item_texts()
    body = []
    for section in range(1, sections + 1):
        body.append(f"{section}. Nhóm kiến nghị thứ {section}")
        body += [f"{section}.{i}. {text}" for i, text in enumerate(texts[:9], start=1)]
        texts = texts[9:] + texts[:9]
    return "\n".join([HEAD, "I. KẾT QUẢ", "Đạt được nhiều kết quả.", "II. KIẾN NGHỊ", *body, FOOT])


def pdf_pages(data: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(data)).pages)


def notice_of_pages(pages: int) -> tuple[str, bytes, bytes]:
    """The source, its PDF (at least `pages` pages) and its .docx."""
    sections = max(pages, 1)
    while True:
        source = long_notice(sections)
        pdf = render(source, "pdf")
        if pdf_pages(pdf) >= pages:
            return source, pdf, render(source, "docx")
        sections += max(1, sections // 4)


def memory_registry() -> Registry:
    data = registry_data(CORPUS)
    council = data["council"]
    agencies = [
        Entry(a["code"], a["name"], a.get("short_name", ""), tuple(a.get("aliases", ())))
        for a in data["agencies"]
    ]
    committees = [Entry(c["code"], c["name"]) for c in data["committees"]]
    return Registry(
        council=council["code"],
        place=council["place"],
        agencies=NameFinder(agencies, council["place"]),
        committees=NameFinder(committees, council["place"]),
        agency_names={e.code: e.name for e in agencies},
        committee_names={e.code: e.name for e in committees},
        sittings=tuple(
            SittingRow(i, s["name"], s["opens_on"]) for i, s in enumerate(data["sittings"], 1)
        ),
        lead_days=council["sitting_lead_days"],
    )


def timed(call: Callable[[], object], repeat: int) -> tuple[float, object]:
    """The median wall time of `repeat` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def parse(data: bytes, filename: str, registry: Registry | None = None):
    return parse_blocks(extract_blocks(data, filename), registry or memory_registry())
