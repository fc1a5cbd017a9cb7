from django.db import migrations

# The park taxonomy from the design: (code, 中文, English, sign days, days, urgent days)
CATEGORIES = [
    ("utilities", "水电气", "Water, power and gas", 1, 5, 2),
    ("transport", "交通出行", "Transport", 1, 10, 5),
    ("land", "土地与厂房", "Land and buildings", 1, 15, 10),
    ("approvals", "审批办证", "Approvals and permits", 1, 10, 5),
    ("policy_funds", "政策资金", "Policy funds", 1, 15, 10),
    ("hiring", "招工与人才", "Hiring and talent", 1, 10, 5),
    ("finance", "融资贷款", "Finance", 1, 10, 5),
    ("safety_environment", "安全与环保", "Safety and environment", 1, 10, 3),
    ("other", "其他", "Other", 1, 10, 5),
]


def create(apps, schema_editor):
    Category = apps.get_model("problems", "Category")
    for position, (code, name, name_en, sign, days, urgent) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "sign_days": sign,
                "completion_days": days,
                "urgent_completion_days": urgent,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
