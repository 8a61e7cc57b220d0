"""A stream registers its own report kind (reports/registry.py) and the snapshot machinery
requests, builds, checks and documents it like the built-in ones, without importing it."""

import pytest

from reports.documents import Document, Table, document_for
from reports.documents.base import NUMBER, Column
from reports.models import ReportSnapshot
from reports.registry import ReportKind, kind_choices, kinds, register
from reports.snapshots import snapshot_request
from tests.world import TODAY
from workflow.errors import CaseInvalid

pytestmark = pytest.mark.django_db(transaction=True)


def _figures(snapshot, cases, progress):
    return {"open": cases.count(), "round": snapshot.params["options"]["round"]}


def _document(snapshot, figures):
    table = Table(
        key="open",
        title="Tổng hợp",
        sheet="Tong hop",
        columns=[Column("Đang theo dõi", NUMBER)],
        rows=[[figures["open"]]],
    )
    return Document(
        title="Báo cáo thử",
        subject=f"Vòng {figures['round']}",
        scope="",
        paragraphs=[],
        tables=[table],
    )


def _needs_round(*, actor, council, notice, options):
    if not options.get("round"):
        raise CaseInvalid("Chọn đợt kiến nghị.")


@pytest.fixture
def stream_kind(settings):
    settings.DONDOC_REPORTS_SYNC = True
    before = kinds()
    register(ReportKind("stream_test", "Báo cáo thử", _figures, _document, _needs_round))
    yield
    import reports.registry as registry

    registry._KINDS.clear()
    registry._KINDS.update(before)


def test_a_registered_kind_is_requested_built_and_documented(world, stream_kind):
    assert "stream_test" in dict(kind_choices())
    with pytest.raises(CaseInvalid):
        snapshot_request(
            actor=world.thuongtruc, kind="stream_test", as_of=TODAY, council=world.council
        )
    snapshot = snapshot_request(
        actor=world.thuongtruc,
        kind="stream_test",
        as_of=TODAY,
        council=world.council,
        options={"round": 7},
    )
    snapshot.refresh_from_db()
    assert snapshot.status == ReportSnapshot.Status.DONE
    assert snapshot.figures == {"open": 1, "round": 7}
    assert snapshot.get_kind_display() == "Báo cáo thử"
    assert document_for(snapshot).subject == "Vòng 7"


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(CaseInvalid):
        snapshot_request(actor=world.thuongtruc, kind="nope", as_of=TODAY, council=world.council)
    assert not ReportSnapshot.objects.exists()
