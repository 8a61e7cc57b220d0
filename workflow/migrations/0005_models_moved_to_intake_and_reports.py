"""NoticeIntakeProcess and ReportSnapshot now live in intake/ and reports/; their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0004_report_snapshot"),
        ("intake", "0001_initial"),
        ("reports", "0001_initial"),
    ]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel("NoticeIntakeProcess"),
                migrations.DeleteModel("ReportSnapshot"),
            ]
        )
    ]
