"""Search that understands what officers mean, the same on both backends: one reading of OR,
compounds, council words, no dead ends and honest suggestions (issue 20)."""

from __future__ import annotations

import re

from tests.search.test_search_contract import found_titles, make_pilot


def page(client, query: str, **params: str) -> str:
    response = client.get("/search", query_string={"q": query, **params})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def missing_words(html: str) -> dict[str, list[str]]:
    """Each listed pilot's title → the words struck through on it."""
    found = {}
    for item in html.split('class="app-pilot-list__item')[1:]:
        title = re.search(r'<a class="govuk-link" href="[^"]+">([^<]+)</a>', item)
        struck = re.findall(r'<s><span class="govuk-visually-hidden">[^<]*</span>([^<]+)</s>', item)
        assert title
        found[title[1]] = struck
    return found


def test_or_binds_tighter_than_and_on_both_backends(client, backend):
    make_pilot(title="Gritting routes", summary="Salt on roads.")
    make_pilot(title="Blue badges by post", summary="Badges for disabled drivers.")
    make_pilot(title="Gritting lorries", summary="Badges for the drivers.")
    make_pilot(title="Blue bins", summary="Recycling.")
    # (gritting OR blue) AND badges, never gritting OR (blue AND badges)
    assert sorted(found_titles(client, "gritting OR blue badges", exact="1")) == [
        "Blue badges by post",
        "Gritting lorries",
    ]


def test_words_typed_apart_find_the_compound(client, backend):
    make_pilot(title="Chatbot for council tax")
    make_pilot(title="Reporting potholes with photos")
    make_pilot(title="Reminders by email")
    make_pilot(title="Chat about bots", summary="A chat with a bot maker.")
    assert "Chatbot for council tax" in found_titles(client, "chat bot")
    assert found_titles(client, "pot holes") == ["Reporting potholes with photos"]
    assert found_titles(client, "e-mail") == ["Reminders by email"]
    html = page(client, "pot holes")
    assert "Also searched for: potholes" in html


def test_words_are_not_joined_into_a_word_no_pilot_has(client, backend):
    make_pilot(title="Tree planting", summary="Trees planted on verges.")
    html = page(client, "tree planting")
    assert 'id="search-also"' not in html  # "treeplanting" is in no pilot: nothing to say
    assert found_titles(client, "tree planting") == ["Tree planting"]


def test_council_words_are_searched_shown_and_can_be_turned_off(client, backend):
    make_pilot(title="Refuse collection days by text")
    make_pilot(title="Bins collected on time")
    make_pilot(title="Library opening hours")
    assert sorted(found_titles(client, "bins")) == [
        "Bins collected on time",
        "Refuse collection days by text",
    ]
    html = page(client, "bins")
    also = re.search(r'id="search-also">Also searched for: ([^.]+)\.', html)
    assert also and "refuse" in also[1].split(", ")
    assert 'href="/search?q=bins&amp;exact=1">Search only for the words you typed' in html
    assert found_titles(client, "bins", exact="1") == ["Bins collected on time"]
    assert "Search for words that mean the same too" in page(client, "bins", exact="1")


def test_an_edited_thesaurus_applies_at_once_without_a_reindex(client, backend, app_ctx, tmp_path):
    make_pilot(title="Zebra crossings survey")
    content = tmp_path / "content"
    (content / "search").mkdir(parents=True)
    (content / "pillars").symlink_to(app_ctx.config["CONTENT_DIR"] + "/pillars")
    saved = app_ctx.config["CONTENT_DIR"]
    app_ctx.config["CONTENT_DIR"] = str(content)
    try:
        assert 'id="search-some-words"' in page(client, "pedestrian crossings")
        (content / "search" / "synonyms.txt").write_text("pedestrian crossings, zebra crossings\n")
        html = page(client, "pedestrian crossings")
        assert 'id="search-some-words"' not in html
        assert "Also searched for: zebra crossings." in html
        assert found_titles(client, "pedestrian crossings") == ["Zebra crossings survey"]
    finally:
        app_ctx.config["CONTENT_DIR"] = saved


