"""Who does what in a recommendation's sentence: "đề nghị UBND tỉnh chỉ đạo Sở Y tế chủ trì,
phối hợp với Sở Tài chính và UBND các xã …" names UBND tỉnh as accountable (it directs),
Sở Y tế as lead (chủ trì) and Sở Tài chính as coordinating (phối hợp). Bodies named one after
another ("Sở A, Sở B và Sở C") share a role; the words just before and after them decide it."""

import re
from dataclasses import dataclass, field

from intake.parsing.names import Mention

# Between two bodies of one list: commas, "và", "cùng", "các".
LIST_GAP = re.compile(r"^[\s,;/&()-]*(?:(?:va|cung|voi|hoac)[\s,]+)?(?:cac\s+)?$")
LEAD_AFTER = re.compile(r"^\s*\(?\s*(?:la\s+)?(?:co\s+quan\s+|don\s+vi\s+)?chu\s+tri\b")
COORD_BEFORE = re.compile(
    r"(?:phoi\s+hop(?:\s+chat\s+che)?(?:\s+voi)?|cung\s+voi|cung|va\s+cac\s+co\s+quan)[\s:,]*$"
)
# "Sở B phối hợp thực hiện", "Sở B (phối hợp)"; but "Sở B phối hợp với Sở C …" makes B the
# actor and C the coordinating one.
COORD_AFTER = re.compile(
    r"^\s*\(?\s*(?:cung\s+)?phoi\s+hop\s*(?:\)|thuc\s+hien|trien\s+khai|[.;,]|$)"
)
DIRECTS_AFTER = re.compile(
    r"^\s*(?:quan\s+tam\s+|tiep\s+tuc\s+|khan\s+truong\s+)?(?:chi\s+dao|giao(?!\s+thong)|lanh\s+dao|yeu\s+cau)\b"
)
RECIPIENT_BEFORE = re.compile(
    r"(?:bao\s+cao(?:\s+ket\s+qua)?|trinh|gui(?:\s+ve)?|tham\s+muu(?:\s+cho)?|de\s+xuat|"
    r"xin\s+y\s+kien|cua|thuoc|tai|(?<!doi\s)voi|ho\s+tro|huong\s+dan|so\s+voi)"
    r"(?:\s+(?:ve|cho|len|toi|den|voi))?[\s:,]*$"
)
ACTOR_BEFORE = re.compile(
    r"(?:^|de\s+nghi|kien\s+nghi|giao(?:\s+cho)?|chi\s+dao|yeu\s+cau|do|doi\s+voi|[:;.\-]|"
    r"\d[.)]|[a-z][.)])(?:\s*(?:giam\s+doc|chu\s+tich|lanh\s+dao|thu\s+truong|cac))?[\s,:]*$"
)
WINDOW = 40


@dataclass
class Roles:
    accountable: list[tuple[str, ...]] = field(default_factory=list)
    lead: list[tuple[str, ...]] = field(default_factory=list)
    coordinating: list[tuple[str, ...]] = field(default_factory=list)
    actors: list[list[tuple[str, ...]]] = field(default_factory=list)  # runs, in order
    mentions: list[Mention] = field(default_factory=list)


def read_roles(folded: str, mentions: list[Mention]) -> Roles:
    """The roles of the bodies named in one recommendation (`folded` text, its mentions)."""
    roles = Roles(mentions=mentions)
    for run in _runs(folded, mentions):
        before = folded[max(0, run[0].start - WINDOW) : run[0].start]
        after = folded[run[-1].end : run[-1].end + WINDOW]
        codes = [m.codes for m in run]
        role = _role_list(roles, before, after)
        if role is roles.actors:
            roles.actors.append(codes)
        elif role is not None:
            role.extend(codes)
    return roles


def _role_list(roles: Roles, before: str, after: str) -> list | None:
    if LEAD_AFTER.match(after):
        return roles.lead
    if COORD_BEFORE.search(before) or COORD_AFTER.match(after):
        return roles.coordinating
    if DIRECTS_AFTER.match(after):
        return roles.accountable
    if RECIPIENT_BEFORE.search(before) or not ACTOR_BEFORE.search(before):
        return None  # named in passing: a recipient of a report, an owner of something
    return roles.actors


def _runs(folded: str, mentions: list[Mention]) -> list[list[Mention]]:
    runs: list[list[Mention]] = []
    for mention in mentions:
        if runs and LIST_GAP.match(folded[runs[-1][-1].end : mention.start]):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    return runs
