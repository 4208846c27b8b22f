"""Writes about accounts: register, authenticate, passwords, roles, API tokens.

Services flush; the request (or CLI command) commits once.
"""

from __future__ import annotations

import functools
import logging
import re

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from forum.accounts.models import EMAIL_MAX, USERNAME_MAX, ApiToken, User, new_session_token
from forum.errors import Conflict, NotFoundError, ValidationFailed
from forum.extensions import db
from forum.roles import ROLE_CHOICES

log = logging.getLogger(__name__)

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{2,29}$")
PASSWORD_MIN = 12
PASSWORD_MAX = 256


@functools.cache
def _timing_dummy_hash() -> str:
    """A real hash to check against when the user is unknown, so timing does not tell."""
    return generate_password_hash("peerdesk-timing-dummy", method="scrypt")


def normalise_username(username: str) -> str:
    return username.strip().lower()


def username_problem(username: str) -> str | None:
    """Why ``username`` cannot be used, or None when it can."""
    if len(username) > USERNAME_MAX:
        return f"Use at most {USERNAME_MAX} characters."
    if not USERNAME_PATTERN.match(username):
        return "Use 3-30 letters, digits, '.', '_' or '-', starting with a letter or digit."
    return None


def password_problem(password: str, username: str = "") -> str | None:
    """Why ``password`` breaks the password policy (README, "Accounts"), or None."""
    if len(password) < PASSWORD_MIN:
        return f"Use at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"Use at most {PASSWORD_MAX} characters."
    if not password.strip():
        return "A password cannot be only spaces."
    if username and password.lower() == username.lower():
        return "Your password cannot be your username."
    return None


def normalise_email(email: str) -> str:
    """The normalised address, or ValidationFailed when it is not an email address."""
    if len(email) > EMAIL_MAX:
        raise ValidationFailed("Email is too long.", {"email": f"Use at most {EMAIL_MAX} characters."})
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationFailed("That email address is not valid.", {"email": str(exc)}) from exc
    return result.normalized.lower()


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username_key == normalise_username(username)))


def register_user(username: str, email: str, password: str, role: str = "member") -> User:
    """Create an account. Raises ValidationFailed (bad input) or Conflict (name/email taken)."""
    username = username.strip()
    problems: dict[str, str] = {}
    if problem := username_problem(username):
        problems["username"] = problem
    if problem := password_problem(password, username):
        problems["password"] = problem
    if role not in ROLE_CHOICES:
        problems["role"] = f"Choose one of: {', '.join(ROLE_CHOICES)}."
    try:
        email = normalise_email(email)
    except ValidationFailed as exc:
        problems.update(exc.fields)
    if problems:
        raise ValidationFailed("Please correct the highlighted fields.", problems)
    if find_user(username) is not None:
        raise Conflict("That username is taken.", {"username": "That username is taken."})
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict("That email is already registered.", {"email": "Already registered."})
    user = User(username=username, username_key=normalise_username(username), email=email, role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    log.info("registered user %s", user.username)
    return user


def authenticate(username: str, password: str) -> User | None:
    """The user whose credentials these are, or None (same work either way)."""
    user = find_user(username)
    if user is None:
        check_password_hash(_timing_dummy_hash(), password)
        return None
    return user if user.check_password(password) else None


def change_password(user: User, current: str, new: str) -> None:
    """Set a new password and end the account's other sessions and remembered logins."""
    if not user.check_password(current):
        raise ValidationFailed(
            "Your current password is not right.", {"current_password": "That is not your current password."}
        )
    if problem := password_problem(new, user.username):
        raise ValidationFailed("Please choose another password.", {"new_password": problem})
    user.set_password(new)
    user.session_token = new_session_token()
    db.session.flush()


def set_role(user: User, role: str) -> str:
    """Give ``user`` a new role; returns the previous one."""
    if role not in ROLE_CHOICES:
        raise ValidationFailed("Unknown role.", {"role": f"Choose one of: {', '.join(ROLE_CHOICES)}."})
    previous = user.role
    user.role = role
    db.session.flush()
    return previous


def issue_token(user: User, label: str = "api") -> str:
    """Create an API token for ``user`` and return it (only its digest is kept)."""
    raw = ApiToken.generate()
    db.session.add(ApiToken(user_id=user.id, token_digest=ApiToken.digest(raw), label=label[:100]))
    db.session.flush()
    return raw


def user_for_token(raw_token: str) -> User | None:
    """The account an API token belongs to, or None for a token never issued."""
    if not raw_token.startswith("pd_") or len(raw_token) > 200:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_digest == ApiToken.digest(raw_token)))
    return token.user if token else None


def get_user_by_name(username: str) -> User:
    user = find_user(username)
    if user is None:
        raise NotFoundError(f"No user named {username!r}.")
    return user
