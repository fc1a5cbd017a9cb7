# The in-app Notification moves from the problems app to this one (issue 17): the model's state
# is created here over the existing table, which is then renamed; the problems app drops the
# model from its state only (problems/0006). No row is copied or lost.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("challenges", "0002_milestone_evidence_milestone_evidence_name_and_more"),
        ("notifications", "0002_remove_subscription_subscription_one_target_and_more"),
        ("problems", "0005_notification_challenge_alter_notification_problem"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created", models.DateTimeField(verbose_name="time")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read at")),
                        ("challenge", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to="challenges.challenge")),
                        ("event", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="problems.problemevent")),
                        ("problem", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to="problems.problem")),
                        ("recipient", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL)),
                        ("reminder", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="notifications.reminder")),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "ordering": ["-created", "-id"],
                        "indexes": [models.Index(fields=["recipient", "-created"], name="notification_inbox")],
                        "db_table": "problems_notification",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="notification", table=None),
        migrations.AddField(
            model_name="notification",
            name="action",
            field=models.CharField(blank=True, max_length=40, verbose_name="step"),
        ),
    ]
