"""The engine's reasons for refusing a record, marked for translation (the engine itself has no
Django; ``services._message`` translates them when a file is taken in)."""

from django.utils.translation import gettext_noop

REASONS = [
    gettext_noop("'%(field)s' must be text"),
    gettext_noop("'%(field)s' is longer than %(limit)d characters"),
    gettext_noop("'%(field)s' must be a date and time as text (ISO 8601)"),
    gettext_noop("'%(field)s' is not a date and time: %(value)s"),
    gettext_noop("'%(field)s' is not a number: %(value)s"),
    gettext_noop("'%(field)s' is out of range (%(low)s–%(high)s)"),
    gettext_noop("a record must be a JSON object"),
    gettext_noop("'id' is missing"),
    gettext_noop("'text' is missing or empty"),
    gettext_noop("'image_hashes' must be a list of hashes as text"),
    gettext_noop("not valid JSON (%(reason)s at column %(column)d)"),
    gettext_noop("more values than columns"),
]

#: The evidence of indicators (``engine/indicators.py``).
EVIDENCE = [
    gettext_noop("%(phone)s: %(count)d names (%(names)s)"),
    gettext_noop("and %(count)d more numbers"),
    gettext_noop("%(count)d cities in %(days)d days: %(route)s"),
    gettext_noop("stated age %(age)d"),
    gettext_noop("median €%(median)s against €%(norm)s locally"),
    gettext_noop("one text under %(count)d names (%(names)s)"),
]
