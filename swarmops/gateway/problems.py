# swarmops: allow[functions-per-file] the one mapping of errors to problem documents: each exception handler beside the others
"""Errors cross the wire as problem documents (RFC 9457, ``application/problem+json``).

One table maps the ``swarmops.errors`` tree to a status: the most specific class
listed wins. Each class is its own problem type (``urn:swarmops:problem:<class>``);
the title is the class's doc line and the detail the line the CLI would print.
Validation errors of FastAPI become 422 problems; bad input is never a 500.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException

from swarmops import errors
from swarmops.service.access import Forbidden
from swarmops.tokens.verify import Unauthenticated

MEDIA_TYPE = "application/problem+json"
STATUS: tuple[tuple[type[errors.SwarmopsError], int], ...] = (
    (Unauthenticated, 401),
    (Forbidden, 403),
    (errors.NotFound, 404),
    (errors.IllegalTransition, 409),
    (errors.ValueRejected, 422),
    (errors.SchemaTooNew, 503),
    (errors.BadInput, 400),
    (errors.Conflict, 409),
    (errors.CheckFailed, 409),
    (errors.StoreError, 503),
    (errors.PublishError, 502),
)
CHALLENGE = 'Bearer realm="swarmops"'


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


def status_of(exc: errors.SwarmopsError) -> int:
    return next((code for cls, code in STATUS if isinstance(exc, cls)), 500)


def problem_type(name: str) -> str:
    return "urn:swarmops:problem:" + re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def problem(status: int, name: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = Problem(type=problem_type(name), title=title, status=status, detail=detail, **extra)
    headers = {"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'} if status == 401 else None
    content = body.model_dump(exclude_none=True)
    return JSONResponse(content, status_code=status, media_type=MEDIA_TYPE, headers=headers)


async def _swarmops_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.SwarmopsError)
    title = (type(exc).__doc__ or type(exc).__name__).strip().splitlines()[0]
    return problem(status_of(exc), type(exc).__name__, title, errors.first_line(exc))


async def _unauthenticated(_request: Request, exc: Exception) -> JSONResponse:
    return problem(401, "Unauthenticated", "Authentication required", str(exc))


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    found = [_public(error) for error in exc.errors()]
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in found[:3])
    return problem(422, "ValidationFailed", "The request is invalid", detail, errors=found)


async def _model_invalid(_request: Request, exc: Exception) -> JSONResponse:
    """A value the domain's own models refused: bad input, never a 500."""
    assert isinstance(exc, ValidationError)
    found = [_public(error) for error in exc.errors()]
    detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in found[:3])
    return problem(422, "ValidationFailed", "The request is invalid", detail, errors=found)


async def _http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem(exc.status_code, "HttpError", str(exc.detail), str(exc.detail))


def _public(error: Any) -> dict[str, Any]:
    return {
        "loc": list(error.get("loc", ())),
        "msg": str(error.get("msg", "")),
        "type": str(error.get("type", "")),
    }


def install(app: FastAPI) -> None:
    """Answer every error of ``app`` with a problem document."""
    app.add_exception_handler(errors.SwarmopsError, _swarmops_error)
    app.add_exception_handler(Unauthenticated, _unauthenticated)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(ValidationError, _model_invalid)


def responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting the problem documents a route may answer."""
    schema = {"schema": {"$ref": "#/components/schemas/Problem"}}
    return {
        code: {"description": "A problem document", "content": {MEDIA_TYPE: schema}}
        for code in codes
    }
