"""The admin's forms: a new registration link for a kiosk or board, and the records of
the transparency office (utilities, legal bases, channels, users, halls, items)."""

from __future__ import annotations

from flask_babel import lazy_gettext as L_
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from kiosk.forms import PlainText
from kiosk.record_forms import (
    RANK_CHOICES,
    REQUIRED,
    ChoiceField,
    CityDateField,
    MultiCheckboxField,
    TimeText,
    WholeNumberField,
    at_most,
    required,
    slug_text,
    web_address,
)


class RegistrationForm(FlaskForm):
    hall = SelectField(L_("Hall"), validators=[DataRequired()])
    kind = SelectField(
        L_("Kind"),
        choices=[
            SelectChoice("kiosk", L_("Kiosk (touchscreen)")),
            SelectChoice("board", L_("Wall board")),
        ],
        validators=[DataRequired()],
    )
    name = StringField(
        L_("Name"), validators=[DataRequired(), Length(max=120), PlainText(multiline=False)]
    )


class UtilityForm(FlaskForm):
    slug = StringField(L_("Address name (slug)"), validators=[required(), at_most(64), slug_text])
    name = StringField(L_("Name"), validators=[required(), at_most(200)])
    short_name = StringField(L_("Short name"), validators=[required(), at_most(40)])
    sector = ChoiceField(L_("Sector"), validators=[required()])
    nature = ChoiceField(L_("Nature"), validators=[required()])
    address = StringField(L_("Address"), validators=[at_most(300)])
    website = StringField(L_("Website"), validators=[at_most(300), web_address])
    position = WholeNumberField(L_("Order"), default=0, validators=[Optional()])
    name_zh_hant = StringField(L_("Name (Traditional Chinese)"), validators=[at_most(200)])
    short_name_zh_hant = StringField(
        L_("Short name (Traditional Chinese)"), validators=[at_most(40)]
    )
    address_zh_hant = StringField(L_("Address (Traditional Chinese)"), validators=[at_most(300)])
    name_en = StringField(L_("Name (English)"), validators=[at_most(200)])
    short_name_en = StringField(L_("Short name (English)"), validators=[at_most(40)])
    address_en = StringField(L_("Address (English)"), validators=[at_most(300)])


class BasisForm(FlaskForm):
    code = StringField(L_("Code"), validators=[required(), at_most(64), slug_text])
    title = StringField(L_("Title"), validators=[required(), at_most(300)])
    doc_number = StringField(L_("Document number (文号)"), validators=[at_most(120)])
    issuer = StringField(L_("Issuer"), validators=[at_most(200)])
    issued_on = CityDateField(L_("Issued on"), validators=[Optional()])
    effective_on = CityDateField(L_("In force from"), validators=[Optional()])
    repealed_on = CityDateField(L_("Repealed on"), validators=[Optional()])
    version_in_force = StringField(
        L_("Version in force (e.g. 2018年修正)"), validators=[at_most(120)]
    )
    url = StringField(L_("Link to the official text"), validators=[at_most(300), web_address])
    articles = TextAreaField(L_("Text of the articles cited"), validators=[at_most(20000)])
    rank = ChoiceField(L_("Rank"), choices=RANK_CHOICES, default="5", validators=[required()])


class ChannelForm(FlaskForm):
    code = StringField(L_("Code"), validators=[required(), at_most(64), slug_text])
    name = StringField(L_("Name"), validators=[required(), at_most(200)])
    kinds = MultiCheckboxField(L_("Kinds"))
    phone = StringField(L_("Phone"), validators=[at_most(40)])
    url = StringField(L_("Web address"), validators=[at_most(300), web_address])
    hours = StringField(L_("Hours"), validators=[at_most(120)])
    utility = ChoiceField(L_("Whose channel"))
    route_role = ChoiceField(L_("Complaint route of"), default="")
    route_sector = ChoiceField(L_("For the sector"), default="")
    name_zh_hant = StringField(L_("Name (Traditional Chinese)"), validators=[at_most(200)])
    name_en = StringField(L_("Name (English)"), validators=[at_most(200)])
    hours_zh_hant = StringField(L_("Hours (Traditional Chinese)"), validators=[at_most(120)])
    hours_en = StringField(L_("Hours (English)"), validators=[at_most(120)])


class NewUserForm(FlaskForm):
    username = StringField(L_("Username"), validators=[required(), at_most(80)])
    display_name = StringField(L_("Display name"), validators=[at_most(120)])
    password = PasswordField(L_("First password"), validators=[required(), at_most(200)])
    role = ChoiceField(L_("Role"), validators=[required()])
    utility = ChoiceField(L_("Utility (editors only)"))


class UserForm(FlaskForm):
    display_name = StringField(L_("Display name"), validators=[at_most(120)])
    role = ChoiceField(L_("Role"), validators=[required()])
    utility = ChoiceField(L_("Utility (editors only)"))
    is_active = BooleanField(L_("May sign in"))


