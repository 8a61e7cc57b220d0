"""The demo world as data: fixtures/demo/*.yaml read into the specs the loader plays.

A date in the files is a day, or a count of working days from the day the demo is loaded
(`today - 23 working days`) or from its notice's issue date (`issued + 2 working days`), so
the recent notices stay recent; fixtures/README.md describes the format."""

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from workflow.calendar import WorkingCalendar

DEMO_FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "demo"
NEXT_QUARTER = "next quarter"
_COUNTED = re.compile(r"(today|issued) ([+-]) (\d+) working days?")

Date = datetime.date


class FixtureError(ValueError):
    pass


@dataclass(frozen=True)
class CouncilSpec:
    code: str
    name: str
    level: str
    place: str
    parent: str = ""
    valid_from: Date | None = None


@dataclass(frozen=True)
class CommitteeSpec:
    council: str
    code: str
    kind: str
    name: str


@dataclass(frozen=True)
class AgencySpec:
    council: str
    code: str
    name: str
    kind: str
    short_name: str = ""
    parent: str = ""


@dataclass(frozen=True)
class SeatSpec:
    role: str
    council: str
    committee: str = ""
    agency: str = ""
    head: bool = False


@dataclass(frozen=True)
class AccountSpec:
    username: str
    family: str  # the surname with the middle name: "Nguyễn Thị Bích"
    given: str  # "Ngọc", so that get_full_name() reads in Vietnamese order
    superuser: bool = False
    seat: SeatSpec | None = None


@dataclass(frozen=True)
class DocumentSpec:
    """Who signs one kind of document and where it goes (conclusions.DocumentSetting)."""

    council: str
    kind: str
    committee: str = ""
    capacity: Sequence[str] = ()
    signer: str = ""
    recipients: Sequence[str] = ()


@dataclass(frozen=True)
class SittingSpec:
    key: str
    council: str
    name: str
    opens_on: Date


@dataclass(frozen=True)
class TermSpec:
    council: str
    name: str
    starts_on: Date
    ends_on: Date | None = None


@dataclass(frozen=True)
class SuccessionSpec:
    """A merger the demo records as an administrator would (workflow/successions.py)."""

    kind: str  # "council" or "agency"
    to: str
    day: Date  # from which the successor continues (`on` in the API; YAML reads `on` as true)
    basis: str
    predecessors: Sequence[str] = ()  # `from` in the file
    carry_memberships: bool = True


@dataclass(frozen=True)
class Step:
    date: Date
    by: str
    do: str  # a workflow Action, or COMMENT, EXTEND, APPROVE (devtools.demo.loader)
    text: str = ""
    letter: str = ""
    outcome: str = ""
    until: Date | None = None


@dataclass(frozen=True)
class DecisionSpec:
    """The Standing Committee's decision, recorded once the demo's sweep has brought the case
    to its rung (so, on the day the demo is loaded)."""

    by: str
    decision: str  # a workflow Decision
    sitting: str = ""  # the name of a demo sitting
    until: Date | None = None
    text: str = ""


@dataclass(frozen=True)
class ItemSpec:
    anchor: str
    text: str
    lead: str
    accountable: str
    coordinating: Sequence[str] = ()
    committee: str = ""  # when another committee than the notice's tracks it
    deadline: Date | None = None
    period: Mapping[str, int] | None = None  # instead of `deadline`: a RecommendationInput spec
    before_sitting: str = ""  # instead of `deadline`: the name of a demo sitting
    steps: Sequence[Step] = ()
    decision: DecisionSpec | None = None


@dataclass(frozen=True)
class NoticeSpec:
    council: str
    number: str
    issue_date: Date
    title: str
    source_kind: str
    committee: str
    signer: str
    registrar: str
    issuer: str
    items: Sequence[ItemSpec]


@dataclass(frozen=True)
class DemoWorld:
    councils: Sequence[CouncilSpec]
    committees: Sequence[CommitteeSpec]
    agencies: Sequence[AgencySpec]
    accounts: Sequence[AccountSpec]
    sittings: Sequence[SittingSpec]
    notices: Sequence[NoticeSpec]  # in the order they were issued
    documents: Sequence[DocumentSpec] = ()
    successions: Sequence[SuccessionSpec] = ()  # in the order they took effect
    terms: Sequence[TermSpec] = ()


