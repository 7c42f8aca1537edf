"""HTTP only: parse, authorise, call one service, shape the answer. No SQL here."""
