"""Checking widget settings against the widget type's schema.

Settings arrive as plain data (JSON types).  Each value is converted to what
its zope.schema field expects, validated with the field bound to the page
(so vocabularies such as the catalog one are checked as the current user),
checked against the schema's invariants, and converted back to plain data
for storage.  Every problem raises InvalidOperation with a sentence that
names the widget, the setting and what is wrong.
"""

from compositepage import _
from compositepage import limits
from compositepage.errors import InvalidOperation
from datetime import date
from datetime import datetime
from plone.app.textfield.interfaces import IRichText
from plone.app.textfield.interfaces import IRichTextValue
from plone.app.textfield.value import RichTextValue
from types import SimpleNamespace
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.interface import Invalid
from zope.schema import ValidationError
from zope.schema.interfaces import IASCIILine
from zope.schema.interfaces import IBool
from zope.schema.interfaces import IChoice
from zope.schema.interfaces import ICollection
from zope.schema.interfaces import IDate
from zope.schema.interfaces import IDatetime
from zope.schema.interfaces import IDict
from zope.schema.interfaces import IFloat
from zope.schema.interfaces import IFrozenSet
from zope.schema.interfaces import IInt
from zope.schema.interfaces import ISet
from zope.schema.interfaces import IText
from zope.schema.interfaces import ITextLine
from zope.schema.interfaces import ITuple
from zope.schema.interfaces import IURI

import json


_MISSING = object()


def _label(field, name):
    return translate(field.title, context=getRequest()) if field.title else name


def _fail(widget_type, name, field, problem):
    raise InvalidOperation(
        _(
            "error_setting",
            default="The ${type} widget's setting '${label}' (${name}) ${problem}",
            mapping={
                "type": widget_type.title,
                "label": _label(field, name),
                "name": name,
                "problem": problem,
            },
        )
    )


def _check_plain(value, depth=0):
    """Only JSON types, not nested too deep, lists not too long."""
    if depth > limits.MAX_DEPTH:
        return _("problem_nested", default="is nested too deeply.")
    if value is None or isinstance(value, (bool, int, float, str)):
        return None
    if isinstance(value, list):
        if len(value) > limits.MAX_LIST_ITEMS:
            return _(
                "problem_items",
                default="holds more than ${max} items.",
                mapping={"max": limits.MAX_LIST_ITEMS},
            )
        for item in value:
            problem = _check_plain(item, depth + 1)
            if problem:
                return problem
        return None
    if isinstance(value, dict):
        if len(value) > limits.MAX_LIST_ITEMS:
            return _(
                "problem_entries",
                default="holds more than ${max} entries.",
                mapping={"max": limits.MAX_LIST_ITEMS},
            )
        for key, item in value.items():
            if not isinstance(key, str):
                return _("problem_key", default="has a key that is not text.")
            problem = _check_plain(item, depth + 1)
            if problem:
                return problem
        return None
    return _(
        "problem_kind",
        default="has a value of a kind settings cannot hold (${kind}).",
        mapping={"kind": type(value).__name__},
    )


def _rich_text(field, value):
    if not isinstance(value, str):
        raise TypeError(_("problem_html", default="must be text (HTML)."))
    return RichTextValue(value, "text/html", field.output_mime_type)


def _bool(field, value):
    if not isinstance(value, bool):
        raise TypeError(_("problem_bool", default="must be true or false."))
    return value


