"""Successions: from a day, these councils (or agencies) continue as that one (the 2025
mergers, DOMAIN.md "Councils since 2025").

Recording one moves every OPEN case of the predecessors to the successor in one transaction:
one `UPDATE … RETURNING id` per predecessor (per predecessor committee for a council, whose
cases change their owner committee too), so the cost is one statement per body whatever the
number of cases, and the ids returned are exactly the rows moved, even if a case closed
meanwhile (the WHERE is evaluated again on a row another transaction just changed). Each
moved case gets one `case.transferred` event, inserted in bulk and announced with
`events_bulk_created`; the event carries from whom, to whom, from which day and on what basis,
which is what reports "as of" a past day read to put a case back where it was
(reports/history.py). Closed cases stay with the predecessor, which becomes read-only history:
it keeps its name on its old events, and gets `successor` and `valid_to`.

Only the state column is guarded by django-fsm; the UPDATE writes neither `state` nor the
event log's existing rows, so the append-only triggers and ConcurrentTransition stay as they
are: a transition racing the move still saves only its own columns."""

import datetime
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conclusions import rules
from conclusions.models import Agency, Committee, Council, Membership, Succession
from conclusions.rules import normalize_text
from workflow.errors import CaseConflict, CaseForbidden, CaseInvalid
from workflow.models import Case, CaseEvent, CaseState, EventKind
from workflow.services import check_rule
from workflow.signals import events_bulk_created

EVENT_BATCH = 5000
MODELS: dict[str, type[Council] | type[Agency]] = {
    Succession.Kind.COUNCIL: Council,
    Succession.Kind.AGENCY: Agency,
}


@dataclass(frozen=True)
class Move:
    """The open cases of one predecessor body (and, for a council, one of its committees)
    and where they go."""

    source: Council | Agency
    target: Council | Agency
    cases: int
    committee: Committee | None = None
    to_committee: Committee | None = None

    def json(self) -> dict:
        row = {"from": self.source.code, "to": self.target.code, "cases": self.cases}
        if self.committee is not None:
            row["from_committee"] = self.committee.code
            row["to_committee"] = self.to_committee.code if self.to_committee else None
        return row


@dataclass
class SuccessionPlan:
    kind: str
    predecessors: list
    successor: Council | Agency
    on: datetime.date
    moves: list[Move] = field(default_factory=list)
    closed_staying: int = 0
    memberships: int = 0

    @property
    def open_cases(self) -> int:
        return sum(move.cases for move in self.moves)

    def json(self) -> dict:
        return {
            "kind": self.kind,
            "from": [body.code for body in self.predecessors],
            "to": self.successor.code,
            "on": self.on.isoformat(),
            "open_cases": self.open_cases,
            "closed_cases_staying": self.closed_staying,
            "memberships": self.memberships,
            "moves": [move.json() for move in self.moves],
        }


def succession_preview(
    *, actor, kind: str, from_codes: list[str], to_code: str, on: datetime.date | None
) -> SuccessionPlan:
    """What recording the succession would move; refused exactly as recording would be."""
    _check_actor(actor)
    predecessors, successor = _bodies(kind, from_codes, to_code)
    _check_day(on)
    plan = SuccessionPlan(kind, predecessors, successor, on)  # type: ignore[arg-type]
    if kind == Succession.Kind.COUNCIL:
        plan.moves = _council_moves(predecessors, successor)
    else:
        plan.moves = _agency_moves(predecessors, successor)
        _check_no_clash(predecessors, successor)
    field_name = "council" if kind == Succession.Kind.COUNCIL else "agency"
    plan.closed_staying = Case.objects.filter(
        **{f"{field_name}__in": predecessors}, state=CaseState.CLOSED
    ).count()
    plan.memberships = Membership.objects.filter(**{f"{field_name}__in": predecessors}).count()
    return plan


