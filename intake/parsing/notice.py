"""Reading a signed Thông báo kết luận into a draft: the header (number, place and date), the
title, the recommendations with their agencies and deadlines, the committee that tracks them
("Tổ chức thực hiện"), the signature. Whatever is uncertain is a warning, never a guess
passed off as certain."""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions.models import SourceKind
from intake.parsing.deadlines import Context, due_of_spec, read_deadline
from intake.parsing.draft import ItemDraft, NoticeDraft
from intake.parsing.extract import Block
from intake.parsing.registry import Registry
from intake.parsing.roles import Roles, read_roles
from intake.parsing.structure import Part, build_tree
from intake.parsing.text import fold

HEADER_BLOCKS = 40
NUMBER = re.compile(r"\bS[ốôo]\s*:?\s*(?P<n>\d{0,5}\s*/\s*[A-ZĐ][\wĐđ.\-]*(?:\s*/\s*[\wĐđ.\-]+)?)")
DATE = re.compile(
    r"[a-z]\s*,\s*ngay\s+(?P<d>\d{1,2})\s+thang\s+"
    r"(?P<m>\d{1,2})\s+nam\s+(?P<y>\d{4})"
)
DOC_TYPE = re.compile(r"^thong\s+bao\b")
TITLE_STOP = re.compile(
    r"^(?:can\s+cu|thuc\s+hien|ngay\s+\d|(?:sang|chieu|toi)\s+ngay|vao\s+ngay|trong\s+|tai\s+|"
    r"[-_=*]{3,}|kinh\s+gui)"
)
BODY_END = re.compile(r"^(?:tren\s+day\s+la|noi\s+nhan|thong\s+bao\s+nay\s+|van\s+ban\s+nay\s+)")
SIGNS_FOR = re.compile(r"^(?:tm|kt|q|tl|tuq)\.\s*\S")
# A capacity line in capitals: "PHÓ CHỦ TỊCH", "CHỦ TỌA KỲ HỌP".
CAPACITY = re.compile(
    r"^(?:(?:pho\s+)?chu\s+tich\b|(?:pho\s+)?truong\s+ban\b|uy\s+vien\s+thuong\s+truc\b|"
    r"thuong\s+truc\s+h|chu\s+toa\b)"
)
SIGNED = re.compile(r"^\(?\s*(?:da\s+ky|ky\s+ten|ky\s+va\s+dong\s+dau)")
PERSON = re.compile(r"^[A-ZĐÀ-Ỹ][^\s\d,;:()]*(?:\s+[A-ZĐÀ-Ỹ][^\s\d,;:()]*){1,5}$")
SOURCE_KINDS = [
    (re.compile(r"giai\s+trinh"), SourceKind.EXPLANATION_SESSION),
    (re.compile(r"chat\s+van"), SourceKind.QUESTIONING),
    (re.compile(r"lang\s+nghe\s+va\s+trao\s+doi"), SourceKind.LISTEN_AND_DISCUSS),
    (re.compile(r"cu\s+tri"), SourceKind.VOTER_PETITIONS),
    (re.compile(r"nghi\s+quyet"), SourceKind.RESOLUTION_FOLLOW_UP),
    (re.compile(r"giam\s+sat"), SourceKind.THEMATIC_SUPERVISION),
]
# Section headings (folded): recommendations, an assessment, the closing instructions.
RECOMMENDS = re.compile(
    r"kien\s+nghi|de\s+nghi|yeu\s+cau|nhiem\s+vu|giai\s+phap|doi\s+voi|trach\s+nhiem|chi\s+dao"
)
CONCLUDES = re.compile(r"ket\s+luan")
ASSESSES = re.compile(
    r"ket\s+qua|uu\s+diem|han\s+che|ton\s+tai|nguyen\s+nhan|danh\s+gia|tinh\s+hinh|khuyet\s+diem"
    r"|khai\s+quat|dac\s+diem|thuc\s+trang|kho\s+khan|vuong\s+mac"
)
ORGANISES = re.compile(r"to\s+chuc\s+thuc\s+hien")
DIRECTIVE = re.compile(r"^(?:de\s+nghi|giao|yeu\s+cau|chi\s+dao|chu\s+tri|kien\s+nghi)\b")
TRACKS = re.compile(r"theo\s+doi|don\s+doc|giam\s+sat")
# "Sở" followed by a name: a body the registry may not know.
BODY_WORDS = re.compile(
    r"(?<![a-z])(?:so|ubnd(?:\s+(?:tinh|thanh\s+pho|thi\s+xa|huyen|xa|phuong))?)\s+(?=\S)"
)
STOP_WORDS = set(
    [
        "chu",
        "phoi",
        "va",
        "thuc",
        "ra",
        "tham",
        "chi",
        "bao",
        "khan",
        "co",
        "de",
        "trong",
        "tai",
        "theo",
        "cung",
        "voi",
        "huong",
        "kiem",
        "tong",
        "xay",
        "trien",
        "tiep",
        "nghien",
        "danh",
        "bo",
        "hoan",
        "som",
        "lam",
        "quan",
        "giai",
        "phan",
        "xu",
        "lap",
        "trinh",
        "dam",
        "ho",
        "to",
        "chuan",
        "can",
        "sua",
        "cai",
        "nang",
        "day",
        "khac",
        "la",
        "duoc",
        "da",
        "dang",
        "se",
        "cac",
        "nhung",
        "ve",
        "cho",
        "ket",
        "nhu",
        "sau",
        "hang",
        "thuong",
        "dinh",
    ]
)


