"""The only writers of rounds and petitions. Cases are opened by workflow's services: a routed
petition is one more item of its round's carrier notice (workflow.services.notice_items_add),
and grading its answer is closing its case (case_transition). Refusals are workflow's
CaseErrors, in the order 404, 403, 409, 400."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.models import Agency, Committee, Council, SourceKind
from conclusions.rules import normalize_text
from conclusions.services import RecommendationInput, notice_register
from petitions.communes import CommuneDestination, commune_destination
from petitions.models import (
    CommuneTransfer,
    Competence,
    ForwardReason,
    Petition,
    PetitionRound,
    VoterMeeting,
)
from petitions.outcomes import CASE_OUTCOME, PetitionOutcome
from petitions.repeats import Suggestion, earlier_rounds, repeat_suggestions
from petitions.selectors import may_record_verdict, may_register, petitions_visible_to
from petitions.text import locality_key, subject_of
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid, CaseNotFound
from workflow.models import Case, CaseState
from workflow.services import case_transition, check_rule, notice_issue, notice_items_add
from workflow.transitions import Action

ANSWER_RULES = ("date", "working_days", "calendar_days")
NATIONAL_ASSEMBLY = _("Đoàn đại biểu Quốc hội tỉnh")


@dataclass(frozen=True)
class MeetingInput:
    held_on: datetime.date
    place: str
    deputies_group: str


@dataclass(frozen=True)
class Registered:
    petition: Petition
    suggestions: list[Suggestion]


# ------------------------------------------------------------------------------- rounds


@transaction.atomic
def round_open(
    *,
    council: Council,
    sitting_name: str,
    answer_deadline: dict,
    actor,
    meetings: Sequence[MeetingInput] = (),
    opened_on: datetime.date | None = None,
) -> PetitionRound:
    """A round of petitions for one sitting, with its carrier notice registered and issued."""
    if not may_register(actor, council.pk):
        raise CaseForbidden(_("Chỉ Văn phòng và Thường trực HĐND mở đợt kiến nghị cử tri."))
    sitting_name = normalize_text(sitting_name)
    opened_on = opened_on or timezone.localdate()
    _check_round(council, sitting_name, answer_deadline, opened_on, meetings)
    notice = _carrier_notice(council, sitting_name, opened_on, actor)
    petition_round = PetitionRound.objects.create(
        council=council,
        sitting_name=sitting_name,
        answer_deadline=_answer_rule_json(answer_deadline),
        opened_on=opened_on,
        notice=notice,
        created_by=actor,
    )
    VoterMeeting.objects.bulk_create(
        VoterMeeting(
            round=petition_round,
            held_on=m.held_on,
            place=normalize_text(m.place),
            deputies_group=normalize_text(m.deputies_group),
        )
        for m in meetings
    )
    return petition_round


def _check_round(council, sitting_name, rule, opened_on, meetings) -> None:
    if not sitting_name:
        raise CaseInvalid(_("Chưa nhập tên kỳ họp."))
    if len(sitting_name) > 200:
        raise CaseInvalid(_("Tên kỳ họp dài quá 200 ký tự."))
    check_rule(rules.validate_text, sitting_name)
    check_rule(rules.validate_date, opened_on)
    kinds = [kind for kind in ANSWER_RULES if rule.get(kind) is not None]
    if len(kinds) != 1 or set(rule) - set(ANSWER_RULES):
        raise CaseInvalid(
            _("Thời hạn trả lời: chọn đúng một cách tính (date, working_days, calendar_days).")
        )
    if "date" in kinds:
        check_rule(rules.validate_date, rule["date"])
        if rule["date"] < opened_on:
            raise CaseInvalid(
                _("Thời hạn trả lời (%(due)s) trước ngày mở đợt (%(opened)s)."),
                due=date_format(rule["date"], "d/m/Y"),
                opened=date_format(opened_on, "d/m/Y"),
            )
    elif not 1 <= int(rule[kinds[0]]) <= 3660:
        raise CaseInvalid(_("Số ngày trả lời phải từ 1 đến 3660."))
    for meeting in meetings:
        check_rule(rules.validate_date, meeting.held_on)
        if not normalize_text(meeting.place) or not normalize_text(meeting.deputies_group):
            raise CaseInvalid(_("Mỗi buổi tiếp xúc cử tri cần có địa điểm và Tổ đại biểu."))
    if not council.committees.exists():
        raise CaseInvalid(_("%(council)s chưa có Ban nào theo dõi kiến nghị."), council=council)


def _answer_rule_json(rule: dict) -> dict:
    if rule.get("date") is not None:
        return {"date": rule["date"].isoformat()}
    return {kind: int(rule[kind]) for kind in ANSWER_RULES[1:] if rule.get(kind) is not None}


def _carrier_notice(council, sitting_name, opened_on, actor):
    """The round's notice, numbered "<n>/KNCT" in its year; its items are the routed petitions."""
    taken = PetitionRound.objects.filter(council=council, opened_on__year=opened_on.year).count()
    with translation.override("vi"):  # a notice's title is stored as the council writes it
        title = str(_("Kiến nghị cử tri gửi đến %(sitting)s") % {"sitting": sitting_name})
    notice = notice_register(
        council=council,
        number=f"{taken + 1}/KNCT-HĐND",
        issue_date=opened_on,
        title=title[:500],
        source_kind=SourceKind.VOTER_PETITIONS,
        tracking_committee=council.committees.order_by("pk").first(),
        recommendations=[],
        allow_empty=True,
        actor=actor,
    )
    notice_issue(notice=notice, actor=actor)
    return notice


