"""Finding one person entered twice in a voter register: the file read and checked
(:mod:`~shafaf.duplicates.records`), then a probabilistic record-linkage model
(:mod:`~shafaf.duplicates.model`, Splink on DuckDB) over the names folded by
:mod:`shafaf.core.name_matching` (docs/register-dedup.md).

Nothing here needs Django: the command line runs it on a file, and the register's
background job on the register's rows.
"""
