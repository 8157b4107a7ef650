from django.db import migrations

from practice_review.core.content_types import move_content_types

MODELS = ("recommendation", "historicalrecommendation")


def forwards(apps, schema_editor):
    move_content_types(apps, MODELS, "reviews", "tracker")


def backwards(apps, schema_editor):
    move_content_types(apps, MODELS, "tracker", "reviews")


class Migration(migrations.Migration):
    """The recommendation tables take this app's names now that the reviews app has let go of
    the models (reviews 0010): a rename, with every row and foreign key kept."""

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0010_move_recommendations"),
        ("tracker", "0002_move_recommendations"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterModelTable(name="recommendation", table=None),
        migrations.AlterModelTable(name="historicalrecommendation", table=None),
    ]
