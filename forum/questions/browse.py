"""Browsing: category and tag pages, the tag list and suggestions, Atom feeds, notifications."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from forum.accounts.models import User
from forum.extensions import db
from forum.questions.models import TAG_MAX_LENGTH, Category, Notification, Question, Tag
from forum.questions.notifications import KINDS, mark_all_read
from forum.questions.permissions import can_manage_tags
from forum.questions.queries import SORTS, categories, question_list
from forum.questions.tags import tag_for_old_name
from forum.web import slugify

bp = Blueprint("browse", __name__)
PER_PAGE = 20
FEED_SIZE = 30


def _sort() -> str:
    sort = request.args.get("sort", "newest")
    return sort if sort in SORTS else "newest"


@bp.get("/categories/<slug>")
def category(slug: str) -> ResponseReturnValue:
    found = db.session.scalar(select(Category).where(Category.slug == slug)) or abort(404)
    sort = _sort()
    page = db.paginate(question_list(sort, category=found), per_page=PER_PAGE, error_out=False)
    return render_template(
        "forum/listing.html",
        page=page,
        sort=sort,
        heading=found.name,
        description=found.description,
        category=found,
        endpoint="browse.category",
        feed=url_for("browse.category_feed", slug=slug),
        categories=db.session.scalars(categories()).all(),
    )


@bp.get("/tags/<name>")
def tag(name: str) -> ResponseReturnValue:
    found = db.session.scalar(select(Tag).where(Tag.name == name.lower()))
    if found is None:
        return _old_tag_name(name)
    sort = _sort()
    page = db.paginate(question_list(sort, tag=found), per_page=PER_PAGE, error_out=False)
    return render_template(
        "forum/listing.html",
        page=page,
        sort=sort,
        heading=f"Tagged {found.name}",
        description=f"{found.question_count} questions",
        endpoint="browse.tag",
        categories=db.session.scalars(categories()).all(),
        manage_url=url_for("tag_admin.manage", tag_id=found.id) if can_manage_tags(current_user) else None,
    )


def _old_tag_name(name: str) -> ResponseReturnValue:
    """A renamed or merged tag's old address leads to the tag it became (links never break)."""
    renamed = tag_for_old_name(name) or abort(404)
    response = redirect(
        url_for(
            "browse.tag",
            name=renamed.name,
            sort=request.args.get("sort"),
            page=request.args.get("page"),
        ),
        code=301,
    )
    # Browsers keep a 301 forever unless told otherwise; a name can be taken back later.
    response.headers["Cache-Control"] = "max-age=86400"
    return response


@bp.get("/tags")
def tags() -> ResponseReturnValue:
    all_tags = db.paginate(
        select(Tag).where(Tag.question_count > 0).order_by(Tag.question_count.desc(), Tag.name),
        per_page=100,
        error_out=False,
    )
    return render_template("forum/tags.html", page=all_tags)


@bp.get("/tags/suggest")
def suggest_tags() -> ResponseReturnValue:
    """Existing tags starting with ``prefix`` (most used first), for the ask form."""
    prefix = request.args.get("prefix", "").strip().lower()[:TAG_MAX_LENGTH]
    statement = select(Tag.name).order_by(Tag.question_count.desc(), Tag.name).limit(10)
    if prefix:
        statement = statement.where(Tag.name.startswith(prefix, autoescape=True))
    return {"items": list(db.session.scalars(statement))}


def _atom(title: str, self_url: str, questions: list[Question]) -> Response:
    body = render_template(
        "forum/feed.xml", title=title, self_url=self_url, questions=questions, slugify=slugify
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/feeds/questions.atom")
def questions_feed() -> ResponseReturnValue:
    questions = db.session.scalars(question_list("newest").limit(FEED_SIZE)).unique().all()
    return _atom("Newest questions", request.url, list(questions))


@bp.get("/feeds/categories/<slug>.atom")
def category_feed(slug: str) -> ResponseReturnValue:
    found = db.session.scalar(select(Category).where(Category.slug == slug)) or abort(404)
    questions = db.session.scalars(question_list("newest", category=found).limit(FEED_SIZE)).unique().all()
    return _atom(f"Newest questions in {found.name}", request.url, list(questions))


@bp.get("/notifications")
@login_required
def notifications() -> ResponseReturnValue:
    statement = (
        select(Notification)
        .where(Notification.user_id == current_user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    page = db.paginate(statement, per_page=30, error_out=False)
    ids = {n.question_id for n in page.items}
    titles = dict(db.session.execute(select(Question.id, Question.title).where(Question.id.in_(ids))).all())
    actor_ids = {n.actor_id for n in page.items if n.actor_id}
    actors = dict(db.session.execute(select(User.id, User.username).where(User.id.in_(actor_ids))).all())
    return render_template("forum/notifications.html", page=page, titles=titles, actors=actors, kinds=KINDS)


@bp.post("/notifications/read")
@login_required
def read_notifications() -> ResponseReturnValue:
    count = mark_all_read(current_user.id)
    db.session.commit()
    flash(f"Marked {count} notification{'s' if count != 1 else ''} as read.", "success")
    return redirect(url_for("browse.notifications"))
