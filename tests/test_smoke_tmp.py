from forum.extensions import db
from forum.accounts.models import User
from forum.questions import services, voting


def test_home(client):
    r = client.get("/")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert b"Questions" in r.data


def test_flow(app, make_user):
    a = make_user("asker"); b = make_user("answerer"); c = make_user("voter")
    with app.app_context():
        asker = db.session.get(User, a.id)
        q = services.ask_question(asker, "How do I export my workspace data?", "I need a CSV export **now**.", "product", ["export", "csv"])
        ans = services.post_answer(db.session.get(User, b.id), q, "Use Settings > Export and pick CSV.")
        db.session.commit()
        assert voting.cast_vote(db.session.get(User, c.id), "answer", ans.id, 1) == 1
        voting.accept_answer(asker, ans)
        db.session.commit()
        assert db.session.get(User, b.id).reputation == 1 + 10 + 15
        assert q.status == "solved"
        assert "<strong>now</strong>" in q.body_html
