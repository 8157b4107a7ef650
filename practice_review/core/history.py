"""Writes that keep their history attributed (django-simple-history).

Outside a web request simple-history cannot know who acted, so every write of case data goes
through these, which name the person: every change is attributed and kept.
"""


def save_as(instance, by, **kwargs):
    instance._history_user = by
    instance.save(**kwargs)
    return instance


def delete_as(instance, by):
    instance._history_user = by
    instance.delete()
