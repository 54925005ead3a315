from django.core.exceptions import PermissionDenied
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from ..services import ArticleRejected
from ..services.errors import CONCURRENT_CHANGE_MESSAGE, lost_to_a_concurrent_change
from ..services.items import ItemConflict, WorkflowError


def api_exception_handler(exc, context):
    """Map the workflow's domain errors to HTTP: refused → 400, conflict → 409 with the current item."""
    if isinstance(exc, ItemConflict):
        from .serializers import ItemSerializer

        return Response(
            {"detail": str(exc), "current": ItemSerializer(exc.current).data}, status=status.HTTP_409_CONFLICT
        )
    if isinstance(exc, (WorkflowError, ArticleRejected)):
        return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied):
        return Response({"detail": str(exc) or "You may not do this."}, status=status.HTTP_403_FORBIDDEN)
    if lost_to_a_concurrent_change(exc):
        return Response({"detail": CONCURRENT_CHANGE_MESSAGE}, status=status.HTTP_409_CONFLICT)
    return exception_handler(exc, context)

