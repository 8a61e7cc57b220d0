"""The only writers of notices and recommendations.

Every refusal is a Django ValidationError whose message stays lazy, its parameters apart
(`refusal`), as workflow's CaseError does: it reads in whichever language renders it, so the
API answers in Vietnamese and English from one call and the forms in the user's language."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.deadline_spec import parse_deadline_spec
from conclusions.models import (
    Agency,
    Committee,
    ConclusionNotice,
    Council,
    Recommendation,
    Sitting,
)


@dataclass(frozen=True)
class RecommendationInput:
    anchor: str
    text: str
    lead_agency_codes: Sequence[str]
    coordinating_agency_codes: Sequence[str] = field(default_factory=tuple)
    deadline: datetime.date | None = None
    accountable_code: str = ""
    tracking_committee: Committee | None = None
    deadline_spec: Mapping | None = None  # a period instead of `deadline`; see deadline_spec
    deadline_phrase: str = ""  # the deadline in the notice's own words


def refusal(message: Promise, *, field: str | None = None, **params) -> ValidationError:
    """A refusal that renders in the language active when it is read, not when raised."""
    error = ValidationError(message, params=params or None)
    return ValidationError({field: error}) if field else error


normalize_text = rules.normalize_text


@transaction.atomic
def notice_register(
    *,
    council: Council,
    number: str,
    issue_date: datetime.date,
    title: str,
    source_kind: str,
    tracking_committee: Committee,
    recommendations: Sequence[RecommendationInput],
    signer: str = "",
    attachment: File | None = None,
    actor=None,
    allow_empty: bool = False,
) -> ConclusionNotice:
    """`allow_empty`: a stream's carrier notice starts without items; they are appended as the
    stream routes them (workflow.services.notice_items_add)."""
    number = normalize_text(number)
    _check_notice(council, number, issue_date, tracking_committee, recommendations, allow_empty)
    agencies = _agencies_by_code(council.pk, recommendations)
    notice = ConclusionNotice(
        council=council,
        number=number,
        issue_date=issue_date,
        issue_year=issue_date.year,
        title=normalize_text(title),
        signer=normalize_text(signer),
        source_kind=source_kind,
        tracking_committee=tracking_committee,
        registered_by=actor,
    )
    if attachment is not None:
        notice.attachment = attachment
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        raise _duplicate_number(number, issue_date) from None
    _create_recommendations(notice, recommendations, agencies)
    return notice


@transaction.atomic
def recommendations_append(
    *, notice: ConclusionNotice, items: Sequence[RecommendationInput]
) -> list[Recommendation]:
    """Items added after registration, numbered after the last one (a stream's notice grows;
    workflow.services.notice_items_add opens their cases)."""
    if not items:
        raise refusal(_("Thông báo phải có ít nhất một kiến nghị."))
    taken = set(notice.recommendations.values_list("anchor", flat=True))
    clashes = sorted(taken & {normalize_text(item.anchor) for item in items})
    if clashes:
        raise refusal(_("Mục %(anchors)s bị trùng."), anchors=", ".join(clashes))
    for item in items:
        committee = item.tracking_committee
        if committee is not None and committee.council_id != notice.council_id:
            raise refusal(
                _("Ban theo dõi phải là một Ban của %(council)s."),
                field="tracking_committee",
                council=notice.council,
            )
    _check_items(notice.council_id, notice.issue_date, items)
    agencies = _agencies_by_code(notice.council_id, items)
    last = notice.recommendations.aggregate(last=Max("position"))["last"] or 0
    return _create_recommendations(notice, items, agencies, first=last + 1)


@transaction.atomic
def recommendation_update(
    *,
    recommendation: Recommendation,
    lead_agency_codes: Sequence[str],
    coordinating_agency_codes: Sequence[str] = (),
    deadline: datetime.date | None,
    deadline_spec: Mapping | None = None,
    deadline_phrase: str | None = None,
) -> Recommendation:
    """The tracking committee's check: correct the addressees and the deadline before issue
    (`deadline_phrase`, the deadline in words, is kept as it was when None)."""
    notice = recommendation.notice
    if notice.status != ConclusionNotice.Status.DRAFT:
        raise refusal(_("Thông báo đã ban hành, không sửa được kiến nghị."))
    item = RecommendationInput(
        anchor=recommendation.anchor,
        text=recommendation.text,
        deadline=deadline,
        deadline_spec=deadline_spec,
        lead_agency_codes=lead_agency_codes,
        coordinating_agency_codes=coordinating_agency_codes,
    )
    _check_items(notice.council_id, notice.issue_date, [item])
    agencies = _agencies_by_code(notice.council_id, [item])
    recommendation.deadline = deadline
    recommendation.deadline_spec = parse_deadline_spec(deadline_spec)
    if deadline_phrase is not None:
        recommendation.deadline_phrase = normalize_text(deadline_phrase)[: rules.DEADLINE_PHRASE]
    recommendation.save(update_fields=["deadline", "deadline_spec", "deadline_phrase"])
    recommendation.lead_agencies.set([agencies[c] for c in item.lead_agency_codes])
    recommendation.coordinating_agencies.set([agencies[c] for c in item.coordinating_agency_codes])
    return recommendation


def _check_notice(
    council, number, issue_date, tracking_committee, recommendations, allow_empty=False
) -> None:
    if not number:
        raise refusal(_("Chưa nhập số, ký hiệu thông báo."), field="number")
    _check_date(issue_date, field="issue_date")
    if council.successor_id:
        raise refusal(
            _("%(council)s đã được sáp nhập vào %(successor)s; hãy vào sổ ở HĐND kế thừa."),
            field="council",
            council=council,
            successor=council.successor,
        )
    if tracking_committee.council_id != council.pk:
        raise refusal(
            _("Ban theo dõi phải là một Ban của %(council)s."),
            field="tracking_committee",
            council=council,
        )
    if ConclusionNotice.objects.filter(
        council=council, issue_year=issue_date.year, number=number
    ).exists():
        raise _duplicate_number(number, issue_date)
    if not recommendations and not allow_empty:
        raise refusal(_("Thông báo phải có ít nhất một kiến nghị."))
    _check_items(council.pk, issue_date, recommendations)


def _check_items(
    council_id: int, issue_date: datetime.date, items: Sequence[RecommendationInput]
) -> None:
    anchors = [normalize_text(item.anchor) for item in items]
    duplicates = sorted({a for a in anchors if anchors.count(a) > 1})
    if duplicates:
        raise refusal(_("Mục %(anchors)s bị trùng."), anchors=", ".join(duplicates))
    for item, anchor in zip(items, anchors, strict=True):
        if not anchor or not normalize_text(item.text):
            raise refusal(_("Mỗi kiến nghị cần có số mục và nội dung."))
        if not item.lead_agency_codes:
            raise refusal(_("Kiến nghị %(anchor)s chưa có cơ quan chủ trì."), anchor=anchor)
        both = sorted(set(item.lead_agency_codes) & set(item.coordinating_agency_codes))
        if both:
            raise refusal(
                _("Kiến nghị %(anchor)s: cơ quan %(codes)s vừa chủ trì vừa phối hợp."),
                anchor=anchor,
                codes=", ".join(both),
            )
        if item.deadline is not None:
            _check_date(item.deadline)
        if item.deadline is not None and item.deadline < issue_date:
            raise refusal(
                _(
                    "Thời hạn của kiến nghị %(anchor)s (%(deadline)s) trước ngày ban hành "
                    "thông báo (%(issued)s)."
                ),
                anchor=anchor,
                deadline=date_format(item.deadline, "d/m/Y"),
                issued=date_format(issue_date, "d/m/Y"),
            )
        _check_deadline_spec(council_id, issue_date, anchor, item)


def _check_deadline_spec(council_id, issue_date, anchor: str, item: RecommendationInput) -> None:
    spec = parse_deadline_spec(item.deadline_spec)
    if spec and item.deadline is not None:
        raise refusal(
            _("Kiến nghị %(anchor)s chỉ được có một thời hạn: một ngày hoặc một cách tính."),
            anchor=anchor,
        )
    if "quarter" in spec and (spec["year"], spec["quarter"]) < (
        issue_date.year,
        (issue_date.month - 1) // 3 + 1,
    ):
        raise refusal(_("Thời hạn của kiến nghị %(anchor)s là một quý đã qua."), anchor=anchor)
    if "month" in spec and (spec["year"], spec["month"]) < (issue_date.year, issue_date.month):
        raise refusal(_("Thời hạn của kiến nghị %(anchor)s là một tháng đã qua."), anchor=anchor)
    if (
        "sitting" in spec
        and not Sitting.objects.filter(
            pk=spec["sitting"], council_id=council_id, opens_on__gt=issue_date
        ).exists()
    ):
        raise refusal(
            _("Kiến nghị %(anchor)s: không có kỳ họp này sau ngày ban hành."), anchor=anchor
        )


def _check_date(day: datetime.date, field: str | None = None) -> None:
    """A date the calendar can count (conclusions.rules), or the rule's own refusal."""
    try:
        rules.validate_date(day)
    except ValidationError as error:
        raise refusal(error.message, field=field, **error.params) from None


