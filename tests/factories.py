import factory
from django.contrib.auth import get_user_model

from articles.models import Article, ChecklistItem, ItemState, Note, content_hash

SAMPLE_BODY = (
    'The city council approved a $4.5-million budget on Monday, Mayor Ann Lee said. '
    '"We balanced it without new taxes," she told reporters.'
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    source = "test"
    external_id = factory.Sequence(lambda n: f"article-{n}")
    title = factory.Sequence(lambda n: f"Council budget story {n}")
    body = SAMPLE_BODY
    content_hash = factory.LazyAttribute(lambda article: content_hash(article.body))


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChecklistItem

    article = factory.SubFactory(ArticleFactory)
    kind = "money"
    start = factory.LazyAttribute(lambda item: item.article.body.index("$4.5-million"))
    end = factory.LazyAttribute(lambda item: item.start + len("$4.5-million"))
    text = factory.LazyAttribute(lambda item: item.article.body[item.start : item.end])
    sentence = factory.LazyAttribute(lambda item: item.article.body.split(". ")[0])

    class Params:
        verified = factory.Trait(state=ItemState.VERIFIED)
        in_progress = factory.Trait(state=ItemState.IN_PROGRESS)
        incorrect = factory.Trait(state=ItemState.INCORRECT)
        dismissed = factory.Trait(state=ItemState.DISMISSED)


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    item = factory.SubFactory(ChecklistItemFactory)
    author = factory.SubFactory(UserFactory)
    body = "Checked against the council minutes."


def extract_again(article: Article) -> None:
    """Run extraction once more over an unchanged body, as an engine upgrade would.

    A repeated message for a checklist already extracted from this body is skipped, so the
    article is first put back to pending, as a new request does.
    """
    from articles.services import checklist_extract

    Article.objects.filter(pk=article.pk).update(checklist_status="pending")
    checklist_extract(article_id=article.pk)
