"""Request throttling that degrades instead of failing when its cache is away."""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from rest_framework.throttling import UserRateThrottle

logger = logging.getLogger(__name__)


class FailOpenUserRateThrottle(UserRateThrottle):
    """The per-user rate limit, kept in the shared cache (Redis).

    When the cache cannot be reached the request is let through and the outage is
    logged: an editor on deadline is better served by an unthrottled API than by a 500.
    """

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as error:
            logger.warning("throttling skipped, the cache is unavailable: %s", error)
            return True