@transaction.atomic
def succession_record(
    *,
    actor,
    kind: str,
    from_codes: list[str],
    to_code: str,
    on: datetime.date | None,
    basis: str,
    carry_memberships: bool = False,
) -> Succession:
    """Record the succession and move the predecessors' open cases, all or nothing."""
    basis = normalize_text(basis or "")
    plan = succession_preview(actor=actor, kind=kind, from_codes=from_codes, to_code=to_code, on=on)
    _check_basis(basis)
    _lock(plan)
    succession = _save(plan, actor, basis, carry_memberships)
    moved = _move_cases(plan, succession)
    if carry_memberships:
        _carry_memberships(plan)
    _retire(plan)
    Succession.objects.filter(pk=succession.pk).update(moved_cases=moved)
    succession.moved_cases = moved
    return succession


# ------------------------------------------------------------------------------- checks


def _check_actor(actor) -> None:
    if not getattr(actor, "is_superuser", False):
        raise CaseForbidden(_("Chỉ quản trị hệ thống được ghi nhận sáp nhập, hợp nhất."))


def _bodies(kind: str, from_codes: list[str], to_code: str) -> tuple[list, Model]:
    if kind not in MODELS:
        raise CaseInvalid(_("Loại sáp nhập phải là “council” hoặc “agency”."))
    model = MODELS[kind]
    codes = list(dict.fromkeys(str(code) for code in from_codes or []))
    if not codes:
        raise CaseInvalid(_("Vui lòng nêu ít nhất một đơn vị trước sáp nhập."))
    if len(codes) > rules.CODES:
        raise CaseInvalid(_("Tối đa %(limit)s đơn vị trong một lần sáp nhập."), limit=rules.CODES)
    found = {body.code: body for body in model.objects.filter(code__in=[*codes, to_code])}
    missing = [code for code in [*codes, to_code] if code not in found]
    if missing:
        raise CaseInvalid(_("Không tìm thấy đơn vị có mã: %(codes)s."), codes=", ".join(missing))
    if to_code in codes:
        raise CaseInvalid(_("Đơn vị kế thừa không được nằm trong các đơn vị trước sáp nhập."))
    predecessors, successor = [found[code] for code in codes], found[to_code]
    for body in [*predecessors, successor]:
        if body.successor_id is not None:
            raise CaseConflict(
                _("“%(name)s” đã được sáp nhập vào đơn vị khác; lịch sử chỉ được xem."),
                name=body.name,
            )
    return predecessors, successor


def _check_day(on: datetime.date | None) -> None:
    if on is None:
        raise CaseInvalid(_("Vui lòng nêu ngày bắt đầu kế thừa (YYYY-MM-DD)."))
    check_rule(rules.validate_date, on)
    if on > timezone.localdate():
        raise CaseInvalid(_("Ngày kế thừa không được sau hôm nay."))


def _check_basis(basis: str) -> None:
    if not basis:
        raise CaseInvalid(_("Vui lòng nêu căn cứ (ví dụ: Nghị quyết 202/2025/QH15)."))
    if len(basis) > rules.BASIS:
        raise CaseInvalid(_("Căn cứ dài tối đa %(limit)s ký tự."), limit=rules.BASIS)
    check_rule(rules.validate_text, basis)


