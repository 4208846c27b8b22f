"""Tag upkeep for moderators: rename a tag, merge one tag into another, and old names.

A renamed or merged tag leaves its old name behind as a ``TagAlias``: ``/tags/<old>``
redirects to the tag, and a post tagged with the old name gets the tag instead. Every
question whose tags change is queued for the search index (``post_changed``) in the same
transaction, and each change is audited. Services flush and raise ``DomainError``s; the
caller commits once.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, exists, func, insert, literal, select, update
from sqlalchemy.exc import IntegrityError

from forum.audit import record_privileged_action
from forum.errors import Conflict, NotAllowed, ValidationFailed
from forum.extensions import db
from forum.questions.models import Question, Tag, TagAlias, question_tags
from forum.questions.permissions import can_manage_tags
from forum.questions.validation import clean_tag_name, normalize_tag
from forum.signals import post_changed


@dataclass(frozen=True)
class TagChange:
    """What a rename or merge did: ``tag`` is the tag that remains."""

    tag: Tag
    old_name: str
    questions: int  # questions whose tags changed (and were queued for search)
    already_tagged: int = 0  # merge: questions that had both tags


def find_tag(name: str) -> Tag | None:
    """The tag called ``name`` (after normalizing), or None."""
    return db.session.scalar(select(Tag).where(Tag.name == normalize_tag(name)))


def tag_for_old_name(name: str) -> Tag | None:
    """The tag an old (renamed or merged) name now stands for, or None."""
    old_name = normalize_tag(name)
    return tags_for_old_names([old_name]).get(old_name)


def tag_named(name: str) -> Tag | None:
    """The tag called ``name``, or the one ``name`` was an old name of; None if neither."""
    return find_tag(name) or tag_for_old_name(name)


def tags_for_old_names(names: Collection[str]) -> dict[str, Tag]:
    """Each of ``names`` that is an old (renamed or merged) name -> the tag it now stands for."""
    if not names:
        return {}
    rows = db.session.execute(
        select(TagAlias.name, Tag).join(Tag, Tag.id == TagAlias.tag_id).where(TagAlias.name.in_(names))
    )
    return {name: tag for name, tag in rows}


def current_tag_names(names: list[str]) -> list[str]:
    """``names`` with old names replaced by their tag's name, duplicates dropped, order kept."""
    renamed = tags_for_old_names(names)
    return list(dict.fromkeys(renamed[name].name if name in renamed else name for name in names))


def old_names_of(tag: Tag) -> list[str]:
    return list(
        db.session.scalars(select(TagAlias.name).where(TagAlias.tag_id == tag.id).order_by(TagAlias.name))
    )


def rename_tag(actor: Any, tag: Tag, new_name: str) -> TagChange:
    """Give ``tag`` a new name; the old one becomes an alias. Questions keep the tag.

    Raises NotAllowed for non-moderators and ValidationFailed (field ``name``) for an
    invalid name, the current name, or a name another tag has or had (merge instead).
    """
    _require_tag_manager(actor)
    name = clean_tag_name(new_name, "name")
    old_name = tag.name
    if name == old_name:
        raise ValidationFailed(
            "That already is the tag's name.", {"name": f"'{name}' already is this tag's name."}
        )
    _refuse_taken_name(tag, name)
    _lock_tags(tag.id)
    # Taking back one of its own old names frees that alias; the current name becomes one.
    db.session.execute(delete(TagAlias).where(TagAlias.name.in_([name, old_name])))
    tag.name = name
    db.session.add(TagAlias(name=old_name, tag_id=tag.id))
    _flush_or_conflict(f"'{name}' was just taken; reload and try again.", "name")
    question_ids = _tagged_question_ids(tag.id)
    _queue_for_search(question_ids)
    record_privileged_action(
        actor,
        "tag.rename",
        "tag",
        tag.id,
        before=old_name,
        after=name,
        details={"questions": len(question_ids)},
    )
    return TagChange(tag=tag, old_name=old_name, questions=len(question_ids))


