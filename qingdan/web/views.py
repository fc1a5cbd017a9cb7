"""The home page: each role's to-do list with counts; anonymous visitors see the public board."""

from django.shortcuts import redirect, render

from qingdan.web import todo


def home(request):
    user = request.user
    if not user.is_authenticated:
        return redirect("public:bulletins")
    return render(
        request,
        "web/home.html",
        {
            "items": todo.items_of_request(request),
            "milestones": todo.team_milestones(user),
            "on_time_rate": todo.unit_on_time_rate(user),
            "staff": user.role != "enterprise",
        },
    )
