from django.utils.cache import patch_cache_control


class NoStoreWhenSignedIn:
    """Pages for a signed-in person carry case data: browsers and proxies must not keep them
    (docs/spec/quality.md#secure-configuration: `Cache-Control: no-store` on case pages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response
