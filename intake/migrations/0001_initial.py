"""NoticeIntakeProcess moved here from workflow/ with its table (workflow_noticeintakeprocess):
only Django's state changes, plus the names viewflow and contenttypes keep of it."""

import django.db.models.deletion
from django.db import migrations, models

OLD_FLOW, NEW_FLOW = "workflow/flows.IntakeFlow", "intake/flows.IntakeFlow"


def _rename(apps, schema_editor, old_label, new_label, old_flow, new_flow):
    apps.get_model("contenttypes", "ContentType").objects.filter(
        app_label=old_label, model="noticeintakeprocess"
    ).update(app_label=new_label)
    # Raw SQL: viewflow's reference fields cannot even load a flow path that no longer imports.
    schema_editor.execute(
        "UPDATE viewflow_process SET flow_class = %s WHERE flow_class = %s", [new_flow, old_flow]
    )
    schema_editor.execute(
        "UPDATE viewflow_task SET flow_task = %s || substr(flow_task, %s) WHERE flow_task LIKE %s",
        [new_flow, len(old_flow) + 1, old_flow + ".%"],
    )


def move_from_workflow(apps, schema_editor):
    _rename(apps, schema_editor, "workflow", "intake", OLD_FLOW, NEW_FLOW)


def move_back_to_workflow(apps, schema_editor):
    _rename(apps, schema_editor, "intake", "workflow", NEW_FLOW, OLD_FLOW)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('workflow', '0004_report_snapshot'),
        ('conclusions', '0002_council_committee_decides_extensions_and_more'),
        ('viewflow', '0015_task_scheduled'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.CreateModel(
            name='NoticeIntakeProcess',
            fields=[
                ('process_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='viewflow.process')),
                ('approved', models.BooleanField(default=False, verbose_name='đã phê duyệt')),
                ('review_note', models.TextField(blank=True, verbose_name='ý kiến của Thường trực HĐND')),
                ('notice', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='intake_process', to='conclusions.conclusionnotice', verbose_name='thông báo')),
            ],
            options={
                'verbose_name': 'Tiếp nhận thông báo kết luận',
                'verbose_name_plural': 'Tiếp nhận thông báo kết luận',
                'db_table': 'workflow_noticeintakeprocess',
                'default_permissions': ('add', 'change', 'delete', 'view', 'manage'),
            },
            bases=('viewflow.process',),
        )],
            database_operations=[migrations.RunPython(move_from_workflow, move_back_to_workflow)],
        ),
    ]