def _agencies_by_code(council_id: int, items: Sequence[RecommendationInput]) -> dict[str, Agency]:
    """The named agencies, all of them of the notice's own council: a code of another
    council is refused as unknown, as the intake's forms refuse it."""
    codes = {
        code
        for item in items
        for code in [
            *item.lead_agency_codes,
            *item.coordinating_agency_codes,
            *([item.accountable_code] if item.accountable_code else []),
        ]
    }
    agencies = Agency.objects.filter(council_id=council_id, code__in=codes, is_active=True)
    found = {agency.code: agency for agency in agencies}
    unknown = sorted(codes - found.keys())
    if unknown:
        raise refusal(_("Không tìm thấy cơ quan có mã: %(codes)s."), codes=", ".join(unknown))
    return found


def _create_recommendations(notice, items, agencies, *, first: int = 1) -> list[Recommendation]:
    """The notice's recommendations and their agencies in three inserts, however many."""
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            notice=notice,
            position=position,
            anchor=normalize_text(item.anchor),
            text=normalize_text(item.text),
            deadline=item.deadline,
            deadline_spec=parse_deadline_spec(item.deadline_spec),
            deadline_phrase=normalize_text(item.deadline_phrase)[:300],
            tracking_committee=item.tracking_committee or notice.tracking_committee,
            accountable=agencies.get(item.accountable_code),
        )
        for position, item in enumerate(items, start=first)
    )
    for relation, codes_of in (
        (Recommendation.lead_agencies, lambda item: item.lead_agency_codes),
        (Recommendation.coordinating_agencies, lambda item: item.coordinating_agency_codes),
    ):
        through = relation.through
        through.objects.bulk_create(
            through(recommendation_id=recommendation.pk, agency_id=agencies[code].pk)
            for recommendation, item in zip(recommendations, items, strict=True)
            for code in dict.fromkeys(codes_of(item))
        )
    return recommendations


def _duplicate_number(number: str, issue_date: datetime.date) -> ValidationError:
    return refusal(
        _("Số thông báo %(number)s đã được dùng trong năm %(year)s."),
        field="number",
        number=number,
        year=issue_date.year,
    )
