from django.db import migrations
from django.utils import timezone

# The park's own words, so the segmenter keeps them whole from the first day: the demo park's
# industries and the words of the loop and its usual problems. Unit names need no row: the
# segmenter reads them from the units themselves. The secretariat edits the list on
# /search/dictionary/.
WORDS = """
政企交流 主题日 营商环境 营商办 清单化管理 问题清单 任务清单 责任清单 牵头单位 责任单位 协办单位
揭榜挂帅 交办 签收 退回 办结 销号 催办 督办 回访 重办 挂牌督办
电子信息 智能装备 智能制造 精密机械 自动化设备 植物萃取 植物提取 生物医药 天然药业 新材料 复合材料
新型建材 高分子材料 汽车零部件 农产品加工 纺织服装 现代物流 供应链 数字经济 电子商务 跨境电商
标准厂房 小微企业园 人才公寓 规上企业 上规入统 专精特新 小巨人 高新技术企业 首台套 技改 智能化改造
助保贷 应急转贷 过桥资金 反担保 银担合作 稳岗返还 以工代训 留抵退税 出口退税 加计扣除
增容 报装 双电源 有序用电 错峰用电 二次供水 煤改气 排污许可 环评批复 危险废物 不动产权证
施工许可 竣工验收 容缺受理 帮办代办 一网通办
"""


def seed(apps, schema_editor):
    Term = apps.get_model("search", "Term")
    now = timezone.now()
    for word in WORDS.split():
        Term.objects.get_or_create(word=word, defaults={"created": now})


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