def parse_blocks(blocks: list[Block], registry: Registry) -> NoticeDraft:
    draft = NoticeDraft(council=registry.council)
    folded = [fold(b.text) for b in blocks]
    _header(draft, blocks, folded)
    title_end = _title(draft, blocks, folded)
    body_end = _body_end(blocks, folded, title_end)
    _signature(draft, blocks[body_end:], folded[body_end:])
    tree = build_tree(blocks[title_end:body_end])
    _source_kind(draft)
    ctx = Context(
        issued=draft.issue_date or timezone.localdate(),
        sittings=registry.sittings,
        lead_days=registry.lead_days,
    )
    _items(draft, tree, registry, ctx)
    _tracking(draft, tree, blocks[body_end:], registry)
    return draft


# --- the header, the title, the signature -------------------------------------------------


def _header(draft: NoticeDraft, blocks: list[Block], folded: list[str]) -> None:
    # One string, so that a date the page wrapped over two lines is still found.
    text = " ".join(b.text for b in blocks[:HEADER_BLOCKS])
    low = fold(text)
    if m := NUMBER.search(text):
        draft.number = re.sub(r"\s+", "", m["n"])
    if m := DATE.search(low):
        draft.issue_date = _date(int(m["y"]), int(m["m"]), int(m["d"]))
    if not draft.number:
        draft.warn("number", _("Không thấy số, ký hiệu (dòng “Số: …/TB-HĐND”)."))
    if draft.issue_date is None:
        draft.warn("issue_date", _("Không thấy ngày ban hành (dòng “…, ngày … tháng … năm …”)."))


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _title(draft: NoticeDraft, blocks: list[Block], folded: list[str]) -> int:
    """The title after the "THÔNG BÁO" line; returns the index where the body starts."""
    for index, low in enumerate(folded[:HEADER_BLOCKS]):
        if DOC_TYPE.match(low) and blocks[index].text.isupper():
            lines, end = _title_lines(blocks, folded, index)
            draft.title = _title_text(blocks[index].text, lines)
            return end
    draft.warn("title", _("Không thấy trích yếu (dòng “Kết luận …” sau chữ THÔNG BÁO)."))
    return next(
        (i + 1 for i, b in enumerate(blocks[:HEADER_BLOCKS]) if DATE.search(fold(b.text))), 0
    )


def _title_lines(blocks: list[Block], folded: list[str], index: int) -> tuple[list[str], int]:
    lines: list[str] = []
    end = index + 1
    while end < len(blocks) and len(lines) < 3:
        text, low = blocks[end].text, folded[end]
        if TITLE_STOP.match(low) or blocks[end].cells or len(text) > 300 or text.endswith("."):
            break
        if lines and not (low.startswith("ve ") or low.startswith("tai ") or text[0].islower()):
            break
        lines.append(text)
        end += 1
    while end < len(blocks) and re.fullmatch(r"[-_=*. ]+", blocks[end].text):
        end += 1
    return lines, end


def _title_text(doc_type: str, lines: list[str]) -> str:
    title = " ".join(lines).strip(" -_")
    rest = doc_type[len("THÔNG BÁO") :].strip()
    if rest and not fold(title).startswith(fold(rest)):
        title = f"{rest.capitalize()} {title[:1].lower()}{title[1:]}".strip()
    return title


def _is_capacity(text: str, low: str) -> bool:
    return len(text) < 80 and bool(SIGNS_FOR.match(low) or (text.isupper() and CAPACITY.match(low)))


def _body_end(blocks: list[Block], folded: list[str], start: int) -> int:
    for index in range(start, len(folded)):
        if BODY_END.match(folded[index]) or _is_capacity(blocks[index].text, folded[index]):
            return index
    return len(folded)


