"""Forms of the analytics area: the survey, "Contact support" and the cost of a call."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional

from analytics.support import BODY_MAX, EMAIL_MAX, SUBJECT_MAX

YES_NO = [SelectChoice("yes", "Yes"), SelectChoice("no", "No")]


class SurveyForm(FlaskForm):
    """Both survey questions; ``contacted`` is only sent after a yes."""

    solved = RadioField("Did this solve your problem?", choices=YES_NO, validators=[DataRequired()])
    contacted = RadioField(
        "Would you have contacted support otherwise?", choices=YES_NO, validators=[Optional()]
    )


class SupportRequestForm(FlaskForm):
    email = EmailField(
        "Your email",
        validators=[DataRequired(), Email(), Length(max=EMAIL_MAX)],
        description="Support replies here. It is not shown to anyone else.",
        render_kw={"autocomplete": "email", "maxlength": EMAIL_MAX},
    )
    subject = StringField(
        "Subject",
        validators=[DataRequired(), Length(max=SUBJECT_MAX)],
        render_kw={"maxlength": SUBJECT_MAX},
    )
    body = TextAreaField(
        "Describe the problem",
        validators=[DataRequired(), Length(max=BODY_MAX)],
        description="What you tried, what happened, and any error message.",
        render_kw={"rows": 7, "maxlength": BODY_MAX},
    )
    category = SelectField("Topic", validators=[Optional()], validate_choice=False)
    question_id = HiddenField()


class CallCostForm(FlaskForm):
    amount = StringField(
        "Cost of a call",
        validators=[Optional(), Length(max=20)],
        description="Fully loaded cost of one support call, e.g. 25.00. Leave empty with a "
        "category to return it to the general cost.",
        render_kw={"inputmode": "decimal", "placeholder": "25.00"},
    )
    effective_from = DateField(
        "In force from", validators=[DataRequired()], description="Today or a later date."
    )
    category = SelectField("Applies to", validate_choice=False)
    note = StringField(
        "Note", validators=[Optional(), Length(max=200)], description="Why it changed (for the audit log)."
    )