# ---------------------------------------------------------------------------- petitions


@transaction.atomic
def petition_register(
    *,
    round: PetitionRound,
    text: str,
    locality: str,
    committee: Committee,
    competence: str,
    actor,
    field: str = "",
    meetings: Sequence[VoterMeeting] = (),
    lead_agency_codes: Sequence[str] = (),
    coordinating_agency_codes: Sequence[str] = (),
) -> Registered:
    """Enter one petition; central and commune ones are recorded as forwarded, a province one
    with its lead agencies is routed at once. Answers the suggested repeats, best first."""
    if not may_register(actor, round.council_id):
        raise CaseForbidden(_("Chỉ Văn phòng và Thường trực HĐND vào sổ kiến nghị cử tri."))
    text, locality, field = map(normalize_text, (text, locality, field))
    _check_petition(round, text, locality, field, committee, competence, meetings)
    if lead_agency_codes and competence != Competence.PROVINCE:
        raise CaseInvalid(_("Chỉ kiến nghị thuộc thẩm quyền cấp tỉnh được giao cơ quan chủ trì."))
    locked = PetitionRound.objects.select_for_update().get(pk=round.pk)
    last = locked.petitions.aggregate(last=Max("number"))["last"] or 0
    petition = Petition.objects.create(
        round=locked,
        council_id=locked.council_id,
        number=last + 1,
        text=text,
        locality=locality,
        field=field,
        committee=committee,
        competence=competence,
        subject=subject_of(text, locality),
        locality_key=locality_key(locality),
        created_by=actor,
    )
    petition.meetings.set(meetings)
    if competence == Competence.COMMUNE:
        _to_commune(petition, actor)
    elif competence == Competence.CENTRAL:
        _forward(petition)
    elif lead_agency_codes:
        _route(petition, actor, lead_agency_codes, coordinating_agency_codes)
    suggestions = repeat_suggestions(
        round=locked, text=text, locality=locality, exclude=[petition.pk]
    )
    return Registered(petition, suggestions)


def _check_petition(round, text, locality, field, committee, competence, meetings) -> None:
    if not text:
        raise CaseInvalid(_("Nội dung kiến nghị không được để trống."))
    if not locality:
        raise CaseInvalid(_("Chưa nhập địa phương (xã, phường) của kiến nghị."))
    for value in (text, locality, field):
        check_rule(rules.validate_text, value)
    if len(text) > rules.TEXT or len(locality) > 200 or len(field) > 200:
        raise CaseInvalid(_("Nội dung quá dài."))
    if competence not in Competence.values:
        raise CaseInvalid(_("Thẩm quyền phải là cấp xã, cấp tỉnh hoặc trung ương."))
    if committee.council_id != round.council_id:
        raise CaseInvalid(_("Ban theo dõi phải là một Ban của %(council)s."), council=round.council)
    if any(meeting.round_id != round.pk for meeting in meetings):
        raise CaseInvalid(_("Buổi tiếp xúc cử tri không thuộc đợt này."))


