"""Admins add, rename and remove categories; questions are asked in one (the ask form lists them all).

Services flush and raise ``DomainError``s; the caller commits once.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from forum.audit import record_privileged_action
from forum.errors import Conflict, NotAllowed, ValidationFailed
from forum.extensions import db
from forum.questions.models import Category, Question
from forum.questions.validation import CONTROL_CHARACTERS
from forum.roles import is_admin
from forum.web import slugify

NAME_MIN, NAME_MAX = 2, 60
SLUG_MAX = 40
DESCRIPTION_MAX = 300
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def add_category(actor: Any, name: str, slug: str = "", description: str = "") -> Category:
    """Add a category after the existing ones; its slug comes from the name unless given.

    Raises NotAllowed for non-admins and ValidationFailed (fields ``name``, ``slug``,
    ``description``) for a bad or taken name or slug.
    """
    if not is_admin(actor):
        raise NotAllowed("Only admins add categories.")
    clean_name, clean_slug, clean_description = _clean_fields(name, slug, description)
    _refuse_taken(clean_name, clean_slug)
    position = (db.session.scalar(select(func.max(Category.position))) or 0) + 1
    category = Category(name=clean_name, slug=clean_slug, description=clean_description, position=position)
    db.session.add(category)
    try:
        db.session.flush()
    except IntegrityError as error:  # another admin added the same slug a moment ago
        raise ValidationFailed(
            "That address is taken.", {"slug": f"'{clean_slug}' was just taken; choose another."}
        ) from error
    record_privileged_action(
        actor,
        "category.create",
        "category",
        category.id,
        after={"name": category.name, "slug": category.slug, "description": category.description},
    )
    return category


def edit_category(actor: Any, category: Category, name: str, description: str = "") -> Category:
    """Rename ``category`` or change its description. Its address stays, so links keep working.

    Raises NotAllowed for non-admins and ValidationFailed (``name``, ``description``) for a
    bad name or one another category has.
    """
    if not is_admin(actor):
        raise NotAllowed("Only admins change categories.")
    clean_name, _, clean_description = _clean_fields(name, category.slug, description)
    _refuse_taken(clean_name, category.slug, besides=category.id)
    before = {"name": category.name, "description": category.description}
    category.name, category.description = clean_name, clean_description
    db.session.flush()
    record_privileged_action(
        actor,
        "category.update",
        "category",
        category.id,
        before=before,
        after={"name": clean_name, "description": clean_description},
    )
    return category


def remove_category(actor: Any, category: Category) -> None:
    """Delete a category nobody has asked in (its routing rules and costs go with it).

    Raises NotAllowed for non-admins, and Conflict when questions are in it or it is the
    last category (the ask form needs one).
    """
    if not is_admin(actor):
        raise NotAllowed("Only admins remove categories.")
    name = category.name  # for the message, even after a failed delete
    asked = db.session.scalar(
        select(func.count()).select_from(Question).where(Question.category_id == category.id)
    )
    if asked:
        raise Conflict(
            f"{name} holds {asked:,} question{'s' if asked != 1 else ''}; only an empty category can be removed."
        )
    if (db.session.scalar(select(func.count()).select_from(Category)) or 0) <= 1:
        raise Conflict("This is the only category; questions need one to be asked in.")
    record_privileged_action(
        actor,
        "category.delete",
        "category",
        category.id,
        before={"name": category.name, "slug": category.slug},
    )
    db.session.delete(category)
    try:
        db.session.flush()
    except IntegrityError as error:  # someone asked in it a moment ago
        raise Conflict(f"Someone just asked in {name}; only an empty category can be removed.") from error


def _clean_fields(name: str, slug: str, description: str) -> tuple[str, str, str]:
    problems: dict[str, str] = {}
    clean_name = " ".join(CONTROL_CHARACTERS.sub("", name or "").split())
    if not NAME_MIN <= len(clean_name) <= NAME_MAX:
        problems["name"] = f"Use {NAME_MIN}-{NAME_MAX} characters."
    clean_slug = (slug or "").strip().lower() or slugify(clean_name, SLUG_MAX, fallback="")
    if not clean_slug and "name" not in problems:
        problems["slug"] = "The name has no letters or digits for an address; enter one here."
    elif clean_slug and (len(clean_slug) > SLUG_MAX or not SLUG_PATTERN.match(clean_slug)):
        problems["slug"] = f"Use up to {SLUG_MAX} lowercase letters and digits, words joined by '-'."
    clean_description = " ".join(CONTROL_CHARACTERS.sub("", description or "").split())
    if len(clean_description) > DESCRIPTION_MAX:
        problems["description"] = f"Use at most {DESCRIPTION_MAX} characters."
    if problems:
        raise ValidationFailed("Please correct the highlighted fields.", problems)
    return clean_name, clean_slug, clean_description


def _refuse_taken(name: str, slug: str, besides: int | None = None) -> None:
    taken = db.session.scalars(
        select(Category).where(
            or_(func.lower(Category.name) == name.lower(), Category.slug == slug),
            Category.id != (besides or 0),
        )
    ).all()
    problems: dict[str, str] = {}
    for category in taken:
        if category.name.lower() == name.lower():
            problems["name"] = f"There already is a category '{category.name}'."
        if category.slug == slug:
            problems["slug"] = f"'{slug}' is the address of '{category.name}'; choose another."
    if problems:
        raise ValidationFailed("That category exists already.", problems)
