"""For migrations that move a model from one app to another (alerts, recommendations: ADR 0006).

Called with the migration's historical `apps`, so it stays right whatever the models become.
"""


def move_content_types(apps, models, from_label, to_label):
    """Keep permissions given on these models: their content types move with them. Where Django
    has already made a content type for the new label (a rolled-back move, applied again), its
    permissions join the old one's and it goes, so nothing is left stale."""
    ContentType = apps.get_model("contenttypes", "ContentType")  # noqa: N806 (a model class)
    Permission = apps.get_model("auth", "Permission")  # noqa: N806
    for model in models:
        old = ContentType.objects.filter(app_label=from_label, model=model).first()
        if old is None:
            continue
        stale = ContentType.objects.filter(app_label=to_label, model=model).first()
        if stale is not None:
            kept = set(
                Permission.objects.filter(content_type=old).values_list("codename", flat=True)
            )
            Permission.objects.filter(content_type=stale).exclude(codename__in=list(kept)).update(
                content_type=old
            )
            Permission.objects.filter(content_type=stale).delete()
            stale.delete()
        old.app_label = to_label
        old.save(update_fields=["app_label"])
