from dateutil.relativedelta import relativedelta


def add_months(day, months):
    """The same day `months` later, or that month's last day (31 January + 1 is 28 February)."""
    return day + relativedelta(months=months)