def merge_tags(actor: Any, source: Tag, into: str) -> TagChange:
    """Move every question tagged ``source`` to the tag named ``into`` and delete ``source``.

    A question that already had both keeps one link. ``source``'s name (and its own old
    names) become aliases of the target. Raises NotAllowed for non-moderators and
    ValidationFailed (field ``into``) for an unknown target or the tag itself.
    """
    _require_tag_manager(actor)
    target_name = clean_tag_name(into, "into")
    target = tag_named(target_name)
    if target is None:
        raise ValidationFailed(
            f"There is no tag '{target_name}'.",
            {"into": f"There is no tag '{target_name}'. Merge into an existing tag, or rename this one."},
        )
    if target.id == source.id:
        raise ValidationFailed(
            "A tag cannot be merged into itself.",
            {"into": "A tag cannot be merged into itself; choose another tag."},
        )
    source_id, source_name = source.id, source.name
    _lock_tags(source_id, target.id)
    question_ids = _tagged_question_ids(source_id)
    already_tagged = _move_links(source_id, target.id)
    db.session.execute(update(TagAlias).where(TagAlias.tag_id == source_id).values(tag_id=target.id))
    db.session.execute(delete(TagAlias).where(TagAlias.name == source_name))
    db.session.add(TagAlias(name=source_name, tag_id=target.id))
    db.session.delete(source)
    db.session.flush()
    _recount(target)
    _forget_loaded_tags()
    _queue_for_search(question_ids)
    record_privileged_action(
        actor,
        "tag.merge",
        "tag",
        target.id,
        before={"tag": source_name, "id": source_id},
        after={"tag": target.name, "id": target.id},
        details={"questions": len(question_ids), "already_tagged": already_tagged},
    )
    return TagChange(target, source_name, len(question_ids), already_tagged)


def _require_tag_manager(actor: Any) -> None:
    if not can_manage_tags(actor):
        raise NotAllowed("Only moderators rename and merge tags.")


def _refuse_taken_name(tag: Tag, name: str) -> None:
    """A rename may not take another tag's name, current or old: that is a merge."""
    if find_tag(name) is not None:
        raise ValidationFailed(
            f"There already is a tag '{name}'.",
            {"name": f"'{name}' already exists: merge '{tag.name}' into '{name}' instead."},
        )
    owner = tag_for_old_name(name)
    if owner is not None and owner.id != tag.id:
        raise ValidationFailed(
            f"'{name}' is an old name of '{owner.name}'.",
            {
                "name": f"'{name}' is an old name of '{owner.name}' and leads there: merge into '{owner.name}' instead."
            },
        )


def _lock_tags(*tag_ids: int) -> None:
    """Serialize renames and merges of the same tags (PostgreSQL row locks; SQLite writes
    one transaction at a time anyway). Raises Conflict when one went in a merge meanwhile."""
    locked = db.session.scalars(select(Tag.id).where(Tag.id.in_(tag_ids)).order_by(Tag.id).with_for_update())
    if len(list(locked)) != len(set(tag_ids)):
        raise Conflict("That tag was just merged by someone else; reload the page.")


def _flush_or_conflict(message: str, field: str) -> None:
    try:
        db.session.flush()
    except IntegrityError as error:  # a concurrent request took the name between check and write
        raise ValidationFailed(message, {field: message}) from error


def _tagged_question_ids(tag_id: int) -> list[int]:
    return list(
        db.session.scalars(select(question_tags.c.question_id).where(question_tags.c.tag_id == tag_id))
    )


def _move_links(source_id: int, target_id: int) -> int:
    """Link the target to every question of the source that lacks it, then drop the
    source's links; returns how many questions had both tags already."""
    both = db.session.scalar(
        select(func.count())
        .select_from(question_tags)
        .where(question_tags.c.tag_id == source_id, _question_has_tag(target_id))
    )
    lacking = select(question_tags.c.question_id, literal(target_id)).where(
        question_tags.c.tag_id == source_id, ~_question_has_tag(target_id)
    )
    db.session.execute(insert(question_tags).from_select(["question_id", "tag_id"], lacking))
    db.session.execute(delete(question_tags).where(question_tags.c.tag_id == source_id))
    return int(both or 0)


def _question_has_tag(tag_id: int) -> Any:
    """``question_tags.question_id`` already linked to ``tag_id`` (a correlated EXISTS)."""
    other = question_tags.alias("other_link")
    return (
        exists()
        .where(other.c.question_id == question_tags.c.question_id, other.c.tag_id == tag_id)
        .correlate(question_tags)
    )


def _recount(tag: Tag) -> None:
    links = (
        select(func.count())
        .select_from(question_tags)
        .where(question_tags.c.tag_id == tag.id)
        .scalar_subquery()
    )
    db.session.execute(update(Tag).where(Tag.id == tag.id).values(question_count=links))
    db.session.expire(tag, ["question_count"])


def _forget_loaded_tags() -> None:
    """The merge changed links with SQL: loaded questions reload their tags when next read."""
    for loaded in list(db.session.identity_map.values()):
        if isinstance(loaded, Question):
            db.session.expire(loaded, ["tags"])


def _queue_for_search(question_ids: list[int]) -> None:
    for question_id in question_ids:
        post_changed.send(question_id=question_id)
