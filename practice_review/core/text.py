def pluralize(count, plural="s"):
    return "" if count == 1 else plural
