from rest_framework.permissions import BasePermission

from ..roles import load_permissions


class HasRolePermissions(BasePermission):
    """Each view lists the model permissions every action needs; an action not listed is refused.

    The caller's permissions are read once per request, in one query (``roles.load_permissions``).
    The services check the finer rules (a checker may work only on items assigned to them).
    """

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if view.action is None:
            return True  # a method the view does not offer: let DRF answer 405
        required = view.required_permissions.get(view.action)
        if required is None:
            return False
        load_permissions(request.user)
        return request.user.has_perms([f"articles.{codename}" for codename in required])
