from django.db import migrations


def move_content_types(apps, schema_editor):
    """Permissions given on recommendations are kept: their content types move with them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("recommendation", "historicalrecommendation"):
        if not ContentType.objects.filter(app_label="tracker", model=model).exists():
            ContentType.objects.filter(app_label="reviews", model=model).update(
                app_label="tracker"
            )


class Migration(migrations.Migration):
    """The recommendation tables take this app's names now that the reviews app has let go of
    the models (reviews 0010): a rename, with every row and foreign key kept."""

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("reviews", "0010_move_recommendations"),
        ("tracker", "0002_move_recommendations"),
    ]

    operations = [
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
        migrations.AlterModelTable(name="recommendation", table=None),
        migrations.AlterModelTable(name="historicalrecommendation", table=None),
    ]
