"""The duplicate model on Splink's Spark backend, for a register too large for one
machine's DuckDB (the national register: 16.2 million records).

The model is the one of :mod:`shafaf.duplicates.model` (the same settings,
comparisons, blocking rules and threshold); only the engine changes. Here Spark runs
in local mode, modest and quiet: two cores, a few shuffle partitions, no web UI, and
its Java process's output sent to standard error, so that the command's JSON on
standard output stays clean. On a cluster, ``SHAFAF_SPARK_MASTER`` names the master.

pyspark is an optional dependency (``pip install 'shafaf[spark]'``) and needs Java 17.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shafaf.duplicates.model import (
    _GROUPS_SQL,
    SEED,
    U_FROM_FILE,
    U_PAIRS,
    Cluster,
    _sorted,
    settings,
)

if TYPE_CHECKING:
    import pyarrow as pa

MASTER = "local[2]"
SHUFFLE_PARTITIONS = "4"
DRIVER_MEMORY = "1g"
# Only errors from Spark's own logging (log4j 2), on standard error.
_LOG4J = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


def _session(work: Path) -> Any:
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    config = work / "log4j2.properties"
    config.write_text(_LOG4J, encoding="utf-8")
    java = f"-Dlog4j2.configurationFile=file:{config} -Djava.io.tmpdir={work}"
    builder = (SparkSession.builder.master(os.environ.get("SHAFAF_SPARK_MASTER", MASTER))
               .appName("shafaf-dedup")
               .config("spark.driver.memory", DRIVER_MEMORY)
               .config("spark.sql.shuffle.partitions", SHUFFLE_PARTITIONS)
               .config("spark.default.parallelism", "2")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.local.dir", str(work))
               .config("spark.sql.warehouse.dir", str(work / "warehouse"))
               .config("spark.driver.extraJavaOptions", java)
               .config("spark.jars", similarity_jar_location()))
    # The Java process inherits standard output when it starts: point it at standard
    # error for that moment, so nothing Spark prints can reach the command's output.
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        spark = builder.getOrCreate()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(str(work / "checkpoints"))
    return spark


def groups(table: pa.Table, records: int, *, threshold: float) -> list[Cluster]:
    """:func:`shafaf.duplicates.model.groups` of an Arrow table, on Spark."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq
    from splink import Linker
    from splink.backends.spark import SparkAPI

    with tempfile.TemporaryDirectory(prefix="shafaf-spark-") as directory:
        work = Path(directory)
        # An empty family name is unknown (NULL), as on DuckDB.
        family = table.column("family_name")
        table = table.set_column(table.schema.get_field_index("family_name"), "family_name",
                                 pc.if_else(pc.equal(family, ""), None, family))
        pq.write_table(table, work / "voters.parquet")
        spark = _session(work)
        try:
            voters = spark.read.parquet(str(work / "voters.parquet"))
            api = SparkAPI(spark_session=spark,  # type: ignore[no-untyped-call,unused-ignore]
                           num_partitions_on_repartition=2,
                           break_lineage_method="parquet")
            linker = Linker(api.register(voters, table_name="voters"), settings(records),
                            log_level=logging.ERROR)
            if records >= U_FROM_FILE:
                linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=SEED)
            pairs = linker.inference.predict(threshold_match_probability=threshold)
            found = linker.clustering.cluster_pairwise_predictions_at_threshold(pairs,
                                                                                threshold)
            rows = spark.sql(_GROUPS_SQL.format(clusters=found.physical_name,
                                                pairs=pairs.physical_name)).collect()
            return _sorted((row[0], row[1]) for row in rows)
        finally:
            spark.stop()