def _signature(draft: NoticeDraft, blocks: list[Block], folded: list[str]) -> None:
    capacity: list[str] = []
    for block, low in zip(blocks, folded, strict=True):
        if _is_capacity(block.text, low):
            capacity.append(block.text)
        elif capacity and _is_person(block.text, low):
            draft.signer = block.text
            break
    draft.signer_capacity = ", ".join(capacity)
    if not draft.signer:
        draft.warn("signer", _("Không thấy người ký ở cuối văn bản."))


def _is_person(text: str, low: str) -> bool:
    return bool(PERSON.match(text)) and not text.isupper() and not SIGNED.match(low)


def _source_kind(draft: NoticeDraft) -> None:
    words = fold(draft.title)
    for regex, kind in SOURCE_KINDS:
        if regex.search(words):
            draft.source_kind = kind
            return
    draft.source_kind = SourceKind.THEMATIC_SUPERVISION
    draft.warn("source_kind", _("Không rõ nguồn của thông báo; tạm chọn “Giám sát chuyên đề”."))


# --- recommendations ------------------------------------------------------------------------


def _kind(part: Part) -> str:
    """What a heading announces: recommendations, an assessment, the closing instructions."""
    if part.style == "row" or (not part.children and part.style not in ("caps", "roman")):
        return ""
    heading = fold(part.text)[:160]
    if ORGANISES.search(heading):
        return "organise"
    if RECOMMENDS.search(heading):
        return "recommend"
    if ASSESSES.search(heading):
        return "assess"
    return "recommend" if CONCLUDES.search(heading) else ""


def _is_item(leaf: Part, has_sections: bool, registry: Registry) -> bool:
    for part in [leaf, *leaf.ancestors()]:
        kind = _kind(part)
        if kind:
            return kind == "recommend"
    if has_sections or leaf.style == "root":
        return False
    # No section says "kiến nghị": an item asks something of someone, or sits under a
    # heading that names whom ("a) Sở Tài chính:").
    low = fold(leaf.full_text)
    named = (p.full_text for p in [leaf, *leaf.ancestors()])
    return bool(DIRECTIVE.match(low) or any(_agencies_in(text, registry) for text in named))


def _items(draft: NoticeDraft, tree: Part, registry: Registry, ctx: Context) -> None:
    parts = [tree, *_walk(tree)]
    has_sections = any(_kind(p) == "recommend" for p in parts)
    leaves = [leaf for leaf in tree.leaves() if _is_item(leaf, has_sections, registry)]
    for index, leaf in enumerate(leaves):
        item = ItemDraft(anchor=leaf.anchor[:30], text=leaf.full_text)
        path = f"recommendations[{index}]"
        _agencies(draft, item, leaf, registry, path)
        _deadline(draft, item, leaf, ctx, path)
        draft.recommendations.append(item)
    _unique_anchors(draft)
    if not leaves:
        draft.warn("recommendations", _("Không tìm thấy kiến nghị nào trong văn bản."))


def _walk(part: Part):
    for child in part.children:
        yield child
        yield from _walk(child)


def _unique_anchors(draft: NoticeDraft) -> None:
    seen: dict[str, int] = {}
    for index, item in enumerate(draft.recommendations):
        if item.anchor in seen or not item.anchor:
            draft.warn(
                f"recommendations[{index}].anchor",
                _("Số mục “%(anchor)s” trùng hoặc thiếu: kiểm tra cách đánh số."),
                anchor=item.anchor,
            )
        seen[item.anchor] = index


# --- agencies -------------------------------------------------------------------------------


def _roles_of(text: str, registry: Registry) -> Roles:
    key = ("roles", text)
    if key not in registry.cache:
        low = fold(text)
        registry.cache[key] = read_roles(low, _agencies_in(text, registry, low))
    return registry.cache[key]


def _agencies_in(text: str, registry: Registry, low: str | None = None):
    key = ("agencies", text)
    if key not in registry.cache:
        registry.cache[key] = registry.agencies.find(text, low)
    return registry.cache[key]


def _addressee(leaf: Part, registry: Registry) -> tuple[tuple, tuple]:
    """(lead, accountable) named by the nearest heading or intro above the item, up to the
    paragraphs before the first numbered part ("… đề nghị UBND tỉnh chỉ đạo: …")."""
    parts = list(leaf.ancestors())
    root = (parts[-1] if parts else leaf).parent
    lead: tuple = ()
    accountable: tuple = ()
    for part in [*parts, *([root] if root is not None else [])]:
        roles = _roles_of(part.full_text, registry)
        lead = lead or tuple(roles.lead[:1] or (roles.actors[0][:1] if roles.actors else []))
        accountable = accountable or tuple(roles.accountable[:1])
        if lead and accountable:
            break
    return lead, accountable


