from django.contrib.staticfiles.storage import ManifestStaticFilesStorage


class StaticStorage(ManifestStaticFilesStorage):
    """Hashed file names for long caching; also rewrites init.js's import of GOV.UK Frontend
    so the ES module loads the hashed file."""

    support_js_module_import_aggregation = True
