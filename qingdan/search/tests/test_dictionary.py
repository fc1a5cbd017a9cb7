import pytest
from django.urls import reverse

from qingdan.search import tokens
from qingdan.search.models import DictionaryEvent, Term

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_dictionary():
    tokens.forget()


def test_secretariat_adds_and_removes_a_word_each_with_its_event(client, cast):
    client.force_login(cast.secretariat)
    page = client.get(reverse("search:dictionary"))
    assert page.status_code == 200 and "供电公司" in page.content.decode()  # units are in it
    response = client.post(reverse("search:dictionary"), {"word": " 助保贷 "})
    assert response.status_code == 302
    term = Term.objects.get()
    assert term.word == "助保贷" and term.added_by == cast.secretariat
    added = DictionaryEvent.objects.get()
    assert (added.action, added.word, added.actor) == ("add", "助保贷", cast.secretariat)
    assert "助保贷" in tokens.words("我们想申请助保贷")
    response = client.post(reverse("search:remove_term", args=[term.pk]))
    assert response.status_code == 302 and not Term.objects.exists()
    removed = DictionaryEvent.objects.order_by("-id").first()
    assert (removed.action, removed.word) == ("remove", "助保贷")


def test_a_bad_or_repeated_word_is_refused_and_writes_nothing(client, cast):
    client.force_login(cast.secretariat)
    for bad in ("水", "两个 词", "<b>", "x" * 21):
        response = client.post(reverse("search:dictionary"), {"word": bad})
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    client.post(reverse("search:dictionary"), {"word": "标准厂房"})
    response = client.post(reverse("search:dictionary"), {"word": "标准厂房"})
    assert "已在词库中" in response.content.decode()
    assert Term.objects.count() == 1 and DictionaryEvent.objects.count() == 1


def test_only_the_secretariat_keeps_the_dictionary(client, cast):
    term = Term.objects.create(word="标准厂房", created="2026-01-05T10:00+08:00")
    for user in (cast.acme_contact, cast.power_officer, cast.leader):
        client.force_login(user)
        assert client.get(reverse("search:dictionary")).status_code == 403
        assert client.post(reverse("search:dictionary"), {"word": "助保贷"}).status_code == 403
        assert client.post(reverse("search:remove_term", args=[term.pk])).status_code == 403
    assert list(Term.objects.values_list("word", flat=True)) == ["标准厂房"]
    assert not DictionaryEvent.objects.exists()
