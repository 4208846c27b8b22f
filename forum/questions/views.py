"""Thread pages: read a thread, ask, edit, revision history, Markdown preview."""

from __future__ import annotations

import difflib
import secrets
from collections.abc import Hashable
from dataclasses import replace
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.sansio.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from wtforms import SelectChoice

from forum.audit import audit_if_on_behalf
from forum.errors import DomainError
from forum.extensions import db
from forum.markup import render_markdown
from forum.questions import permissions, services
from forum.questions.articles import Article, ThreadArticles
from forum.questions.forms import AnswerForm, AskForm, EditAnswerForm, EditQuestionForm
from forum.questions.models import BODY_MAX, Answer, Category, Question
from forum.questions.queries import (
    Thread,
    categories,
    current_thread_version,
    load_thread,
    revisions_of,
    thread_question,
    thread_version,
)
from forum.questions.validation import split_tags
from forum.roles import is_moderator
from forum.search import similar_questions
from forum.signals import question_viewed
from forum.web import apply_domain_error, slugify

bp = Blueprint("questions", __name__)
_ARTICLES_KEY = "peerdesk_thread_articles"


def thread_url(question: Question, **params: Any) -> str:
    return url_for("questions.thread", question_id=question.id, slug=slugify(question.title), **params)


def _visible_question_or_404(question_id: int) -> Question:
    question = db.get_or_404(Question, question_id)
    if not permissions.can_see(current_user, question):
        abort(404)
    return question


class _PageActionForm:
    """``action_form()`` for one page: the empty form's CSRF field, rendered once.

    Every action button on a thread (two votes per post, flags, accept...) is a form with
    the same CSRF field; building and rendering a form for each cost more than the rest
    of the page together.
    """

    def __init__(self) -> None:
        self._field: Markup | None = None

    def __call__(self) -> _PageActionForm:
        return self

    @property
    def csrf_token(self) -> Markup:
        if self._field is None:
            self._field = _csrf_field()
        return self._field


def _csrf_field() -> Markup:
    """The hidden field ``EmptyForm().csrf_token`` renders, with Flask-WTF's own token, without
    building a form for it (a fifth of an anonymous thread page's time); empty when CSRF
    protection is off."""
    config = current_app.config
    if not config.get("WTF_CSRF_ENABLED", True):
        return Markup("")
    name = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    return Markup('<input id="{0}" name="{0}" type="hidden" value="{1}">').format(name, generate_csrf())


def _category_choices(form: AskForm) -> None:
    form.category.choices = [SelectChoice(c.slug, c.name) for c in db.session.scalars(categories())]


class _MarkedActionForm:
    """``action_form()`` while rendering a shared thread: every CSRF field is a marker that
    each request replaces with its own (user content cannot contain an HTML comment)."""

    csrf_token = Markup(f"<!--csrf-{secrets.token_hex(8)}-->")

    def __call__(self) -> _MarkedActionForm:
        return self


@bp.record_once
def _set_up_articles(state: BlueprintSetupState) -> None:
    config = state.app.config
    state.app.extensions[_ARTICLES_KEY] = ThreadArticles(
        float(config["THREAD_CACHE_SECONDS"]), int(config["THREAD_CACHE_ENTRIES"])
    )


def _cached_article(question_id: int) -> Article | None:
    """The shared article of a thread still at its current version, if this worker has one."""
    articles: ThreadArticles = current_app.extensions[_ARTICLES_KEY]
    if question_id not in articles:  # most crawler reads: no need to read the version
        return None
    version = current_thread_version(question_id)
    return articles.get(question_id, version) if version is not None else None


def _anonymous_article(question: Question, state: Hashable) -> Article:
    """Render the thread's shared part (question, comments, answers) and keep it for other readers."""
    loaded = load_thread(question.id, current_user)
    assert loaded is not None  # the row was just read
    html = render_template(
        "questions/_thread_article.html",
        thread=loaded,
        q=loaded.question,
        permissions=permissions,
        action_form=_MarkedActionForm(),
    )
    articles: ThreadArticles = current_app.extensions[_ARTICLES_KEY]
    return articles.put(
        question.id, thread_version(question, state), html, replace(loaded, question=question)
    )


def _with_csrf_field(article: Article, action_form: _PageActionForm) -> Markup:
    """The article's HTML with this reader's CSRF field in every form."""
    field = action_form.csrf_token if _MarkedActionForm.csrf_token in article.html else Markup("")
    return Markup(article.html.replace(_MarkedActionForm.csrf_token, field))


@bp.get("/questions/<int:question_id>")
@bp.get("/questions/<int:question_id>/<slug>")
def thread(question_id: int, slug: str | None = None) -> ResponseReturnValue:
    """A thread; a wrong or missing slug redirects to the right address (links never break)."""
    loaded: Thread | None = None
    article: Article | None = None
    state: Hashable = None
    if current_user.is_authenticated:
        loaded = load_thread(question_id, current_user, include_hidden=is_moderator(current_user))
        question = loaded.question if loaded is not None else None
    elif (article := _cached_article(question_id)) is not None:
        # Its version matched: the question it was rendered with is the current one.
        loaded = article.thread
        question = loaded.question
    else:
        question, state = thread_question(question_id) or (None, None)
    if question is None or not permissions.can_see(current_user, question):
        abort(404)
    right_slug = slugify(question.title)
    if slug != right_slug:
        query = request.query_string.decode()
        return redirect(thread_url(question) + (f"?{query}" if query else ""), code=301)
    action_form = _PageActionForm()  # one CSRF field for the cached article and the page
    if loaded is None:  # an anonymous reader and no current article: render it for everyone
        article = _anonymous_article(question, state)
        loaded = article.thread
    question_viewed.send(question=question, viewer=current_user)
    return render_template(
        "questions/thread.html",
        article=_with_csrf_field(article, action_form) if article is not None else None,
        thread=loaded,
        q=question,
        answer_form=AnswerForm() if permissions.can_answer(current_user, question) else None,
        permissions=permissions,
        action_form=action_form,
    )


