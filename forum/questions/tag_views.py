"""Tag upkeep pages (``/manage/tags``): moderators and admins only, for every route."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from forum.errors import Conflict, DomainError
from forum.extensions import db
from forum.guards import role_guard
from forum.questions.forms import MergeTagForm, RenameTagForm
from forum.questions.models import TAG_MAX_LENGTH, Tag, TagAlias
from forum.questions.permissions import can_manage_tags
from forum.questions.tags import TagChange, merge_tags, old_names_of, rename_tag
from forum.questions.validation import normalize_tag
from forum.web import apply_domain_error

bp = Blueprint("tag_admin", __name__, url_prefix="/manage/tags")
bp.before_request(role_guard(can_manage_tags))
TAGS_PER_PAGE = 50


@bp.get("")
def index() -> ResponseReturnValue:
    """Every tag by name (optionally those starting with ``q``), with its old names."""
    query = normalize_tag(request.args.get("q", ""))[:TAG_MAX_LENGTH]
    statement = select(Tag).order_by(Tag.name)
    if query:
        statement = statement.where(Tag.name.startswith(query, autoescape=True))
    page = db.paginate(statement, per_page=TAGS_PER_PAGE, error_out=False)
    old_names: dict[int, list[str]] = {}
    rows = db.session.execute(
        select(TagAlias.tag_id, TagAlias.name)
        .where(TagAlias.tag_id.in_([tag.id for tag in page.items]))
        .order_by(TagAlias.name)
    )
    for tag_id, name in rows:
        old_names.setdefault(tag_id, []).append(name)
    return render_template("forum/tag_admin.html", page=page, query=query, old_names=old_names)


@bp.get("/<int:tag_id>")
def manage(tag_id: int) -> ResponseReturnValue:
    tag = db.get_or_404(Tag, tag_id)
    return _manage_page(tag, RenameTagForm(formdata=None), MergeTagForm(formdata=None))


@bp.post("/<int:tag_id>/rename")
def rename(tag_id: int) -> ResponseReturnValue:
    tag = db.get_or_404(Tag, tag_id)
    form = RenameTagForm()
    if form.validate_on_submit():
        try:
            change = rename_tag(current_user, tag, form.name.data)
        except DomainError as error:
            if refused := _refused(form, error):
                return refused
        else:
            return _done(change, f"Renamed '{change.old_name}' to '{change.tag.name}'")
    return _manage_page(tag, form, MergeTagForm(formdata=None)), 422


@bp.post("/<int:tag_id>/merge")
def merge(tag_id: int) -> ResponseReturnValue:
    tag = db.get_or_404(Tag, tag_id)
    form = MergeTagForm()
    if form.validate_on_submit():
        try:
            change = merge_tags(current_user, tag, form.into.data)
        except DomainError as error:
            if refused := _refused(form, error):
                return refused
        else:
            return _done(change, f"Merged '{change.old_name}' into '{change.tag.name}'")
    return _manage_page(tag, RenameTagForm(formdata=None), form), 422


def _refused(form: RenameTagForm | MergeTagForm, error: DomainError) -> ResponseReturnValue | None:
    """Roll back; show the problem on the form (None), or leave a tag merged away meanwhile."""
    db.session.rollback()
    if isinstance(error, Conflict):
        flash(error.message, "error")
        return redirect(url_for("tag_admin.index"))
    apply_domain_error(form, error)
    return None


def _done(change: TagChange, what: str) -> ResponseReturnValue:
    name = change.tag.name
    db.session.commit()
    both = f"; {change.already_tagged} already had both" if change.already_tagged else ""
    flash(
        f"{what}: {change.questions} question{'s' if change.questions != 1 else ''} updated{both}. "
        f"/tags/{change.old_name} now leads here.",
        "success",
    )
    return redirect(url_for("browse.tag", name=name))


def _manage_page(tag: Tag, rename_form: RenameTagForm, merge_form: MergeTagForm) -> str:
    return render_template(
        "forum/tag_manage.html",
        tag=tag,
        old_names=old_names_of(tag),
        rename_form=rename_form,
        merge_form=merge_form,
    )
