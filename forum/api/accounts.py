"""API: registration, tokens, the caller, and (admins) roles."""

from __future__ import annotations

from flask import abort
from flask.typing import ResponseReturnValue

from forum.accounts import limits
from forum.accounts.models import User
from forum.accounts.services import authenticate, issue_token, register_user, set_role
from forum.api.blueprint import bp
from forum.api.helpers import api_user, json_body, string_field, user_detail
from forum.audit import record_privileged_action
from forum.errors import NotAllowed, NotAuthenticated
from forum.extensions import db, limiter
from forum.roles import is_admin


@bp.post("/users")
@limiter.limit(limits.register_limit_per_ip)
def create_user() -> ResponseReturnValue:
    payload = json_body()
    user = register_user(
        string_field(payload, "username"),
        string_field(payload, "email"),
        string_field(payload, "password"),
    )
    db.session.commit()
    return user_detail(user), 201


@bp.post("/tokens")
@limiter.limit(limits.login_limit_per_ip)
@limiter.limit(
    limits.login_limit_per_account, key_func=limits.login_account_key, deduct_when=limits.failed_login
)
def create_token() -> ResponseReturnValue:
    payload = json_body()
    user = authenticate(string_field(payload, "username"), string_field(payload, "password"))
    if user is None:
        raise NotAuthenticated("That username and password do not match an account.", code="bad_credentials")
    label = str(payload.get("label") or "api")
    token = issue_token(user, label)
    db.session.commit()
    return {"token": token, "user": user_detail(user)}, 201


@bp.get("/me")
def me() -> ResponseReturnValue:
    return user_detail(api_user())


@bp.put("/users/<int:user_id>/role")
def change_role(user_id: int) -> ResponseReturnValue:
    actor = api_user()
    if not is_admin(actor):
        raise NotAllowed("Only admins change roles.")
    user = db.session.get(User, user_id) or abort(404)
    role = string_field(json_body(), "role")
    before = set_role(user, role)
    record_privileged_action(actor, "role.change", "user", user.id, before=before, after=user.role)
    db.session.commit()
    return user_detail(user)
