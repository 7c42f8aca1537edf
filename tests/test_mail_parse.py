"""Raw email → what the inbox keeps: headers in any encoding, the new text only, HTML made
readable and inert, attachments, mail sent by programs, and bounces."""

from __future__ import annotations

import base64
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from desk.mail.parse import clean_filename, parse_email
from desk.mail.text import html_to_text, new_text


def raw(headers: str, body: bytes = b"Hello\r\n") -> bytes:
    return headers.replace("\n", "\r\n").encode() + b"\r\n" + body


BASIC = "From: Grace Hopper <Grace@Example.com>\nTo: support@example.com\n"


def test_headers_ids_and_sender() -> None:
    mail = parse_email(
        raw(
            BASIC + "Subject: Where is my order?\nMessage-ID: <abc@mail.example.com>\n"
            "In-Reply-To: <desk.1@example.com>\n"
            "References: <root@x> <mid@x>\n <desk.1@example.com>\n"
        )
    )
    assert mail.from_name == "Grace Hopper"
    assert mail.from_address == "Grace@Example.com"
    assert mail.subject == "Where is my order?"
    assert mail.message_id == "<abc@mail.example.com>"
    assert mail.in_reply_to == ["<desk.1@example.com>"]
    assert mail.references == ["<root@x>", "<mid@x>", "<desk.1@example.com>"]
    assert mail.thread_ids == ["<desk.1@example.com>", "<mid@x>", "<root@x>"]
    assert mail.body == "Hello"
    assert mail.automatic is None and mail.report is None


def test_rfc2047_subject_and_sender_name() -> None:
    mail = parse_email(
        raw(
            "From: =?UTF-8?Q?Ren=C3=A9_M=C3=BCller?= <rene@example.com>\n"
            "Subject: =?ISO-8859-1?Q?R=FCckerstattung?= =?UTF-8?B?8J+Ypg==?=\n"
        )
    )
    assert mail.from_name == "René Müller"
    assert mail.subject == "Rückerstattung😦"


@pytest.mark.parametrize(
    ("charset", "payload", "expected"),
    [
        ("iso-8859-1", "Grüße aus Köln".encode("latin-1"), "Grüße aus Köln"),
        ("windows-1252", "“Smart” quotes \u2013 5 €".encode("cp1252"), "“Smart” quotes \u2013 5 €"),
        # Mislabelled: says Latin-1, is Windows-1252 (the euro sign is 0x80).
        ("iso-8859-1", "Price: 5 €".encode("cp1252"), "Price: 5 €"),
        ("utf-8", "Thanks 🙏 so much".encode(), "Thanks 🙏 so much"),
        ("utf-8", b"bad \xff\xfe bytes", "bad \ufffd\ufffd bytes"),
        ("x-unknown-charset", "naïve".encode(), "naïve"),
        ("us-ascii", "undeclared ütf-8".encode(), "undeclared ütf-8"),
        ("koi8-r", "Привет".encode("koi8-r"), "Привет"),
    ],
)
def test_body_in_any_charset(charset: str, payload: bytes, expected: str) -> None:
    headers = BASIC + f"Subject: x\nContent-Type: text/plain; charset={charset}\n"
    headers += "Content-Transfer-Encoding: base64\n"
    mail = parse_email(raw(headers, base64.b64encode(payload) + b"\r\n"))
    assert mail.body == expected


def test_raw_8bit_headers_never_break() -> None:
    mail = parse_email(BASIC.encode() + b"Subject: Gr\xc3\xbc\xc3\x9fe \xff\r\n\r\nBody \xe9\r\n")
    assert mail.subject == "Grüße \ufffd"
    assert mail.body == "Body é"  # undeclared 8-bit text that is not UTF-8: Windows-1252


def test_garbage_never_raises() -> None:
    for blob in (b"", b"\x00\x01\x02", b"From: <<<>>>\r\nSubject: =?bogus?Q?x?=\r\n\r\n", b"\r\n"):
        mail = parse_email(blob)
        assert isinstance(mail.body, str)


HTML = """<html><head><style>body{color:red}</style><script>alert('x')</script></head>
<body><p>Hi team,</p><p>my order <a href="https://shop.example/o/1042">1042</a>
<b>never</b> arrived.</p><ul><li>Blue mug</li><li>Tea</li></ul>
<img src="https://tracker.example/p.gif" onerror="alert(1)">
<iframe src="https://evil.example"></iframe>
<div class="gmail_quote"><div class="gmail_attr">On Mon, 1 Dec 2026 at 10:00, Support
&lt;support@example.com&gt; wrote:</div><blockquote>Old text</blockquote></div>
</body></html>"""


