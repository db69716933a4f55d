"""The forensics' plots (shafaf.publication.forensics_plots): valid SVG that refers to
nothing outside itself, the same bytes for the same results, and the numbers the
reader needs written on them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from shafaf.core.forensics import fingerprint, last_digit, turnout_histogram
from shafaf.publication import forensics_plots

SVG = "{http://www.w3.org/2000/svg}"
LINK = "{http://www.w3.org/1999/xlink}href"


def plots():
    counts = [10 + 7 * i for i in range(200)]
    return {
        "last_digit": forensics_plots.last_digit_svg(last_digit(counts)),
        "turnout": forensics_plots.turnout_svg(turnout_histogram(
            [(v, 500) for v in range(100, 500, 3)] + [(510, 500)])),
        "fingerprint": forensics_plots.fingerprint_svg(fingerprint(
            [(500, v, v // 2, v) for v in range(100, 500, 3)])),
    }


@pytest.fixture(scope="module")
def drawn():
    return plots()


@pytest.mark.parametrize("kind", ["last_digit", "turnout", "fingerprint"])
def test_each_plot_is_self_contained_svg(drawn, kind):
    root = ET.fromstring(drawn[kind])  # noqa: S314 (drawn here)
    assert root.tag == f"{SVG}svg"
    assert not list(root.iter(f"{SVG}script"))
    # The fingerprint's image is embedded as data; nothing is fetched from elsewhere.
    for element in root.iter():
        href = element.get(LINK) or element.get("href") or ""
        assert href == "" or href.startswith(("#", "data:image/png;base64,")), href


def test_the_same_results_draw_the_same_bytes(drawn):
    assert plots() == drawn


def test_the_plots_carry_their_numbers_as_text(drawn):
    def text(svg: str) -> str:
        return " ".join(re.findall(r">([^<>]+)</text>", svg))

    assert "n = 200" in text(drawn["last_digit"])
    assert "last digit" in text(drawn["last_digit"])
    assert "over 100% = 1" in text(drawn["turnout"])
    assert "vote share (%)" in text(drawn["fingerprint"])
    assert "data:image/png;base64," in drawn["fingerprint"]