def _open(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.exclude(state=CaseState.CLOSED)


def _council_moves(predecessors: list[Council], successor: Council) -> list[Move]:
    """Each predecessor committee with open cases hands them to the successor's committee of
    the same kind; without one, the succession would leave cases with no owner: refused."""
    owners = {c.kind: c for c in successor.committees.order_by("code")}
    rows = (
        _open(Case.objects.filter(council__in=predecessors))
        .order_by()
        .values("council_id", "committee_id")
        .annotate(n=Count("id"))
    )
    councils = {c.pk: c for c in predecessors}
    committees = Committee.objects.in_bulk([row["committee_id"] for row in rows])
    moves = []
    for row in sorted(rows, key=lambda r: (r["council_id"], r["committee_id"])):
        committee = committees[row["committee_id"]]
        target = owners.get(committee.kind)
        if target is None:
            raise CaseConflict(
                _(
                    "%(count)s hồ sơ của %(committee)s sẽ không có Ban theo dõi: %(council)s "
                    "chưa có %(kind)s. Hãy tạo Ban này trước khi ghi nhận sáp nhập."
                ),
                count=row["n"],
                committee=committee.name,
                council=successor.name,
                kind=committee.get_kind_display(),
            )
        moves.append(Move(councils[row["council_id"]], successor, row["n"], committee, target))
    return moves


def _agency_moves(predecessors: list[Agency], successor: Agency) -> list[Move]:
    counts = dict(
        _open(Case.objects.filter(agency__in=predecessors))
        .order_by()
        .values_list("agency_id")
        .annotate(n=Count("id"))
    )
    return [Move(body, successor, counts[body.pk]) for body in predecessors if counts.get(body.pk)]


def _check_no_clash(predecessors: list[Agency], successor: Agency) -> None:
    """A recommendation has one case per lead agency: two of them merging into one would make
    two cases of one agency on one recommendation. The admin closes one first."""
    leads = [*predecessors, successor]
    clash = (
        Case.objects.filter(agency__in=leads)
        .order_by()
        .values("recommendation_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("recommendation__notice__number", "recommendation__anchor")[:5]
    )
    clash = list(clash)
    if clash:
        items = ", ".join(f"{number} mục {anchor}" for number, anchor in clash)
        raise CaseConflict(
            _(
                "Các cơ quan này cùng chủ trì một kiến nghị (%(items)s): sau sáp nhập sẽ có hai "
                "hồ sơ của một cơ quan. Hãy đóng một hồ sơ trước."
            ),
            items=items,
        )


# ------------------------------------------------------------------------------ writing


def _lock(plan: SuccessionPlan) -> None:
    """Two successions of one body never run at once: the bodies' rows are locked, and each
    is checked again under the lock."""
    model = type(plan.successor)
    ids = [body.pk for body in [*plan.predecessors, plan.successor]]
    locked = model.objects.select_for_update().filter(pk__in=ids, successor__isnull=False)
    if locked.exists():
        raise CaseConflict(_("Đơn vị này vừa được sáp nhập. Vui lòng tải lại và thử lại."))


def _save(plan: SuccessionPlan, actor, basis: str, carry: bool) -> Succession:
    council = plan.kind == Succession.Kind.COUNCIL
    succession = Succession.objects.create(
        kind=plan.kind,
        on=plan.on,
        basis=basis,
        to_council=plan.successor if council else None,
        to_agency=None if council else plan.successor,
        carry_memberships=carry,
        recorded_by=actor,
    )
    (succession.from_councils if council else succession.from_agencies).set(plan.predecessors)
    return succession


def _move_cases(plan: SuccessionPlan, succession: Succession) -> int:
    moved = 0
    for move in plan.moves:
        ids = _update_returning(plan.kind, move)
        _log_transfers(ids, succession.recorded_by, _event_data(plan, succession, move))
        moved += len(ids)
    if plan.kind == Succession.Kind.AGENCY:
        _move_other_roles(plan)
    return moved


def _update_returning(kind: str, move: Move) -> list[int]:
    """One UPDATE for the move's open cases, returning the ids it changed."""
    table = connection.ops.quote_name(Case._meta.db_table)
    now = timezone.now()
    if kind == Succession.Kind.COUNCIL:
        sql = (
            f"UPDATE {table} SET council_id = %s, committee_id = %s, updated_at = %s "
            "WHERE council_id = %s AND committee_id = %s AND state <> %s RETURNING id"
        )
        params = [
            move.target.pk,
            move.to_committee.pk,  # type: ignore[union-attr]
            now,
            move.source.pk,
            move.committee.pk,  # type: ignore[union-attr]
            CaseState.CLOSED,
        ]
    else:
        sql = (
            f"UPDATE {table} SET agency_id = %s, updated_at = %s "
            "WHERE agency_id = %s AND state <> %s RETURNING id"
        )
        params = [move.target.pk, now, move.source.pk, CaseState.CLOSED]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _event_data(plan: SuccessionPlan, succession: Succession, move: Move) -> dict:
    """What the timeline shows and what reports "as of" a day before `on` read back."""
    name = "council" if plan.kind == Succession.Kind.COUNCIL else "agency"
    data = {
        "succession": succession.pk,
        "succession_kind": plan.kind,
        "on": plan.on.isoformat(),
        "basis": succession.basis,
        f"from_{name}": move.source.pk,
        f"to_{name}": move.target.pk,
        "from_name": move.source.name,
        "to_name": move.target.name,
    }
    if move.committee is not None:
        data |= {
            "from_committee": move.committee.pk,
            "to_committee": move.to_committee.pk,  # type: ignore[union-attr]
            "from_committee_name": move.committee.name,
            "to_committee_name": move.to_committee.name,  # type: ignore[union-attr]
        }
    return data


def _log_transfers(case_ids: list[int], actor, data: dict) -> None:
    if not case_ids:
        return
    states = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "state"))
    now = timezone.now()
    note = f"{data['from_name']} → {data['to_name']} ({data['basis']})"
    for start in range(0, len(case_ids), EVENT_BATCH):
        batch = case_ids[start : start + EVENT_BATCH]
        events = CaseEvent.objects.bulk_create(
            CaseEvent(
                case_id=case_id,
                kind=EventKind.TRANSFERRED,
                actor=actor,
                created_at=now,
                from_state=states[case_id],
                to_state=states[case_id],
                note=note,
                data=data,
            )
            for case_id in batch
        )
        events_bulk_created.send(sender=CaseEvent, event_ids=[event.pk for event in events])


