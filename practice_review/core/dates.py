from datetime import date

from dateutil.relativedelta import relativedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or that month's last day (31 January + 1 is 28 February)."""
    later: date = day + relativedelta(months=months)  # relativedelta has no type stubs here
    return later
