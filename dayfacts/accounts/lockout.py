"""What django-axes lacks for the editors' sign-in: a limit per lockout rule, IPv6 by /64.

django-axes counts failed sign-ins under each combination in AXES_LOCKOUT_PARAMETERS and
locks when the largest count reaches the one AXES_FAILURE_LIMIT. Here each combination is a
rule with a limit of its own (settings.LOCKOUT_LIMITS): a few for one username from one
address, more for one username from anywhere, more again for one address at any username.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Sum


def counted_address(request):
    """Return the address failures are counted under: IPv4 as it is, IPv6 as its /64."""
    # One IPv6 subscriber, and so one attacker, holds a whole /64: counted address by
    # address, they would have more tries than there are passwords worth guessing.
    address = request.META.get("REMOTE_ADDR", "")
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped:
        # A dual-stack server may see IPv4 readers as ::ffff:a.b.c.d, which all share a /64.
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)


def rule_limit(parameters):
    """Return the failure limit of one AXES_LOCKOUT_PARAMETERS entry, from LOCKOUT_LIMITS."""
    rule = (parameters,) if isinstance(parameters, str) else tuple(parameters)
    try:
        return settings.LOCKOUT_LIMITS[rule]
    except KeyError:
        raise ImproperlyConfigured(
            f"AXES_LOCKOUT_PARAMETERS has {list(rule)}, which has no limit in LOCKOUT_LIMITS"
        ) from None


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler, with each lockout rule held to its own limit."""

    def get_failures(self, request, credentials=None):
        """Count failures so that AXES_FAILURE_LIMIT is reached when any rule reaches its own.

        django-axes compares this one number with AXES_FAILURE_LIMIT, both when it refuses a
        sign-in and when it locks at a failure; each rule's count is moved onto that scale.
        """
        limit = get_failure_limit(request, credentials)
        rules = get_lockout_parameters(request, credentials)
        attempts_per_rule = self.get_user_attempts(request, credentials)
        return max(
            (attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0)
            + limit - rule_limit(parameters)
            for parameters, attempts in zip(rules, attempts_per_rule, strict=True)
        )

    def reset_user_attempts(self, request, credentials=None):
        """Forget, on a successful sign-in, the failures of that username from that address."""
        # django-axes would forget every rule's failures: the address's guesses at other
        # usernames too, so a sprayer holding one account of their own could clear them
        # with a sign-in whenever they liked, and everyone's guesses at this username.
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).delete()
        return count
