from django.conf import settings
from django.utils import translation


def site_chrome(request) -> dict:
    """Values every public template needs: language list, senior mode, search backend health banner."""
    return {
        "LANGUAGES": settings.LANGUAGES,
        "CURRENT_LANGUAGE": translation.get_language(),
        "senior_mode": request.COOKIES.get("senior_mode") == "1",
    }
