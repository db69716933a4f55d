"""The dashboards' arithmetic against fixtures counted by hand."""

from __future__ import annotations

from fractions import Fraction

from shafaf.core import observation_figures as fig


def test_coverage_counts_centres_and_stations_with_an_observer():
    places = [fig.Place("IQ-KI", "KI1", "KI1-01"), fig.Place("IQ-KI", "KI1", "KI1-02"),
              fig.Place("IQ-KI", "KI2", "KI2-01"), fig.Place("IQ-BA", "BA1", "BA1-01"),
              fig.Place("IQ-BA", "BA1", "BA1-02")]
    rows = fig.coverage(places, ["KI1-02", "BA1-01", "BA1-02", "NOT-HERE"])
    # By hand: Basra one centre of one, two stations of two; Kirkuk one centre of two
    # (KI1 through its second station), one station of three.
    assert rows == [fig.Coverage("IQ-BA", 1, 1, 2, 2), fig.Coverage("IQ-KI", 2, 1, 3, 1)]
    assert rows[1].centre_share == Fraction(1, 2)
    assert rows[1].station_share == Fraction(1, 3)
    assert fig.total_coverage(rows) == fig.Coverage("", 3, 2, 5, 3)
    assert fig.percent(rows[1].station_share) == "33.3%"
    assert fig.coverage([], []) == []
    assert fig.percent(fig.share(0, 0)) == "–"


def test_received_by_hour_runs_a_total_against_expected():
    rows = fig.received_by_hour([7, 7, 8, 10, 5, 23, 23], expected=12, first=6, last=23)
    by_hour = {row.hour: row for row in rows}
    assert len(rows) == 18
    assert by_hour[6].received == 1  # the 05:00 one, counted in the first hour
    assert (by_hour[7].received, by_hour[7].cumulative) == (2, 3)
    assert (by_hour[9].received, by_hour[9].cumulative) == (0, 4)
    assert (by_hour[10].received, by_hour[10].cumulative) == (1, 5)
    assert (by_hour[23].received, by_hour[23].cumulative) == (2, 7)
    assert by_hour[23].cumulative_share == Fraction(7, 12)


def test_opened_on_time_counts_each_station_once_by_its_last_report():
    reports = [("S1", {"opened_on_time": False}), ("S2", {"opened_on_time": True}),
               ("S1", {"opened_on_time": True}),  # a correction: S1 counts as on time
               ("S3", {"opened_on_time": False}), ("S4", {"materials_complete": True}),
               ("S5", {"opened_on_time": "yes"})]  # not a yes/no: not counted
    found = fig.opened_on_time(reports)
    assert (found.stations, found.on_time, found.late) == (3, 2, 1)
    assert found.on_time_share == Fraction(2, 3)


def test_turnout_by_hour_divides_by_the_reporting_stations_register():
    registered = {"S1": 400, "S2": 500, "S3": 600}
    reports = [("S1", {"voters_10": 40, "voters_13": 100}),
               ("S2", {"voters_10": 50, "voters_13": 200, "voters_16": 300}),
               ("S1", {"voters_10": 44, "voters_13": 120, "voters_16": 200}),
               ("S3", {"voters_10": True}),  # a bool is not a count
               ("S9", {"voters_10": 10})]  # not one of the organisation's stations
    ten, one, four = fig.turnout_by_hour(reports, registered)
    # 10:00: S1 (last report) 44 + S2 50 = 94 of 400 + 500
    assert (ten.hour, ten.stations, ten.voters, ten.registered) == (10, 2, 94, 900)
    assert ten.turnout == Fraction(94, 900)
    assert (one.stations, one.voters, one.registered) == (2, 320, 900)
    assert (four.stations, four.voters, four.registered) == (2, 500, 900)
    assert fig.percent(four.turnout) == "55.6%"


def test_incidents_are_counted_by_category_governorate_and_severity():
    found = fig.incident_counts([
        fig.Incident("violence", "critical", "IQ-KI"),
        fig.Incident("vote_buying", "minor", "IQ-KI"),
        fig.Incident("violence", "serious", "IQ-BA"),
        fig.Incident("violence", "critical", "IQ-KI")])
    assert found.total == 4
    assert found.by_category == {"violence": 3, "vote_buying": 1}
    assert found.by_governorate == {"IQ-BA": 1, "IQ-KI": 3}
    assert found.by_severity == {"critical": 2, "minor": 1, "serious": 1}
    assert found.by_governorate_and_category == {("IQ-BA", "violence"): 1,
                                                 ("IQ-KI", "violence"): 2,
                                                 ("IQ-KI", "vote_buying"): 1}
