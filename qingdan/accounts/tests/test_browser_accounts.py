import pytest

from conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_person_signs_in_in_chinese_switches_to_english_and_signs_out(new_page, cast):
    page = new_page()
    page.goto("/")
    assert "/public/bulletins/" in page.url  # a visitor lands on the public board
    page.goto("/accounts/login/")
    assert page.locator("h1").inner_text() == "登录"
    login(page, "t-power")
    assert "单位联络员" in page.locator(".account").inner_text()
    page.get_by_role("button", name="English").click()
    assert page.locator("h1").inner_text().startswith("Welcome")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    assert page.locator("h1").inner_text() == "Sign in"


def test_lockout_is_explained_in_chinese(new_page, cast):
    page = new_page()
    for _attempt in range(5):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", "t-acme")
        page.fill("input[name=password]", "wrong-password")
        page.click("button.primary")
    assert "账户已锁定" in page.content()
