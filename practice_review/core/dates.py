import calendar
import datetime


def add_months(day, months):
    """The same day `months` later, or that month's last day (31 January + 1 is 28 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
