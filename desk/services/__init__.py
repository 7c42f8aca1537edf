"""The behaviour of Desk: rules, decisions and side effects. No HTTP here."""
