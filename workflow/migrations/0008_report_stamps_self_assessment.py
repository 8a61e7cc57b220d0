"""Each case remembers its latest report (when, the deadline in force then, the day the
committee should review it by) and each report the agency's own assessment. Cases reported
or closed before this migration get the first three from the event log and the extension
decisions; their reports' assessment stays blank (not stated)."""

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate

from workflow.calendar import Override, WorkingCalendar

STAMPED = ("reported", "closed")


def stamp_reports(apps, schema_editor):
    Case = apps.get_model("workflow", "Case")
    CaseEvent = apps.get_model("workflow", "CaseEvent")
    Extension = apps.get_model("workflow", "Extension")
    reports = CaseEvent.objects.filter(case=OuterRef("pk"), kind="case.reported")
    cases = Case.objects.filter(state__in=STAMPED)
    cases.update(
        reported_at=Subquery(reports.order_by("-created_at", "-id").values("created_at")[:1])
    )
    approved = Extension.objects.filter(
        case=OuterRef("pk"),
        status="approved",
        approved_until__isnull=False,
        decided_at__lt=Coalesce(OuterRef("reported_at"), OuterRef("closed_at")),
    ).order_by("-decided_at", "-id")
    cases.update(
        deadline_when_reported=Coalesce(
            Subquery(approved.values("approved_until")[:1]), F("original_deadline"), F("deadline")
        )
    )
    _stamp_review_due(apps, Case.objects.filter(state="reported", reported_at__isnull=False))


def _stamp_review_due(apps, waiting) -> None:
    Council = apps.get_model("conclusions", "Council")
    CalendarOverride = apps.get_model("workflow", "CalendarOverride")
    days = {c.pk: c.review_working_days for c in Council.objects.all()}
    groups = waiting.values_list("council_id", TruncDate("reported_at")).distinct()
    calendars = {}
    for council_id, day in groups:
        if council_id not in calendars:
            rows = CalendarOverride.objects.filter(council__isnull=True).order_by("day")
            own = CalendarOverride.objects.filter(council_id=council_id)
            calendars[council_id] = WorkingCalendar(
                {r.day: Override(r.is_working_day, r.reason) for r in [*rows, *own]}
            )
        due = calendars[council_id].add_working_days(day, days.get(council_id, 10)).due
        waiting.filter(council_id=council_id, reported_at__date=day).update(review_due=due)


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0007_caseevent_refuses_delete'),
        ('conclusions', '0004_council_review_working_days'),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='deadline_when_reported',
            field=models.DateField(blank=True, null=True, verbose_name='thời hạn có hiệu lực khi báo cáo'),
        ),
        migrations.AddField(
            model_name='case',
            name='reported_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='ngày báo cáo gần nhất'),
        ),
        migrations.AddField(
            model_name='case',
            name='review_due',
            field=models.DateField(blank=True, null=True, verbose_name='hạn Ban đánh giá báo cáo'),
        ),
        migrations.AddField(
            model_name='progressreport',
            name='self_assessment',
            field=models.CharField(blank=True, choices=[('done', 'Đã hoàn thành'), ('partially', 'Hoàn thành một phần'), ('in_progress', 'Đang thực hiện'), ('cannot_do', 'Không thể thực hiện'), ('roadmap', 'Có lộ trình')], max_length=16, verbose_name='cơ quan tự đánh giá'),
        ),
        migrations.RunPython(stamp_reports, migrations.RunPython.noop),
    ]
