"""Before the ladder's red step existed, a commissioner heard of a red card at the escalation
step: where that step was taken, the red card counts as taken too, so nobody is told twice."""

from django.db import migrations


def mark_taken(apps, schema_editor):
    Reminder = apps.get_model("notifications", "Reminder")
    escalated = Reminder.objects.filter(step="escalated").values_list(
        "problem_id", "deadline", "created"
    )
    Reminder.objects.bulk_create(
        [
            Reminder(problem_id=problem_id, step="red", deadline=deadline, created=created)
            for problem_id, deadline, created in escalated.iterator()
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("notifications", "0007_field_labels")]

    operations = [migrations.RunPython(mark_taken, migrations.RunPython.noop)]
