"""Every cohort and review now has a template (0012 put them on the built-in): require one.

A migration of its own, so that PostgreSQL changes the columns after the rows are updated and
their deferred foreign-key checks have run.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0012_audit_templates'),
    ]

    operations = [
        migrations.AlterField(
            model_name='cohort',
            name='template',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cohorts', to='reviews.audittemplate'),
        ),
        migrations.AlterField(
            model_name='review',
            name='template',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='reviews.audittemplate'),
        ),
    ]
