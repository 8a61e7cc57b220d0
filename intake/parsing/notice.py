"""Reading a signed Thông báo kết luận into a draft: the header (number, place and date), the
title, the recommendations with their agencies and deadlines, the committee that tracks them
("Tổ chức thực hiện"), the signature. Whatever is uncertain is a warning, never a guess
passed off as certain."""

import re

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.parsing.deadlines import Context, due_of_spec, read_deadline
from intake.parsing.draft import ItemDraft, NoticeDraft
from intake.parsing.extract import Block
from intake.parsing.header import (
    body_end_index,
    read_number_and_date,
    read_signature,
    read_source_kind,
    read_title,
)
from intake.parsing.registry import Registry
from intake.parsing.roles import Roles, read_roles
from intake.parsing.structure import Part, build_tree
from intake.parsing.text import fold

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
    read_number_and_date(draft, blocks, folded)
    title_end = read_title(draft, blocks, folded)
    body_end = body_end_index(blocks, folded, title_end)
    read_signature(draft, blocks[body_end:], folded[body_end:])
    tree = build_tree(blocks[title_end:body_end])
    read_source_kind(draft)
    ctx = Context(
        issued=draft.issue_date or timezone.localdate(),
        sittings=registry.sittings,
        lead_days=registry.lead_days,
    )
    _items(draft, tree, registry, ctx)
    _tracking(draft, tree, blocks[body_end:], registry)
    return draft


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
