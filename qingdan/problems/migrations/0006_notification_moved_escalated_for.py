# Notification now lives in the notifications app (notifications/0003 took over its table);
# problems keep, as a cache of their events, the deadline for which a task was escalated.

from django.db import migrations, models


def escalations_from_reminders(apps, schema_editor):
    """Tasks escalated for their current deadline before this column existed."""
    Problem = apps.get_model("problems", "Problem")
    Reminder = apps.get_model("notifications", "Reminder")
    for problem_id, deadline in Reminder.objects.filter(step="escalated").values_list(
        "problem_id", "deadline"
    ):
        Problem.objects.filter(pk=problem_id, deadline=deadline).update(escalated_for=deadline)


class Migration(migrations.Migration):

    dependencies = [
        ("problems", "0005_notification_challenge_alter_notification_problem"),
        ("notifications", "0003_notification_moves_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="problem",
            name="escalated_for",
            field=models.DateField(blank=True, null=True, verbose_name="escalated for the deadline"),
        ),
        migrations.RunPython(escalations_from_reminders, migrations.RunPython.noop),
    ]
