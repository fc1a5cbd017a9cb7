"""The park's financing figures across programmes, from the stored loans (the article's
"35 家企业, 1.92 亿元")."""

from decimal import Decimal

from django.db.models import Sum

from qingdan.finance.models import Compensation, Loan, Programme


def totals() -> dict:
    granted = Loan.objects.aggregate(s=Sum("amount_wan_yuan"))["s"] or 0
    pool = Programme.objects.aggregate(s=Sum("pool_wan_yuan"))["s"] or 0
    used = Compensation.objects.aggregate(s=Sum("amount_wan_yuan"))["s"] or 0
    return {
        "enterprises": Loan.objects.values("enterprise").distinct().count(),
        "granted_wan_yuan": Decimal(granted).quantize(Decimal("0.01")),
        "granted_yi_yuan": (Decimal(granted) / 10000).quantize(Decimal("0.01")),
        "pool_wan_yuan": Decimal(pool).quantize(Decimal("0.01")),
        "pool_used_wan_yuan": Decimal(used).quantize(Decimal("0.01")),
    }
