"""A meeting's decision keeps its grades by axis (ADR 0007, stage 3): the four grade columns
become {axis: grade} for the grades as they were and as agreed, for every agenda item and
history row, both ways.
"""

from django.db import migrations, models

AXES = ["practice", "outcome"]  # the axes the columns were named after; fixed here as they were


def columns_into_json(apps, schema_editor):
    for name in ("AgendaReview", "HistoricalAgendaReview"):
        for row in apps.get_model("moderation", name).objects.all():
            row.original_grades = {axis: getattr(row, f"original_{axis}_grade") for axis in AXES
                                   if getattr(row, f"original_{axis}_grade")}  # fmt: skip
            row.agreed_grades = {axis: getattr(row, f"{axis}_grade") for axis in AXES
                                 if getattr(row, f"{axis}_grade")}  # fmt: skip
            row.save()


def json_into_columns(apps, schema_editor):
    for name in ("AgendaReview", "HistoricalAgendaReview"):
        for row in apps.get_model("moderation", name).objects.all():
            for axis in AXES:
                setattr(row, f"original_{axis}_grade", row.original_grades.get(axis, ""))
                setattr(row, f"{axis}_grade", row.agreed_grades.get(axis, ""))
            row.save()


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0003_theme_follows_template'),
    ]

    operations = [
        migrations.AddField(
            model_name='agendareview',
            name='agreed_grades',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='agendareview',
            name='original_grades',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='historicalagendareview',
            name='agreed_grades',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='historicalagendareview',
            name='original_grades',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(columns_into_json, json_into_columns),
        migrations.RemoveField(
            model_name='agendareview',
            name='original_outcome_grade',
        ),
        migrations.RemoveField(
            model_name='agendareview',
            name='original_practice_grade',
        ),
        migrations.RemoveField(
            model_name='agendareview',
            name='outcome_grade',
        ),
        migrations.RemoveField(
            model_name='agendareview',
            name='practice_grade',
        ),
        migrations.RemoveField(
            model_name='historicalagendareview',
            name='original_outcome_grade',
        ),
        migrations.RemoveField(
            model_name='historicalagendareview',
            name='original_practice_grade',
        ),
        migrations.RemoveField(
            model_name='historicalagendareview',
            name='outcome_grade',
        ),
        migrations.RemoveField(
            model_name='historicalagendareview',
            name='practice_grade',
        ),
    ]
