"""Reports D and E as documents (reports.documents): the report page, the Excel workbook and
the Word document are drawn from them. No caller's personal data is ever in them."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.documents import Document, Table
from reports.documents.base import DATE, NUMBER, PERCENT, TEXT, Column, day_of, dmy, percent
from resolutions.figures import NOT_EVALUATED
from resolutions.models import Effect, Resolution

EFFECT_ORDER = (*Effect.values, NOT_EVALUATED)


def effect_label(value: str) -> str:
    return _("Chưa đánh giá") if value == NOT_EVALUATED else str(Effect(value).label)


def effect_sentence(figures: dict) -> str:
    """ "164/171 nghị quyết có kết quả cụ thể; 6/171 …", as the council's reports write it."""
    total, effect = figures["in_force"], figures["effect"]
    parts = [
        _("%(n)s/%(total)s nghị quyết có kết quả cụ thể")
        % {"n": effect["concrete"], "total": total},
        _("%(n)s/%(total)s nghị quyết tác động chưa thấy rõ")
        % {"n": effect["unclear"], "total": total},
        _("%(n)s/%(total)s nghị quyết chưa tác động") % {"n": effect["none"], "total": total},
    ]
    if effect[NOT_EVALUATED]:
        parts.append(
            _("%(n)s/%(total)s nghị quyết chưa được đánh giá")
            % {"n": effect[NOT_EVALUATED], "total": total}
        )
    return "; ".join(parts) + "."


def resolutions_document(snapshot, figures: dict) -> Document:
    as_of = snapshot.as_of
    kinds = figures["by_kind"]
    opening = _(
        "Tính đến ngày %(day)s có %(total)s nghị quyết còn hiệu lực (%(normative)s nghị quyết quy "
        "phạm pháp luật, %(individual)s nghị quyết cá biệt), trong đó %(sentence)s"
    ) % {
        "day": dmy(as_of),
        "total": figures["in_force"],
        "normative": kinds[Resolution.Kind.NORMATIVE],
        "individual": kinds[Resolution.Kind.INDIVIDUAL],
        "sentence": effect_sentence(figures),
    }
    follow = _(
        "%(lacking)s nghị quyết chưa có văn bản triển khai; %(overdue)s báo cáo tình hình thực "
        "hiện định kỳ quá hạn."
    ) % {"lacking": len(figures["lacking_documents"]), "overdue": len(figures["overdue_reports"])}
    return Document(
        title=_("BÁO CÁO"),
        subject=_("Tình hình triển khai thực hiện các nghị quyết của HĐND (tính đến ngày %(day)s)")
        % {"day": dmy(as_of)},
        scope="",
        paragraphs=[opening, follow],
        tables=[
            _effect_table(figures),
            _sector_table(figures),
            _lacking_table(figures["lacking_documents"]),
            _overdue_table(figures["overdue_reports"]),
            _register_table(figures["resolutions"]),
        ],
    )


def _effect_table(figures: dict) -> Table:
    total = figures["in_force"]
    return Table(
        key="effect",
        title=_("Nghị quyết còn hiệu lực theo mức độ tác động"),
        sheet=_("Mức độ tác động"),
        columns=[
            Column(_("Mức độ tác động"), TEXT, 6.0),
            Column(_("Số nghị quyết"), NUMBER, 2.5),
            Column(_("Tỷ lệ"), PERCENT, 2.0),
        ],
        rows=[
            [effect_label(v), figures["effect"][v], percent(figures["effect"][v], total)]
            for v in EFFECT_ORDER
        ],
        total=[_("Tổng cộng"), total, percent(total, total)],
    )


def _sector_table(figures: dict) -> Table:
    rows = figures["by_sector"]
    return Table(
        key="by_sector",
        title=_("Nghị quyết còn hiệu lực theo lĩnh vực và loại"),
        sheet=_("Theo lĩnh vực"),
        columns=[
            Column(_("Lĩnh vực"), TEXT, 6.0),
            Column(_("Quy phạm pháp luật"), NUMBER, 2.5),
            Column(_("Cá biệt"), NUMBER, 2.0),
            Column(_("Tổng số"), NUMBER, 2.0),
        ],
        rows=[[r["sector"], r["normative"], r["individual"], r["total"]] for r in rows],
        total=[
            _("Tổng cộng"),
            figures["by_kind"]["normative"],
            figures["by_kind"]["individual"],
            figures["in_force"],
        ],
    )


def _lacking_table(rows: list[dict]) -> Table:
    return Table(
        key="lacking_documents",
        title=_("Nghị quyết chưa có văn bản triển khai"),
        sheet=_("Chưa có văn bản triển khai"),
        columns=[
            Column(_("STT"), NUMBER, 1.0),
            Column(_("Số nghị quyết"), TEXT, 2.8),
            Column(_("Ngày ban hành"), DATE, 2.3),
            Column(_("Trích yếu"), TEXT, 7.0),
            Column(_("Cơ quan chủ trì"), TEXT, 3.8),
            Column(_("Văn bản triển khai đã giao"), NUMBER, 2.2),
        ],
        rows=[
            [i, r["number"], day_of(r["date"]), r["title"], r["lead_agency"], r["documents_listed"]]
            for i, r in enumerate(rows, start=1)
        ],
        note=[
            _(
                "Chưa có văn bản triển khai: không có văn bản triển khai (kế hoạch, quyết định) "
                "nào được Ban đánh giá hoàn thành hoặc hoàn thành một phần đến ngày báo cáo."
            )
        ],
    )


