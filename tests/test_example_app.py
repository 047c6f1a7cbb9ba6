"""The example web service (examples/fastapi/app.py), run through FastAPI's own test client."""

from __future__ import annotations

import importlib.util
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

with warnings.catch_warnings():
    # Starlette's test client asks for httpx2 where httpx is what Python 3.10 has
    warnings.filterwarnings("ignore", message=".*httpx.*deprecated")
    from fastapi.testclient import TestClient

import usager
from usager.examples import complete

from .graphviz_tools import require_dot

APP = Path(__file__).resolve().parent.parent / "examples" / "fastapi" / "app.py"


@pytest.fixture
def app() -> Iterator[ModuleType]:
    """The example's module, freshly imported (its store empty)."""
    spec = importlib.util.spec_from_file_location("usager_example_app", APP)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.fixture
def client(app: ModuleType) -> TestClient:
    return TestClient(app.app)


def test_a_posted_canvas_is_stored_and_given_back(client: TestClient) -> None:
    """POST stores the canvas under an id made from its name; GET gives the same document back."""
    response = client.post("/canvases", json=usager.to_dict(complete()))
    assert response.status_code == 201
    assert response.json() == {"id": "repair-cafe", "canvas": usager.to_dict(complete())}
    again = client.get("/canvases/repair-cafe")
    assert usager.from_dict(again.json()) == complete()


def test_a_bad_canvas_gets_fastapis_422_with_each_problem_located(client: TestClient) -> None:
    """Each problem is one entry of FastAPI's usual 422 body, located inside the body."""
    document = usager.to_dict(complete())
    document["brakes"][0]["stage"] = None
    document["brakes"][0]["severity"] = "3"
    response = client.post("/canvases", json=document)
    assert response.status_code == 422
    assert [(e["loc"], e["msg"], e["input"]) for e in response.json()["detail"]] == [
        (["body", "brakes", 0, "stage"], "expected an id (a string), found null", None),
        (
            ["body", "brakes", 0, "severity"],
            "expected 1, 2 or 3 (3 = blocks the user), found the string '3'; write it without quotes: 3",
            "3",
        ),
    ]


def test_the_findings_of_a_posted_canvas(client: TestClient) -> None:
    """GET .../findings lists what usager check finds, code and subjects included."""
    canvas = complete().add(usager.Brake(id="lost", label="Lost", stage="ghost"))
    canvas_id = client.post("/canvases", json=usager.to_dict(canvas)).json()["id"]
    findings = client.get(f"/canvases/{canvas_id}/findings").json()
    assert {"code": "U002", "severity": "error", "subjects": ["lost", "ghost"]}.items() <= findings[0].items()


def test_the_drawing_of_a_posted_canvas(client: TestClient) -> None:
    """GET .../drawing.svg gives the SVG rendering, with its media type."""
    require_dot()
    client.post("/canvases", json=usager.to_dict(complete()))
    response = client.get("/canvases/repair-cafe/drawing.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.content == usager.dumps(complete(), "svg")


def test_an_inconsistent_canvas_cannot_be_drawn(client: TestClient) -> None:
    """A canvas with error findings gets a 422 listing them, in the same shape."""
    canvas = complete().add(usager.Brake(id="lost", label="Lost", stage="ghost"))
    client.post("/canvases", json=usager.to_dict(canvas))
    response = client.get("/canvases/repair-cafe/drawing.svg")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["canvas", "lost"]
    assert response.json()["detail"][0]["msg"].startswith("U002 error: brake 'lost'")


def test_an_unknown_id_is_404(client: TestClient) -> None:
    """No canvas has the id: 404 saying so."""
    response = client.get("/canvases/nothing/findings")
    assert (response.status_code, response.json()) == (404, {"detail": "no canvas has the id 'nothing'"})


def test_the_openapi_schema_is_usagers(client: TestClient) -> None:
    """The request body's schema in the OpenAPI document is usager's document schema."""
    openapi = client.get("/openapi.json").json()
    ref = openapi["paths"]["/canvases"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = openapi["components"]["schemas"][ref.removeprefix("#/components/schemas/")]
    assert body["required"] == ["format", "name"]
    assert "brakes" in body["properties"]
