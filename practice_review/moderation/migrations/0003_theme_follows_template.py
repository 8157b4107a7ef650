"""Themes follow the audit template (issue 15, stage 3a; docs/adr/0007): a theme is a key of
the template's themes, so the fixed list of choices goes, and the column holds any key a
template may have (core/audit_templates.py MAX_KEY_LENGTH). Every stored key is kept as it is."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('moderation', '0002_move_recommendations'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicallearningpoint',
            name='theme',
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AlterField(
            model_name='learningpoint',
            name='theme',
            field=models.CharField(blank=True, max_length=60),
        ),
    ]