WEEKDAY_NAMES = [
    L_("Monday"),
    L_("Tuesday"),
    L_("Wednesday"),
    L_("Thursday"),
    L_("Friday"),
    L_("Saturday"),
    L_("Sunday"),
]


class DayHoursForm(Form):
    """One weekday: up to two periods (a lunch break splits the day); empty means closed."""

    opens = TimeText(L_("Opens"))
    closes = TimeText(L_("Closes"))
    opens2 = TimeText(L_("Opens again"))
    closes2 = TimeText(L_("Closes"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not ok:
            return False
        for start, end in ((self.opens, self.closes), (self.opens2, self.closes2)):
            if bool(start.data) != bool(end.data):
                (end if start.data else start).errors.append(
                    str(L_("Give both the opening and the closing time."))
                )
                ok = False
            elif start.data and start.data >= end.data:
                end.errors.append(str(L_("The closing time must be after the opening time.")))
                ok = False
        if ok and self.opens2.data and self.opens2.data < (self.closes.data or ""):
            self.opens2.errors.append(str(L_("The second period must start after the first ends.")))
            ok = False
        return ok


class ExceptionForm(Form):
    """A day with other hours than usual: closed (元旦闭馆) or open with its own hours."""

    on = CityDateField(L_("Date"), validators=[Optional()])
    closed = BooleanField(L_("Closed all day"))
    opens = TimeText(L_("Opens"))
    closes = TimeText(L_("Closes"))
    note = StringField(L_("Note shown to residents"), validators=[at_most(200)])

    @property
    def is_blank(self) -> bool:
        return not (self.on.raw_data and self.on.raw_data[0].strip()) and not (
            self.closed.data or self.opens.data or self.closes.data or self.note.data
        )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not ok or self.is_blank:
            return ok
        if self.on.data is None:
            self.on.errors.append(str(REQUIRED))
            return False
        if not self.closed.data:
            if not (self.opens.data and self.closes.data):
                self.opens.errors.append(
                    str(L_("Tick “closed all day” or give the day's opening and closing times."))
                )
                return False
            if self.opens.data >= self.closes.data:
                self.closes.errors.append(
                    str(L_("The closing time must be after the opening time."))
                )
                return False
        return True


class NoticeForm(Form):
    text = StringField(L_("Notice"), validators=[at_most(500)])
    text_en = StringField(L_("Notice (English)"), validators=[at_most(500)])
    starts = CityDateField(L_("Shown from"), validators=[Optional()])
    ends = CityDateField(L_("Shown until"), validators=[Optional()])

    @property
    def is_blank(self) -> bool:
        return not (
            self.text.data or self.text_en.data or self.starts.raw_data and self.starts.raw_data[0]
        )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not ok or self.is_blank and not (self.ends.raw_data and self.ends.raw_data[0]):
            return ok
        if not self.text.data:
            self.text.errors.append(str(REQUIRED))
            return False
        if self.starts.data and self.ends.data and self.ends.data < self.starts.data:
            self.ends.errors.append(str(L_("The last day cannot be before the first.")))
            return False
        return True


class SlideForm(Form):
    kind = HiddenField()
    shown = BooleanField(L_("Shown"))
    order = WholeNumberField(L_("Order"), validators=[Optional()])


class HallForm(FlaskForm):
    slug = StringField(L_("Address name (slug)"), validators=[required(), at_most(64), slug_text])
    name = StringField(L_("Name"), validators=[required(), at_most(200)])
    name_zh_hant = StringField(L_("Name (Traditional Chinese)"), validators=[at_most(200)])
    name_en = StringField(L_("Name (English)"), validators=[at_most(200)])
    address = StringField(L_("Address"), validators=[at_most(300)])
    days = FieldList(FormField(DayHoursForm), min_entries=7, max_entries=7)
    closed_on_public_holidays = BooleanField(
        L_("Closed on public holidays, open on adjusted workdays")
    )
    exceptions = FieldList(FormField(ExceptionForm), min_entries=1, max_entries=200)
    utilities = MultiCheckboxField(L_("Utilities in this hall"))
    idle_seconds = WholeNumberField(
        L_("Kiosk returns to the start after (seconds)"), validators=[required()]
    )
    slide_seconds = WholeNumberField(
        L_("Each board slide stays (seconds)"), validators=[required()]
    )
    slides = FieldList(FormField(SlideForm), min_entries=0, max_entries=10)
    notices = FieldList(FormField(NoticeForm), min_entries=1, max_entries=100)


class SuspendForm(FlaskForm):
    reason = TextAreaField(L_("Reason shown to residents"), validators=[required(), at_most(1000)])


class RetireForm(FlaskForm):
    reason = TextAreaField(L_("Reason shown to residents"), validators=[at_most(1000)])
    successor = ChoiceField(L_("Replaced by"))
