"""The allocation report as text for a person, rendered from the same data as the JSON."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from shafaf.cli.table import render

JSON = dict[str, Any]

BASIS = {
    "votes": "own votes",
    "component": "component seat",
}
REASONS = {
    "list_below_its_share": "the list held fewer women than its share",
    "district_below_target": "the district was short of its women's target",
}
TIE_KINDS = {
    "list_seat": "lists with equal quotients for the last seat(s)",
    "candidate_seat": "candidates with equal votes for a seat",
    "quota_woman": "women with equal votes for a quota seat",
    "quota_replaced_man": "lowest-voted men with equal votes, one to give way",
    "quota_list_order": "lists with equal votes owing women, target reached among them",
    "component_seat": "component candidates with equal votes for the seat",
}


def number(value: int) -> str:
    return f"{value:,}"


def basis_text(code: str) -> str:
    if code.startswith("women_quota_stage_"):
        return f"women's quota, stage {code.rsplit('_', 1)[1].upper()}"
    return BASIS.get(code, code)


def render_allocation(report: JSON) -> str:
    out = [_header(report), "", "Lists", _lists(report)]
    if report["steps"]:
        out += ["", "Order in which the seats fell", _steps(report)]
    if report["quotients"]:
        out += ["", "Quotient table (* marks a quotient that won a seat)", _quotients(report)]
    if report["elected"]:
        out += ["", "Elected", _elected(report)]
    if report["women_quota"]:
        out += ["", "Women's quota", _quota(report)]
    if report["ties"]:
        out += ["", "Ties decided by lot", _ties(report)]
    if report["disqualified"]:
        out += ["", "Disqualified (votes struck before allocation)",
                render(["Candidate", "List", "Votes struck"],
                       [[d["candidate_id"], d["list_id"] or "—", number(d["votes_struck"])]
                        for d in report["disqualified"]], numeric=[False, False, True])]
    if report["flags"]:
        out += ["", "What this rests on besides the gazetted text",
                render(["Status", "Parameter", "Note"],
                       [[f["status"], f["parameter"], f["note"]] for f in report["flags"]])]
    return "\n".join(out) + "\n"


def _header(report: JSON) -> str:
    lines = [f"Shafaf seat allocation — law {report['law']}"]
    district = report["district"]
    if district:
        lines.append(f"District:  {district['code']}  {district['name_en']}  {district['name_ar']}")
    if report["method"]:
        lines.append(f"Method:    {report['method']}")
    else:
        lines.append(f"Method:    {report['selection']}")
    seats = f"Seats:     {report['seats']} general"
    if report["component_seats"]:
        parts = ", ".join(f"{c} {n}" for c, n in report["component_seats"].items())
        seats += f" + {sum(report['component_seats'].values())} component ({parts})"
    lines.append(seats)
    if report["unfilled_seats"]:
        lines.append(f"Unfilled:  {report['unfilled_seats']} general seat(s): no list could "
                     "take them (out of candidates or votes)")
    return "\n".join(lines)


def _lists(report: JSON) -> str:
    rows = []
    for lst in report["lists"]:
        notes = []
        if lst["votes_struck"]:
            notes.append(f"-{number(lst['votes_struck'])} struck")
        if lst["capped"]:
            notes.append("out of candidates")
        if lst["below_threshold"]:
            notes.append("below threshold")
        rows.append([lst["list_id"], number(lst["votes"]), str(lst["seats"]), "; ".join(notes),
                     lst["name"] or ""])
    total_votes = sum(lst["votes"] for lst in report["lists"])
    total_seats = sum(lst["seats"] for lst in report["lists"])
    rows.append(["Total", number(total_votes), str(total_seats), "", ""])
    return render(["List", "Votes", "Seats", "Note", "Name"], rows,
                  numeric=[False, True, True, False])


def _steps(report: JSON) -> str:
    steps = report["steps"]
    columns: list[tuple[str, bool, Any]] = [
        ("Seat", True, lambda s: str(s["seat"])),
        ("List", False, lambda s: s["list_id"]),
        ("Candidate", False, lambda s: s["candidate_id"] or ""),
        ("Reason", False, lambda s: s["reason"]),
        ("Value", True, lambda s: _grouped(s["value_decimal"])),
        ("Divisor", True, lambda s: _decimal(s["divisor"]) if s["divisor"] else ""),
        ("Lot", False, lambda s: "by lot" if s["by_lot"] else ""),
    ]
    # Leave out a column that says nothing for this method (no candidates, no lots).
    shown = [c for c in columns if any(c[2](s) for s in steps)]
    return render([c[0] for c in shown], [[c[2](s) for c in shown] for s in steps],
                  numeric=[c[1] for c in shown])


def _grouped(decimal: str) -> str:
    """``95924.7059`` → ``95,924.7059``."""
    whole, _, part = decimal.partition(".")
    return f"{int(whole):,}" + (f".{part}" if part else "")


def _quotients(report: JSON) -> str:
    table = report["quotients"]
    winners: dict[str, int] = {}
    for step in report["steps"]:
        winners[step["list_id"]] = winners.get(step["list_id"], 0) + 1
    rows = []
    for list_id, quotients in table["lists"].items():
        cells = [f"{_decimal(q)}{'*' if k < winners.get(list_id, 0) else ' '}"
                 for k, q in enumerate(quotients)]
        rows.append([list_id, *cells, *([""] * (len(table["divisors"]) - len(cells)))])
    headers = ["List", *(f"÷{_decimal(d)}" for d in table["divisors"])]
    return render(headers, rows, numeric=[False] + [True] * len(table["divisors"]))


def _decimal(exact: str) -> str:
    """``1630720/17`` → ``95,924.7``; whole values without decimals."""
    value = Fraction(exact)
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):,.1f}"


def _elected(report: JSON) -> str:
    rows = [[e["list_id"] or e["component"] or "", e["candidate_id"], e["sex"], number(e["votes"]),
             basis_text(e["basis"]), e["name"] or ""] for e in report["elected"]]
    return render(["List", "Candidate", "Sex", "Votes", "Basis", "Name"], rows,
                  numeric=[False, False, False, True, False])


def _quota(report: JSON) -> str:
    q = report["women_quota"]
    lines = [f"  Target {q['target']}; women elected on their own votes {q['women_on_votes']}; "
             f"after replacements {q['women_seated']}."]
    if q["shortfall"]:
        lines.append(f"  SHORTFALL: {q['shortfall']} seat(s) — no eligible woman was left to "
                     "take them.")
    if report["replacements"]:
        rows = [[r["stage"], r["list_id"], f"{r['elected']['candidate_id']} "
                 f"({number(r['elected']['votes'])})", f"{r['replaced']['candidate_id']} "
                 f"({number(r['replaced']['votes'])})", REASONS.get(r["reason"], r["reason"]),
                 r["elected"]["name"] or ""]
                for r in report["replacements"]]
        lines.append(render(["Stage", "List", "Woman seated", "Man replaced", "Why", "Name"],
                            rows))
    return "\n".join(lines)


def _ties(report: JSON) -> str:
    lines = []
    for tie in report["ties"]:
        how = ("physical draw (recorded)" if tie["method"] == "physical_draw"
               else f"shafaf-lottery/1, seed sha256 {tie['seed_sha256'][:16]}…")
        scope = f" in {tie['scope']}" if tie["scope"] else ""
        lines.append(f"  {TIE_KINDS.get(tie['kind'], tie['kind'])}{scope}: "
                     f"{', '.join(tie['contenders'])} for {tie['places']} place(s); "
                     f"drawn by {how}; order {' > '.join(tie['order'])}; "
                     f"chosen {', '.join(tie['chosen'])}")
    return "\n".join(lines)
