"""Admin forms. Limits match ``forum.questions.categories``; the service re-checks everything."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.questions.categories import DESCRIPTION_MAX, NAME_MAX, NAME_MIN, SLUG_MAX


class CategoryForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired(message="Enter the category's name."), Length(min=NAME_MIN, max=NAME_MAX)],
        description="Shown on the ask form, on every question in it and on its page, e.g. Mobile apps.",
        render_kw={"maxlength": NAME_MAX, "autocomplete": "off"},
    )
    slug = StringField(
        "Address",
        validators=[Optional(), Length(max=SLUG_MAX)],
        description="The end of /categories/…; leave empty to make it from the name.",
        render_kw={"maxlength": SLUG_MAX, "autocomplete": "off", "placeholder": "mobile-apps"},
    )
    description = TextAreaField(
        "Description",
        validators=[Optional(), Length(max=DESCRIPTION_MAX)],
        description="One sentence on what belongs here, shown on the category's page.",
        render_kw={"rows": 2, "maxlength": DESCRIPTION_MAX},
    )


class CategoryEditForm(FlaskForm):
    """Rename a category or change its description (its address stays)."""

    name = CategoryForm.name
    description = CategoryForm.description


class CategoryRemoveForm(FlaskForm):
    submit = SubmitField("Remove category")
