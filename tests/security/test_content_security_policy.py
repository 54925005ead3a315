"""Content-Security-Policy: every page allows scripts, styles and images from this site only, no
inline script or style (the API docs mark theirs with a per-request nonce), no plugins, no <base>,
no framing, and forms that post only here."""

import re
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def editor(cast):
    cast.editor.is_staff = True
    cast.editor.save()
    client = Client()
    client.force_login(cast.editor)
    return client


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/admin/", "/admin/articles/checklistitem/"])
def test_pages_get_the_strict_policy(editor, path):
    response = editor.get(path)

    assert response.status_code == 200
    assert policy(response) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }


def test_the_lockout_page_gets_the_policy_too():
    UserFactory(username="chief")
    client = Client()
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "chief", "password": "wrong"})

    assert response.status_code == 429
    assert policy(response)["script-src"] == ["'self'"]


def test_the_api_docs_mark_their_inline_script_and_style_with_a_fresh_nonce(editor):
    first = editor.get("/api/v1/docs/")
    second = editor.get("/api/v1/docs/")

    nonces = []
    for response in (first, second):
        assert response.status_code == 200
        directives = policy(response)
        [nonce_source] = [source for source in directives["script-src"] if source.startswith("'nonce-")]
        assert directives["style-src"] == ["'self'", nonce_source]
        nonce = nonce_source[len("'nonce-"):-1]
        html = response.content.decode()
        inline_scripts = re.findall(r"<script(?![^>]*\ssrc=)([^>]*)>", html)
        assert inline_scripts == [f' nonce="{nonce}"'], "the only inline script carries the nonce"
        assert re.findall(r"<style([^>]*)>", html) == [f' nonce="{nonce}"']
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1], "a new nonce for every response"


def test_no_template_has_an_inline_script_style_or_event_handler():
    offending = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        for pattern in (r"<script(?![^>]*\s(?:src|nonce)=)[^>]*>", r"<style(?![^>]*\snonce=)[^>]*>", r"\sstyle=",
                        r"\son[a-z]+\s*=", r"javascript:"):
            offending += [f"{template.relative_to(TEMPLATES)}: {match}" for match in re.findall(pattern, text)]

    assert offending == []
