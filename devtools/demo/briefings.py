"""The demo's trực báo: Cần Thơ's monthly schedule for its ward and commune councils. In the
latest round already due, phường Vị Thanh sent its report on time and phường Ninh Kiều has
not (it is late: the province's round page shows it overdue); xã Vị Thủy sent late. Loading
again creates nothing twice."""

import datetime

from django.contrib.auth.models import User
from django.utils import timezone

from briefings.models import BriefingReport, BriefingRound, BriefingSchedule, Frequency
from briefings.services import ReportInput, report_save, rounds_open
from conclusions.models import Council

TITLE = "Trực báo hoạt động HĐND các xã, phường hằng tháng"
SENT = {
    # commune: (who sends, days before (-) or after (+) the due date, the texts)
    "vi-thanh": (
        "tt_vithanh",
        -2,
        ReportInput(
            results=(
                "Tổ chức thành công kỳ họp thường lệ; giám sát chuyên đề việc chỉnh trang đô thị "
                "trên các tuyến đường nội ô; tiếp xúc cử tri 8 khu vực."
            ),
            difficulties="Biên chế Văn phòng HĐND và UBND phường còn thiếu sau sắp xếp.",
            proposals="Đề nghị Thường trực HĐND thành phố hướng dẫn quy trình giám sát chuyên đề.",
        ),
    ),
    "vi-thuy": (
        "tt_vithuy",
        3,
        ReportInput(
            results="Hoàn thành giám sát việc hỗ trợ sản xuất nông nghiệp sau sáp nhập.",
            difficulties="Địa bàn rộng, giao thông khó khăn vào mùa nước nổi.",
        ),
    ),
}


def load_briefings(today: datetime.date) -> int:
    """The schedule from the month before last, its rounds opened by the daily job, and the
    reports of the latest round already due. Returns how many reports it sent."""
    province = Council.objects.get(code="can-tho")
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    start = (first - datetime.timedelta(days=1)).replace(day=1)
    schedule, _created = BriefingSchedule.objects.get_or_create(
        council=province,
        title=TITLE,
        defaults={
            "frequency": Frequency.MONTHLY,
            "starts_on": start,
            "due_working_days": 5,
            "created_by": User.objects.filter(username="thuongtruc").first(),
        },
    )
    rounds_open(today=today)
    due = BriefingRound.objects.filter(schedule=schedule, due_on__lt=today).order_by("-due_on")
    current = due.first()
    return _send(current, today) if current else 0


def _send(round_: BriefingRound, today: datetime.date) -> int:
    sent = 0
    for code, (username, days, texts) in SENT.items():
        report = BriefingReport.objects.filter(round=round_, council__code=code).first()
        if report is None or report.submitted_at is not None:
            continue
        day = min(round_.due_on + datetime.timedelta(days=days), today)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
        actor = User.objects.get(username=username)
        report_save(report_id=report.pk, actor=actor, data=texts, send=True, now=moment)
        sent += 1
    return sent
