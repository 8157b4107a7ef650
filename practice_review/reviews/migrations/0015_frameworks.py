"""Legal or practice frameworks become reference data a council extends (docs/adr/0007, item 5).

The five built in until now are stored with the words review files have always been allowed to
use for them, in the same order; a review keeps the key, which is no longer a fixed choice.
The list is copied here, as it stood, so that this migration does the same whatever the code
says later (core/vocabulary.py BUILT_IN_FRAMEWORKS says the same today; a test compares them).
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


BUILT_IN = [
    ("early_help", "Early Help", ["EH"]),
    ("child_in_need", "Child in Need", ["CIN"]),
    ("child_protection", "Child Protection", ["CP"]),
    ("looked_after", "Child in care (looked after)",
     ["LAC", "CLA", "CIC", "Child in Care", "Looked After Child", "Looked After Children",
      "Looked after"]),
    ("care_leaver", "Care leaver / care experienced",
     ["Care Leaver", "Care experienced", "Care leaver / care experienced",
      "Care Experienced / Care Leavers"]),
]  # fmt: skip


def store_the_built_in_frameworks(apps, schema_editor):
    framework_model = apps.get_model("reviews", "Framework")
    for order, (key, label, synonyms) in enumerate(BUILT_IN, start=1):
        framework_model.objects.get_or_create(
            key=key, defaults={"label": label, "synonyms": synonyms, "order": order * 10}
        )


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0014_answers_document'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Framework',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(help_text='Used in review files and figures, for example family_help. It cannot be changed later.', max_length=30, unique=True, validators=[django.core.validators.RegexValidator('^[a-z][a-z0-9_]*\\Z', 'Enter a key of lower-case letters, digits and underscores that starts with a letter, such as family_help')])),
                ('label', models.CharField(help_text='For example, Family Help', max_length=100, unique=True)),
                ('synonyms', models.JSONField(blank=True, default=list, help_text='Other words review files use for it, for example FH. Capitals, spaces and hyphens do not matter.')),
                ('order', models.PositiveIntegerField(default=0, help_text='Where it comes in lists, figures and reports: lowest first.')),
                ('active', models.BooleanField(default=True, help_text='Offered for new reviews and accepted in imports. One no longer in use keeps its counts in figures and reports.')),
            ],
            options={
                'ordering': ['order', 'key'],
            },
        ),
        migrations.AlterField(
            model_name='historicalreview',
            name='legal_status',
            field=models.CharField(max_length=30, verbose_name='legal or practice framework'),
        ),
        migrations.AlterField(
            model_name='review',
            name='legal_status',
            field=models.CharField(max_length=30, verbose_name='legal or practice framework'),
        ),
        migrations.CreateModel(
            name='HistoricalFramework',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('key', models.CharField(db_index=True, help_text='Used in review files and figures, for example family_help. It cannot be changed later.', max_length=30, validators=[django.core.validators.RegexValidator('^[a-z][a-z0-9_]*\\Z', 'Enter a key of lower-case letters, digits and underscores that starts with a letter, such as family_help')])),
                ('label', models.CharField(db_index=True, help_text='For example, Family Help', max_length=100)),
                ('synonyms', models.JSONField(blank=True, default=list, help_text='Other words review files use for it, for example FH. Capitals, spaces and hyphens do not matter.')),
                ('order', models.PositiveIntegerField(default=0, help_text='Where it comes in lists, figures and reports: lowest first.')),
                ('active', models.BooleanField(default=True, help_text='Offered for new reviews and accepted in imports. One no longer in use keeps its counts in figures and reports.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical framework',
                'verbose_name_plural': 'historical frameworks',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(store_the_built_in_frameworks, migrations.RunPython.noop),
    ]
