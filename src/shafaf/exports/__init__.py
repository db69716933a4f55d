"""Open-data formats that more than one part of Shafaf writes (the candidate directory
now, the results next). A package below the apps: it takes plain values that each app
builds from its rows, and imports no app."""
