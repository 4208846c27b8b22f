"""Admins rename categories (the address stays) and remove the ones nobody asked in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.questions.models import Category, Question
from tests.test_tags_categories import audit_actions, count, error_text


def category(db, slug: str) -> tuple[int, str, str]:
    """(id, name, description) of a category; the read transaction is ended at once, so the
    app's requests never wait on the test's session (SQLite)."""
    found = db.session.execute(
        select(Category.id, Category.name, Category.description).where(Category.slug == slug)
    ).one()
    db.session.rollback()
    return found.id, found.name, found.description


def test_admin_renames_a_category_and_its_address_stays(client, auth, db, ask):
    question_id = ask("The Android app crashes when I open a report", ["android"], category="product")
    product_id = category(db, "product")[0]
    auth.login_as("admin", "catadmin1")
    listing = client.get("/admin/categories").get_data(as_text=True)
    assert f'href="/admin/categories/{product_id}"' in listing

    response = client.post(
        f"/admin/categories/{product_id}",
        data={"name": "Apps & features", "description": "What the apps do."},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/admin/categories"
    assert "Saved the category Apps &amp; features (was Product)." in client.get(
        "/admin/categories"
    ).get_data(as_text=True)
    assert category(db, "product") == (product_id, "Apps & features", "What the apps do.")
    assert db.session.get_one(Question, question_id).category_id == product_id
    assert audit_actions(db) == [("category.update", "category", product_id)]
    db.session.rollback()
    assert '<option value="product">Apps &amp; features</option>' in client.get("/ask").get_data(as_text=True)
    page = client.get("/categories/product").get_data(as_text=True)
    assert "Apps &amp; features" in page and "The Android app crashes" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter the category&#39;s name."),
        ({"name": "billing"}, "There already is a category &#39;Billing&#39;."),
        ({"name": "Product", "description": "d" * 301}, "300"),
    ],
)
def test_a_bad_rename_shows_the_error_and_changes_nothing(client, auth, db, data, message):
    product_id = category(db, "product")[0]
    auth.login_as("admin", "catadmin2")
    response = client.post(f"/admin/categories/{product_id}", data=data)
    assert response.status_code == 422
    field = "description" if "description" in data else "name"
    assert message in error_text(response.get_data(as_text=True), field)
    assert category(db, "product")[1] == "Product" and audit_actions(db) == []


def test_renaming_to_its_own_name_in_other_case_is_allowed(client, auth, db):
    product_id = category(db, "product")[0]
    auth.login_as("admin", "catadmin3")
    assert client.post(f"/admin/categories/{product_id}", data={"name": "PRODUCT"}).status_code == 302
    assert category(db, "product")[1] == "PRODUCT"


def test_only_an_empty_category_can_be_removed(client, auth, db, ask):
    ask("Where do I download my invoices?", ["invoices"], category="billing")
    billing_id, website_id = category(db, "billing")[0], category(db, "website")[0]
    auth.login_as("admin", "catadmin4")

    refused = client.post(f"/admin/categories/{billing_id}/remove")
    assert refused.status_code == 409
    assert "Billing holds 1 question; only an empty category can be removed." in refused.get_data(
        as_text=True
    )
    assert count(db, Category) == 4
    db.session.rollback()

    edit_page = client.get(f"/admin/categories/{website_id}").get_data(as_text=True)
    assert f'action="/admin/categories/{website_id}/remove"' in edit_page
    removed = client.post(f"/admin/categories/{website_id}/remove")
    assert removed.status_code == 302
    assert "Removed the category Website." in client.get("/admin/categories").get_data(as_text=True)
    assert count(db, Category) == 3
    assert audit_actions(db)[-1] == ("category.delete", "category", website_id)
    db.session.rollback()
    assert 'value="website"' not in client.get("/ask").get_data(as_text=True)
    assert client.get("/categories/website").status_code == 404


@pytest.mark.parametrize("role", ["member", "moderator", "finance", "advocate"])
def test_only_admins_change_categories(client, auth, db, role):
    product_id = category(db, "product")[0]
    auth.login_as(role, f"cat{role}")
    assert client.get(f"/admin/categories/{product_id}").status_code == 403
    assert client.post(f"/admin/categories/{product_id}", data={"name": "Mine now"}).status_code == 403
    assert client.post(f"/admin/categories/{product_id}/remove").status_code == 403
    assert category(db, "product")[1] == "Product" and count(db, Category) == 4


def test_an_unknown_category_is_not_found(client, auth):
    auth.login_as("admin", "catadmin5")
    assert client.get("/admin/categories/9999").status_code == 404
    assert client.post("/admin/categories/9999/remove").status_code == 404