def demo_world(today: Date, folder: Path = DEMO_FIXTURES) -> DemoWorld:
    """The demo as it reads on `today`."""
    dates = _Dates(today)
    bodies, people = _read(folder / "bodies.yaml"), _read(folder / "people.yaml")
    sittings = tuple(_sitting(raw, dates) for raw in bodies["sittings"])
    sitting_names = {sitting.key: sitting.name for sitting in sittings}
    notices = (
        _notice(_read(path), dates, sitting_names) for path in sorted(folder.glob("notices/*.yaml"))
    )
    return DemoWorld(
        councils=tuple(_spec(CouncilSpec, raw) for raw in bodies["councils"]),
        committees=tuple(_spec(CommitteeSpec, raw) for raw in bodies["committees"]),
        agencies=tuple(_spec(AgencySpec, raw) for raw in bodies["agencies"]),
        accounts=tuple(_account(raw) for raw in people["accounts"]),
        sittings=sittings,
        notices=tuple(sorted(notices, key=lambda notice: notice.issue_date)),
        documents=tuple(_spec(DocumentSpec, raw) for raw in bodies.get("documents", ())),
        terms=tuple(_spec(TermSpec, raw) for raw in bodies.get("terms", ())),
        successions=tuple(
            sorted(
                (_succession(raw) for raw in bodies.get("successions", ())),
                key=lambda succession: succession.day,
            )
        ),
    )


def _read(path: Path) -> dict[str, Any]:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise FixtureError(f"{path}: {error}") from error


def _spec(cls: type, raw: Mapping[str, Any]):
    """`cls(**raw)`, where a misspelt or missing key names itself."""
    try:
        return cls(**raw)
    except TypeError as error:
        raise FixtureError(f"{cls.__name__} {dict(raw)!r}: {error}") from None


def _account(raw: Mapping[str, Any]) -> AccountSpec:
    seat = raw.get("seat")
    return _spec(AccountSpec, {**raw, "seat": seat and _spec(SeatSpec, seat)})


def _succession(raw: Mapping[str, Any]) -> SuccessionSpec:
    succession = dict(raw)
    succession["predecessors"] = tuple(succession.pop("from", ()))
    return _spec(SuccessionSpec, succession)


def _sitting(raw: Mapping[str, Any], dates: "_Dates") -> SittingSpec:
    opens_on = dates.day(raw["opens_on"])
    name = raw["name"].format(year=opens_on.year)
    return _spec(SittingSpec, {**raw, "name": name, "opens_on": opens_on})


def _notice(raw: Mapping[str, Any], dates: "_Dates", sittings: Mapping[str, str]) -> NoticeSpec:
    notice = dict(raw)
    issued = dates.day(notice.pop("issue_date"))
    accountable = notice.pop("accountable")
    items = tuple(
        _item({"accountable": accountable, **item}, dates.after(issued), sittings)
        for item in notice.pop("items")
    )
    return _spec(NoticeSpec, {**notice, "issue_date": issued, "items": items})


def _item(raw: Mapping[str, Any], dates: "_Dates", sittings: Mapping[str, str]) -> ItemSpec:
    item = dict(raw)
    if "before_sitting" in item:
        item["before_sitting"] = sittings[item["before_sitting"]]
    item["deadline"] = dates.day(item.get("deadline"))
    item["period"] = dates.period(item.get("period"))
    item["coordinating"] = tuple(item.get("coordinating", ()))
    item["steps"] = tuple(_step(step, dates) for step in item.get("steps", ()))
    if decision := item.get("decision"):
        sitting = sittings[decision["sitting"]] if decision.get("sitting") else ""
        until = dates.day(decision.get("until"))
        item["decision"] = _spec(DecisionSpec, {**decision, "sitting": sitting, "until": until})
    return _spec(ItemSpec, item)


def _step(raw: Mapping[str, Any], dates: "_Dates") -> Step:
    step = {**raw, "date": dates.day(raw["date"]), "until": dates.day(raw.get("until"))}
    return _spec(Step, step)


class _Dates:
    """Reads the dates of the files on `today`, and within a notice issued on `issued`."""

    def __init__(self, today: Date, issued: Date | None = None) -> None:
        self.today, self.issued = today, issued
        self.calendar = WorkingCalendar()

    def after(self, issued: Date) -> "_Dates":
        return _Dates(self.today, issued)

    def day(self, value: Date | str | None) -> Date | None:
        if value is None or isinstance(value, Date):
            return value
        counted = _COUNTED.fullmatch(str(value))
        origin = counted and {"today": self.today, "issued": self.issued}[counted[1]]
        if not origin:
            raise FixtureError(f"not a date: {value!r}")
        days = int(counted[3])
        return self.calendar.shift_working_days(origin, days if counted[2] == "+" else -days)

    def period(self, value: Mapping[str, int] | str | None) -> Mapping[str, int] | None:
        if value != NEXT_QUARTER:
            return value  # type: ignore[return-value]
        quarter = (self.today.month - 1) // 3 + 1
        return {"quarter": quarter % 4 + 1, "year": self.today.year + (quarter == 4)}
