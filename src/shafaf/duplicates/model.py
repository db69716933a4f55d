"""The duplicate model: Splink (Fellegi-Sunter record linkage) on its embedded DuckDB.

Pairs are only scored inside blocks (the same folded family name and birth date; the
same first, father's and grandfather's names; the same first and mother's names; the
same father's and grandfather's names and birth year), so a million records give a
few million pairs, not half a trillion. A duplicate escapes only if it is wrong in
every rule's columns at once. Each pair is compared on the four name parts and the
mother's name (the same key, one letter apart, Jaro-Winkler 0.92 or more, different;
on the folded text), sex, the birth
date (exact, day and month swapped, one digit mistyped, the same year) and the
governorate.

The m probabilities (how often a true duplicate agrees at each level) are set from
how clerks err, not learnt by EM: EM on a register full of families tends to learn
"the same father, grandfather, family and mother" as the mark of one person, which
is exactly what siblings share. The u probabilities (how often two different people
agree) are estimated from the file itself by random sampling with a fixed seed from
``U_FROM_FILE`` records (a smaller file keeps the set values); the prior is set
(``DUPLICATE_SHARE``). The same file gives the same clusters on every run.

A sibling or a twin shares father, grandfather, family and mother but has another
first name: the first name's "different" level, and a different sex, have an m near
zero, so they weigh far more against a match than the shared family names weigh for
one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shafaf.duplicates.records import COLUMNS

if TYPE_CHECKING:
    from shafaf.duplicates.records import Extract

# Pairs at or above this match probability are one person (docs/register-dedup.md).
THRESHOLD = 0.99
SEED = 20230709  # the first day of the update campaign
U_PAIRS = 2_000_000
# Below this many records a random sample says little about how often different
# people agree: the set u (a register's, measured on the synthetic register of
# tests/register/make_names.py at 50,000 records) is kept.
U_FROM_FILE = 10_000
# The share of records assumed to have a second entry, before any comparison (the
# prior). Set, not estimated: an estimate from exact agreements is zero on a clean
# file and would make every pair impossible.
DUPLICATE_SHARE = 0.01


def _name(column: str, m: list[float], u: list[float]) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name=column,
        comparison_levels=[
            cll.NullLevel(column),
            cll.ExactMatchLevel(column),
            # One letter apart: a slip of the keyboard. Short Arabic names share most
            # letters, so Jaro-Winkler below 0.92 says little ("قاسم", "اسما": 0.83).
            cll.DamerauLevenshteinLevel(column, 1),
            cll.JaroWinklerLevel(column, 0.92),
            cll.ElseLevel(),
        ],
    ).configure(m_probabilities=m, u_probabilities=u)


def _birth_date() -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    left, right = "birth_date_l", "birth_date_r"
    swapped = (f"substr({left}, 1, 4) = substr({right}, 1, 4) "
               f"AND substr({left}, 6, 2) = substr({right}, 9, 2) "
               f"AND substr({left}, 9, 2) = substr({right}, 6, 2)")
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date"),
            cll.CustomLevel(swapped, "day and month swapped"),
            cll.CustomLevel(f"damerau_levenshtein({left}, {right}) <= 1",
                            "one digit mistyped or two swapped"),
            cll.CustomLevel(f"substr({left}, 1, 4) = substr({right}, 1, 4)", "same year"),
            cll.ElseLevel(),
        ],
    ).configure(m_probabilities=[0.90, 0.04, 0.05, 0.005, 0.005],
                u_probabilities=[5e-05, 2e-05, 0.0015, 0.0175, 0.98105])


def prior(records: int) -> float:
    """The probability that two records drawn at random are one person, before they
    are compared: ``DUPLICATE_SHARE`` of the records have a second entry."""
    return min(0.5, DUPLICATE_SHARE * 2 / max(records - 1, 1))


def settings(records: int) -> Any:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    # m for (exact, close, near, different) of a name part of one person entered twice.
    names = [0.90, 0.07, 0.025, 0.005]
    return SettingsCreator(
        link_type="dedupe_only",
        probability_two_random_records_match=prior(records),
        unique_id_column_name="voter_id",
        blocking_rules_to_generate_predictions=[
            block_on("family_name", "birth_date"),
            block_on("first_name", "father_name", "grandfather_name"),
            block_on("first_name", "mother_name"),
            block_on("father_name", "grandfather_name", "substr(birth_date, 1, 4)"),
        ],
        comparisons=[
            _name("first_name", [0.92, 0.06, 0.02, 1e-12], [0.01, 0.002, 0.002, 0.986]),
            _name("father_name", names, [0.015, 0.002, 0.002, 0.981]),
            _name("grandfather_name", names, [0.015, 0.002, 0.002, 0.981]),
            _name("family_name", [0.85, 0.07, 0.03, 0.05], [0.03, 0.003, 0.002, 0.965]),
            _name("mother_name", names, [0.0005, 0.0002, 0.0006, 0.9987]),
            cl.ExactMatch("sex").configure(m_probabilities=[1 - 1e-12, 1e-12],
                                           u_probabilities=[0.5, 0.5]),
            _birth_date(),
            cl.ExactMatch("governorate").configure(m_probabilities=[0.9, 0.1],
                                                   u_probabilities=[0.07, 0.93]),
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


BACKENDS = ("duckdb", "spark")


@dataclass(frozen=True)
class Cluster:
    """A group of two or more records judged one person: their ids sorted, and the
    lowest match probability among the pairs that joined them."""

    ids: tuple[str, ...]
    probability: float


def clusters(extract: Extract, *, threshold: float = THRESHOLD,
             backend: str = "duckdb") -> list[list[str]]:
    """Every group of two or more records of ``extract`` judged one person: each
    group's ids sorted, the groups sorted by their first id."""
    return [list(found.ids) for found in groups(extract, threshold=threshold, backend=backend)]


