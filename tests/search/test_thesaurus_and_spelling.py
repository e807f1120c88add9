"""The thesaurus file and the spelling rules on their own."""

from __future__ import annotations

from pathlib import Path

from app.search.expansion import Thesaurus, expand
from app.search.query import parse_query
from app.search.spelling import are_opposites, in_dictionary

SHIPPED = Path(__file__).resolve().parents[2] / "content" / "search" / "synonyms.txt"


def test_the_shipped_thesaurus_has_at_least_sixty_groups_each_of_two_or_more():
    thesaurus = Thesaurus.parse(SHIPPED.read_text(encoding="utf-8"))
    assert len(thesaurus.groups) >= 60
    assert all(len(group) >= 2 for group in thesaurus.groups)


def test_members_match_by_stem_and_comments_and_lone_words_are_ignored():
    thesaurus = Thesaurus.parse("# a comment, not, a group\nbins, refuse  # trailing\nlonely\n")
    assert thesaurus.synonyms(["bin"]) == [["refuse"]]
    assert thesaurus.synonyms(["lonely"]) == []
    assert len(thesaurus.groups) == 1


def test_a_multi_word_member_typed_as_words_becomes_a_phrase_with_its_group():
    thesaurus = Thesaurus.parse("older people, elderly\n")
    expansion = expand(parse_query("older people offline"), thesaurus, lambda word: False)
    assert expansion.query.text() == '"older people" OR elderly offline'
    assert expansion.also == ["elderly"]
    assert [c.typed() for c in expansion.query.positive_clauses] == ["older people", "offline"]


def test_words_are_joined_only_when_the_index_holds_the_compound():
    joined = expand(parse_query("chat bot"), Thesaurus(), lambda word: word == "chatbot")
    assert joined.query.text() == '"chat bot" OR chatbot'
    apart = expand(parse_query("road sensors"), Thesaurus(), lambda word: False)
    assert apart.query.text() == "road sensors" and apart.also == []
    hyphen = expand(parse_query("e-mail -spam"), Thesaurus(), lambda word: word == "email")
    assert hyphen.query.text() == '"e mail" OR email -spam'


def test_opposites_by_pair_and_by_prefix():
    assert are_opposites("offline", "online")
    assert are_opposites("exclusion", "inclusion")
    assert are_opposites("unpaid", "paid") and are_opposites("paid", "unpaid")
    assert not are_opposites("chatbto", "chatbot")


def test_the_british_english_word_list_is_installed(app_ctx):
    assert in_dictionary("offline") and in_dictionary("prioritise") and in_dictionary("Potholes")
    assert not in_dictionary("chatbto")
