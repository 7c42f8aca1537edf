"""Email on the wire and on paper: reading an IMAP folder, sending over SMTP, and turning
raw RFC 5322 bytes into what the inbox needs (and back). No database and no HTTP here: the
email channel adapter (services) decides what to do with what this package reads."""
