"""Account forms. The same rules as the services, shown inline next to each field."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Email, Length, ValidationError

from forum.accounts.models import EMAIL_MAX, USERNAME_MAX
from forum.accounts.services import (
    PASSWORD_MAX,
    PASSWORD_MIN,
    find_user,
    password_problem,
    username_problem,
)
from forum.roles import ROLE_CHOICES, Role


def _username_rule(_form: Any, field: Any) -> None:
    if problem := username_problem(field.data or ""):
        raise ValidationError(problem)


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired(), Length(max=USERNAME_MAX), _username_rule],
        description="3-30 letters, digits, '.', '_' or '-'. Shown on everything you post.",
        render_kw={"autocomplete": "username", "maxlength": USERNAME_MAX},
    )
    email = EmailField(
        "Email",
        validators=[DataRequired(), Length(max=EMAIL_MAX), Email()],
        description="Never shown to others.",
        render_kw={"autocomplete": "email", "maxlength": EMAIL_MAX},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(min=PASSWORD_MIN, max=PASSWORD_MAX)],
        description=f"At least {PASSWORD_MIN} characters. A short sentence works well.",
        render_kw={"autocomplete": "new-password", "minlength": PASSWORD_MIN},
    )

    def validate_username(self, field: Any) -> None:
        if field.data and find_user(field.data) is not None:
            raise ValidationError("That username is taken.")

    def validate_password(self, field: Any) -> None:
        if problem := password_problem(field.data or "", self.username.data or ""):
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired(), Length(max=USERNAME_MAX)],
        render_kw={"autocomplete": "username", "autofocus": True},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired(), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in for 30 days")
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired(), Length(max=PASSWORD_MAX)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=PASSWORD_MIN, max=PASSWORD_MAX)],
        description=f"At least {PASSWORD_MIN} characters. Your other sessions will be signed out.",
        render_kw={"autocomplete": "new-password", "minlength": PASSWORD_MIN},
    )


class RoleForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=[SelectChoice(value, Role(value).label) for value in ROLE_CHOICES],
        validators=[DataRequired()],
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for POST-only action buttons."""
