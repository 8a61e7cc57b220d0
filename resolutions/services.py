"""The only writers of resolutions, evaluations, programmes and hotline questions. What is
tracked goes through the notices' and cases' own services: a resolution's implementation items
are recommendations of its follow-up notice (issued at once, cases opened at once); a
programme's questions not answered live become the recommendations of a DRAFT conclusion
notice, which then goes through the usual intake check, approval and issue."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.models import Agency, Committee, ConclusionNotice, Council, SourceKind
from conclusions.selectors import roles_of
from conclusions.services import RecommendationInput, notice_register, refusal
from reports.snapshots import councils_of
from resolutions.models import (
    Effect,
    Evaluation,
    HotlineQuestion,
    ImplementationItem,
    Programme,
    Resolution,
)
from resolutions.selectors import may_keep_register
from workflow.errors import CaseConflict, CaseForbidden, CaseNotFound
from workflow.services import notice_issue, notice_items_add

normalize = rules.normalize_text


@dataclass(frozen=True)
class ItemInput:
    """An implementing document or a periodic report the resolution calls for."""

    kind: str  # ImplementationItem.Kind
    text: str
    deadline: datetime.date | None = None
    deadline_spec: Mapping | None = None
    lead_agency_code: str = ""  # default: the resolution's lead agency


# -------------------------------------------------------------------------- resolutions


@transaction.atomic
def resolution_register(
    *,
    council: Council,
    number: str,
    adopted_on: datetime.date,
    title: str,
    kind: str,
    sector: str,
    lead_agency_code: str,
    in_force_from: datetime.date,
    in_force_to: datetime.date | None = None,
    status: str = Resolution.Status.IN_FORCE,
    committee: Committee | None = None,
    amends: Resolution | None = None,
    replaces: Resolution | None = None,
    items: Sequence[ItemInput] = (),
    actor,
) -> Resolution:
    """Enter a resolution in the register (the Standing Committee or the office), with the
    implementation items it calls for, whose cases open at once."""
    _check_keeper(actor, council)
    number = normalize(number)
    _check_resolution(council, number, adopted_on, in_force_from, in_force_to, kind, status)
    _check_links(council, committee, amends, replaces)
    resolution = Resolution(
        council=council,
        number=number,
        issue_year=adopted_on.year,
        adopted_on=adopted_on,
        title=normalize(title),
        kind=kind,
        sector=normalize(sector),
        lead_agency=_agency(council, lead_agency_code, field="lead_agency"),
        committee=committee,
        in_force_from=in_force_from,
        in_force_to=in_force_to,
        status=status,
        amends=amends,
        replaces=replaces,
    )
    try:
        with transaction.atomic():
            resolution.save()
    except IntegrityError:
        raise _duplicate(number, adopted_on) from None
    if items:
        resolution_items_add(resolution=resolution, items=items, actor=actor)
    return resolution


@transaction.atomic
def resolution_items_add(
    *, resolution: Resolution, items: Sequence[ItemInput], actor
) -> list[ImplementationItem]:
    """Implementation items, each a recommendation of the resolution's follow-up notice (made
    and issued with the first items), its case opened at once."""
    _check_keeper(actor, resolution.council)
    if resolution.committee is None:
        raise refusal(
            _("Nghị quyết chưa có Ban theo dõi, chưa giao được nội dung triển khai."),
            field="committee",
        )
    for item in items:
        if item.kind not in ImplementationItem.Kind.values:
            raise refusal(_("Loại nội dung triển khai không hợp lệ."), field="items")
    locked = Resolution.objects.select_for_update().get(pk=resolution.pk)
    start = locked.items.count() + 1
    inputs = [_item_input(locked, start + offset, item) for offset, item in enumerate(items)]
    if locked.notice is None:
        locked.notice = _follow_up_notice(locked, inputs, actor)
        locked.save(update_fields=["notice"])
        notice_issue(notice=locked.notice, actor=actor)
        recommendations = list(locked.notice.recommendations.order_by("position"))
    else:
        cases = notice_items_add(notice=locked.notice, items=inputs, actor=actor)
        recommendations = [case.recommendation for case in cases]
    resolution.notice = locked.notice
    return [
        ImplementationItem.objects.create(resolution=locked, kind=item.kind, recommendation=rec)
        for item, rec in zip(items, recommendations, strict=True)
    ]


def _follow_up_notice(resolution: Resolution, inputs, actor) -> ConclusionNotice:
    return notice_register(
        council=resolution.council,
        number=f"TD-{resolution.number}"[: rules.NUMBER],
        issue_date=resolution.adopted_on,
        title=str(_("Theo dõi thực hiện Nghị quyết số %(number)s")) % {"number": resolution.number},
        source_kind=SourceKind.RESOLUTION_FOLLOW_UP,
        tracking_committee=resolution.committee,
        recommendations=inputs,
        actor=actor,
    )


def _item_input(resolution: Resolution, position: int, item: ItemInput) -> RecommendationInput:
    lead = item.lead_agency_code or resolution.lead_agency.code
    return RecommendationInput(
        anchor=str(position),
        text=item.text,
        lead_agency_codes=[lead],
        deadline=item.deadline,
        deadline_spec=item.deadline_spec,
    )


@transaction.atomic
def evaluation_record(
    *, resolution: Resolution, as_of: datetime.date, effect: str, note: str = "", actor
) -> Evaluation:
    """The effect class of a resolution as of a day, by whom and why: the Standing
    Committee, the office or a committee of the council."""
    roles = roles_of(actor)
    council_id = resolution.council_id
    committees = Committee.objects.filter(council_id=council_id, pk__in=roles.committee_ids)
    if not (roles.is_admin or council_id in roles.council_ids or committees.exists()):
        raise CaseForbidden(_("Bạn không có quyền đánh giá nghị quyết này."))
    if effect not in Effect.values:
        raise refusal(_("Mức độ tác động không hợp lệ."), field="effect")
    _check_day(as_of, "as_of")
    if as_of < resolution.adopted_on:
        raise refusal(_("Ngày đánh giá trước ngày ban hành nghị quyết."), field="as_of")
    if as_of > timezone.localdate():
        raise refusal(_("Ngày đánh giá không được sau hôm nay."), field="as_of")
    return Evaluation.objects.create(
        resolution=resolution,
        as_of=as_of,
        effect=effect,
        note=_text(note, "note"),
        evaluated_by=actor,
    )


def _check_resolution(council, number, adopted_on, start, end, kind, status) -> None:
    if not number:
        raise refusal(_("Chưa nhập số, ký hiệu nghị quyết."), field="number")
    for day, name in ((adopted_on, "date"), (start, "in_force_from")):
        _check_day(day, name)
    if end is not None:
        _check_day(end, "in_force_to")
        if end < start:
            raise refusal(_("Ngày hết hiệu lực trước ngày có hiệu lực."), field="in_force_to")
    if kind not in Resolution.Kind.values:
        raise refusal(_("Loại nghị quyết không hợp lệ."), field="kind")
    if status not in Resolution.Status.values:
        raise refusal(_("Tình trạng nghị quyết không hợp lệ."), field="status")
    if Resolution.objects.filter(
        council=council, issue_year=adopted_on.year, number=number
    ).exists():
        raise _duplicate(number, adopted_on)


def _check_links(council, committee, amends, replaces) -> None:
    if committee is not None and committee.council_id != council.pk:
        raise refusal(
            _("Ban theo dõi phải là một Ban của %(council)s."), field="committee", council=council
        )
    for other, name in ((amends, "amends"), (replaces, "replaces")):
        if other is not None and other.council_id != council.pk:
            raise refusal(_("Không tìm thấy nghị quyết được liên kết."), field=name)


def _duplicate(number: str, adopted_on: datetime.date):
    return refusal(
        _("Số nghị quyết %(number)s đã có trong sổ năm %(year)s."),
        field="number",
        number=number,
        year=adopted_on.year,
    )


# ---------------------------------------------------------------------------- programmes


@transaction.atomic
def programme_create(
    *,
    committee: Committee,
    aired_on: datetime.date,
    topic: str,
    agency_codes: Sequence[str] = (),
    actor,
) -> Programme:
    """An episode of "Lắng nghe và Trao đổi", by the Standing Committee, the office or the
    committee in charge of it."""
    council = committee.council
    roles = roles_of(actor)
    if not (
        roles.is_admin or council.pk in roles.council_ids or committee.pk in roles.committee_ids
    ):
        raise CaseForbidden(_("Bạn không có quyền tạo chương trình của HĐND này."))
    _check_day(aired_on, "date")
    topic = _text(topic, "topic")
    if not topic:
        raise refusal(_("Chưa nhập chủ đề chương trình."), field="topic")
    agencies = [_agency(council, code, field="agencies") for code in agency_codes]
    programme = Programme.objects.create(
        council=council, aired_on=aired_on, topic=topic, committee=committee, created_by=actor
    )
    programme.agencies.set(agencies)
    return programme


@transaction.atomic
def question_add(
    *,
    programme: Programme,
    received_at: datetime.datetime,
    text: str,
    locality: str = "",
    answered_live: bool = False,
    agency_code: str = "",
    caller_consent: bool = False,
    caller_name: str = "",
    caller_phone: str = "",
    actor,
) -> HotlineQuestion:
    """A hotline question, written down by the office (or the programme's committee). The
    caller's name and phone are kept only when the caller consents."""
    _check_programme_keeper(actor, programme)
    text = _text(text, "question")
    if not text:
        raise refusal(_("Chưa nhập nội dung câu hỏi."), field="question")
    _check_day(timezone.localdate(received_at), "received_at")
    caller_name, caller_phone = normalize(caller_name), normalize(caller_phone)
    if (caller_name or caller_phone) and not caller_consent:
        raise refusal(
            _("Chỉ ghi họ tên, số điện thoại người gọi khi người gọi đồng ý."),
            field="caller_consent",
        )
    agency = _agency(programme.council, agency_code, field="agency") if agency_code else None
    return HotlineQuestion.objects.create(
        programme=programme,
        received_at=received_at,
        locality=_text(locality, "locality")[:200],
        text=text,
        answered_live=answered_live,
        agency=agency,
        caller_consent=caller_consent,
        caller_name=caller_name[:200],
        caller_phone=caller_phone[:20],
    )


def open_questions(programme: Programme):
    """The questions not answered live and not yet in the programme's notice."""
    return programme.questions.filter(answered_live=False, recommendation__isnull=True).order_by(
        "received_at", "id"
    )


@transaction.atomic
def programme_notice(
    *,
    programme: Programme,
    number: str = "",
    issue_date: datetime.date | None = None,
    title: str = "",
    deadline: datetime.date | None = None,
    deadline_spec: Mapping | None = None,
    actor,
) -> ConclusionNotice:
    """One click: the questions not answered live become the recommendations of the episode's
    conclusion notice, one per question, to the agency it names. The first time, a DRAFT
    notice for the intake's check, approval and issue; once the notice is issued, questions
    written down later are added to it and their cases open at once."""
    _check_programme_keeper(actor, programme)
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    questions = list(open_questions(locked).select_related("agency"))
    if not questions:
        raise CaseConflict(_("Không còn câu hỏi nào chưa trả lời trực tiếp để chuyển."))
    unnamed = [str(i) for i, q in enumerate(questions, start=1) if q.agency is None]
    if unnamed:
        raise refusal(
            _("Câu hỏi chưa có cơ quan trả lời (thứ tự %(positions)s)."),
            field="questions",
            positions=", ".join(unnamed),
        )
    start = locked.notice.recommendations.count() + 1 if locked.notice else 1
    items = [
        _question_input(q, start + offset, deadline, deadline_spec)
        for offset, q in enumerate(questions)
    ]
    notice = _notice_for(locked, number, issue_date, title, items, actor)
    recommendations = {r.anchor: r for r in notice.recommendations.all()}
    for item, question in zip(items, questions, strict=True):
        question.recommendation = recommendations[item.anchor]
        question.save(update_fields=["recommendation"])
    programme.notice = notice
    return notice


def _notice_for(programme, number, issue_date, title, items, actor) -> ConclusionNotice:
    if programme.notice is not None:
        if programme.notice.status != ConclusionNotice.Status.ISSUED:
            raise CaseConflict(
                _("Thông báo %(number)s đang chờ duyệt; ban hành xong mới bổ sung được."),
                number=programme.notice.number,
            )
        notice_items_add(notice=programme.notice, items=items, actor=actor)
        return programme.notice
    if issue_date is None:
        raise refusal(_("Chưa nhập ngày ban hành thông báo."), field="issue_date")
    notice = notice_register(
        council=programme.council,
        number=number,
        issue_date=issue_date,
        title=normalize(title)
        or str(_("Kết luận Chương trình “Lắng nghe và Trao đổi” về %(topic)s"))
        % {"topic": programme.topic},
        source_kind=SourceKind.LISTEN_AND_DISCUSS,
        tracking_committee=programme.committee,
        recommendations=items,
        actor=actor,
    )
    programme.notice = notice
    programme.save(update_fields=["notice"])
    _to_intake(notice, actor)
    return notice


def _to_intake(notice: ConclusionNotice, actor) -> None:
    """The draft enters the intake flow at the tracking committee's check, as an imported
    notice does: the committee checks, the Standing Committee approves, the cases open."""
    from intake.flows import IntakeFlow  # the flow imports the intake's views

    IntakeFlow.imported.run(notice=notice, actor=actor)


def _question_input(question, position, deadline, deadline_spec) -> RecommendationInput:
    where = f" ({question.locality})" if question.locality else ""
    return RecommendationInput(
        anchor=str(position),
        text=str(_("Trả lời câu hỏi của cử tri%(where)s: %(text)s"))
        % {"where": where, "text": question.text},
        lead_agency_codes=[question.agency.code],
        deadline=deadline,
        deadline_spec=deadline_spec,
    )


# -------------------------------------------------------------------------------- shared


def _check_keeper(actor, council: Council) -> None:
    if not may_keep_register(actor, council.pk):
        if councils_of(actor).filter(pk=council.pk).exists():  # a seat in it, not this one
            raise CaseForbidden(_("Chỉ Thường trực HĐND và Văn phòng vào sổ nghị quyết."))
        raise CaseNotFound(_("Không tìm thấy HĐND."))


def _check_programme_keeper(actor, programme: Programme) -> None:
    roles = roles_of(actor)
    if not (
        roles.is_admin
        or programme.council_id in roles.council_ids
        or programme.committee_id in roles.committee_ids
    ):
        raise CaseForbidden(
            _("Bạn không có quyền ghi câu hỏi, lập thông báo của chương trình này.")
        )


def _agency(council: Council, code: str, *, field: str) -> Agency:
    agency = Agency.objects.filter(council=council, code=code, is_active=True).first()
    if agency is None:
        raise refusal(_("Không tìm thấy cơ quan có mã: %(codes)s."), field=field, codes=code)
    return agency


def _check_day(day: datetime.date, field: str) -> None:
    try:
        rules.validate_date(day)
    except ValidationError as error:  # the rule's own refusal, under the field's name
        raise refusal(error.message, field=field, **error.params) from None


def _text(value: str, field: str) -> str:
    value = normalize(value or "")
    try:
        rules.validate_text(value)
    except ValidationError as error:
        raise refusal(error.message, field=field, **error.params) from None
    if len(value) > rules.TEXT:
        raise refusal(_("Nội dung quá dài."), field=field)
    return value
