"""Channels: one module per channel type, each holding everything about that type behind one
small interface (base.ChannelAdapter):

- base.py      the interface, ConfigKey, DeliveryError
- registry.py  the types by name: what the CRUD and the delivery worker ask
- api.py       `api`: the /hooks inbound receiver and signed outgoing webhooks
- email.py     `email`: IMAP/SMTP mailbox settings
- phone.py     `phone`: conversations logged by hand
- web_chat.py  `web_chat`: the website widget's settings, token and snippet
- config.py    checking a `config` against its type's keys
- manage.py    channels as admins manage them (/api/channels)
"""