def _int(field, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(_("problem_int", default="must be a whole number."))
    return value


def _float(field, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(_("problem_float", default="must be a number."))
    return float(value)


def _date(field, value):
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise TypeError(_("problem_date", default="must be a date in ISO 8601 form."))
    return parsed if IDatetime.providedBy(field) else parsed.date()


def _collection(field, value):
    if not isinstance(value, list):
        raise TypeError(_("problem_list", default="must be a list."))
    items = [from_plain(field.value_type, item) for item in value]
    if ITuple.providedBy(field):
        return tuple(items)
    if IFrozenSet.providedBy(field):
        return frozenset(items)
    if ISet.providedBy(field):
        return set(items)
    return items


def _dict(field, value):
    if not isinstance(value, dict):
        raise TypeError(_("problem_mapping", default="must be a mapping."))
    return dict(value)


def _text(field, value):
    if not isinstance(value, str):
        raise TypeError(_("problem_text", default="must be text."))
    return value


# The first interface a field provides decides how its plain value converts.
_CONVERTERS = (
    (IRichText, _rich_text),
    (IBool, _bool),
    (IInt, _int),
    (IFloat, _float),
    (IDatetime, _date),
    (IDate, _date),
    (ICollection, _collection),
    (IDict, _dict),
    (IText, _text),
)


def from_plain(field, value):
    """The field value for a plain value; TypeError when it cannot be one."""
    if value is None:
        return field.missing_value
    for interface, convert in _CONVERTERS:
        if interface.providedBy(field):
            return convert(field, value)
    return value


def to_plain(field, value):
    """The plain (JSON) form of a valid field value."""
    if value is None or value == field.missing_value:
        return None
    if IRichTextValue.providedBy(value):
        return value.raw
    if isinstance(value, (set, frozenset)):
        return sorted(to_plain(field.value_type, item) for item in value)
    if isinstance(value, (list, tuple)):
        value_type = getattr(field, "value_type", None)
        return [to_plain(value_type, item) if value_type else item for item in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _check_length(widget_type, name, field, value):
    if not isinstance(value, str):
        return
    single_line = any(
        iface.providedBy(field) for iface in (ITextLine, IASCIILine, IURI, IChoice)
    )
    cap = limits.MAX_LINE_LENGTH if single_line else limits.MAX_TEXT_LENGTH
    if len(value) > cap:
        _fail(
            widget_type,
            name,
            field,
            _(
                "problem_length",
                default="is longer than ${max} characters.",
                mapping={"max": cap},
            ),
        )


def validate_settings(widget_type, settings, context, partial_of=None):
    """Clean plain settings for ``widget_type``, or raise InvalidOperation.

    ``partial_of``: the current settings, when only some are given (an update
    keeps the settings it does not name).
    """
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise InvalidOperation(
            _(
                "error_settings_mapping",
                default="The settings of a ${type} widget must be a mapping of "
                "setting names to values.",
                mapping={"type": widget_type.title},
            )
        )
    known = dict(widget_type.fields)
    for name in settings:
        if name not in known:
            raise InvalidOperation(
                _(
                    "error_unknown_setting",
                    default="The ${type} widget has no setting ${name} (it has: ${names}).",
                    mapping={
                        "type": widget_type.title,
                        "name": repr(name),
                        "names": ", ".join(known) or "-",
                    },
                )
            )
    size = len(json.dumps(settings, default=str))
    if size > limits.MAX_SETTINGS_BYTES:
        raise InvalidOperation(
            _(
                "error_settings_size",
                default="The settings of this ${type} widget take ${size} bytes; "
                "at most ${max} are allowed.",
                mapping={
                    "type": widget_type.title,
                    "size": size,
                    "max": limits.MAX_SETTINGS_BYTES,
                },
            )
        )
    merged = dict(partial_of or {})
    merged.update(settings)
    values = {}
    clean = {}
    for name, field in widget_type.fields:
        plain = merged.get(name, _MISSING)
        if plain is _MISSING:
            value = field.default if field.default is not None else field.missing_value
        else:
            problem = _check_plain(plain)
            if problem:
                _fail(widget_type, name, field, problem)
            _check_length(widget_type, name, field, plain)
            try:
                value = from_plain(field, plain)
            except TypeError as error:
                _fail(widget_type, name, field, error.args[0])
        bound = field.bind(context)
        value = _from_token(bound, value)
        blank = isinstance(value, str) and not value.strip()
        if value == field.missing_value or value is None or (blank and field.required):
            if field.required:
                _fail(
                    widget_type,
                    name,
                    field,
                    _("problem_required", default="is required."),
                )
        else:
            try:
                bound.validate(value)
            except Invalid as error:
                # ValidationError, or Invalid raised by a constraint function.
                _fail(widget_type, name, field, _describe(error))
        values[name] = value
        clean[name] = to_plain(field, value)
    try:
        widget_type.schema.validateInvariants(SimpleNamespace(**values))
    except Invalid as error:
        raise InvalidOperation(
            _(
                "error_invariant",
                default="The settings of the ${type} widget do not fit together: ${problem}",
                mapping={"type": widget_type.title, "problem": _message(error)},
            )
        )
    return clean


def _from_token(field, value):
    """A Choice value given by its token (as plone.restapi's schemas list
    them, e.g. "2" for 2) becomes the value."""
    vocabulary = getattr(field, "vocabulary", None)
    if (
        not IChoice.providedBy(field)
        or vocabulary is None
        or not isinstance(value, str)
    ):
        return value
    try:
        if value in vocabulary:
            return value
        return vocabulary.getTermByToken(value).value
    except (LookupError, TypeError, AttributeError):
        return value


def _message(error):
    """The translated sentence an error carries."""
    if isinstance(error, ValidationError) and error.doc():
        message = str(error.doc()).strip()
    else:
        message = " ".join(
            translate(arg, context=getRequest())
            for arg in getattr(error, "args", ())
            if isinstance(arg, str)
        )
    return (message or error.__class__.__name__).rstrip(".") + "."


def _describe(error):
    return _(
        "problem_invalid",
        default="is not valid: ${problem}",
        mapping={"problem": _message(error)},
    )
