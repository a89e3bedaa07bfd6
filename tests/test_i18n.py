"""Vietnamese by default, English on request; dates stay dd/mm/yyyy in both."""

from __future__ import annotations

from tests.staff import login, post_page_form, register_and_classify


def test_the_interface_is_vietnamese_until_the_user_switches_to_english_and_back(client, api, freeze):
    freeze("2026-03-02T09:00:00+07:00")
    register_and_classify(api)
    login(client, "stc.daumoi")
    vietnamese = client.get("/inbox").get_data(as_text=True)
    assert '<html lang="vi">' in vietnamese and "Việc của tôi" in vietnamese and "Đăng xuất" in vietnamese
    english = post_page_form(
        client, "/inbox", "/language", {"locale": "en", "next": "/inbox?tab=unit"}, follow_redirects=True
    )
    html = english.get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "My work" in html and "Unit&#39;s work" in html and "Log out" in html and "Due soon" in html
    assert "04/03/2026" in html, "dates keep the dd/mm/yyyy form in English too"
    back = post_page_form(
        client, "/inbox", "/language", {"locale": "vi", "next": "/inbox"}, follow_redirects=True
    )
    assert "Việc của tôi" in back.get_data(as_text=True)


def test_an_unknown_language_or_an_outside_next_address_is_ignored(client):
    login(client, "stc.daumoi")
    response = post_page_form(
        client, "/inbox", "/language", {"locale": "fr", "next": "https://evil.example/"}
    )
    assert response.headers["Location"] == "/inbox"
    assert "Việc của tôi" in client.get("/inbox").get_data(as_text=True)
