"""SQLite only: connections, migrations and one module per aggregate that owns its SQL.

Functions here take a connection and plain values and return Structs or ids, never rows or
cursors, so a different store could stand behind the same functions.
"""
