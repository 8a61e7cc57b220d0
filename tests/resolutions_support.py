"""The resolution register and a programme, added to the small world (tests/world.py)."""

import datetime

from resolutions.models import ImplementationItem, Resolution
from resolutions.services import ItemInput, evaluation_record, resolution_register

D = datetime.date
ADOPTED = D(2025, 3, 10)
PLAN_DUE = D(2025, 6, 30)
REPORT_DUE = D(2026, 6, 30)


def register(
    w, number: str, *, adopted=ADOPTED, kind="normative", lead="so-ldtbxh", items=(), **extra
) -> Resolution:
    return resolution_register(
        council=w.council,
        number=number,
        adopted_on=adopted,
        title=f"Nghị quyết {number} quy định chính sách hỗ trợ đào tạo nghề",
        kind=kind,
        sector=extra.pop("sector", "Lao động, việc làm"),
        lead_agency_code=lead,
        committee=w.vhxh,
        in_force_from=extra.pop("in_force_from", adopted),
        items=items,
        actor=w.vanphong,
        **extra,
    )


def document(text="Kế hoạch triển khai nghị quyết", deadline=PLAN_DUE) -> ItemInput:
    return ItemInput(kind=ImplementationItem.Kind.DOCUMENT, text=text, deadline=deadline)


def periodic_report(text="Báo cáo kết quả thực hiện năm 2026", deadline=REPORT_DUE):
    return ItemInput(kind=ImplementationItem.Kind.REPORT, text=text, deadline=deadline)


def evaluate(w, resolution, as_of: datetime.date, effect: str, note: str = "") -> None:
    evaluation_record(
        resolution=resolution, as_of=as_of, effect=effect, note=note, actor=w.thuongtruc
    )
