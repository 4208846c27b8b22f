"""Roles and the pure permission rules built on them (used by views and templates alike)."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Role(StrEnum):
    """What a person may do in Peerdesk (see PRODUCT.md, "Who uses it")."""

    MEMBER = "member"
    ADVOCATE = "advocate"
    MODERATOR = "moderator"
    FINANCE = "finance"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return self.value.capitalize()


ROLE_CHOICES: tuple[str, ...] = tuple(role.value for role in Role)


class HasRole(Protocol):
    role: str
    is_authenticated: bool


def has_role(user: HasRole | None, *roles: Role) -> bool:
    """True when ``user`` is signed in and holds one of ``roles`` (admins hold every role)."""
    if user is None or not user.is_authenticated:
        return False
    return user.role == Role.ADMIN or user.role in roles


def is_admin(user: HasRole | None) -> bool:
    return has_role(user)


def is_moderator(user: HasRole | None) -> bool:
    return has_role(user, Role.MODERATOR)


def is_staff(user: HasRole | None) -> bool:
    """Advocates, moderators and admins: exempt from new-account posting limits."""
    return has_role(user, Role.ADVOCATE, Role.MODERATOR)


def can_verify_answers(user: HasRole | None) -> bool:
    return has_role(user, Role.ADVOCATE, Role.MODERATOR)


def can_view_finance(user: HasRole | None) -> bool:
    return has_role(user, Role.FINANCE)


def can_view_gaps(user: HasRole | None) -> bool:
    return has_role(user, Role.ADVOCATE, Role.MODERATOR, Role.FINANCE)
