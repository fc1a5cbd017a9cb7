"""What the public sees of an enterprise that asked not to be named: "某电子企业"."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qingdan.accounts.models import Industry

SHORT_INDUSTRY = {
    Industry.ELECTRONICS: gettext_lazy("electronics"),
    Industry.SMART_EQUIPMENT: gettext_lazy("equipment"),
    Industry.PLANT_EXTRACTION: gettext_lazy("biomedicine"),
    Industry.NEW_MATERIALS: gettext_lazy("new-materials"),
    Industry.AUTO_PARTS: gettext_lazy("auto-parts"),
    Industry.FOOD: gettext_lazy("food"),
    Industry.TEXTILES: gettext_lazy("textiles"),
    Industry.LOGISTICS: gettext_lazy("logistics"),
    Industry.DIGITAL: gettext_lazy("digital"),
}


def anonymous_name_for(industry: str) -> str:
    short = SHORT_INDUSTRY.get(industry)
    if short is None:
        return _("an enterprise")
    return _("a %(industry)s enterprise") % {"industry": short}
