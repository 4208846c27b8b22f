"""The OpenAPI document describes exactly the API routes the app serves."""

from __future__ import annotations

import re


def _served_api_operations(app) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if not (rule.rule.startswith("/api/") or rule.rule == "/healthz"):
            continue
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operations.add((method.lower(), path))
    return operations


def test_openapi_matches_routes(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    described = {(method, path) for path, operations in document["paths"].items() for method in operations}
    served = _served_api_operations(app)
    assert served - described == set(), "routes missing from the OpenAPI document"
    assert described - served == set(), "documented operations the app does not serve"


def test_openapi_path_parameters_are_declared(client):
    document = client.get("/api/v1/openapi.json").get_json()
    for path, operations in document["paths"].items():
        names = set(re.findall(r"{(\w+)}", path))
        for operation in operations.values():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert names == declared, f"{path}: path parameters {names} vs declared {declared}"
