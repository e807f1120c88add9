"""Every page template the browser checks (axe and the Nu Html Checker) cover, one line each.

`path` may name demo rows: {pilot} (a public demo pilot), {draft} (a KEC draft), {other} (another
council's pilot), {running} (a running KEC pilot), {consultation} and {open_consultation} (KEC's
closed and open consultations), {wbk_consultation} (West Berkshire's closed one), {person} (the
WBK editor's user id), {member} (their membership of WBK).
`who` is the demo person the page is opened as: a reader (signed out, on the public app) or,
signed in on the development app, the KEC `editor`, the West Berkshire `council-admin`, the
`funder`, the registry `admin` or a KEC `panel-member`. {idea}, {open_idea} (KEC's, not yet a
pilot), {decided_round}, {scoring_round}, {draft_round}, {closed_round}: demo ideas and rounds.
`then` is what a person does on the page before it is checked (e.g. submit a form empty).
To cover a new page, add a line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page


def press(button: str) -> Callable[[Page], None]:
    """Press a form's button without filling anything in."""

    def then(page: Page) -> None:
        with page.expect_navigation():
            page.get_by_role("button", name=button).click()

    return then


@dataclass(frozen=True)
class PageCheck:
    name: str
    path: str
    status: int | None = 200  # None: the page is reached by a form, not by its address
    who: str = "reader"
    then: Callable[[Page], None] | None = None