def _forward(petition: Petition) -> None:
    """Central competence goes to the National Assembly delegation; commune competence, when
    its council is not on Đôn đốc, to the commune (recorded, with `forward_reason`)."""
    with translation.override("vi"):  # stored as the documents write it
        if petition.competence == Competence.CENTRAL:
            forwarded_to = str(NATIONAL_ASSEMBLY)
        elif petition.commune_council_id:
            forwarded_to = str(petition.commune_council)
        else:
            forwarded_to = str(_("HĐND, UBND %(locality)s") % {"locality": petition.locality})
    petition.forwarded_to = forwarded_to[:200]
    petition.forwarded_at = timezone.now()
    petition.save(update_fields=["forwarded_to", "forwarded_at"])


def _to_commune(petition: Petition, actor) -> None:
    """A commune petition becomes a case of the commune's own council when it uses Đôn đốc;
    otherwise it is recorded as forwarded, with the reason."""
    destination = _commune_destination(petition)
    if destination.on_dondoc:
        _open_in_commune(petition, destination, actor)
        return
    petition.commune_council = destination.council
    petition.forward_reason = destination.reason
    petition.save(update_fields=["commune_council", "forward_reason"])
    _forward(petition)


@transaction.atomic
def petition_send_to_commune(*, petition: Petition, actor) -> Case:
    """Send again a commune petition recorded as forwarded, now that its commune council may
    use Đôn đốc: the routing of its entry is run again; refused while the commune still does
    not use it (nothing written)."""
    petition = _visible(petition, actor)
    if not may_register(actor, petition.council_id):
        raise CaseForbidden(_("Chỉ Văn phòng và Thường trực HĐND chuyển kiến nghị cử tri."))
    locked = (
        Petition.objects.select_for_update(of=("self",))
        .select_related("round", "committee")
        .get(pk=petition.pk)
    )
    if locked.competence != Competence.COMMUNE:
        raise CaseConflict(_("Kiến nghị không thuộc thẩm quyền cấp xã."))
    if locked.recommendation_id:
        raise CaseConflict(_("Kiến nghị đã được chuyển đến HĐND cấp xã trên Đôn đốc."))
    if locked.accepted is not None:
        raise CaseConflict(_("Đã ghi nhận ý kiến cử tri về kiến nghị này; không gửi lại."))
    destination = _commune_destination(locked)
    if not destination.on_dondoc:
        raise CaseConflict(
            _("Chưa gửi được đến HĐND cấp xã: %(reason)s."),
            reason=ForwardReason(destination.reason).label,
        )
    return _open_in_commune(locked, destination, actor)


def _commune_destination(petition: Petition) -> CommuneDestination:
    return commune_destination(
        province_id=petition.council_id,
        locality=petition.locality,
        committee=petition.committee,
        day=timezone.localdate(),
    )


def _open_in_commune(petition: Petition, destination: CommuneDestination, actor) -> Case:
    """An item of the round's notice in the commune council, owned by one of its committees,
    addressed to its People's Committee, due by the round's rule."""
    notice = _commune_notice(petition.round, destination, actor)
    [case] = _open_item(
        petition,
        notice,
        actor,
        lead_codes=[destination.peoples_committee.code],
        tracking_committee=destination.committee,
    )
    petition.recommendation = case.recommendation
    petition.commune_council, petition.forward_reason = destination.council, ""
    petition.forwarded_to, petition.forwarded_at = "", None
    petition.save(
        update_fields=[
            "recommendation",
            "commune_council",
            "forward_reason",
            "forwarded_to",
            "forwarded_at",
        ]
    )
    return case


def _commune_notice(petition_round: PetitionRound, destination, actor):
    """The round's notice in the commune council, registered and issued at its first petition."""
    council = destination.council
    transfer = (
        CommuneTransfer.objects.select_for_update()
        .filter(round=petition_round, council=council)
        .select_related("notice")
        .first()
    )
    if transfer:
        return transfer.notice
    province = petition_round.council
    with translation.override("vi"):
        title = str(
            _("Kiến nghị cử tri thuộc thẩm quyền cấp xã gửi đến %(sitting)s, %(council)s chuyển")
            % {"sitting": petition_round.sitting_name, "council": province}
        )
    notice = notice_register(
        council=council,
        number=f"{petition_round.notice.number} ({province.place})"[:50],
        issue_date=petition_round.opened_on,
        title=title[:500],
        source_kind=SourceKind.VOTER_PETITIONS,
        tracking_committee=destination.committee,
        recommendations=[],
        allow_empty=True,
        actor=actor,
    )
    notice_issue(notice=notice, actor=actor)
    CommuneTransfer.objects.create(round=petition_round, council=council, notice=notice)
    return notice


