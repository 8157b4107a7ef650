"""Bank holidays: England and Wales's for any year, from the holidays library, plus the extra days
a deployment names in PRACTICE_REVIEW_BANK_HOLIDAYS (settings.EXTRA_BANK_HOLIDAYS), such as a
one-off bank holiday announced after the installed version of the library was released.

Alerts count working days without them (alerts/working_days.py, alerts/actions.py).
"""

from datetime import date
from functools import cache

import holidays
from django.conf import settings

# England's bank holidays, which are also Wales's (Scotland and Northern Ireland differ).
COUNTRY, SUBDIVISION = "GB", "ENG"


@cache
def england_and_wales() -> holidays.HolidayBase:
    """The library's calendar; it works each year out the first time a date in it is asked for."""
    return holidays.country_holidays(COUNTRY, subdiv=SUBDIVISION)


def is_bank_holiday(day: date) -> bool:
    return day in settings.EXTRA_BANK_HOLIDAYS or day in england_and_wales()