def test_html_only_mail_becomes_readable_inert_text() -> None:
    message = EmailMessage()
    message["From"] = "grace@example.com"
    message["Subject"] = "From my phone"
    message.set_content(HTML, subtype="html")
    mail = parse_email(message.as_bytes())
    assert "Hi team," in mail.body
    assert "[1042](https://shop.example/o/1042)" in mail.body  # link targets kept
    assert "* Blue mug" in mail.body  # lists kept
    for gone in ("alert", "<", "color:red", "Old text", "wrote:", "tracker", "evil"):
        assert gone not in mail.body


def test_plain_text_is_preferred_over_html() -> None:
    message = EmailMessage()
    message["From"] = "grace@example.com"
    message.set_content("The plain version")
    message.add_alternative("<p>The <b>HTML</b> version</p>", subtype="html")
    assert parse_email(message.as_bytes()).body == "The plain version"


def test_empty_plain_part_falls_back_to_html() -> None:
    message = EmailMessage()
    message["From"] = "grace@example.com"
    message.set_content("   \n")
    message.add_alternative("<p>Only here</p>", subtype="html")
    assert parse_email(message.as_bytes()).body == "Only here"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Thanks, that worked!\n\nOn Mon, 1 Dec 2026 at 10:00, Desk <support@example.com>"
            " wrote:\n> Did you try turning it off?\n> \n",
            "Thanks, that worked!",
        ),
        (  # the attribution wrapped over two lines by the sender's program
            "Yes please.\n\nOn Mon, Dec 1, 2026 at 10:00 AM Support Team <\n"
            "support@example.com> wrote:\n\n> Shall we refund it?\n",
            "Yes please.",
        ),
        (
            "Sounds good.\n\n________________________________\nFrom: Support"
            " <support@example.com>\nSent: Monday, December 1, 2026 10:00 AM\nTo: Grace\n"
            "Subject: RE: Refund\n\nWe can refund it.\n",
            "Sounds good.",
        ),
        (
            "See below.\n\n-----Original Message-----\nFrom: x\nSent: y\n\nold\n",
            "See below.",
        ),
        (
            "Danke!\n\nAm Mo., 1. Dez. 2026 um 10:00 Uhr schrieb Support <s@example.com>:\n> Alt\n",
            "Danke!",
        ),
        ("Just the reply\n> quoted\n>> older\n", "Just the reply"),
        (  # not an attribution: no date, no address
            "On Monday I wrote: the order number is 1042.\nStill nothing.",
            "On Monday I wrote: the order number is 1042.\nStill nothing.",
        ),
        # Only quoted text: better the whole text than nothing.
        ("> everything quoted\n> here", "> everything quoted\n> here"),
    ],
)
def test_quoted_history_is_cut(text: str, expected: str) -> None:
    assert new_text(text) == expected


def test_ten_levels_of_history_are_cut_quickly() -> None:
    text = "Newest answer"
    for level in range(10):
        quoted = "\n".join("> " + line for line in text.split("\n"))
        text = (
            f"Reply {level}\n\nOn Tue, 2 Dec 2026 at 1{level}:00, Person {level}"
            f" <p{level}@example.com> wrote:\n{quoted}"
        )
    assert new_text(text) == "Reply 9"


def test_forward_keeps_the_forwarded_message() -> None:
    text = (
        "Please see the order below.\n\n---------- Forwarded message ---------\n"
        "From: Shop <orders@shop.example>\nDate: Mon, 1 Dec 2026\nSubject: Order 1042\n\n"
        "Your order 1042 has shipped.\n\nOn Sun, 30 Nov 2026 at 9:00, Grace <g@x.example>"
        " wrote:\n> old question\n"
    )
    body = new_text(text, "Fwd: Order 1042")
    assert "Your order 1042 has shipped." in body
    assert "old question" not in body


def test_html_converter_keeps_paragraphs() -> None:
    assert html_to_text("<p>One</p><p>Two</p>") == "One\n\nTwo"
    assert html_to_text("") == ""
    assert html_to_text("<?xml version='1.0' encoding='utf-8'?><p>x</p>") == "x"


def test_attachments_nested_and_named() -> None:
    outer = MIMEMultipart("mixed")
    outer["From"] = "grace@example.com"
    outer["Subject"] = "Invoice"
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText("See attached.", "plain"))
    alternative.attach(MIMEText("<p>See attached.</p>", "html"))
    outer.attach(alternative)
    pdf = MIMEApplication(b"%PDF-1.4 fake", "pdf")
    pdf.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "Rechnung März.pdf"))
    outer.attach(pdf)
    evil = MIMEApplication(b"MZ...", "octet-stream")
    evil.add_header("Content-Disposition", "attachment", filename="../../etc/passwd")
    outer.attach(evil)
    log = MIMEText("line 1\nline 2", "plain")
    log.add_header("Content-Disposition", "attachment", filename="log.txt")
    outer.attach(log)
    mail = parse_email(outer.as_bytes())
    assert mail.body == "See attached."
    assert [(a.filename, a.content_type) for a in mail.attachments] == [
        ("Rechnung März.pdf", "application/pdf"),
        ("passwd", "application/octet-stream"),
        ("log.txt", "text/plain"),
    ]
    assert mail.attachments[0].data == b"%PDF-1.4 fake"


