"""Forms of the moderation pages. Limits match the services, which re-check everything."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from moderation.models import ACCURACY_NOTE_MAX, FLAG_NOTE_MAX, FLAG_REASONS, REASON_LABELS, VERDICTS
from moderation.routing_models import ROUTING_STATUSES, SIGNALS

REASON_HINTS = {
    "spam": "Advertising or links that do not help anyone.",
    "offensive": "Abusive, hateful or harassing.",
    "off_topic": "Not about the product or its support.",
    "inaccurate": "Wrong, or no longer true for the current release.",
    "duplicate": "Already asked and answered elsewhere.",
    "other": "Something else - tell us in the note.",
}


class FlagForm(FlaskForm):
    target_type = HiddenField(validators=[DataRequired()])
    target_id = HiddenField(validators=[DataRequired()])
    reason = RadioField(
        "Why should a moderator look at this?",
        choices=[SelectChoice(reason, REASON_LABELS[reason]) for reason in FLAG_REASONS],
        validators=[InputRequired(message="Choose a reason.")],
    )
    note = TextAreaField("Note for the moderators", validators=[Optional(), Length(max=FLAG_NOTE_MAX)])
    duplicate_of = StringField(
        "Original question (number or address)", validators=[Optional(), Length(max=300)]
    )


class NoteForm(FlaskForm):
    note = StringField("Note", validators=[Optional(), Length(max=FLAG_NOTE_MAX)])
    next = HiddenField()


class DuplicateForm(NoteForm):
    canonical = StringField(
        "Original question (number or address)", validators=[DataRequired(), Length(max=300)]
    )


class BulkForm(FlaskForm):
    action = SelectField(
        "With the selected posts",
        choices=[
            SelectChoice("dismiss", "Dismiss flags"),
            SelectChoice("hide", "Hide"),
            SelectChoice("delete", "Delete"),
            SelectChoice("release", "Publish (held)"),
        ],
    )
    items = SelectMultipleField("Posts", validate_choice=False)
    note = StringField("Note", validators=[Optional(), Length(max=FLAG_NOTE_MAX)])
    next = HiddenField()


class WarnForm(FlaskForm):
    message = TextAreaField("Warning shown to the member", validators=[DataRequired(), Length(max=1000)])
    next = HiddenField()


class SuspendForm(FlaskForm):
    until = DateField("Suspended until (start of day, UTC)", validators=[DataRequired()])
    reason = TextAreaField("Reason shown to the member", validators=[DataRequired(), Length(max=500)])
    next = HiddenField()


class AccuracyForm(FlaskForm):
    verdict = SelectField(
        "Verdict", choices=[SelectChoice(v, v) for v in VERDICTS], validators=[DataRequired()]
    )
    note = TextAreaField("Note shown to readers", validators=[Optional(), Length(max=ACCURACY_NOTE_MAX)])
    next = HiddenField()


class SpamRulesForm(FlaskForm):
    banned_words = TextAreaField(
        "Banned words and phrases",
        description="One per line. A post containing one is held for review.",
        render_kw={"rows": 8},
    )
    banned_domains = TextAreaField(
        "Banned link domains",
        description="One per line, e.g. cheap-pills.example. Links to these (or their subdomains) hold a post.",
        render_kw={"rows": 6},
    )
    hold_first_posts = BooleanField("Hold every member's first post for review")


class PriorityRuleForm(FlaskForm):
    phrase = StringField("Word or phrase", validators=[DataRequired(), Length(min=2, max=60)])
    signal = SelectField("Signal", choices=[SelectChoice(value, label) for value, label in SIGNALS.items()])
    weight = IntegerField("Weight", default=20, validators=[InputRequired(), NumberRange(min=1, max=100)])


class TeamForm(FlaskForm):
    name = StringField("Team name", validators=[DataRequired(), Length(min=2, max=60)])


class TeamMembersForm(FlaskForm):
    members = SelectMultipleField("Advocates", coerce=int, validate_choice=False)


class CategoryTeamForm(FlaskForm):
    team = SelectField("Team", coerce=str, validate_choice=False)


class AssignForm(FlaskForm):
    assignee = SelectField("Assign to", coerce=int, validate_choice=False)
    next = HiddenField()


class StatusForm(FlaskForm):
    status = SelectField("Status", choices=[SelectChoice(s, s.capitalize()) for s in ROUTING_STATUSES])
    next = HiddenField()
