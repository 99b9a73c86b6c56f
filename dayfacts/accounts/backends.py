"""The lockout check in front of Django's own password check."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """Refuse sign-ins that django-axes has locked out; pass the rest to the next backend.

    Lockout is keyed on the client's address, which only a request carries: a call
    without one (the test client's login(), scripts) has nothing to count and is let
    through to the password check instead of failing, as django-axes' own backend does.
    Every sign-in through a web form passes its request and is counted.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
