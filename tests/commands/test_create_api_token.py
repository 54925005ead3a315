import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_creates_the_user_in_the_roles_group_and_prints_the_token_last(capsys, cast):
    call_command("create_api_token", "newsroom-cms", "--role", "cms")

    lines = capsys.readouterr().out.strip().splitlines()
    user = get_user_model().objects.get(username="newsroom-cms")
    assert list(user.groups.values_list("name", flat=True)) == ["cms"]
    assert lines[-1] == Token.objects.get(user=user).key
    assert not user.has_usable_password()


def test_running_it_again_prints_the_same_token(capsys, cast):
    call_command("create_api_token", "desk", "--role", "editor")
    first = capsys.readouterr().out.strip().splitlines()[-1]

    call_command("create_api_token", "desk", "--role", "editor")

    assert capsys.readouterr().out.strip().splitlines()[-1] == first


def test_an_unknown_role_is_refused(cast):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("create_api_token", "x", "--role", "admin")
