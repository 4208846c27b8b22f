"""Admin pages: users and roles, categories. Admin-only by default (``before_request``)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import func, or_, select

from forum.accounts.forms import RoleForm
from forum.accounts.models import User
from forum.accounts.services import set_role
from forum.admin.forms import CategoryEditForm, CategoryForm, CategoryRemoveForm
from forum.audit import record_privileged_action
from forum.errors import DomainError
from forum.extensions import db
from forum.form_actions import acting_user, carry_out
from forum.guards import role_guard
from forum.questions.categories import add_category, edit_category, remove_category
from forum.questions.models import Category, Question
from forum.questions.queries import categories as categories_in_order
from forum.roles import ROLE_CHOICES, is_admin
from forum.urls import safe_next

bp = Blueprint("admin", __name__, url_prefix="/admin")
USERS_PER_PAGE = 30


bp.before_request(role_guard(is_admin))


@bp.get("/users")
def users() -> ResponseReturnValue:
    query = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    statement = select(User).order_by(User.created_at.desc())
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(or_(User.username_key.like(pattern), User.email.like(pattern)))
    if role in ROLE_CHOICES:
        statement = statement.where(User.role == role)
    page = db.paginate(statement, per_page=USERS_PER_PAGE, error_out=False)
    counts = dict(db.session.execute(select(User.role, func.count()).group_by(User.role)).all())
    return render_template(
        "admin/users.html", page=page, query=query, role=role, counts=counts, role_form=RoleForm
    )


@bp.post("/users/<int:user_id>/role")
def change_role(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash("Choose a role from the list.", "error")
        return redirect(url_for("admin.users"))
    try:
        before = set_role(user, form.role.data)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("admin.users"))
    actor = current_user._get_current_object()
    record_privileged_action(actor, "role.change", "user", user.id, before=before, after=user.role)
    db.session.commit()
    if before == user.role:
        flash(f"{user.username} already was {user.role_label}.", "info")
    else:
        flash(f"{user.username} is now {user.role_label} (was {before}).", "success")
    return redirect(safe_next(request.form.get("next")) or url_for("admin.users"))


@bp.route("/categories", methods=["GET", "POST"])
def categories() -> ResponseReturnValue:
    """Every category in ask-form order, and a form to add one."""
    form = CategoryForm()
    if form.validate_on_submit() and carry_out(
        lambda: add_category(
            acting_user(), form.name.data, form.slug.data or "", form.description.data or ""
        ),
        lambda category: f"Added the category {category.name} (/categories/{category.slug}).",
        form=form,
    ):
        return redirect(url_for("admin.categories"))
    status = 422 if request.method == "POST" else 200
    existing = db.session.scalars(categories_in_order()).all()
    counts = dict(
        db.session.execute(select(Question.category_id, func.count()).group_by(Question.category_id)).all()
    )
    return render_template("admin/categories.html", form=form, categories=existing, counts=counts), status


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
def edit_category_page(category_id: int) -> ResponseReturnValue:
    """Rename a category or change its description; remove it while nobody has asked in it."""
    category = db.get_or_404(Category, category_id)
    form = CategoryEditForm(obj=category)
    old_name = category.name
    if form.validate_on_submit() and carry_out(
        lambda: edit_category(acting_user(), category, form.name.data, form.description.data or ""),
        lambda saved: (
            f"Saved the category {saved.name}{f' (was {old_name})' if old_name != saved.name else ''}."
        ),
        form=form,
    ):
        return redirect(url_for("admin.categories"))
    return _category_page(category, form, 422 if request.method == "POST" else 200)


@bp.post("/categories/<int:category_id>/remove")
def remove_category_page(category_id: int) -> ResponseReturnValue:
    category = db.get_or_404(Category, category_id)
    if CategoryRemoveForm().validate_on_submit() and not carry_out(
        lambda: remove_category(acting_user(), category), f"Removed the category {category.name}."
    ):
        return _category_page(category, CategoryEditForm(obj=category), 409)
    return redirect(url_for("admin.categories"))


def _category_page(category: Category, form: CategoryEditForm, status: int) -> ResponseReturnValue:
    questions = db.session.scalar(select(func.count()).where(Question.category_id == category.id)) or 0
    page = render_template(
        "admin/category_edit.html",
        form=form,
        remove_form=CategoryRemoveForm(),
        category=category,
        questions=questions,
    )
    return page, status
