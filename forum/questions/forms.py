"""Q&A forms. Limits match ``forum.questions.validation``; the services re-check everything."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forum.questions.models import BODY_MAX, COMMENT_MAX, TAG_MAX_LENGTH, TITLE_MAX, TITLE_MIN


class AskForm(FlaskForm):
    title = StringField(
        "Title",
        validators=[DataRequired(), Length(min=TITLE_MIN, max=TITLE_MAX)],
        description="Say what is wrong or what you want to do, like you would to a colleague.",
        render_kw={
            "maxlength": TITLE_MAX,
            "autocomplete": "off",
            "placeholder": "e.g. Invoice shows the wrong VAT number after changing company details",
        },
    )
    body = TextAreaField(
        "Details",
        validators=[DataRequired(), Length(max=BODY_MAX)],
        description="What did you try, what happened, what did you expect? Markdown works: "
        "**bold**, `code`, lists, > quotes and ``` code blocks.",
        render_kw={"rows": 10},
    )
    category = SelectField("Category", validators=[DataRequired()])
    tags = StringField(
        "Tags",
        validators=[DataRequired(), Length(max=200)],
        description="1-5 tags separated by commas, e.g. sso, desktop-app.",
        render_kw={"autocomplete": "off", "list": "tag-suggestions"},
    )
    checked_similar = HiddenField(default="")


class EditQuestionForm(AskForm):
    note = StringField(
        "Edit summary", validators=[Optional(), Length(max=300)], description="Briefly, what did you change?"
    )


class AnswerForm(FlaskForm):
    body = TextAreaField(
        "Your answer",
        validators=[DataRequired(), Length(max=BODY_MAX)],
        description="Share what worked for you. Markdown works.",
        render_kw={"rows": 8},
    )


class EditAnswerForm(AnswerForm):
    note = StringField("Edit summary", validators=[Optional(), Length(max=300)])


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Comment",
        validators=[DataRequired(), Length(min=2, max=COMMENT_MAX)],
        render_kw={"rows": 2, "maxlength": COMMENT_MAX},
    )
    answer_id = HiddenField()


class VoteForm(FlaskForm):
    value = IntegerField(validators=[InputRequired(message="Missing vote."), NumberRange(min=-1, max=1)])


class DuplicateForm(FlaskForm):
    canonical = StringField(
        "Canonical question",
        validators=[DataRequired(), Length(max=300)],
        description="The number or address of the question that already answers this one.",
    )


class RenameTagForm(FlaskForm):
    name = StringField(
        "New name",
        validators=[DataRequired(message="Enter the new name."), Length(max=TAG_MAX_LENGTH)],
        description="Lowercase letters, digits, '-', '.', '+' or '#'. The old name will redirect here.",
        render_kw={"maxlength": TAG_MAX_LENGTH, "autocomplete": "off"},
    )


class MergeTagForm(FlaskForm):
    into = StringField(
        "Merge into",
        validators=[DataRequired(message="Enter the tag to merge into."), Length(max=TAG_MAX_LENGTH)],
        description="Every question with this tag gets that tag instead; this tag's name will redirect there.",
        render_kw={"maxlength": TAG_MAX_LENGTH, "autocomplete": "off"},
    )