def _move_other_roles(plan: SuccessionPlan) -> None:
    """The successor also answers for (accountable) and coordinates the open cases its
    predecessors did; a case already coordinated by the successor keeps one link."""
    through = Case.coordinating_agencies.through
    for body in plan.predecessors:
        _open(Case.objects.filter(accountable=body)).update(accountable=plan.successor)
        open_links = through.objects.filter(agency=body).exclude(case__state=CaseState.CLOSED)
        already = through.objects.filter(agency=plan.successor).values("case_id")
        open_links.exclude(case_id__in=already).update(agency=plan.successor)
        open_links.delete()


def _carry_memberships(plan: SuccessionPlan) -> None:
    """Each seat in a predecessor gets the same seat in the successor (a committee seat in the
    successor's committee of the same kind) from the succession's day, and the old seat ends
    the day before. The user still sees the predecessor's history (conclusions.selectors)."""
    if plan.kind == Succession.Kind.COUNCIL:
        committees = {m.committee.pk: m.to_committee for m in plan.moves if m.committee}
        owners = {c.kind: c for c in plan.successor.committees.order_by("code")}
        seats = Membership.objects.filter(
            council__in=plan.predecessors, agency__isnull=True
        ).select_related("committee")
    else:  # an agency's officers move with their agency's own succession
        seats = Membership.objects.filter(agency__in=plan.predecessors)
    seats = seats.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=plan.on))
    for seat in seats:
        if plan.kind == Succession.Kind.COUNCIL:
            committee = seat.committee and (
                committees.get(seat.committee.pk) or owners.get(seat.committee.kind)
            )
            if seat.committee and committee is None:
                continue  # no committee of that kind in the successor: nothing to carry to
            target = {"council": plan.successor, "committee": committee, "agency": seat.agency}
        else:
            target = {
                "council": plan.successor.council,
                "committee": None,
                "agency": plan.successor,
            }
        Membership.objects.get_or_create(
            user=seat.user,
            role=seat.role,
            **target,
            defaults={"is_head": seat.is_head, "valid_from": plan.on},
        )
        if seat.valid_to is None or seat.valid_to >= plan.on:
            seat.valid_to = plan.on - datetime.timedelta(days=1)
            seat.save(update_fields=["valid_to"])


def _retire(plan: SuccessionPlan) -> None:
    model = type(plan.successor)
    changes = {"successor": plan.successor, "valid_to": plan.on - datetime.timedelta(days=1)}
    if model is Agency:
        changes["is_active"] = False
    model.objects.filter(pk__in=[body.pk for body in plan.predecessors]).update(**changes)
