"""Thread actions (POST only, CSRF-protected): answer, comment, vote, accept, delete, restore,
close as duplicate. Each redirects back to the thread with a message saying what happened;
votes also answer JSON for the page's script."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from forum.audit import audit_if_on_behalf, record_privileged_action
from forum.error_pages import error_object
from forum.errors import DomainError
from forum.extensions import db
from forum.questions import permissions, services, voting
from forum.questions.forms import AnswerForm, CommentForm, DuplicateForm, VoteForm
from forum.questions.models import Answer, Question
from forum.questions.queries import load_thread
from forum.questions.views import thread_url
from forum.roles import is_moderator
from forum.web import apply_domain_error, form_errors_message, question_reference

bp = Blueprint("posts", __name__)


def _question_or_404(question_id: int) -> Question:
    question = db.get_or_404(Question, question_id)
    if not permissions.can_see(current_user, question):
        abort(404)
    return question


def _answer_or_404(answer_id: int) -> Answer:
    answer = db.get_or_404(Answer, answer_id)
    if not permissions.can_see(current_user, answer):
        abort(404)
    _question_or_404(answer.question_id)
    return answer


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.post("/questions/<int:question_id>/answers")
@login_required
def answer(question_id: int) -> ResponseReturnValue:
    question = _question_or_404(question_id)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            new_answer = services.post_answer(current_user, question, form.body.data)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash("Thanks - your answer is posted.", "success")
            return redirect(thread_url(question, _anchor=f"answer-{new_answer.id}"))
    # Show the thread again with the draft and its errors, so nothing typed is lost.
    loaded = load_thread(question_id, current_user)
    return render_template(
        "questions/thread.html",
        thread=loaded,
        q=question,
        answer_form=form,
        comment_form=CommentForm(),
        permissions=permissions,
    ), 422


@bp.post("/questions/<int:question_id>/comments")
@login_required
def comment(question_id: int) -> ResponseReturnValue:
    question = _question_or_404(question_id)
    form = CommentForm()
    target = None
    if form.answer_id.data:
        if not form.answer_id.data.isdigit():
            abort(400)
        target = _answer_or_404(int(form.answer_id.data))
    anchor = f"answer-{target.id}" if target else "question"
    if not form.validate_on_submit():
        flash("Comments need 2-600 characters.", "error")
        return redirect(thread_url(question, _anchor=anchor))
    try:
        services.post_comment(current_user, question, form.body.data, target)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash("Comment added.", "success")
    return redirect(thread_url(question, _anchor=anchor))


@bp.post("/<any(questions, answers):kind>/<int:post_id>/vote")
@login_required
def vote(kind: str, post_id: int) -> ResponseReturnValue:
    post: Question | Answer = _question_or_404(post_id) if kind == "questions" else _answer_or_404(post_id)
    question_id = post.id if isinstance(post, Question) else post.question_id
    form = VoteForm()
    if not form.validate_on_submit():
        if _wants_json():
            return error_object("invalid", "A vote is 1, -1 or 0."), 422
        flash("That vote was not understood.", "error")
        return redirect(thread_url(_question_or_404(question_id)))
    try:
        score = voting.cast_vote(current_user, kind[:-1], post_id, form.value.data)
    except DomainError as error:
        db.session.rollback()
        if _wants_json():
            return error_object(error.code, error.message, error.fields), error.status
        flash(error.message, "error")
    else:
        db.session.commit()
        if _wants_json():
            return {"score": score, "value": form.value.data}
        flash({1: "Upvoted.", -1: "Downvoted.", 0: "Vote removed."}[form.value.data], "success")
    anchor = "question" if kind == "questions" else f"answer-{post_id}"
    return redirect(thread_url(_question_or_404(question_id), _anchor=anchor))


@bp.post("/answers/<int:answer_id>/accept")
@login_required
def accept(answer_id: int) -> ResponseReturnValue:
    accepted = _answer_or_404(answer_id)
    question = _question_or_404(accepted.question_id)
    if not permissions.can_accept(current_user, question):
        abort(403)
    voting.accept_answer(current_user, accepted)
    audit_if_on_behalf(current_user, question.author_id, "answer.accept", "answer", accepted.id)
    db.session.commit()
    flash("Marked as the answer that solved it. Thanks for closing the loop!", "success")
    return redirect(thread_url(question, _anchor=f"answer-{answer_id}"))


@bp.post("/questions/<int:question_id>/unaccept")
@login_required
def unaccept(question_id: int) -> ResponseReturnValue:
    question = _question_or_404(question_id)
    if not permissions.can_accept(current_user, question):
        abort(403)
    voting.unaccept_answer(current_user, question)
    audit_if_on_behalf(current_user, question.author_id, "answer.unaccept", "question", question.id)
    db.session.commit()
    flash("The accepted answer was unmarked.", "success")
    return redirect(thread_url(question))


@bp.post("/<any(questions, answers):kind>/<int:post_id>/delete")
@login_required
def delete(kind: str, post_id: int) -> ResponseReturnValue:
    post: Question | Answer = _question_or_404(post_id) if kind == "questions" else _answer_or_404(post_id)
    if not permissions.can_delete(current_user, post):
        abort(403)
    services.delete_post(current_user, post)
    audit_if_on_behalf(current_user, post.author_id, f"{kind[:-1]}.delete", kind[:-1], post.id)
    db.session.commit()
    flash("Deleted. A moderator can still restore it.", "success")
    if isinstance(post, Question):
        return redirect("/")
    return redirect(thread_url(_question_or_404(post.question_id)))


@bp.post("/<any(questions, answers):kind>/<int:post_id>/restore")
@login_required
def restore(kind: str, post_id: int) -> ResponseReturnValue:
    post: Question | Answer = (
        db.get_or_404(Question, post_id) if kind == "questions" else db.get_or_404(Answer, post_id)
    )
    if not is_moderator(current_user):
        abort(403 if permissions.can_see(current_user, post) else 404)
    services.restore_post(current_user, post)
    record_privileged_action(current_user, f"{kind[:-1]}.restore", kind[:-1], post.id)
    db.session.commit()
    flash("Restored.", "success")
    question_id = post.id if isinstance(post, Question) else post.question_id
    return redirect(thread_url(db.get_or_404(Question, question_id)))


@bp.post("/questions/<int:question_id>/duplicate")
@login_required
def close_duplicate(question_id: int) -> ResponseReturnValue:
    question = _question_or_404(question_id)
    if not permissions.can_close_as_duplicate(current_user):
        abort(403)
    form = DuplicateForm()
    canonical_id = question_reference(form.canonical.data or "") if form.validate_on_submit() else None
    canonical = db.session.get(Question, canonical_id) if canonical_id else None
    if canonical is None or not canonical.is_visible:
        flash(form_errors_message(form) if form.errors else "No visible question has that number.", "error")
        return redirect(thread_url(question))
    try:
        services.close_as_duplicate(current_user, question, canonical)
        record_privileged_action(
            current_user,
            "question.close_duplicate",
            "question",
            question.id,
            after={"duplicate_of": canonical.id},
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(f"Closed as a duplicate of “{canonical.title}”.", "success")
    return redirect(thread_url(question))
