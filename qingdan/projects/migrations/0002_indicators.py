from django.db import migrations

# The indicators the source article reports (monthly cumulative, with year-on-year growth).
INDICATORS = [
    ("signed_projects", "签约项目", "Signed projects", "个"),
    ("signed_amount", "签约金额", "Signed amount", "亿元"),
    ("industrial_output", "规模工业总产值", "Above-scale industrial output", "亿元"),
    ("fixed_asset_investment", "工业固定资产投资", "Industrial fixed-asset investment", "亿元"),
    ("fiscal_revenue", "地方财政收入", "Local fiscal revenue", "亿元"),
    ("foreign_trade", "外贸进出口额", "Foreign trade", "亿元"),
    ("industrial_profit", "规模工业企业利润", "Above-scale industrial profits", "亿元"),
    ("new_above_scale", "新增规模工业企业", "New above-scale enterprises", "家"),
]


def create(apps, schema_editor):
    Indicator = apps.get_model("projects", "Indicator")
    for position, (code, name, name_en, unit) in enumerate(INDICATORS):
        Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "unit": unit,
                                 "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