@bp.route("/ask", methods=["GET", "POST"])
@login_required
def ask() -> ResponseReturnValue:
    form = AskForm()
    _category_choices(form)
    if not form.category.data and request.args.get("category"):
        form.category.data = request.args["category"]
    if request.method == "GET" and request.args.get("title"):
        form.title.data = request.args["title"][:150]
    preview_html = None
    similar = None
    if request.method == "POST" and "check_similar" in request.form:
        # The no-JavaScript path: show similar questions before posting, keep the draft.
        title = (form.title.data or "").strip()
        similar = similar_questions(title, form.body.data or "") if title else []
        if form.body.data:
            preview_html = render_markdown(form.body.data)
        return render_template("questions/ask.html", form=form, preview_html=preview_html, similar=similar)
    if form.validate_on_submit():
        if "preview" in request.form:
            preview_html = render_markdown(form.body.data)
        else:
            try:
                question = services.ask_question(
                    current_user,
                    form.title.data,
                    form.body.data,
                    form.category.data,
                    split_tags(form.tags.data),
                )
            except DomainError as error:
                db.session.rollback()
                apply_domain_error(form, error)
            else:
                db.session.commit()
                flash("Your question is posted. We will let you know when someone answers.", "success")
                return redirect(thread_url(question))
    status = 422 if request.method == "POST" and form.errors else 200
    return render_template(
        "questions/ask.html", form=form, preview_html=preview_html, similar=similar
    ), status


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@login_required
def edit_question(question_id: int) -> ResponseReturnValue:
    question = _visible_question_or_404(question_id)
    if not permissions.can_edit(current_user, question):
        abort(403)
    form = EditQuestionForm(obj=question if request.method == "GET" else None)
    _category_choices(form)
    if request.method == "GET":
        form.category.data = db.session.get(Category, question.category_id).slug  # type: ignore[union-attr]
        form.tags.data = ", ".join(tag.name for tag in question.tags)
    if form.validate_on_submit():
        try:
            services.edit_question(
                current_user,
                question,
                form.title.data,
                form.body.data,
                form.category.data,
                split_tags(form.tags.data),
                form.note.data or "",
            )
            audit_if_on_behalf(current_user, question.author_id, "question.edit", "question", question.id)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash("Your edit is saved; the earlier version is in the history.", "success")
            return redirect(thread_url(question))
    status = 422 if request.method == "POST" else 200
    return render_template("questions/edit.html", form=form, post=question, kind="question"), status


@bp.route("/answers/<int:answer_id>/edit", methods=["GET", "POST"])
@login_required
def edit_answer(answer_id: int) -> ResponseReturnValue:
    answer = db.get_or_404(Answer, answer_id)
    question = _visible_question_or_404(answer.question_id)
    if not permissions.can_see(current_user, answer):
        abort(404)
    if not permissions.can_edit(current_user, answer):
        abort(403)
    form = EditAnswerForm(obj=answer if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            services.edit_answer(current_user, answer, form.body.data, form.note.data or "")
            audit_if_on_behalf(current_user, answer.author_id, "answer.edit", "answer", answer.id)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash("Your edit is saved; the earlier version is in the history.", "success")
            return redirect(thread_url(question, _anchor=f"answer-{answer.id}"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "questions/edit.html", form=form, post=answer, question=question, kind="answer"
    ), status


def _diff_lines(older: str, newer: str) -> list[tuple[str, str]]:
    """Line differences as (kind, text) with kind one of ' ', '+', '-' (escaped by Jinja)."""
    diff = difflib.ndiff(older.splitlines(), newer.splitlines())
    return [(line[0], line[2:]) for line in diff if line[:1] in (" ", "+", "-")]


@bp.get("/questions/<int:post_id>/revisions", defaults={"kind": "questions"})
@bp.get("/answers/<int:post_id>/revisions", defaults={"kind": "answers"})
def revisions(kind: str, post_id: int) -> ResponseReturnValue:
    target_type = kind[:-1]
    post: Question | Answer = (
        db.get_or_404(Question, post_id) if target_type == "question" else db.get_or_404(Answer, post_id)
    )
    question = post if isinstance(post, Question) else _visible_question_or_404(post.question_id)
    if not permissions.can_see(current_user, post) or not permissions.can_see(current_user, question):
        abort(404)
    history = list(db.session.scalars(revisions_of(target_type, post_id)))
    entries = []
    for index, revision in enumerate(history):
        previous = history[index + 1] if index + 1 < len(history) else None
        older = f"{previous.title or ''}\n{previous.body}" if previous else ""
        newer = f"{revision.title or ''}\n{revision.body}"
        entries.append({"revision": revision, "diff": _diff_lines(older, newer) if previous else None})
    return render_template(
        "questions/revisions.html", post=post, question=question, entries=entries, kind=target_type
    )


@bp.post("/preview")
def preview() -> ResponseReturnValue:
    """Rendered, sanitized HTML of Markdown being typed (the ask and answer previews)."""
    source = request.form.get("body", "")[:BODY_MAX]
    return {"html": render_markdown(source)}
