"""A web service that takes canvases and gives back their findings and their drawing.

Run it with ``python3 -m pip install 'usager[fastapi]'`` then ``python3 app.py`` (or
``uvicorn app:app``), and open http://127.0.0.1:8000/docs.

- ``POST /canvases`` takes a canvas document as the request body and stores it; a malformed
  canvas gets FastAPI's usual 422 answer, one entry per problem with its location.
- ``GET /canvases/{id}`` gives the canvas back, as its document.
- ``GET /canvases/{id}/findings`` gives what ``usager check`` finds.
- ``GET /canvases/{id}/drawing.svg`` gives its drawing (422 when the canvas has error findings).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, FastAPI, HTTPException, Response
from pydantic import BaseModel

import usager

app = FastAPI(title="Canvases", description="Store user engagement canvases, check them and draw them.")

#: The canvases posted, by id (a real app keeps them in a database: ``usager.to_dict`` gives the JSON).
canvases: dict[str, usager.Canvas] = {}


class Stored(BaseModel):
    """A canvas as stored: its id and its document."""

    id: str
    canvas: usager.Canvas


class FindingOut(BaseModel):
    """One finding of ``usager check``."""

    code: str
    severity: str
    message: str
    subjects: list[str]


def _canvas(canvas_id: str) -> usager.Canvas:
    canvas = canvases.get(canvas_id)
    if canvas is None:
        raise HTTPException(status_code=404, detail=f"no canvas has the id {canvas_id!r}")
    return canvas


@app.post("/canvases", status_code=201)
def post_canvas(canvas: Annotated[usager.Canvas, Body()]) -> Stored:
    """Store a canvas; its id is made from its name."""
    base = usager.slugify(canvas.name)
    canvas_id, n = base, 1
    while canvas_id in canvases and canvases[canvas_id] != canvas:
        n += 1
        canvas_id = f"{base}-{n}"
    canvases[canvas_id] = canvas
    return Stored(id=canvas_id, canvas=canvas)


@app.get("/canvases/{canvas_id}")
def get_canvas(canvas_id: str) -> usager.Canvas:
    """The canvas, as its document."""
    return _canvas(canvas_id)


@app.get("/canvases/{canvas_id}/findings")
def get_findings(canvas_id: str) -> list[FindingOut]:
    """What ``usager check`` finds in the canvas."""
    return [
        FindingOut(code=f.code, severity=f.severity.value, message=f.message, subjects=list(f.subjects))
        for f in usager.check(_canvas(canvas_id))
    ]


@app.get("/canvases/{canvas_id}/drawing.svg", response_class=Response)
def get_drawing(canvas_id: str) -> Response:
    """The canvas drawn as SVG; a canvas with error findings cannot be drawn (422, with the errors)."""
    canvas = _canvas(canvas_id)
    try:
        svg = usager.dumps(canvas, "svg")
    except usager.CanvasError as exc:
        detail = [
            {"type": "usager_finding", "loc": ["canvas", *f.subjects[:1]], "msg": str(f), "input": None}
            for f in exc.findings
            if f.severity is usager.Severity.ERROR
        ]
        raise HTTPException(status_code=422, detail=detail) from None
    return Response(content=svg, media_type="image/svg+xml")


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app)
