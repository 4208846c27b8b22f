"""Account pages: register, log in, log out, profile, change password."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user

from forum.accounts import limits
from forum.accounts.forms import ChangePasswordForm, EmptyForm, LoginForm, RegisterForm
from forum.accounts.services import authenticate, change_password, find_user, register_user
from forum.errors import DomainError
from forum.extensions import db, limiter
from forum.questions.queries import user_answers, user_questions
from forum.urls import safe_next
from forum.web import apply_domain_error

bp = Blueprint("accounts", __name__)
PROFILE_LIST_SIZE = 20


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(limits.register_limit_per_ip, methods=["POST"])
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("forum.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = register_user(form.username.data, form.email.data, form.password.data)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            login_user(user)
            flash(f"Welcome to the community, {user.username}! Your account is ready.", "success")
            return redirect(url_for("forum.home"))
    status = 422 if form.errors or request.method == "POST" else 200
    return render_template("accounts/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(limits.login_limit_per_ip, methods=["POST"])
@limiter.limit(
    limits.login_limit_per_account,
    key_func=limits.login_account_key,
    methods=["POST"],
    deduct_when=limits.failed_login,
)
def login() -> ResponseReturnValue:
    form = LoginForm(next=request.args.get("next", ""))
    if current_user.is_authenticated:
        return redirect(safe_next(form.next.data) or url_for("forum.home"))
    status = 200
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            flash(f"Signed in as {user.username}.", "success")
            return redirect(safe_next(form.next.data) or url_for("forum.home"))
        form.password.errors = ["That username and password do not match an account."]
    if request.method == "POST":
        status = 422
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if EmptyForm().validate_on_submit():
        logout_user()
        flash("You are signed out.", "success")
    return redirect(url_for("forum.home"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            login_user(current_user._get_current_object(), fresh=True)
            flash("Password changed. Your other sessions were signed out.", "success")
            return redirect(url_for("accounts.profile", username=current_user.username))
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/password.html", form=form), status


@bp.get("/users/<username>")
def profile(username: str) -> ResponseReturnValue:
    user = find_user(username)
    if user is None:
        abort(404)
    questions = db.session.scalars(user_questions(user.id).limit(PROFILE_LIST_SIZE)).unique().all()
    answers = db.session.scalars(user_answers(user.id).limit(PROFILE_LIST_SIZE)).all()
    return render_template("accounts/profile.html", user=user, questions=questions, answers=answers)
