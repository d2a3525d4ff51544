"""The desk's API under /api/v1/desk, for scripts holding an API token (Authorization: Bearer).

Every desk action is one body of POST /api/v1/desk/actions, told apart by its `action` field;
the schema lists each action's body. No cookie is read here, so no CSRF token is needed."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Union

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field, create_model

from marsad.desk.accounts import may
from marsad.desk.refusal import Refused
from marsad.store import User
from marsad.web.api import PREFIX, ErrorOut
from marsad.web.desk.actions import ACTIONS, MAX_ID, MAX_PIN_HOURS, MAX_TEXT, Action, parse_values
from marsad.web.desk.auth import api_user, desk_of, store_of

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut} for code in (400, 401, 403, 404, 422)
}
router = APIRouter(prefix=f"{PREFIX}/desk", tags=["desk"], responses=ERRORS)
Caller = Annotated[User, Depends(api_user)]


def _field_type(kind: str) -> Any:
    """The schema of one action field."""
    if kind == "id":
        return (int, Field(ge=1, le=MAX_ID))
    if kind == "optional_id":
        return (int | None, Field(None, ge=1, le=MAX_ID))
    if kind == "hours":
        return (int, Field(ge=0, le=MAX_PIN_HOURS))
    if kind == "kind":
        return (Literal["topic", "place", "person", "organisation"], ...)
    if kind == "role":
        return (Literal["admin", "editor"], ...)
    if kind == "secret":
        return (str, Field(min_length=10, max_length=1024))
    if kind == "optional_text":
        return (str, Field("", max_length=MAX_TEXT))
    return (str, Field(min_length=1, max_length=MAX_TEXT))


def _body_model(action: Action) -> type[BaseModel]:
    fields: dict[str, Any] = {"action": (Literal[action.name], ...)}
    fields.update({f.name: _field_type(f.kind) for f in action.fields})
    name = "".join(part.title() for part in action.name.split("_")) + "Body"
    model: type[BaseModel] = create_model(name, __doc__=f"{action.label} ({action.role})", **fields)
    return model


BODIES = tuple(_body_model(a) for a in ACTIONS.values())
ActionBody: Any = Annotated[Union[BODIES], Field(discriminator="action")]  # noqa: UP007


class DoneOut(BaseModel):
    """What an action did, in words, with its audit entry; `token` only when one was made."""

    message: str
    audit_id: int | None
    token: str | None = None


class AuditOut(BaseModel):
    """One audit entry: who, when, what, before and after."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    before: Any
    after: Any
    undone_by: int | None
    undoable: bool


class AuditList(BaseModel):
    """A page of the audit log, newest first, and who the token belongs to."""

    user: str
    role: str
    total: int
    limit: int
    offset: int
    items: list[AuditOut]


@router.post("/actions", response_model=DoneOut)
async def act(request: Request, user: Caller, body: Annotated[ActionBody, Body()]) -> DoneOut:
    """Do one desk action (the same as on the desk's pages); admins only for users, tokens and
    removing sources."""
    action = ACTIONS[body.action]
    if not may(user.role, action.role):
        raise HTTPException(403, f"{action.name} is for admins only")
    try:
        values = parse_values(action, body.model_dump())
        done = action.run(store_of(request), user.name, values, desk_of(request).now())
    except Refused as refused:
        raise HTTPException(refused.status, refused.message) from refused
    request.app.state.web.memo.clear()
    return DoneOut(message=done.message, audit_id=done.audit_id, token=done.token)


@router.get("/audit", response_model=AuditList)
async def audit(
    request: Request,
    user: Caller,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> AuditList:
    """The audit log, newest first."""
    entries, total = store_of(request).audit_entries(limit, offset)
    items = [AuditOut(**e.as_json(), undoable=e.undoable) for e in entries]
    return AuditList(
        user=user.name, role=user.role, total=total, limit=limit, offset=offset, items=items
    )
