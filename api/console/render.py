"""The console's templates (Jinja2, autoescaped) and static files, found beside this
module; `page` renders one with what every page needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.console.access import Viewer

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = Jinja2Templates(directory=HERE / "templates")


def query(**params: Any) -> str:
    """A query string from the parameters that are set; lists repeat their name."""
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs += [(name, str(v)) for v in values if v is not None and v != ""]
    return urlencode(pairs)


TEMPLATES.env.globals["query"] = query


def page(
    request: Request,
    template: str,
    viewer: Viewer | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {"viewer": viewer, **context},
        status_code=status_code,
    )
