"""Users, their roles and the geography each role is scoped to."""