def _overdue_table(rows: list[dict]) -> Table:
    return Table(
        key="overdue_reports",
        title=_("Báo cáo tình hình thực hiện định kỳ quá hạn"),
        sheet=_("Báo cáo quá hạn"),
        columns=[
            Column(_("STT"), NUMBER, 1.0),
            Column(_("Nghị quyết"), TEXT, 2.8),
            Column(_("Nội dung"), TEXT, 7.0),
            Column(_("Cơ quan"), TEXT, 3.8),
            Column(_("Thời hạn"), DATE, 2.3),
            Column(_("Số ngày quá hạn"), NUMBER, 2.0),
        ],
        rows=[
            [i, r["number"], r["text"], r["agency"], day_of(r["deadline"]), r["days_overdue"]]
            for i, r in enumerate(rows, start=1)
        ],
        case_ids=[r["case"] for r in rows],
    )


def _register_table(rows: list[dict]) -> Table:
    return Table(
        key="resolutions",
        title=_("Danh mục nghị quyết còn hiệu lực và đánh giá"),
        sheet=_("Danh mục nghị quyết"),
        columns=[
            Column(_("STT"), NUMBER, 1.0),
            Column(_("Số nghị quyết"), TEXT, 2.8),
            Column(_("Ngày ban hành"), DATE, 2.3),
            Column(_("Trích yếu"), TEXT, 6.0),
            Column(_("Loại"), TEXT, 2.2),
            Column(_("Lĩnh vực"), TEXT, 2.5),
            Column(_("Mức độ tác động"), TEXT, 2.8),
            Column(_("Đánh giá ngày"), DATE, 2.3),
            Column(_("Lý do, nhận xét"), TEXT, 5.0),
        ],
        rows=[
            [
                i,
                r["number"],
                day_of(r["date"]),
                r["title"],
                str(Resolution.Kind(r["kind"]).label),
                r["sector"],
                effect_label(r["effect"]),
                day_of(r["evaluated_on"]),
                r["note"],
            ]
            for i, r in enumerate(rows, start=1)
        ],
    )


# ------------------------------------------------------------------------------- Report E

QUESTION_COLUMNS = (
    ("received", gettext_lazy("Câu hỏi nhận được")),
    ("answered_live", gettext_lazy("Trả lời trực tiếp")),
    ("forwarded", gettext_lazy("Chuyển cơ quan trả lời")),
    ("answered_later", gettext_lazy("Đã trả lời sau chương trình")),
    ("still_open", gettext_lazy("Chưa trả lời")),
    ("waiting", gettext_lazy("Chưa chuyển")),
)


def question_sentence(totals: dict) -> str:
    return (
        _(
            "Đã nhận %(received)s câu hỏi qua đường dây nóng: %(answered_live)s câu hỏi được trả "
            "lời trực tiếp trong chương trình; %(forwarded)s câu hỏi được chuyển cơ quan trả lời, "
            "trong đó %(answered_later)s câu hỏi đã được trả lời, %(still_open)s câu hỏi chưa "
            "được trả lời; %(waiting)s câu hỏi chưa chuyển."
        )
        % totals
    )


def programmes_document(snapshot, figures: dict) -> Document:
    return Document(
        title=_("BÁO CÁO"),
        subject=_(
            "Kết quả trả lời câu hỏi của cử tri qua Chương trình “Lắng nghe và Trao đổi” "
            "(tính đến ngày %(day)s)"
        )
        % {"day": dmy(snapshot.as_of)},
        scope="",
        paragraphs=[question_sentence(figures["totals"])],
        tables=[
            _question_table(
                "by_agency",
                _("Theo cơ quan trả lời"),
                _("Theo cơ quan"),
                _("Cơ quan"),
                figures["by_agency"],
                figures["totals"],
            ),
            _question_table(
                "by_programme",
                _("Theo chương trình"),
                _("Theo chương trình"),
                _("Chương trình"),
                figures["by_programme"],
                figures["totals"],
            ),
        ],
    )


def _question_table(key, title, sheet, first, rows, totals) -> Table:
    return Table(
        key=key,
        title=title,
        sheet=sheet,
        columns=[
            Column(_("STT"), NUMBER, 1.0),
            Column(first, TEXT, 5.0),
            *(Column(str(label), NUMBER, 2.0) for _key, label in QUESTION_COLUMNS),
        ],
        rows=[
            [i, r["name"] or _("(chưa xác định cơ quan)"), *(r[k] for k, _l in QUESTION_COLUMNS)]
            for i, r in enumerate(rows, start=1)
        ],
        total=["", _("Tổng cộng"), *(totals[k] for k, _l in QUESTION_COLUMNS)],
        note=[
            _(
                "Chuyển cơ quan trả lời: câu hỏi không trả lời trực tiếp đã thành kiến nghị của "
                "thông báo kết luận đã ban hành; đã trả lời sau chương trình: hồ sơ của kiến nghị "
                "đã đóng đến ngày báo cáo."
            )
        ],
    )
