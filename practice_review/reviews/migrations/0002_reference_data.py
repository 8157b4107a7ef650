"""Seed reference data: the first version of the case-level grade descriptors, learning topics.

The descriptors are our own wording in the spirit of the Ofsted ILACS scale (which grades a
whole service, not one child's case); councils edit them in the admin as a new version.
"""

import datetime

from django.db import migrations

DESCRIPTORS = {
    "practice": {
        "outstanding": (
            "Practice is consistently strong and makes a clear, evidenced difference. The worker "
            "knows the child well, their voice shapes plans, risks and needs are understood and "
            "acted on without delay, and management oversight visibly drives progress."
        ),
        "good": (
            "Practice is purposeful and timely. The child is seen and heard, assessments and "
            "plans are current and proportionate, partners are involved, and any shortfalls are "
            "minor and do not leave the child at risk or without help."
        ),
        "requires_improvement": (
            "Practice keeps the child safe but is not yet good: there are gaps or delays in "
            "assessment, planning, recording or oversight that limit the help the child gets."
        ),
        "inadequate": (
            "Practice leaves the child at risk of harm or without the help they need: serious "
            "or widespread failures that have not been recognised or put right."
        ),
    },
    "outcome": {
        "outstanding": (
            "The child's circumstances have clearly improved because of the help given: they "
            "are safer, more settled and progressing, and they or their family can say so."
        ),
        "good": (
            "The child is benefiting from the help given and is making progress, even if some "
            "needs remain."
        ),
        "requires_improvement": (
            "Progress for the child is limited or uncertain, whatever the quality of practice "
            "(for example, a young person who will not engage despite persistent efforts)."
        ),
        "inadequate": (
            "The child's circumstances have not improved or have got worse, and the help given "
            "has not made the difference it should."
        ),
    },
}

TOPICS = [
    "Chronology", "Consent", "Housing", "Identity", "Interpreters and translation",
    "Life story", "Management oversight", "Multi-agency working", "Pathway planning",
    "Recording", "Supervision", "Visits", "Voice of the child",
]  # fmt: skip


def seed(apps, schema_editor):
    descriptor_set_model = apps.get_model("reviews", "GradeDescriptorSet")
    descriptor_model = apps.get_model("reviews", "GradeDescriptor")
    topic_model = apps.get_model("reviews", "LearningTopic")
    descriptor_set, _ = descriptor_set_model.objects.get_or_create(
        version=1,
        defaults={
            "introduced_on": datetime.date(2024, 9, 1),
            "notes": "First version, written for Practice Review.",
        },
    )
    for axis, grades in DESCRIPTORS.items():
        for grade, text in grades.items():
            descriptor_model.objects.get_or_create(
                descriptor_set=descriptor_set, axis=axis, grade=grade, defaults={"text": text}
            )
    for name in TOPICS:
        topic_model.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
