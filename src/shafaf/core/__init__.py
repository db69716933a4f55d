"""The electoral rules of Shafaf: pure, typed, exact, standard library only.

Nothing here reads settings, files outside the package, or a database; every
parameter of a rule is an argument. The web application and the CLI convert
their data into these values at their edges.
"""
