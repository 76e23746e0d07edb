"""Checking widget settings against the widget type's schema.

Settings arrive as plain data (JSON types).  Each value is turned into what
its zope.schema field holds by plone.restapi's field deserializers
(``IFieldDeserializer`` adapters, which also validate it with the field),
checked against the schema's invariants, and turned back into plain data for
storage by plone.restapi's ``json_compatible``.  Both are adapter lookups:
an integrator's widget with a field plone.restapi handles (Decimal,
Datetime, RelationChoice ...) works as it is, and a field type it does not
handle is one adapter away.

The deserializers are looked up for a ``WidgetSettings`` object, which
holds the values of one widget and provides its schema (see
``IWidgetSettings``); ``compositepage.conversions`` registers the few
conversions where a widget's stored settings differ from a content item's
(references by UUID, rich text as its HTML).

Every problem raises InvalidOperation with a sentence that names the widget,
the setting and what is wrong.
"""

from Acquisition import Implicit
from compositepage import _
from compositepage import limits
from compositepage.conversions import plain
from compositepage.errors import InvalidOperation
from compositepage.interfaces import IWidgetSettings
from compositepage.lookup import current_request
from datetime import date
from datetime import datetime
from plone.restapi.interfaces import IFieldDeserializer
from types import SimpleNamespace
from zope.component import queryMultiAdapter
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.i18nmessageid import Message
from zope.interface import alsoProvides
from zope.interface import Invalid
from zope.schema import ValidationError
from zope.schema.interfaces import IASCIILine
from zope.schema.interfaces import IChoice
from zope.schema.interfaces import ITextLine
from zope.schema.interfaces import IURI
from zope.schema.interfaces import LenOutOfBounds
from zope.schema.interfaces import OutOfBounds
from zope.schema.interfaces import RequiredMissing
from zope.schema.interfaces import TooBig
from zope.schema.interfaces import TooLong
from zope.schema.interfaces import TooSmall
from zope.schema.interfaces import WrongType

import json


_MISSING = object()


class WidgetSettings(Implicit):
    """The settings of one widget as an object with its schema's fields.

    Wrapped in the page, so vocabularies and Plone's widgets that need
    content around them (related items, querystring) find the page and the
    site.  The settings form edits it; the deserializers read from it.
    """

    def __init__(self, widget_type, values):
        self.__dict__.update(values)
        alsoProvides(self, widget_type.schema, IWidgetSettings)


def _empty(widget_type, context):
    values = {
        name: field.default if field.default is not None else field.missing_value
        for name, field in widget_type.fields
    }
    return WidgetSettings(widget_type, values).__of__(context)


def deserialize(field, value, holder):
    """The field value of a plain ``value`` (plone.restapi's deserializers);
    raises what they raise for a value the field cannot take."""
    request = current_request()
    deserializer = queryMultiAdapter((field, holder, request), IFieldDeserializer)
    status = request.response.getStatus()
    try:
        return deserializer(value)
    except Exception:
        # plone.restapi's relation deserializer also sets the response of
        # the request it is given to 400 when it refuses a value; the
        # refusal is ours to answer (or a form's to show), so the response
        # keeps the status it had.
        request.response.setStatus(status)
        raise


def to_plain(field, value, holder):
    """The plain (JSON) form of a field value, as stored."""
    if value is None or value == field.missing_value:
        return None
    return plain(value, holder)


def settings_content(widget_type, settings, context):
    """A ``WidgetSettings`` with the stored ``settings`` (defaults for the
    others), for the settings form.  A stored value its field no longer
    takes (a teaser of deleted content) is shown as missing."""
    holder = _empty(widget_type, context)
    for name, field in widget_type.fields:
        if settings.get(name) is None:
            continue
        try:
            setattr(holder, name, deserialize(field, settings[name], holder))
        except (ValueError, TypeError, ArithmeticError, LookupError, Invalid):
            setattr(holder, name, field.missing_value)
    return holder


def plain_settings(widget_type, values, context):
    """Field values (a form's data) as plain settings; every field named,
    an emptied one as None.  Raises InvalidOperation for a value without a
    plain form."""
    holder = _empty(widget_type, context)
    return {
        name: _stored(widget_type, name, field, values.get(name), holder)
        for name, field in widget_type.fields
    }


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


def _kind_problem(value):
    return _(
        "problem_kind",
        default="has a value of a kind settings cannot hold (${kind}).",
        mapping={"kind": type(value).__name__},
    )


def _check_plain(value, depth=0):
    """Only JSON types, not nested too deep, lists not too long."""
    if depth > limits.MAX_DEPTH:
        return _("problem_nested", default="is nested too deeply.")
    if value is None or isinstance(value, (bool, int, float, str)):
        return None
    if isinstance(value, dict) and not all(isinstance(key, str) for key in value):
        return _("problem_key", default="has a key that is not text.")
    if isinstance(value, (list, dict)):
        if len(value) > limits.MAX_LIST_ITEMS:
            too_many = (
                _("problem_entries", default="holds more than ${max} entries.")
                if isinstance(value, dict)
                else _("problem_items", default="holds more than ${max} items.")
            )
            return Message(too_many, mapping={"max": limits.MAX_LIST_ITEMS})
        items = value.values() if isinstance(value, dict) else value
        for item in items:
            problem = _check_plain(item, depth + 1)
            if problem:
                return problem
        return None
    return _kind_problem(value)


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


