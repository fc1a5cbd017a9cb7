"""Whatever a role can do on a web page it can do through /api/v1: every view that takes a POST
names its API twin (``qingdan.core.parity``) or says why it has none, and every twin it names
exists in the OpenAPI schema — with one operation per workflow step of problems and challenges."""

import inspect

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from qingdan.challenges import commands as challenge_commands
from qingdan.problems import commands as problem_commands

# Framework pages about a person's own sign-in, not the loop's work.
ACCOUNT_PAGES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}
# Bulletins get their API twins with the figures work (issue 14); until then, listed here.
PENDING: set[str] = set()
COMMANDS = {"problem": problem_commands.ACTIONS, "challenge": challenge_commands.ACTIONS}


def _patterns(resolver, namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name in ("admin",) or "api-v1" in (entry.namespace or ""):
                continue
            inner = f"{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry.callback


def _takes_post(view) -> bool:
    if hasattr(view, "view_class"):
        return "post" in {m.lower() for m in getattr(view.view_class, "http_method_names", [])}
    source = inspect.getsource(inspect.unwrap(view))
    return any(
        sign in source for sign in ("request.POST", 'request.method == "POST"', "require_POST")
    )


def _operation_ids(client) -> set[str]:
    schema = client.get("/api/v1/openapi.json").json()
    ids = [
        operation["operationId"]
        for path in schema["paths"].values()
        for operation in path.values()
        if "operationId" in operation
    ]
    assert len(ids) == len(set(ids)), "operation ids must be unique"
    return set(ids)


@pytest.mark.django_db
def test_every_web_action_has_an_api_twin(client):
    operations = _operation_ids(client)
    missing, unknown = [], []
    for name, view in _patterns(get_resolver()):
        if name in ACCOUNT_PAGES or name in PENDING or not _takes_post(view):
            continue
        if getattr(view, "web_only", ""):
            continue
        twins = getattr(view, "api_twins", ())
        if not twins:
            missing.append(name)
        for twin in twins:
            kind = twin.split("_", 1)[0]
            expanded = (
                [twin.format(action=action) for action in COMMANDS[kind]]
                if "{action}" in twin
                else [twin]
            )
            unknown += [f"{name} → {op}" for op in expanded if op not in operations]
    assert not missing, f"views that change something without an API twin: {missing}"
    assert not unknown, f"API twins that do not exist: {unknown}"


@pytest.mark.django_db
def test_each_workflow_step_is_its_own_documented_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    for action in problem_commands.ACTIONS:
        path = schema["paths"][f"/api/v1/problems/{{number}}/actions/{action}"]["post"]
        assert path["summary"] and path["operationId"] == f"problem_{action}"
    assign = schema["paths"]["/api/v1/problems/{number}/actions/assign"]["post"]
    body = assign["requestBody"]["content"]["application/json"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[1]
    fields = schema["components"]["schemas"][ref]
    assert "lead_unit" in fields["required"] and "deadline" not in fields.get("required", [])
    assert fields["properties"]["note"]["anyOf"][0]["maxLength"] == 5000