@transaction.atomic
def petition_route(
    *,
    petition: Petition,
    actor,
    lead_agency_codes: Sequence[str],
    coordinating_agency_codes: Sequence[str] = (),
) -> list[Case]:
    """The People's Committee named the lead (and coordinating) agencies: one case each."""
    petition = _visible(petition, actor)
    if not may_register(actor, petition.council_id):
        raise CaseForbidden(_("Chỉ Văn phòng và Thường trực HĐND chuyển kiến nghị cử tri."))
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    if locked.recommendation_id or locked.forwarded_to:
        raise CaseConflict(_("Kiến nghị này đã được chuyển."))
    if locked.competence != Competence.PROVINCE:
        raise CaseConflict(_("Kiến nghị không thuộc thẩm quyền cấp tỉnh."))
    if not lead_agency_codes:
        raise CaseInvalid(_("Chọn ít nhất một cơ quan chủ trì."))
    return _route(locked, actor, lead_agency_codes, coordinating_agency_codes)


def _route(petition, actor, lead_codes, coordinating_codes) -> list[Case]:
    cases = _open_item(
        petition,
        petition.round.notice,
        actor,
        lead_codes=lead_codes,
        coordinating_codes=coordinating_codes,
        accountable_code=_peoples_committee_code(petition.council_id, lead_codes),
    )
    petition.recommendation = cases[0].recommendation
    petition.save(update_fields=["recommendation"])
    return cases


def _open_item(
    petition,
    notice,
    actor,
    *,
    lead_codes,
    coordinating_codes=(),
    accountable_code="",
    tracking_committee=None,
) -> list[Case]:
    """The petition as an item of `notice`, due by its round's rule: one case per lead agency."""
    rule = dict(petition.round.answer_deadline)
    day = rule.pop("date", None)
    item = RecommendationInput(
        anchor=petition.anchor,
        text=petition.text,
        lead_agency_codes=list(lead_codes),
        coordinating_agency_codes=list(coordinating_codes),
        accountable_code=accountable_code,
        tracking_committee=tracking_committee or petition.committee,
        deadline=datetime.date.fromisoformat(day) if day else None,
        deadline_spec=rule or None,
    )
    try:
        return notice_items_add(notice=notice, items=[item], actor=actor)
    except ValidationError as error:
        raise _invalid(error) from None


def _peoples_committee_code(council_id: int, lead_codes) -> str:
    """The province's People's Committee answers for its agencies (accountable)."""
    code = (
        Agency.objects.filter(
            council_id=council_id,
            kind=Agency.Kind.PEOPLES_COMMITTEE,
            parent__isnull=True,
            is_active=True,
        )
        .order_by("pk")
        .values_list("code", flat=True)
        .first()
    )
    return code or ""


def _invalid(error: ValidationError) -> CaseInvalid:
    """conclusions' refusal (lazy, with its parameters) as a CaseInvalid."""
    first = next(iter(error.error_dict.values()))[0] if hasattr(error, "error_dict") else error
    first = first.error_list[0] if hasattr(first, "error_list") else first
    return CaseInvalid(first.message, **(first.params or {}))


@transaction.atomic
def petition_grade(*, petition: Petition, case: Case, actor, outcome: str, note: str = "") -> Case:
    """The committee grades the agency's answer: the case closes with the matching outcome."""
    petition = _visible(petition, actor)
    if petition.recommendation_id is None or case.recommendation_id != petition.recommendation_id:
        raise CaseNotFound(_("Không tìm thấy hồ sơ."))
    if outcome not in PetitionOutcome.values:
        raise CaseInvalid(_("Vui lòng chọn kết quả đánh giá trả lời kiến nghị."))
    return case_transition(
        case=case, actor=actor, action=Action.CLOSE, outcome=CASE_OUTCOME[outcome], note=note
    )


