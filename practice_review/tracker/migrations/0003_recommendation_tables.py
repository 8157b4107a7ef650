from django.db import migrations


def _move_content_types(apps, models, from_label, to_label):
    """Keep permissions given on these models: their content types move with them. Where
    Django has already made a content type for the new label (a rolled-back move, applied
    again), its permissions join the old one's and it goes, so nothing is left stale."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in models:
        old = ContentType.objects.filter(app_label=from_label, model=model).first()
        if old is None:
            continue
        stale = ContentType.objects.filter(app_label=to_label, model=model).first()
        if stale is not None:
            kept = set(Permission.objects.filter(content_type=old).values_list("codename", flat=True))
            Permission.objects.filter(content_type=stale).exclude(codename__in=kept).update(
                content_type=old
            )
            Permission.objects.filter(content_type=stale).delete()
            stale.delete()
        old.app_label = to_label
        old.save(update_fields=["app_label"])


MODELS = ("recommendation", "historicalrecommendation")


def move_content_types(apps, schema_editor):
    _move_content_types(apps, MODELS, "reviews", "tracker")


def move_content_types_back(apps, schema_editor):
    _move_content_types(apps, MODELS, "tracker", "reviews")


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
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.AlterModelTable(name="recommendation", table=None),
        migrations.AlterModelTable(name="historicalrecommendation", table=None),
    ]
