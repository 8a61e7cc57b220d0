""" "Việc của tôi": every move expected of a user, whatever kind, from a registry of sources.

A work source is any object with a `name` and two methods (the `WorkSource` protocol):

- `count(user, today) -> int`: how many rows it holds for this user;
- `items(user, today, limit) -> list[WorkItem]`: its first `limit` rows in the inbox's order
  (deadline ascending, no deadline last, then since, then id), read in a number of queries
  that does not depend on `limit` (one select with its joins, plus at most one query per page
  for what the rows need beside it: never one per row).

The inbox asks every source for its first `page × PAGE_SIZE` rows and merges them, so a page
costs a fixed number of queries whatever the number of cases: each source's query walks an
index on (scope, state, deadline) and stops after `limit` rows.

Sources come from the apps themselves, without editing this module: an installed app holding
a module `work_sources.py` with a list `SOURCES` is found at first use (intake has one; the
voter petitions and resolutions add theirs the same way). A source builds `WorkItem` rows from
this module and keeps its own queries and words; `workflow/work_sources.py` holds the sources
of cases (departments, committees, the Standing Committee)."""

import datetime
import functools
import importlib
from dataclasses import dataclass, field
from typing import Protocol

from django.apps import apps
from django.utils.module_loading import module_has_submodule

PAGE_SIZE = 25
LAST = datetime.date.max  # where "thường xuyên" (no deadline) sorts
EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


@dataclass
class WorkItem:
    """One row of the inbox: what is expected of the user, on what, since when, by when."""

    source: str  # the source's name, e.g. "case.report"
    id: int  # unique within the source: orders rows of equal deadline and since
    expected: str  # "Chờ báo cáo", "Chờ đánh giá", "Chờ quyết định gia hạn" …
    title: str  # "15/TB-HĐND · mục II.1.a"
    excerpt: str  # a short excerpt of what it is about
    url: str
    since: datetime.datetime | None
    deadline: datetime.date | None  # by when the move is due; None: "thường xuyên"
    state: str = ""  # the state shown beside the deadline
    state_code: str = ""  # for the state's colour
    party: str = ""  # who else: the agency, the committee
    returned_reason: str = ""  # a case sent back: the committee's reason
    extra: dict = field(default_factory=dict)

    def overdue_on(self, today: datetime.date) -> bool:
        return self.deadline is not None and self.deadline < today

    def sort_key(self) -> tuple:
        # A source may order its query by another moment than the one it shows.
        since = self.extra.get("sort_since", self.since) or EARLIEST
        return (self.deadline or LAST, since, self.source, self.id)


class WorkSource(Protocol):
    name: str

    def count(self, user, today: datetime.date) -> int: ...

    def items(self, user, today: datetime.date, limit: int) -> list[WorkItem]: ...


@functools.cache
def work_sources() -> tuple[WorkSource, ...]:
    """Every installed app's `work_sources.SOURCES`, in the order of INSTALLED_APPS."""
    found: list[WorkSource] = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "work_sources"):
            module = importlib.import_module(f"{config.name}.work_sources")
            found += list(getattr(module, "SOURCES", ()))
    return tuple(found)


@dataclass
class WorkPage:
    """One page of the merged inbox, shaped like a Paginator's page for the templates."""

    items: list[WorkItem]
    number: int
    count: int
    today: datetime.date

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // PAGE_SIZE))

    @property
    def paginator(self) -> "WorkPage":
        # A Page reads its number of pages from its paginator (workflow/_pager.html).
        return self

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1

    def __iter__(self):
        return iter(self.items)


def work_of(user, *, today: datetime.date, page: int = 1) -> WorkPage:
    """Page `page` of everything expected of the user: overdue first (their deadline has
    passed, so they come first by deadline), then by deadline, then "thường xuyên"."""
    sources = work_sources()
    count = sum(source.count(user, today) for source in sources)
    number = min(max(page, 1), max(1, -(-count // PAGE_SIZE)))
    limit = number * PAGE_SIZE
    rows = [item for source in sources for item in source.items(user, today, limit)]
    rows.sort(key=WorkItem.sort_key)
    return WorkPage(rows[limit - PAGE_SIZE : limit], number, count, today)
