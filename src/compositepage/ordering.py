"""Order keys: strings that sort placements within a slot.

Each placement carries its own key, so moving one widget rewrites one small
record instead of a list of every id in the slot.  ``key_between(a, b)``
returns a key that sorts strictly between two neighbours; keys are made of
base-36 digits and never end with the zero digit, so there is always room
between two of them.
"""

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
BASE = len(DIGITS)
_INDEX = {digit: i for i, digit in enumerate(DIGITS)}


def is_key(value):
    """Whether ``value`` is a well-formed order key."""
    return (
        isinstance(value, str)
        and value != ""
        and value[-1] != DIGITS[0]
        and all(char in _INDEX for char in value)
    )


def key_between(before=None, after=None):
    """A key sorting after ``before`` and before ``after`` (None: open end)."""
    if before is not None and after is not None and not before < after:
        raise ValueError(f"{before!r} does not sort before {after!r}")
    return _midpoint(before or "", after)


def _midpoint(low, high):
    # ``low`` may be "" (the start); ``high`` None is the end.  Both never end
    # with the zero digit, which keeps "strictly between" always possible.
    if high is not None:
        common = 0
        while (
            common < len(high)
            and (low[common] if common < len(low) else DIGITS[0]) == high[common]
        ):
            common += 1
        if common:
            return high[:common] + _midpoint(low[common:], high[common:])
    digit_low = _INDEX[low[0]] if low else 0
    digit_high = _INDEX[high[0]] if high is not None else BASE
    if digit_high - digit_low > 1:
        return DIGITS[(digit_low + digit_high) // 2]
    # Neighbouring digits: keep the lower one and look one digit further.
    if high is not None and len(high) > 1:
        return high[0]
    return DIGITS[digit_low] + _midpoint(low[1:], None)


def spread(count):
    """``count`` evenly spaced keys, for rebuilding the keys of a slot."""
    keys = []
    width = 1
    while BASE**width <= count + 1:
        width += 1
    step = BASE**width // (count + 1)
    for position in range(1, count + 1):
        number = position * step
        digits = []
        for _ in range(width):
            number, rest = divmod(number, BASE)
            digits.append(DIGITS[rest])
        keys.append("".join(reversed(digits)).rstrip(DIGITS[0]))
    return keys