def _agencies(draft: NoticeDraft, item: ItemDraft, leaf: Part, registry: Registry, path: str):
    if leaf.cells.get("lead"):
        roles = _roles_of(leaf.cells["lead"], registry)
        leads = [m.codes for m in roles.mentions]
        coordinating = [
            m.codes for m in _roles_of(leaf.cells.get("coordinating", ""), registry).mentions
        ]
        accountable = []
    else:
        roles = _roles_of(leaf.full_text, registry)
        leads = roles.lead or (roles.actors[0] if roles.actors else [])
        coordinating = roles.coordinating
        accountable = roles.accountable[:1]
    context_lead, context_accountable = _addressee(leaf, registry)
    if not leads:
        leads = list(accountable or context_lead or context_accountable)
        accountable = [] if accountable else list(context_accountable if context_lead else [])
    elif not accountable:
        accountable = [c for c in (*context_accountable, *context_lead) if c not in leads][:1]
    item.lead_agencies = _resolved(draft, leads, f"{path}.lead_agencies", registry)
    item.accountable = next(
        iter(_resolved(draft, accountable, f"{path}.accountable", registry)), ""
    )
    taken = {*item.lead_agencies, item.accountable}
    others = [c for c in coordinating if not (len(c) == 1 and c[0] in taken)]
    item.coordinating_agencies = _resolved(draft, others, f"{path}.coordinating_agencies", registry)
    _unknown(draft, item, leaf, registry, path)


def _resolved(draft: NoticeDraft, found: list[tuple], path: str, registry: Registry) -> list[str]:
    codes: list[str] = []
    for candidates in found:
        if len(candidates) == 1:
            if candidates[0] not in codes:
                codes.append(candidates[0])
            continue
        names = "; ".join(registry.agency_names[c] for c in candidates)
        draft.warn(path, _("Có nhiều cơ quan trùng tên gọi: %(names)s. Hãy chọn một."), names=names)
    return codes


def _unknown(draft: NoticeDraft, item: ItemDraft, leaf: Part, registry: Registry, path: str):
    text = " ".join([leaf.full_text, *leaf.cells.values()])
    low = fold(text)
    known = _agencies_in(text, registry, low)
    names = [n for n in _body_names(text, low) if not any(m.start <= n[0] < m.end for m in known)]
    for _start, name in names:
        field = "lead_agencies" if not item.lead_agencies else "coordinating_agencies"
        draft.warn(
            f"{path}.{field}",
            _("Không tìm thấy “%(name)s” trong danh mục cơ quan của HĐND."),
            name=name,
        )
    if not item.lead_agencies and not names:
        draft.warn(f"{path}.lead_agencies", _("Không xác định được cơ quan chủ trì."))


def _body_names(text: str, low: str) -> list[tuple[int, str]]:
    names = []
    for m in BODY_WORDS.finditer(low):
        if not text[m.end() : m.end() + 1].isupper():
            continue
        words = re.match(r"[^\s,;.()]+(?:\s+[^\s,;.()]+){0,5}", low[m.end() :])[0].split(" ")
        kept = []
        for word in words:
            if word in STOP_WORDS or (kept and word.isdigit()):
                break
            kept.append(word)
        if kept:
            end = m.end() + len(" ".join(kept))
            names.append((m.start(), text[m.start() : end]))
    return names


# --- deadlines ------------------------------------------------------------------------------


def _deadline(draft: NoticeDraft, item: ItemDraft, leaf: Part, ctx: Context, path: str) -> None:
    if "deadline" in leaf.cells:
        reading = read_deadline(leaf.cells["deadline"], ctx, cell=True)
    else:
        reading = read_deadline(leaf.full_text, ctx)
    item.deadline, item.deadline_text = reading.spec, reading.words
    if reading.problem is not None:
        draft.warn(f"{path}.deadline", reading.problem, words=reading.words)
        return
    due = due_of_spec(reading.spec or {}, ctx.issued)
    if due is not None and due < ctx.issued:
        draft.warn(
            f"{path}.deadline",
            _("Thời hạn “%(words)s” trước ngày ban hành: kiểm tra lại."),
            words=reading.words,
        )


# --- the tracking committee -----------------------------------------------------------------


def _tracking(draft: NoticeDraft, tree: Part, closing: list[Block], registry: Registry) -> None:
    sections = [p for p in _walk(tree) if _kind(p) == "organise"]
    texts = [" ".join([p.full_text, *(c.full_text for c in _walk(p))]) for p in sections]
    texts += [b.text for b in closing[:3]]
    texts += [p.full_text for p in _walk(tree) if TRACKS.search(fold(p.full_text))]
    for text in texts:
        committees = registry.committees.find(text)
        if committees:
            draft.tracking_committee = committees[0].codes[0]
            return
    draft.warn(
        "tracking_committee",
        _("Không thấy Ban theo dõi (mục “Tổ chức thực hiện”): hãy chọn Ban."),
    )