def groups(extract: Extract, *, threshold: float = THRESHOLD,
           backend: str = "duckdb") -> list[Cluster]:
    """:func:`clusters` with each group's match probability."""
    if len(extract) < 2:
        return []
    import pyarrow as pa

    table = pa.table(extract.columns)
    if backend == "spark":
        from shafaf.duplicates import spark

        return spark.groups(table, len(extract), threshold=threshold)
    if backend != "duckdb":
        raise ValueError(f"unknown backend: {backend}")
    import duckdb

    connection = duckdb.connect()
    connection.register("arrow", table)
    return _duckdb_groups(connection, "arrow", threshold=threshold)


def groups_of_csv(path: str, *, threshold: float = THRESHOLD,
                  memory_limit: str | None = None) -> list[Cluster]:
    """:func:`groups` of a CSV file of folded names (the columns of
    :data:`shafaf.duplicates.records.COLUMNS`, every value already checked), read by
    DuckDB itself: no Python object per record, whatever the file's size."""
    import duckdb

    connection = duckdb.connect()
    quoted = path.replace("'", "''")
    if memory_limit:
        # Beyond the limit DuckDB spills to disk: beside the file, in its own directory.
        spill = str(Path(path).with_name("spill")).replace("'", "''")
        connection.execute(f"SET memory_limit = '{memory_limit}'")
        connection.execute(f"SET temp_directory = '{spill}'")
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in COLUMNS)
    connection.execute(
        f"CREATE VIEW source AS SELECT * FROM read_csv('{quoted}', header = true, "  # noqa: S608
        f"columns = {{{columns}}}, quote = '\"', escape = '\"')")
    return _duckdb_groups(connection, "source", threshold=threshold)


def _duckdb_groups(connection: Any, source: str, *, threshold: float) -> list[Cluster]:
    import logging

    from splink import DuckDBAPI, Linker

    connection.execute("SET threads TO 2")
    # An empty family name is unknown, not a name two strangers share: NULL, so that
    # the comparison's null level (no evidence either way) applies.
    connection.execute("CREATE TABLE voters AS SELECT * REPLACE "  # noqa: S608
                       f"(NULLIF(family_name, '') AS family_name) FROM {source}")
    ((records,),) = connection.execute("SELECT count(*) FROM voters").fetchall()
    if records < 2:
        connection.close()
        return []
    api = DuckDBAPI(connection)
    linker = Linker(api.register("voters"), settings(records), log_level=logging.ERROR)
    if records >= U_FROM_FILE:
        linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=SEED)
    pairs = linker.inference.predict(threshold_match_probability=threshold)
    found = linker.clustering.cluster_pairwise_predictions_at_threshold(pairs, threshold)
    rows = connection.execute(_GROUPS_SQL.format(clusters=found.physical_name,
                                                 pairs=pairs.physical_name)).fetchall()
    connection.close()
    return _sorted(rows)


# A cluster's ids and the lowest probability of the pairs inside it (DuckDB and Spark
# SQL alike).
_GROUPS_SQL = """
SELECT ids, probability FROM (
  SELECT cluster_id, array_agg(voter_id) AS ids FROM {clusters}
  GROUP BY cluster_id HAVING count(*) > 1
) c JOIN (
  SELECT k.cluster_id, min(p.match_probability) AS probability
  FROM {pairs} p JOIN {clusters} k ON p.voter_id_l = k.voter_id
  GROUP BY k.cluster_id
) q ON c.cluster_id = q.cluster_id
"""


def _sorted(rows: Any) -> list[Cluster]:
    return sorted((Cluster(tuple(sorted(ids)), float(probability)) for ids, probability in rows),
                  key=lambda found: found.ids)