# What a value of the wrong kind is told, by the type its field expects.
_KINDS = (
    (bool, _("problem_bool", default="must be true or false.")),
    (int, _("problem_int", default="must be a whole number.")),
    (float, _("problem_float", default="must be a number.")),
    ((date, datetime), _("problem_date", default="must be a date in ISO 8601 form.")),
    ((list, tuple, set, frozenset), _("problem_list", default="must be a list.")),
    (dict, _("problem_mapping", default="must be a mapping.")),
    (str, _("problem_text", default="must be text.")),
)


def _wrong_kind(error):
    expected = getattr(error, "expected_type", None)
    expected = expected if isinstance(expected, tuple) else (expected,)
    for kinds, problem in _KINDS:
        kinds = kinds if isinstance(kinds, tuple) else (kinds,)
        if any(isinstance(k, type) and issubclass(k, kinds) for k in expected):
            return problem
    return None


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
    holder = _empty(widget_type, context)
    clean = {}
    for name, field in widget_type.fields:
        plain = merged.get(name, _MISSING)
        if plain is _MISSING or plain is None:
            value = getattr(holder, name) if plain is _MISSING else field.missing_value
        else:
            problem = _check_plain(plain)
            if problem:
                _fail(widget_type, name, field, problem)
            _check_length(widget_type, name, field, plain)
            value = _deserialized(widget_type, name, field, plain, holder)
        blank = isinstance(value, str) and not value.strip()
        if field.required and (value == field.missing_value or value is None or blank):
            _fail(
                widget_type, name, field, _("problem_required", default="is required.")
            )
        setattr(holder, name, value)
        clean[name] = _stored(widget_type, name, field, value, holder)
    try:
        widget_type.schema.validateInvariants(
            SimpleNamespace(**{name: getattr(holder, name) for name in known})
        )
    except Invalid as error:
        raise InvalidOperation(
            _(
                "error_invariant",
                default="The settings of the ${type} widget do not fit together: ${problem}",
                mapping={"type": widget_type.title, "problem": _message(error)},
            )
        )
    return clean


def _stored(widget_type, name, field, value, holder):
    """The plain form of a field value, refused when it has none: settings
    are stored as plain data (a file or image uploaded into a setting, say,
    is not; a widget references an image of the site instead)."""
    try:
        return to_plain(field, value, holder)
    except (TypeError, ValueError):
        _fail(widget_type, name, field, _kind_problem(value))


def _deserialized(widget_type, name, field, plain, holder):
    try:
        return deserialize(field, plain, holder)
    except RequiredMissing:
        # Blank text: plone.restapi takes it for no value.
        _fail(widget_type, name, field, _("problem_required", default="is required."))
    except WrongType as error:
        _fail(widget_type, name, field, _wrong_kind(error) or _describe(error))
    except Invalid as error:
        # ValidationError, or Invalid raised by a constraint function.
        _fail(widget_type, name, field, _describe(error))
    except (ValueError, TypeError, ArithmeticError, LookupError) as error:
        _fail(widget_type, name, field, _describe(error))


def bounds_message(error):
    """The sentence naming the limit of a value out of bounds (zope.schema's
    own says only "Value is too long"), or None for other errors."""
    if not isinstance(error, OutOfBounds) or error.bound is None:
        return None
    if isinstance(error, LenOutOfBounds):
        value = error.value
        length = len(value) if hasattr(value, "__len__") else "?"
        mapping = {"length": length}
        text = isinstance(value, str)
        if isinstance(error, TooLong):
            mapping["max"] = error.bound
            if text:
                return _(
                    "error_too_long_text",
                    default="At most ${max} characters are allowed; this has "
                    "${length}.",
                    mapping=mapping,
                )
            return _(
                "error_too_many",
                default="At most ${max} items are allowed; this has ${length}.",
                mapping=mapping,
            )
        mapping["min"] = error.bound
        if text:
            return _(
                "error_too_short_text",
                default="At least ${min} characters are needed; this has ${length}.",
                mapping=mapping,
            )
        return _(
            "error_too_few",
            default="At least ${min} items are needed; this has ${length}.",
            mapping=mapping,
        )
    if isinstance(error, TooBig):
        return _(
            "error_too_big",
            default="The largest value allowed is ${max}.",
            mapping={"max": error.bound},
        )
    if isinstance(error, TooSmall):
        return _(
            "error_too_small",
            default="The smallest value allowed is ${min}.",
            mapping={"min": error.bound},
        )
    return None


def _message(error):
    """The translated sentence an error carries."""
    bounds = bounds_message(error)
    if bounds is not None:
        return translate(bounds, context=getRequest())
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
