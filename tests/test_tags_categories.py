"""Moderators rename and merge tags (old addresses redirect, search follows at once);
admins add categories that people can ask in straight away. Both refuse everyone else,
show form errors with 422 and save nothing when refusing, and write to the audit log."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, func, select

from forum.accounts.models import User
from forum.errors import Conflict
from forum.questions.models import Category, Question, Tag, TagAlias, question_tags
from forum.questions.tags import merge_tags
from forum.search.models import SearchOutbox
from moderation.models import AuditEntry
from tests import support

BODY = support.QUESTION_BODY


def tag_id(db, name: str) -> int:
    found = db.session.scalar(select(Tag.id).where(Tag.name == name))
    assert found is not None, f"no tag {name}"
    return found


def tags_of(db, question_id: int) -> list[str]:
    return sorted(
        db.session.scalars(
            select(Tag.name)
            .join(question_tags, question_tags.c.tag_id == Tag.id)
            .where(question_tags.c.question_id == question_id)
        )
    )


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def search_ids(client, query: str, **filters) -> list[int]:
    response = client.get("/api/v1/search", query_string={"q": query, "per_page": 100, **filters})
    assert response.status_code == 200, response.get_data(as_text=True)
    return sorted(item["question_id"] for item in response.get_json()["items"])


def audit_actions(db) -> list[tuple[str, str, int | None]]:
    return [
        (entry.action, entry.target_type, entry.target_id)
        for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
    ]


def error_text(page: str, field: str) -> str:
    match = re.search(rf'id="{field}-error"[^>]*>([^<]*)<', page)
    assert match, f"no error shown for {field}"
    return match.group(1)


# Tags -------------------------------------------------------------------------------------


def test_rename_keeps_questions_redirects_the_old_address_and_search_follows(client, auth, ask, db):
    first = ask(
        "Single sign-on loops back to the login page", ["sso-login", "browser"], body="Okta quagga loop."
    )
    second = ask(
        "Where do I set up single sign-on for my team?", ["sso-login"], body="Need quagga setup help."
    )
    moderator = auth.login_as("moderator", "mod")
    old_id = tag_id(db, "sso-login")

    response = client.post(f"/manage/tags/{old_id}/rename", data={"name": " Single-Sign-On "})
    assert response.status_code == 302 and response.headers["Location"] == "/tags/single-sign-on"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Renamed &#39;sso-login&#39; to &#39;single-sign-on&#39;: 2 questions updated" in page
    assert "Single sign-on loops back" in page and "Where do I set up single sign-on" in page

    assert tag_id(db, "single-sign-on") == old_id, "the same tag, renamed"
    assert tags_of(db, first) == ["browser", "single-sign-on"] and tags_of(db, second) == ["single-sign-on"]
    old = client.get("/tags/sso-login?sort=votes")
    assert old.status_code == 301 and old.headers["Location"] == "/tags/single-sign-on?sort=votes"
    assert search_ids(client, "quagga", tag="single-sign-on") == sorted([first, second])
    assert search_ids(client, "quagga", tag="sso-login") == sorted([first, second]), (
        "the old name still filters"
    )
    assert count(db, SearchOutbox) == 0, "the index was updated, nothing left queued"
    assert audit_actions(db) == [("tag.rename", "tag", old_id)]
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.actor_id == moderator.id and entry.before == "sso-login" and entry.after == "single-sign-on"

    third = ask("SSO users cannot open shared reports any more", ["sso-login"])
    assert tags_of(db, third) == ["single-sign-on"], "the old name, typed again, gives the renamed tag"
    assert count(db, Tag) == 2
    assert client.get("/api/v1/questions?tag=sso-login").get_json()["total"] == 3


def test_merge_moves_every_question_once_and_deletes_the_source(client, auth, ask, db):
    only_a = ask("Export to CSV drops the last column", ["csv-export"], body="walrus columns missing")
    both = ask(
        "CSV export uses semicolons instead of commas", ["csv-export", "export"], body="walrus separators"
    )
    only_b = ask("Exported reports are missing the header row", ["export"], body="walrus header")
    auth.login_as("moderator", "mod")
    client.post(f"/manage/tags/{tag_id(db, 'csv-export')}/rename", data={"name": "csv"})  # an older name
    source, target = tag_id(db, "csv"), tag_id(db, "export")

    response = client.post(f"/manage/tags/{source}/merge", data={"into": "export"})
    assert response.status_code == 302 and response.headers["Location"] == "/tags/export"
    page = client.get("/tags/export").get_data(as_text=True)
    assert "Merged &#39;csv&#39; into &#39;export&#39;: 2 questions updated; 1 already had both" in page
    assert "3 questions" in page

    assert db.session.get(Tag, source) is None, "the merged tag is gone"
    assert [tags_of(db, q) for q in (only_a, both, only_b)] == [["export"], ["export"], ["export"]]
    links = db.session.scalar(
        select(func.count()).select_from(question_tags).where(question_tags.c.tag_id == target)
    )
    assert links == 3, "no duplicate link for the question that had both"
    assert db.session.scalar(select(Tag.question_count).where(Tag.id == target)) == 3
    aliases = dict(db.session.execute(select(TagAlias.name, TagAlias.tag_id)).all())
    assert aliases == {"csv": target, "csv-export": target}, "older names follow the merge"
    for old in ("/tags/csv", "/tags/csv-export"):
        redirect = client.get(old)
        assert redirect.status_code == 301 and redirect.headers["Location"] == "/tags/export"
    assert search_ids(client, "walrus", tag="export") == sorted([only_a, both, only_b])
    assert search_ids(client, "walrus", tag="csv") == sorted([only_a, both, only_b]), "the old name follows"
    assert [action for action, _, _ in audit_actions(db)] == ["tag.rename", "tag.merge"]
    merge_entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "tag.merge")).one()
    assert merge_entry.target_id == target and merge_entry.before == {"tag": "csv", "id": source}
    assert merge_entry.details == {"questions": 2, "already_tagged": 1}


def test_a_tag_can_take_back_its_own_old_name(client, auth, ask, db):
    question = ask("Two-factor codes arrive after they expire", ["2fa"])
    auth.login_as("admin", "root")
    the_tag = tag_id(db, "2fa")
    assert client.post(f"/manage/tags/{the_tag}/rename", data={"name": "two-factor"}).status_code == 302
    assert client.post(f"/manage/tags/{the_tag}/rename", data={"name": "2fa"}).status_code == 302
    assert tags_of(db, question) == ["2fa"]
    assert list(db.session.scalars(select(TagAlias.name))) == ["two-factor"]
    assert client.get("/tags/two-factor").headers["Location"] == "/tags/2fa"
    assert client.get("/tags/2fa").status_code == 200


@pytest.mark.parametrize(
    ("action", "data", "field", "message"),
    [
        ("rename", {"name": ""}, "name", "Enter the new name."),
        ("rename", {"name": "   "}, "name", "Enter the new name."),
        ("rename", {"name": "<script>"}, "name", "use up to 35 lowercase letters"),
        ("rename", {"name": "a" * 36}, "name", "35"),
        (
            "rename",
            {"name": "billing"},
            "name",
            "already exists: merge &#39;invoices&#39; into &#39;billing&#39;",
        ),
        ("rename", {"name": "invoices"}, "name", "&#39;invoices&#39; already is this tag&#39;s name"),
        ("merge", {"into": ""}, "into", "Enter the tag to merge into."),
        ("merge", {"into": "invoices"}, "into", "cannot be merged into itself"),
        ("merge", {"into": "no-such-tag"}, "into", "There is no tag &#39;no-such-tag&#39;"),
        ("merge", {"into": "bad tag!"}, "into", "use up to 35 lowercase letters"),
    ],
)
def test_tag_forms_show_errors_and_change_nothing(client, auth, ask, db, action, data, field, message):
    question = ask("Invoices show the wrong company name", ["invoices", "billing"])
    auth.login_as("moderator", "mod")
    invoices = tag_id(db, "invoices")
    response = client.post(f"/manage/tags/{invoices}/{action}", data=data)
    assert response.status_code == 422
    assert message in error_text(response.get_data(as_text=True), field)
    assert sorted(db.session.scalars(select(Tag.name))) == ["billing", "invoices"]
    assert tags_of(db, question) == ["billing", "invoices"]
    assert count(db, TagAlias) == 0 and count(db, AuditEntry) == 0


def test_renaming_onto_another_tags_old_name_suggests_a_merge(client, auth, ask, db):
    ask("Mobile app logs out every hour", ["mobile", "ios"])
    auth.login_as("moderator", "mod")
    client.post(f"/manage/tags/{tag_id(db, 'mobile')}/rename", data={"name": "mobile-app"})
    response = client.post(f"/manage/tags/{tag_id(db, 'ios')}/rename", data={"name": "mobile"})
    assert response.status_code == 422
    assert "old name of &#39;mobile-app&#39;" in error_text(response.get_data(as_text=True), "name")
    assert db.session.scalar(select(Tag.name).where(Tag.id == tag_id(db, "ios"))) == "ios"


@pytest.mark.parametrize("role", ["member", "advocate", "finance"])
def test_only_moderators_and_admins_manage_tags(client, auth, ask, db, role):
    ask("Reports time out for large date ranges", ["reports", "performance"])
    auth.login_as(role, "someone")
    reports = tag_id(db, "reports")
    assert client.get("/manage/tags").status_code == 403
    assert client.get(f"/manage/tags/{reports}").status_code == 403
    assert client.post(f"/manage/tags/{reports}/rename", data={"name": "reporting"}).status_code == 403
    assert client.post(f"/manage/tags/{reports}/merge", data={"into": "performance"}).status_code == 403
    assert sorted(db.session.scalars(select(Tag.name))) == ["performance", "reports"]
    assert "Manage tags" not in client.get("/tags").get_data(as_text=True)
    assert "Rename or merge tag" not in client.get("/tags/reports").get_data(as_text=True)


def test_visitors_are_sent_to_sign_in(client, ask, db):
    ask("Reports time out for large date ranges", ["reports"])
    response = client.post(f"/manage/tags/{tag_id(db, 'reports')}/rename", data={"name": "reporting"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(Tag.name)) == "reports"


def test_moderators_reach_the_tag_admin_from_the_tag_pages(client, auth, ask, db):
    ask("Reports time out for large date ranges", ["reports"])
    auth.login_as("moderator", "mod")
    assert 'href="/manage/tags"' in client.get("/tags").get_data(as_text=True)
    reports = tag_id(db, "reports")
    assert f'href="/manage/tags/{reports}"' in client.get("/tags/reports").get_data(as_text=True)
    listing = client.get("/manage/tags?q=rep").get_data(as_text=True)
    assert f'href="/manage/tags/{reports}"' in listing
    manage = client.get(f"/manage/tags/{reports}").get_data(as_text=True)
    assert 'name="name"' in manage and 'name="into"' in manage
    assert client.get("/tags/never-existed").status_code == 404


def test_merging_a_tag_merged_away_meanwhile_is_a_conflict_not_a_crash(app, db, ask, make_user):
    ask("Webhooks stop after a password change", ["webhooks", "api"])
    moderator = db.session.get(User, make_user("mod", role="moderator").id)
    stale = db.session.get(Tag, tag_id(db, "webhooks"))  # a page loaded it...
    db.session.expunge(stale)  # (as it was then, and no read transaction left open)
    db.session.commit()
    with db.engine.begin() as other:  # ...then another moderator's merge removed it
        other.execute(delete(question_tags).where(question_tags.c.tag_id == stale.id))
        other.execute(delete(Tag).where(Tag.id == stale.id))
    with pytest.raises(Conflict):
        merge_tags(moderator, stale, "api")
    db.session.rollback()
    assert list(db.session.scalars(select(Tag.name))) == ["api"] and count(db, TagAlias) == 0


# Categories -------------------------------------------------------------------------------


def test_admin_adds_a_category_people_can_ask_in(client, auth, db):
    admin = auth.login_as("admin", "root")
    response = client.post(
        "/admin/categories",
        data={"name": "  Mobile   apps ", "slug": "", "description": "The iOS and Android apps."},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/admin/categories"
    page = client.get("/admin/categories").get_data(as_text=True)
    assert "Added the category Mobile apps (/categories/mobile-apps)." in page
    category = db.session.scalars(select(Category).where(Category.slug == "mobile-apps")).one()
    assert category.name == "Mobile apps" and category.description == "The iOS and Android apps."
    assert category.position > max(
        db.session.scalars(select(Category.position).where(Category.id != category.id))
    )
    assert audit_actions(db) == [("category.create", "category", category.id)]
    assert db.session.scalars(select(AuditEntry)).one().actor_id == admin.id

    auth.logout()
    auth.login_as("member", "asker")
    ask_page = client.get("/ask").get_data(as_text=True)
    assert '<option value="mobile-apps">Mobile apps</option>' in ask_page
    posted = client.post(
        "/ask",
        data={
            "title": "The Android app crashes when I open a report",
            "body": BODY,
            "category": "mobile-apps",
            "tags": "android",
        },
    )
    assert posted.status_code == 302, posted.get_data(as_text=True)
    assert db.session.scalar(select(Question.category_id)) == category.id
    listing = client.get("/categories/mobile-apps").get_data(as_text=True)
    assert (
        "The Android app crashes when I open a report" in listing and "The iOS and Android apps." in listing
    )
    assert 'value="mobile-apps"' in client.get("/search?q=android").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the category&#39;s name."),
        ({"name": "X"}, "name", "between 2 and 60"),
        ({"name": "N" * 61}, "name", "60"),
        ({"name": "billing"}, "name", "There already is a category &#39;Billing&#39;."),
        (
            {"name": "Money matters", "slug": "billing"},
            "slug",
            "&#39;billing&#39; is the address of &#39;Billing&#39;",
        ),
        ({"name": "Money matters", "slug": "Money Matters!"}, "slug", "lowercase letters and digits"),
        ({"name": "???"}, "slug", "no letters or digits"),
        ({"name": "Money matters", "description": "d" * 301}, "description", "300"),
    ],
)
def test_category_form_shows_errors_and_saves_nothing(client, auth, db, data, field, message):
    auth.login_as("admin", "root")
    response = client.post("/admin/categories", data=data)
    assert response.status_code == 422
    assert message in error_text(response.get_data(as_text=True), field)
    assert count(db, Category) == 4 and count(db, AuditEntry) == 0


@pytest.mark.parametrize("role", ["member", "moderator", "finance", "advocate"])
def test_only_admins_add_categories(client, auth, db, role):
    auth.login_as(role, "someone")
    assert client.get("/admin/categories").status_code == 403
    assert client.post("/admin/categories", data={"name": "Mobile apps"}).status_code == 403
    assert count(db, Category) == 4