@transaction.atomic
def petition_verdict(*, petition: Petition, actor, accepted: bool, note: str = "") -> Petition:
    """The voters' verdict on the answer, as the deputies' group reports it."""
    petition = _visible(petition, actor)
    if not may_record_verdict(actor, petition):
        raise CaseForbidden(_("Bạn không có quyền ghi nhận ý kiến cử tri về kiến nghị này."))
    if not petition_answered(petition):
        raise CaseConflict(_("Kiến nghị chưa được trả lời, chưa thể ghi nhận ý kiến cử tri."))
    note = normalize_text(note)
    check_rule(rules.validate_text, note)
    if len(note) > rules.TEXT:
        raise CaseInvalid(_("Nội dung quá dài."))
    if not accepted and not note:
        raise CaseInvalid(_("Vui lòng ghi ý kiến của cử tri khi chưa đồng tình với trả lời."))
    petition.accepted = bool(accepted)
    petition.verdict_note = note
    petition.verdict_at = timezone.now()
    petition.verdict_by = actor
    petition.save(update_fields=["accepted", "verdict_note", "verdict_at", "verdict_by"])
    return petition


def petition_answered(petition: Petition) -> bool:
    """Forwarded, or one of its cases reported or closed (wherever the case is)."""
    if petition.forwarded_to:
        return True
    return Case.objects.filter(
        recommendation_id=petition.recommendation_id,
        state__in=[CaseState.REPORTED, CaseState.CLOSED],
    ).exists()


# ------------------------------------------------------------------------------ repeats


@transaction.atomic
def petition_mark_repeat(*, petition: Petition, actor, first: Petition | None) -> Petition:
    """The clerk confirms a suggestion (the petition repeats `first`, linked to the first of
    its chain) or, with None, unlinks it."""
    petition = _visible(petition, actor)
    if not may_register(actor, petition.council_id):
        raise CaseForbidden(_("Chỉ Văn phòng và Thường trực HĐND xác nhận kiến nghị lặp lại."))
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    if first is None:
        locked.repeat_of = None
        locked.save(update_fields=["repeat_of"])
        return locked
    first = Petition.objects.select_related("repeat_of", "round").get(pk=first.pk)
    root = first.repeat_of or first
    if not _earlier(first, locked) or root.pk == locked.pk:
        raise CaseInvalid(
            _("Chỉ liên kết với một kiến nghị của một kỳ họp trước, cùng HĐND."), field="petition"
        )
    locked.repeat_of = root
    locked.not_repeats = [pk for pk in locked.not_repeats if pk != first.pk]
    locked.save(update_fields=["repeat_of", "not_repeats"])
    # Petitions that repeated this one now repeat the first of the chain.
    Petition.objects.filter(repeat_of=locked).update(repeat_of=root)
    return locked


def _earlier(first: Petition, petition: Petition) -> bool:
    return (
        first.council_id == petition.council_id
        and earlier_rounds(petition.round).filter(pk=first.round_id).exists()
    )


@transaction.atomic
def petition_reject_repeat(*, petition: Petition, actor, candidate: Petition) -> Petition:
    """The clerk says a suggestion is another matter: it is not suggested again."""
    petition = _visible(petition, actor)
    if not may_register(actor, petition.council_id):
        raise CaseForbidden(_("Chỉ Văn phòng và Thường trực HĐND xác nhận kiến nghị lặp lại."))
    locked = Petition.objects.select_for_update().get(pk=petition.pk)
    candidate = Petition.objects.select_related("round").get(pk=candidate.pk)
    if not _earlier(candidate, locked):
        raise CaseInvalid(
            _("Chỉ bỏ qua gợi ý là một kiến nghị của một kỳ họp trước, cùng HĐND."),
            field="petition",
        )
    if locked.repeat_of_id in (candidate.pk, candidate.repeat_of_id or candidate.pk):
        raise CaseConflict(_("Kiến nghị đang được liên kết với kiến nghị này: bỏ liên kết trước."))
    if candidate.pk not in locked.not_repeats:
        locked.not_repeats = [*locked.not_repeats, candidate.pk]
        locked.save(update_fields=["not_repeats"])
    return locked


def petition_suggestions(petition: Petition) -> list[Suggestion]:
    """The suggestions still open for a petition: not linked, not rejected."""
    if petition.repeat_of_id:
        return []
    return repeat_suggestions(
        round=petition.round,
        text=petition.text,
        locality=petition.locality,
        exclude=[petition.pk, *petition.not_repeats],
    )


def _visible(petition: Petition, actor) -> Petition:
    found = petitions_visible_to(actor).select_related("round", "council").filter(pk=petition.pk)
    if not found:
        raise CaseNotFound(_("Không tìm thấy kiến nghị."))
    return found[0]
