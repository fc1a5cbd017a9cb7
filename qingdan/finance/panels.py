"""An enterprise's loans on its record page (``core.panels``; the page never imports this)."""

from django.template.loader import render_to_string

from qingdan.core import panels
from qingdan.finance.access import visible_loans


@panels.register("enterprise_detail")
def enterprise_loans(request, enterprise) -> str:
    loans = visible_loans(request.user).filter(enterprise=enterprise)
    return render_to_string("finance/_panel_loans.html", {"loans": loans}, request=request)
