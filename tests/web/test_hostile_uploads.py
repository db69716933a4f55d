"""Hostile requests and files on the web: a 4xx with a message, never a 500."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("page", ["/lottery/gc-2023/transcript.json",
                                  "/lottery/gc-2023/projector/"])
def test_a_draw_id_of_five_thousand_digits_is_no_draw(client, election, page):
    response = client.get(page, {"draw": "9" * 5000})
    assert response.status_code == 404
