"""Admins change roles; everyone else is refused, in the page and in the API."""

from __future__ import annotations

from forum.accounts.models import User


def test_member_gets_403_from_admin_page_and_api(client, auth, make_user, token_for):
    member = auth.login_as("member")
    target = make_user("target")
    assert client.get("/admin/users").status_code == 403
    assert client.post(f"/admin/users/{target.id}/role", data={"role": "admin"}).status_code == 403
    response = client.put(
        f"/api/v1/users/{target.id}/role", json={"role": "admin"}, headers=token_for(member)
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_admin_changes_role_in_page(client, auth, make_user, db):
    auth.login_as("admin")
    target = make_user("target")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "target" in page
    response = client.post(f"/admin/users/{target.id}/role", data={"role": "advocate"}, follow_redirects=True)
    assert "target is now Advocate" in response.get_data(as_text=True)
    assert db.session.get(User, target.id).role == "advocate"


def test_admin_changes_role_in_api(client, make_user, token_for, db):
    admin = make_user("boss", role="admin")
    target = make_user("target")
    headers = token_for(admin)
    response = client.put(f"/api/v1/users/{target.id}/role", json={"role": "finance"}, headers=headers)
    assert response.status_code == 200 and response.get_json()["role"] == "finance"
    bad = client.put(f"/api/v1/users/{target.id}/role", json={"role": "emperor"}, headers=headers)
    assert bad.status_code == 422 and "role" in bad.get_json()["error"]["fields"]
    assert db.session.get(User, target.id).role == "finance"
    missing = client.put("/api/v1/users/999999/role", json={"role": "member"}, headers=headers)
    assert missing.status_code == 404
