"""Input bounds, defined once: every channel (web forms, REST API, Open311, Excel imports,
commands) checks its inputs against these numbers, so a value one channel accepts is never
refused or mangled by another, and no input reaches the database outside its columns' range."""

# Row ids are 64-bit (BigAutoField): a larger number can name no row, and SQLite raises
# OverflowError on it instead of finding nothing.
MAX_ID = 2**63 - 1

# What a person may type into a search box (longer input is cut to this on the web; the API
# refuses it): enough for several words, a credit code and a problem number.
MAX_SEARCH_CHARS = 100
# A text compared with others (similar problems, routing suggestions): a title and the first part
# of a description, which is where a problem is said.
MAX_COMPARED_CHARS = 2000
