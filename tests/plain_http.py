"""pytest plugin: the suite runs over plain HTTP, as the test client and `make demo` do.

Production turns the HTTPS-only settings on by default (settings.py: PRACTICE_REVIEW_HTTPS);
with them, every plain-HTTP test request would be redirected to https. The tests of those
settings turn them on again with override_settings (test_secure_configuration.py). This is a
`-p` plugin, not a fixture, because it must run before Django reads its settings.
"""

import os

os.environ["PRACTICE_REVIEW_HTTPS"] = "false"
