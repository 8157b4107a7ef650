"""Audit templates as versioned data (docs/adr/0007-audit-templates-as-versioned-data.md).

The built-in Practice and Impact Review, version 1, is made from its shipped file, and every
existing cohort and review is put on it; then a cohort and a review must always have one.
History rows from before this migration keep no template: none existed then.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

from practice_review.core.audit_templates import BUILT_IN_KEY, built_in, to_data


def put_everything_on_the_built_in_template(apps, schema_editor):
    template_model = apps.get_model("reviews", "AuditTemplate")
    definition = to_data(built_in())
    template, _ = template_model.objects.get_or_create(
        key=BUILT_IN_KEY,
        version=definition["version"],
        defaults={"name": definition["name"], "definition": definition,
                  "published_at": timezone.now()},
    )
    for model in ("Cohort", "Review"):
        apps.get_model("reviews", model).objects.filter(template__isnull=True).update(
            template=template
        )


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0011_review_date_confirmed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditTemplate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=60)),
                ('version', models.PositiveIntegerField()),
                ('name', models.CharField(max_length=500)),
                ('definition', models.JSONField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('published_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('published_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['key', 'version'],
            },
        ),
        migrations.AddField(
            model_name='cohort',
            name='template',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cohorts', to='reviews.audittemplate'),
        ),
        migrations.AddField(
            model_name='historicalcohort',
            name='template',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.audittemplate'),
        ),
        migrations.AddField(
            model_name='historicalreview',
            name='template',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='reviews.audittemplate'),
        ),
        migrations.AddField(
            model_name='review',
            name='template',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='reviews.audittemplate'),
        ),
        migrations.CreateModel(
            name='HistoricalAuditTemplate',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('key', models.CharField(max_length=60)),
                ('version', models.PositiveIntegerField()),
                ('name', models.CharField(max_length=500)),
                ('definition', models.JSONField()),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('published_at', models.DateTimeField(blank=True, null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('published_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical audit template',
                'verbose_name_plural': 'historical audit templates',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name='audittemplate',
            constraint=models.UniqueConstraint(fields=('key', 'version'), name='one_row_per_template_version'),
        ),
        migrations.RunPython(put_everything_on_the_built_in_template, migrations.RunPython.noop),
    ]
