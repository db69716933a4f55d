"""The voter register: voters, their history, and the register's import."""
