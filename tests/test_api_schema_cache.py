"""The OpenAPI document is generated once per process, not on every request (it depends on the code only)."""

from drf_spectacular.generators import SchemaGenerator

from cocreate import api_schema


def test_the_schema_is_generated_once_and_served_the_same_to_everyone(api_client_for, monkeypatch):
    monkeypatch.setattr(api_schema, "_schemas", {})
    generated = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        generated.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    first = api_client_for("contributor").get("/api/schema/", {"format": "json"})
    second = api_client_for("manager").get("/api/schema/", {"format": "json"})
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert "/api/drafts/" in first.json()["paths"]
    assert len(generated) == 1
    assert api_client_for("anonymous").get("/api/schema/").status_code == 401  # still for signed-in users only