PAGES = [
    PageCheck("home", "/"),
    PageCheck("pilots", "/pilots"),
    PageCheck("pilots filtered by pillar", "/pilots?pillar=inclusion&status=concluded"),
    PageCheck("pilots with no match", "/pilots?council=zzz&status=withdrawn"),
    PageCheck("pilot", "/pilots/{pilot}"),
    PageCheck("councils", "/councils"),
    PageCheck("API guide", "/api"),
    PageCheck("council", "/councils/kec"),
    PageCheck("subscribe to a council's pilots", "/subscribe?feed=council&code=kec"),
    PageCheck("subscribe to a search", "/subscribe?feed=search&q=parking&pillar=inclusion"),
    PageCheck("pillars", "/pillars"),
    PageCheck("pillar", "/pillars/inclusion"),
    PageCheck("about", "/about"),
    PageCheck("guidance", "/guidance"),
    PageCheck("accessibility statement", "/accessibility"),
    PageCheck("sign in", "/auth/sign-in"),
    PageCheck("development sign-in", "/auth/dev", who="editor"),
    PageCheck("development sign-in with error", "/auth/dev", None, "editor", press("Sign in")),
    PageCheck("new pilot", "/pilots/new", who="editor"),
    PageCheck("new pilot with errors", "/pilots/new", None, "editor", press("Save draft")),
    PageCheck("draft pilot", "/pilots/{draft}", who="editor"),
    PageCheck("edit draft", "/pilots/{draft}/edit", who="editor"),
    PageCheck("check before registering", "/pilots/{draft}/register", who="editor"),
    PageCheck("mark as started", "/pilots/kec-visitor-parking-assisted-route/start", who="editor"),
    PageCheck("edit registered pilot", "/pilots/{pilot}/edit", who="editor"),
    PageCheck("search with results", "/search?q=chatbot"),
    PageCheck("search with a facet", "/search?q=residents&pillar=inclusion"),
    PageCheck("search with no results", "/search?q=zzzzqqq&status=withdrawn"),
    PageCheck("search with some of the words", "/search?q=older+people+offline+zeppelin"),
    PageCheck("search corrected", "/search?q=chatbto"),
    PageCheck("search refused", "/search?q=" + "x" * 501, 400),
    PageCheck("history", "/pilots/{pilot}/history"),
    PageCheck("outcome report", "/pilots/hrt-photo-pothole-reporting/results"),
    PageCheck("overdue reports", "/overdue"),
    PageCheck("funding programmes", "/funding"),
    PageCheck("funding programme", "/funding/programmes/test-small-learn-fast"),
    PageCheck(
        "funding programme, past its last page", "/funding/programmes/test-small-learn-fast?page=9"
    ),
    PageCheck("amend", "/pilots/{pilot}/amend", who="editor"),
    PageCheck("add a measure", "/pilots/{draft}/measures/new", who="editor"),
    PageCheck(
        "measure with errors", "/pilots/{draft}/measures/new", None, "editor", press("Save measure")
    ),
    PageCheck("councils by reporting record", "/councils?sort=reporting"),
    PageCheck("map", "/map"),
    PageCheck("map filtered", "/map?verdict=proved&region=London"),
    PageCheck("map refused", "/map?year=soon", 400),
    PageCheck("council with partners", "/councils/cmd"),
    PageCheck("council widget", "/councils/kec/embed"),
    PageCheck("progress update", "/pilots/{running}/updates/new", who="editor"),
    PageCheck(
        "progress update with errors",
        "/pilots/{running}/updates/new",
        None,
        "editor",
        press("Post update"),
    ),
    PageCheck("outcome report form", "/pilots/{running}/results", who="editor"),
    PageCheck("stop a pilot", "/pilots/{running}/stop", who="editor"),
    PageCheck(
        "stop a pilot with errors",
        "/pilots/{running}/stop",
        None,
        "editor",
        press("Stop the pilot"),
    ),
    PageCheck("your account", "/account", who="editor"),
    PageCheck("your council's pilots", "/your-pilots", who="editor"),
    PageCheck("your council's drafts", "/your-pilots?group=drafts", who="editor"),
    PageCheck("your council's pilots, as registry admin", "/your-pilots", who="admin"),
    PageCheck("council members", "/councils/wbk/members", who="council-admin"),
    PageCheck("join a council", "/councils/wbk/join"),
    PageCheck("join a council, signed in", "/councils/wbk/join", who="funder"),
    PageCheck("change a member", "/councils/wbk/members/{member}/change", who="council-admin"),
    PageCheck("council domains", "/councils/wbk/domains", who="council-admin"),
    PageCheck("council API tokens", "/councils/wbk/api-tokens", who="council-admin"),
    PageCheck("people and roles", "/people?q=e", who="admin"),
    PageCheck("a person's roles", "/people/{person}", who="admin"),
    PageCheck(
        "a person's roles with errors", "/people/{person}", None, "admin", press("Give this role")
    ),
    PageCheck("council audit log", "/councils/wbk/audit", who="council-admin"),
    PageCheck("audit log", "/audit", who="admin"),
    PageCheck("councils' email domains to review", "/council-domains", who="admin"),
    PageCheck("report extension", "/pilots/{running}/extension", who="admin"),
    PageCheck("funder dashboard", "/funding/dashboard", who="funder"),
    PageCheck(
        "new programme with errors",
        "/funding/programmes/new",
        None,
        "funder",
        press("Save programme"),
    ),
    PageCheck("edit programme", "/funding/programmes/test-small-learn-fast/edit", who="funder"),
    PageCheck(
        "new award with errors",
        "/funding/programmes/test-small-learn-fast/awards/new",
        None,
        "funder",
        press("Save award"),
    ),
    # Residents' priorities
    PageCheck("residents' priorities", "/priorities"),
    PageCheck("council priorities", "/councils/kec/priorities"),
    PageCheck("closed consultation", "/consultations/{consultation}"),
    PageCheck("open consultation", "/consultations/{open_consultation}"),
    PageCheck(
        "answer with errors",
        "/consultations/{open_consultation}",
        None,
        "reader",
        press("Send answer"),
    ),
    PageCheck("open consultation for staff", "/consultations/{open_consultation}", who="editor"),
    PageCheck("new consultation", "/councils/kec/consultations/new", who="editor"),
    PageCheck(
        "new consultation with errors",
        "/councils/kec/consultations/new",
        None,
        "editor",
        press("Save consultation"),
    ),
    PageCheck("offline answer", "/consultations/{open_consultation}/answers/new", who="editor"),
    PageCheck(
        "offline answer with errors",
        "/consultations/{open_consultation}/answers/new",
        None,
        "editor",
        press("Save answer"),
    ),
    PageCheck(
        "moderate comments", "/consultations/{wbk_consultation}/comments", who="council-admin"
    ),
    PageCheck("idea", "/ideas/{idea}"),
    PageCheck("decided round", "/rounds/{decided_round}"),
    PageCheck("round open for scoring", "/rounds/{scoring_round}"),
    PageCheck("new idea", "/ideas/new", who="editor"),
    PageCheck("idea appraisal", "/ideas/{open_idea}/appraisal", who="editor"),
    PageCheck(
        "idea appraisal with errors",
        "/ideas/{open_idea}/appraisal",
        None,
        "editor",
        press("Save and work out the figures"),
    ),
    PageCheck("new idea with errors", "/ideas/new", None, "editor", press("Save idea")),
    PageCheck("council's ideas and rounds", "/councils/kec/ideas", who="editor"),
    PageCheck("new round", "/rounds/new", who="council-admin"),
    PageCheck(
        "new round with errors", "/rounds/new", None, "council-admin", press("Save the round")
    ),
    PageCheck("draft round", "/rounds/{draft_round}", who="council-admin"),
    PageCheck("draft round set-up", "/rounds/{draft_round}/setup", who="council-admin"),
    PageCheck("record a decision", "/rounds/{closed_round}/decision", who="council-admin"),
    PageCheck(
        "record a decision with errors",
        "/rounds/{closed_round}/decision",
        None,
        "council-admin",
        press("Record the decision"),
    ),
    PageCheck("closed round", "/rounds/{closed_round}"),
    PageCheck("your scores", "/rounds/{scoring_round}/scores", who="panel-member"),
    PageCheck("declare an interest", "/rounds/{scoring_round}/declarations", who="panel-member"),
    PageCheck(
        "declare an interest with errors",
        "/rounds/{scoring_round}/declarations",
        None,
        "panel-member",
        press("Declare the interest"),
    ),
    PageCheck("error 400", "/pilots?pillar=no-such-pillar", 400),
    PageCheck("error 403", "/pilots/{other}/edit", 403, who="editor"),
    PageCheck("get email alerts", "/alerts/new?pilot={pilot}"),
    PageCheck(
        "email alerts form with errors",
        "/alerts/new?council=KEC",
        None,
        then=press("Get email alerts"),
    ),
    PageCheck("check your email", "/alerts/check-your-email"),
    PageCheck("alerts privacy notice", "/alerts/privacy"),
    PageCheck("alerts stopped", "/alerts/stopped"),
    PageCheck("alert link refused", "/alerts/manage/not-a-link", 400),
    PageCheck("one-click unsubscribe page", "/alerts/unsubscribe/not-a-link"),
    PageCheck("your email alerts (none)", "/alerts/mine", who="editor"),
    PageCheck("error 404", "/no-such-page", 404),
    PageCheck("error 413", "/test-only/error/413", 413),
    PageCheck("error 429", "/test-only/error/429", 429),
    PageCheck("error 500", "/test-only/error/500", 500),
    PageCheck("error 503", "/test-only/error/503", 503),
    PageCheck("business case", "/pilots/kec-parking-permit-renewal-options/appraisal"),
    PageCheck("business case with no appraisal", "/pilots/{other}/appraisal"),
    PageCheck(
        "business case form",
        "/pilots/kec-housing-repairs-triage-simulation/appraisal/edit",
        who="editor",
    ),
    PageCheck(
        "business case form with errors",
        "/pilots/kec-parking-permit-renewal-options/appraisal/edit",
        None,
        "editor",
        press("Save and work out the figures"),
    ),
    PageCheck("business cases across the registry", "/business-cases"),
    PageCheck(
        "record the outturn",
        "/pilots/kec-housing-repairs-triage-simulation/appraisal/outturn",
        who="editor",
    ),
    PageCheck(
        "business case import",
        "/pilots/kec-parking-permit-renewal-options/appraisal/import",
        who="editor",
    ),
]