def test_no_dead_end_when_no_pilot_has_every_word(client, backend):
    make_pilot(title="Library help desks", summary="Help at the library counter.")
    make_pilot(title="Library opening hours", summary="Kiosks in the library.")
    make_pilot(title="Parking permits", summary="Permits online.")
    html = page(client, "library desks zeppelin", exact="1")
    assert "No pilot has all of “library”, “desks”, “zeppelin” — these have some of them." in html
    titles = found_titles(client, "library desks zeppelin", exact="1")
    assert titles == ["Library help desks", "Library opening hours"]  # more words first
    assert missing_words(html) == {
        "Library help desks": ["zeppelin"],
        "Library opening hours": ["desks", "zeppelin"],
    }
    assert 'class="govuk-visually-hidden">not found: </span>zeppelin</s>' in html


def test_with_some_words_phrases_and_exclusions_keep_their_meaning(client, backend):
    make_pilot(title="Council tax reminders", summary="Texts about council tax.")
    make_pilot(title="Tax on council parking", summary="A levy the council set.")
    make_pilot(title="Housing council tax help", summary="Advice on council tax.")
    titles = found_titles(client, '"council tax" zeppelin -housing', exact="1")
    assert titles == ["Council tax reminders"]  # the phrase, never the words apart; no housing


def test_a_query_that_matches_nothing_at_all_is_still_a_plain_no_result(client, backend):
    make_pilot(title="Parking permits")
    html = page(client, "zeppelin airship", exact="1")
    assert "No pilots match your search" in html
    assert 'id="search-some-words"' not in html


def test_feeds_take_the_same_behaviour_from_the_same_service(client, backend):
    make_pilot(title="Library help desks", summary="Help at the library counter.")
    make_pilot(title="Refuse rounds", summary="Collection days.")
    feed = client.get("/feeds/search.atom", query_string={"q": "library zeppelin"})
    assert feed.status_code == 200
    assert "Library help desks" in feed.get_data(as_text=True)
    feed = client.get("/feeds/search.atom", query_string={"q": "bins"})
    assert "Refuse rounds" in feed.get_data(as_text=True)
    feed = client.get("/feeds/search.atom", query_string={"q": "bins", "exact": "1"})
    assert "Refuse rounds" not in feed.get_data(as_text=True)


def test_a_real_word_is_never_corrected_into_its_opposite(client, backend):
    make_pilot(title="Older people online", summary="Older people learning online.")
    html = page(client, "older people offline", exact="1")
    assert "Did you mean" not in html
    html = page(client, "digital exclusion", exact="1")
    assert "Did you mean" not in html


def test_an_unknown_word_is_corrected_only_if_the_correction_finds_something(client, backend):
    make_pilot(title="Chatbot for council tax", tags=["chatbot"])
    make_pilot(title="Chatbot for housing", tags=["chatbot"])
    make_pilot(title="Housing repairs", pillars=["inclusion"])
    html = page(client, "chatbto housing", exact="1")  # housing alone is found: a suggestion
    assert re.search(
        r'Did you mean <a class="govuk-link" href="[^"]+">chatbot housing</a>\? It finds 1 pilot\.',
        html,
    )
    html = page(client, "chatbto")  # nothing at all: the correction's pilots, said so
    assert "Showing pilots for <strong>chatbot</strong>" in html
    assert sorted(found_titles(client, "chatbto")) == [
        "Chatbot for council tax",
        "Chatbot for housing",
    ]
    html = page(client, "chatbto housing", pillar="inclusion")  # chatbot finds nothing there
    assert "Did you mean" not in html and "Showing pilots for" not in html


def test_a_suggestion_is_never_a_stop_word(client, backend):
    make_pilot(title="The bins of the town")
    html = page(client, "teh bins", exact="1")
    assert "Bins of the town" in html or "The bins of the town" in html
    assert "Did you mean" not in html  # "teh" is closest to "the", which searches nothing
