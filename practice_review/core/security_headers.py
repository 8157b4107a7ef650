"""Response headers Django has no setting for."""

from django.conf import settings


class PermissionsPolicy:
    """Turn off browser features the service never uses (settings.PERMISSIONS_POLICY), so a
    script that got in somehow still cannot reach the camera, microphone or location."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response
