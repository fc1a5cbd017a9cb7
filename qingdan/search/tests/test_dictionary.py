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
    assert "助保贷" in page.content.decode()  # seeded with the park's words
    assert "园区驿站" not in tokens.words("员工去园区驿站办事")
    response = client.post(reverse("search:dictionary"), {"word": " 园区驿站 "})
    assert response.status_code == 302
    term = Term.objects.get(word="园区驿站")
    assert term.added_by == cast.secretariat
    added = DictionaryEvent.objects.get()
    assert (added.action, added.word, added.actor) == ("add", "园区驿站", cast.secretariat)
    assert "园区驿站" in tokens.words("员工去园区驿站办事")
    response = client.post(reverse("search:remove_term", args=[term.pk]))
    assert response.status_code == 302 and not Term.objects.filter(word="园区驿站").exists()
    removed = DictionaryEvent.objects.order_by("-id").first()
    assert (removed.action, removed.word) == ("remove", "园区驿站")


def test_a_bad_or_repeated_word_is_refused_and_writes_nothing(client, cast):
    client.force_login(cast.secretariat)
    for bad in ("水", "两个 词", "<b>", "x" * 21):
        response = client.post(reverse("search:dictionary"), {"word": bad})
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    before = Term.objects.count()
    client.post(reverse("search:dictionary"), {"word": "园区驿站"})
    response = client.post(reverse("search:dictionary"), {"word": "园区驿站"})
    assert "已在词库中" in response.content.decode()
    assert Term.objects.count() == before + 1 and DictionaryEvent.objects.count() == 1


def test_only_the_secretariat_keeps_the_dictionary(client, cast):
    term = Term.objects.get(word="标准厂房")
    before = sorted(Term.objects.values_list("word", flat=True))
    for user in (cast.acme_contact, cast.power_officer, cast.leader):
        client.force_login(user)
        assert client.get(reverse("search:dictionary")).status_code == 403
        assert client.post(reverse("search:dictionary"), {"word": "助保贷"}).status_code == 403
        assert client.post(reverse("search:remove_term", args=[term.pk])).status_code == 403
    assert sorted(Term.objects.values_list("word", flat=True)) == before
    assert not DictionaryEvent.objects.exists()


def test_the_dictionary_through_the_api(client, cast):
    client.force_login(cast.secretariat)
    response = client.post(
        "/api/v1/dictionary", {"word": "园区驿站"}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["word"] == "园区驿站"
    term = Term.objects.get(word="园区驿站")
    assert DictionaryEvent.objects.get().action == "add"
    assert "园区驿站" in [item["word"] for item in client.get("/api/v1/dictionary").json()]
    bad = client.post("/api/v1/dictionary", {"word": "两个 词"}, content_type="application/json")
    assert bad.status_code == 422 and DictionaryEvent.objects.count() == 1
    client.force_login(cast.acme_contact)
    assert client.get("/api/v1/dictionary").status_code == 403
    assert client.delete(f"/api/v1/dictionary/{term.pk}").status_code == 403
    client.force_login(cast.secretariat)
    assert client.delete(f"/api/v1/dictionary/{term.pk}").status_code == 204
    assert not Term.objects.filter(word="园区驿站").exists()
    assert client.delete(f"/api/v1/dictionary/{term.pk}").status_code == 404
