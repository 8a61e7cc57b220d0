"""ReportSnapshot moved here from workflow/ with its table (workflow_reportsnapshot):
only Django's state changes, plus the content type's app label."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def _relabel(apps, old_label, new_label):
    apps.get_model("contenttypes", "ContentType").objects.filter(
        app_label=old_label, model="reportsnapshot"
    ).update(app_label=new_label)


def move_from_workflow(apps, schema_editor):
    _relabel(apps, "workflow", "reports")


def move_back_to_workflow(apps, schema_editor):
    _relabel(apps, "reports", "workflow")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('workflow', '0004_report_snapshot'),
        ('conclusions', '0002_council_committee_decides_extensions_and_more'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.CreateModel(
            name='ReportSnapshot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('results', 'Kết quả thực hiện theo cơ quan, theo Ban'), ('notice', 'Kết quả thực hiện một thông báo kết luận'), ('weekly', 'Đến hạn, quá hạn trong tuần')], max_length=16, verbose_name='loại báo cáo')),
                ('params', models.JSONField(blank=True, default=dict, verbose_name='điều kiện lọc')),
                ('as_of', models.DateField(verbose_name='số liệu tính đến ngày')),
                ('figures', models.JSONField(blank=True, default=dict, verbose_name='số liệu')),
                ('status', models.CharField(choices=[('pending', 'Đang chờ'), ('running', 'Đang tổng hợp'), ('done', 'Hoàn thành'), ('failed', 'Lỗi')], default='pending', max_length=16, verbose_name='trạng thái')),
                ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='tiến độ (%)')),
                ('error', models.TextField(blank=True, verbose_name='lỗi')),
                ('number', models.CharField(blank=True, max_length=60, verbose_name='số, ký hiệu')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm lập')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='thời điểm xong')),
                ('council', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='report_snapshots', to='conclusions.council', verbose_name='HĐND')),
                ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người lập')),
            ],
            options={
                'verbose_name': 'Báo cáo đã lập',
                'verbose_name_plural': 'Báo cáo đã lập',
                'db_table': 'workflow_reportsnapshot',
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['council', '-created_at'], name='snapshot_council_time'), models.Index(fields=['created_by', '-created_at'], name='snapshot_author_time')],
            },
        )],
            database_operations=[migrations.RunPython(move_from_workflow, move_back_to_workflow)],
        ),
    ]
