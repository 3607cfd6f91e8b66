"""The editor's fixed forms; the revision content form is built from the schema (content_form)."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import HiddenInput

from kiosk.forms import PlainText
from kiosk.record_forms import (
    RANK_CHOICES,
    ChoiceField,
    CityDateField,
    at_most,
    required,
    slug_text,
    web_address,
)


class LoginForm(FlaskForm):
    username = StringField(
        L_("Username"), validators=[DataRequired(), Length(max=80), PlainText(multiline=False)]
    )
    password = PasswordField(L_("Password"), validators=[DataRequired(), Length(max=200)])
    next = HiddenField()


class SubmitForm(FlaskForm):
    """Send for review the version the editor was shown."""

    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ReviewForm(FlaskForm):
    """A decision on the version of the revision the reviewer was shown."""

    comment = TextAreaField(L_("Comment"), validators=[Length(max=4000), PlainText()])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class PublishForm(FlaskForm):
    effective_from = DateField(L_("In force from"), validators=[DataRequired()])
    confirm_far_date = BooleanField(L_("Yes, the date is more than a year ahead"))


class WithdrawForm(FlaskForm):
    reason = TextAreaField(L_("Why it is withdrawn"), validators=[Length(max=4000), PlainText()])


class PrintBatchForm(FlaskForm):
    """Which hall's notices to print, in which language and on which paper."""

    hall = SelectField(L_("Hall"), validators=[DataRequired()])
    lang = SelectField(L_("Language"), validators=[DataRequired()])
    paper = SelectField(L_("Paper"), choices=[SelectChoice("A4"), SelectChoice("A3")], default="A4")


class OutageForm(FlaskForm):
    """A new outage notice; times are the city's local time."""

    kind = RadioField(
        L_("Kind"),
        choices=[
            SelectChoice("planned", L_("Planned")),
            SelectChoice("emergency", L_("Emergency repair")),
        ],
        default="planned",
        validators=[InputRequired()],
    )
    area = TextAreaField(L_("Affected area"), validators=[DataRequired(), Length(max=2000)])
    districts = StringField(L_("Districts (for the filter)"), validators=[Length(max=500)])
    streets = TextAreaField(L_("Streets (for search)"), validators=[Length(max=2000)])
    starts_at = DateTimeLocalField(
        L_("Starts"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    ends_at = DateTimeLocalField(
        L_("Expected back"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    reason = TextAreaField(L_("Reason"), validators=[Length(max=2000)])
    advice = TextAreaField(L_("What to do"), validators=[Length(max=2000)])
    channel = SelectField(L_("Contact"), coerce=int, default=0)
    accept_short_notice = BooleanField(L_("Publish with the shorter notice"))


class OutageExtendForm(FlaskForm):
    ends_at = DateTimeLocalField(
        L_("New expected end"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    note = TextAreaField(L_("Note for residents"), validators=[Length(max=1000)])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class OutageEndForm(FlaskForm):
    note = TextAreaField(L_("Note for residents"), validators=[Length(max=1000)])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class HearingForm(FlaskForm):
    """The announcement of a hearing or consultation on one tariff; times are city time."""

    kind = RadioField(
        L_("Kind"),
        choices=[
            SelectChoice("hearing", L_("Price hearing")),
            SelectChoice("consultation", L_("Consultation")),
        ],
        default="hearing",
        validators=[InputRequired()],
    )
    title = StringField(L_("Title"), validators=[DataRequired(), Length(max=200)])
    proposal = TextAreaField(L_("What is proposed"), validators=[Length(max=4000)])
    reasons = TextAreaField(L_("Reasons and costs"), validators=[Length(max=4000)])
    basis = TextAreaField(L_("Legal basis"), validators=[Length(max=2000)])
    draft_tiers = TextAreaField(
        L_("Proposed tiers, one a line: from-to price"),
        validators=[DataRequired(), Length(max=1000)],
    )
    held_at = DateTimeLocalField(
        L_("Hearing held at"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    place = StringField(L_("Place"), validators=[Length(max=300)])
    how_to_take_part = TextAreaField(L_("How to take part"), validators=[Length(max=2000)])
    comments_open_at = DateTimeLocalField(
        L_("Comments from"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    comments_close_at = DateTimeLocalField(
        L_("Comments until"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    signup_close_at = DateTimeLocalField(
        L_("Sign-up to attend until (hearings only)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
    )
    signup_places = IntegerField(
        L_("Places for residents (optional)"), validators=[Optional(), NumberRange(1, 999)]
    )


class HearingSummaryForm(FlaskForm):
    points = TextAreaField(L_("Main points"), validators=[DataRequired(), Length(max=4000)])
    accepted = TextAreaField(L_("Accepted"), validators=[Length(max=4000)])
    not_accepted = TextAreaField(L_("Not accepted, and why"), validators=[Length(max=4000)])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CaseVerifyForm(FlaskForm):
    """The utility's verdict on a bad review; "not valid" needs a reason."""

    verdict = RadioField(
        L_("Verdict"),
        choices=[
            SelectChoice("valid", L_("Valid: we will put it right")),
            SelectChoice("invalid", L_("Not valid")),
        ],
        validators=[InputRequired()],
    )
    reason = TextAreaField(L_("Reason"), validators=[Length(max=2000)])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CaseCallBackForm(FlaskForm):
    note = TextAreaField(L_("What was said"), validators=[Length(max=2000)])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CaseActionForm(FlaskForm):
    action_taken = TextAreaField(
        L_("What was done (published, so name nobody)"),
        validators=[DataRequired(), Length(max=2000)],
    )
    revision_id = SelectField(L_("The changed guide, if the guide was changed"), coerce=str)
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CaseCloseForm(FlaskForm):
    decision = HiddenField(validators=[InputRequired()])
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class ProposalForm(FlaskForm):
    """What an editor gives of a basis the catalogue lacks; the reviewer completes the rest."""

    title = StringField(L_("Title"), validators=[required(), at_most(300)])
    doc_number = StringField(L_("Document number (文号)"), validators=[required(), at_most(120)])
    issuer = StringField(L_("Issuer"), validators=[required(), at_most(200)])
    issued_on = CityDateField(L_("Issued on"), validators=[Optional()])
    effective_on = CityDateField(L_("In force from"), validators=[Optional()])
    url = StringField(L_("Link to the official text"), validators=[at_most(300), web_address])
    rank = ChoiceField(L_("Rank"), choices=RANK_CHOICES, default="5", validators=[required()])


class NewItemForm(FlaskForm):
    utility = ChoiceField(L_("Utility"), validators=[required()])
    kind = ChoiceField(
        L_("Kind"),
        choices=[
            SelectChoice("service", L_("Service guide")),
            SelectChoice("tariff", L_("Price notice")),
        ],
        validators=[required()],
    )
    slug = StringField(L_("Address name (slug)"), validators=[required(), at_most(80), slug_text])
    code = StringField(L_("Item code"), validators=[required(), at_most(64)])
    category = StringField(L_("Category"), validators=[at_most(80)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField(L_("Current password"), validators=[required(), at_most(200)])
    new = PasswordField(L_("New password"), validators=[required(), at_most(200)])
    repeat = PasswordField(L_("New password again"), validators=[required(), at_most(200)])

    def validate_repeat(self, field) -> None:
        if field.data != self.new.data:
            raise ValidationError(str(L_("The two new passwords differ.")))
