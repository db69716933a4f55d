"""Who may do what, and where: the role → capability table and the checks every
app, view, API endpoint and action asks. It sits below every app and imports none
of them, so apps depend on each other's data only where a model names another's,
never to decide access."""