def test_inline_image_without_a_name_is_kept() -> None:
    message = EmailMessage()
    message["From"] = "grace@example.com"
    message.set_content("Screenshot below")
    message.add_attachment(b"\x89PNG\r\n\x1a\nfake", maintype="image", subtype="png")
    mail = parse_email(message.as_bytes())
    assert [a.filename for a in mail.attachments] == ["attachment.png"]


def test_forwarded_mail_as_attachment_is_one_eml_file() -> None:
    inner = EmailMessage()
    inner["From"] = "shop@example.com"
    inner["Subject"] = "Your receipt"
    inner.set_content("Receipt")
    message = EmailMessage()
    message["From"] = "grace@example.com"
    message.set_content("Forwarding the receipt")
    message.add_attachment(inner)
    mail = parse_email(message.as_bytes())
    assert [a.filename for a in mail.attachments] == ["Your receipt.eml"]
    assert b"Subject: Your receipt" in mail.attachments[0].data


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("C:\\Users\\grace\\report.docx", "report.docx"),
        ("a\x00b\x1fc.txt", "abc.txt"),
        ("..", ""),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_clean_filename(name: str, expected: str) -> None:
    assert clean_filename(name) == expected


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Auto-Submitted: auto-replied", "auto-submitted"),
        ("Auto-Submitted: auto-generated; owner-email=x@y", "auto-submitted"),
        ("Precedence: bulk", "bulk"),
        ("Precedence: junk", "bulk"),
        ("Precedence: list", "bulk"),
        ("X-Autoreply: yes", "auto-reply"),
        ("X-Autorespond: Out of office", "auto-reply"),
        ("List-Id: <news.shop.example>", "list"),
        ("X-Failed-Recipients: grace@example.com", "bounce"),
        ("Auto-Submitted: no", None),
        ("Precedence: first-class", None),
    ],
)
def test_mail_sent_by_programs_is_recognised(header: str, kind: str | None) -> None:
    assert parse_email(raw(BASIC + header + "\nSubject: x\n")).automatic == kind


def dsn(original_id: str, action: str = "failed") -> bytes:
    return raw(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.com>\nTo: support@example.com\n"
        "Subject: Undelivered Mail Returned to Sender\nAuto-Submitted: auto-replied\n"
        "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status;"
        ' boundary="B"\n',
        (
            "--B\r\nContent-Type: text/plain\r\n\r\nI'm sorry to have to inform you that your"
            " message could not be delivered.\r\n\r\n--B\r\n"
            "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.com\r\n"
            f"\r\nFinal-Recipient: rfc822; nobody@shop.example\r\nAction: {action}\r\n"
            "Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <nobody@shop.example>: Recipient"
            " address rejected: User unknown\r\n\r\n--B\r\n"
            "Content-Type: text/rfc822-headers\r\n\r\nFrom: support@example.com\r\n"
            f"To: nobody@shop.example\r\nMessage-ID: {original_id}\r\nSubject: Re: x\r\n"
            "\r\n--B--\r\n"
        ).encode(),
    )


def test_delivery_status_notification_names_message_and_reason() -> None:
    mail = parse_email(dsn("<desk.abc@example.com>"))
    assert mail.automatic == "bounce"
    assert mail.report is not None
    assert mail.report.about == ["<desk.abc@example.com>"]
    assert mail.report.failed
    assert mail.report.diagnostic == (
        "nobody@shop.example: 550 5.1.1 <nobody@shop.example>: Recipient address rejected:"
        " User unknown"
    )


def test_delayed_report_is_not_a_failure() -> None:
    report = parse_email(dsn("<desk.abc@example.com>", action="delayed")).report
    assert report is not None and not report.failed


def test_plain_text_bounce_quoting_the_original_headers() -> None:
    mail = parse_email(
        raw(
            "From: MAILER-DAEMON@old.example\nSubject: failure notice\n",
            b"Sorry, I couldn't deliver your message to <x@old.example>.\r\n\r\n"
            b"--- Below this line is a copy of the message.\r\n\r\n"
            b"Message-ID: <desk.zzz@example.com>\r\nSubject: Re: hello\r\n",
        )
    )
    assert mail.automatic == "bounce"
    assert mail.report is not None
    assert mail.report.about == ["<desk.zzz@example.com>"]
    assert "couldn't deliver" in mail.report.diagnostic
