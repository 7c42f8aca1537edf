"""Words for `desk demo`: people, companies, the team, tags and the sentences of ordinary
(non-recurring) support conversations. Plain data; generate.py combines it."""

from __future__ import annotations

from desk.models.agents import Role


def _words(*parts: str, sep: str = " ") -> tuple[str, ...]:
    return tuple(word.strip() for word in "".join(parts).split(sep) if word.strip())


# The word planted in about 1% of all messages, so benchmarks and tests can search for a
# term with a known, realistic selectivity. Used nowhere else in the demo vocabulary.
SEARCH_WORD = "heliotrope"
SEARCH_SENTENCES = (
    "It's the heliotrope edition, if that matters.",
    "This is about the heliotrope model we bought in spring.",
    "Same thing happens with our heliotrope unit.",
    "We have the heliotrope colour variant.",
)
# The common word: in the first message of one conversation in five (picked by id, so the rest
# of the demo is the same with or without it), for benchmarks of a search that matches a large
# share of the inbox. Used nowhere else in the demo vocabulary.
COMMON_WORD = "marzipan"
COMMON_SHARE = 0.20
COMMON_SENTENCES = (
    "We're on the marzipan plan, by the way.",
    "Our account is under the marzipan team.",
    "(Ordered through the marzipan shop.)",
)

DEMO_PASSWORD = "desk-demo-password"
DEMO_WORKSPACE = "Northwind Support"
DEMO_EMAIL_DOMAIN = "demo.desk.example"

# (name, role): the first one is the demo admin; `bench` signs in as an agent.
AGENTS: tuple[tuple[str, Role], ...] = (
    ("Priya Shah", "admin"),
    ("Sam Rivera", "agent"),
    ("Lena Fischer", "agent"),
    ("Tom Okafor", "agent"),
    ("Mei Chen", "agent"),
    ("Jonas Berg", "agent"),
    ("Aisha Khan", "agent"),
    ("Diego Alvarez", "agent"),
)

FIRST_NAMES = _words(
    "Grace Alan Ada Linus Margaret Ken Barbara Dennis Frances John Hedy Tim Radia Vint "
    "Katherine Edsger Anita Donald Mary Guido Sophie Lukas Emma Noah Olivia Liam Mia Elias "
    "Hannah Felix Chloe Mateo Zoe Arjun Yuki Omar Fatima Ivan Elena Carlos Ingrid Kwame "
    "Amara Hiro Leila Pablo Nora Samuel Isla Theo Ruth Oscar Clara Viktor Maya Jamal Rosa "
    "Henrik Aiko Lucas Sara Daniel Julia Ben Alice Marco Eva Nadia Paul Lina Tariq Freya "
    "Andrei Chiara Kofi Helena"
)
LAST_NAMES = _words(
    "Hopper|Turing|Lovelace|Torvalds|Hamilton|Thompson|Liskov|Ritchie|Allen|McCarthy|Lamarr|"
    "Berners-Lee|Perlman|Cerf|Johnson|Dijkstra|Borg|Knuth|Kenyon|van Rossum|Martin|Schmidt|"
    "Dubois|Rossi|Novak|Kowalski|Jensen|Larsen|Garcia|Silva|Tanaka|Sato|Kim|Park|Nguyen|"
    "Patel|Singh|Haddad|Mensah|Okoro|Ivanova|Petrov|Andersson|Nieminen|O'Brien|Murphy|Walsh|"
    "Meyer|Weber|Becker|Moreau|Laurent|Fontaine|Costa|Ferreira|Romano|Bianchi|Horvath|Nagy|"
    "Yilmaz|Demir|Cohen|Levi|Ali|Hassan|Wong|Chan|Lee|Brown|Taylor|Wilson|Clarke|Evans|"
    "Hughes|Baker|Wright|Young",
    sep="|",
)
# (company, email domain); the .example TLD is reserved, so no demo mail can reach anyone.
COMPANIES = tuple(
    tuple(pair.split("="))
    for pair in _words(
        "Blue Heron Bakery=blueheron.example|Northgate Dental=northgate.example|"
        "Kestrel Architects=kestrel.example|Maple & Oak Furniture=mapleoak.example|"
        "Harbor Yoga Studio=harboryoga.example|Quill Legal=quill-legal.example|"
        "Sunrise Primary School=sunrise-school.example|Fjord Analytics=fjord.example|"
        "Copper Kettle Cafe=copperkettle.example|Atlas Logistics=atlas-log.example|"
        "Greenleaf Pharmacy=greenleaf.example|Brightside Physio=brightside.example|"
        "Pixel Forge Games=pixelforge.example|Vela Travel=velatravel.example|"
        "Ironbridge Motors=ironbridge.example|Lumen Opticians=lumen.example|"
        "Cobalt Cloud Hosting=cobalt.example|Riverside Vets=riverside-vets.example|"
        "Saffron Kitchen=saffron.example|Tidewater Realty=tidewater.example|"
        "Orchid Florists=orchid.example|Summit Accounting=summit-acc.example|"
        "Echo Music School=echomusic.example|Granite Builders=granite.example|"
        "Nimbus Print Shop=nimbusprint.example|Polar Bikes=polarbikes.example|"
        "Meadow Farm Shop=meadowfarm.example|Juniper Clinic=juniper.example|"
        "Starling Books=starling.example|Delta Robotics=deltarobotics.example",
        sep="|",
    )
)
PERSONAL_DOMAINS = ("mail.example", "post.example", "inbox.example", "webmail.example")
PLANS = ("free", "starter", "pro", "business")

TAGS = (
    "billing",
    "refund",
    "shipping",
    "bug",
    "feature-request",
    "account",
    "onboarding",
    "vip",
    "follow-up",
    "integration",
    "hardware",
    "mobile",
    "security",
    "feedback",
)

CHANNELS = (
    ("web_chat", "Website chat"),
    ("email", "Support mailbox"),
    ("api", "Shop backend"),
    ("phone", "Phone line"),
)

PRODUCTS = (
    "Aurora desk lamp",
    "Nimbus smart plug",
    "Pebble thermostat",
    "Tandem booking app",
    "Ledger invoicing add-on",
    "Harbor backup plan",
    "Cinder space heater",
    "Orbit webcam",
    "Sprout starter kit",
    "Quartz wall clock",
)
FEATURES = (
    "calendar sync",
    "the mobile app",
    "CSV export",
    "the booking page",
    "email reminders",
    "the customer portal",
    "recurring invoices",
    "the team dashboard",
    "SMS notifications",
    "the reporting screen",
    "the Zapier integration",
    "offline mode",
)
PROBLEMS = (
    "stopped working after the last update",
    "keeps showing an error",
    "is very slow today",
    "shows the wrong dates",
    "logs me out every few minutes",
    "doesn't load on my tablet",
    "sends duplicate messages",
    "lost some of my settings",
    "won't connect to wifi",
    "displays prices without VAT",
    "crashes when I open it",
    "is missing a few entries",
)
GREETINGS = ("Hi,", "Hello,", "Hi there,", "Good morning,", "Hey team,", "Hello support,", "")
CLOSINGS = (
    "Thanks!",
    "Thank you.",
    "Cheers,",
    "Best regards,",
    "Many thanks,",
    "Thanks in advance,",
)
DETAILS = (
    "I already tried restarting it twice.",
    "It worked fine until yesterday.",
    "Two of my colleagues see the same thing.",
    "I'm on the latest version as far as I can tell.",
    "This is a bit urgent because we have customers waiting.",
    "I attached a screenshot of what I see.",
    "Nothing in the help centre covered this.",
    "We use it every day, so it's quite disruptive.",
)
ASKS = (
    "Can you have a look?",
    "What should I do?",
    "Is this a known issue?",
    "Could someone call me back about it?",
    "Any idea what is going on?",
    "Can you help me fix it?",
)
REPLY_OPENERS = (
    "thanks for reaching out.",
    "thanks for the details, that helps a lot.",
    "sorry about the trouble!",
    "thanks for your patience.",
    "good question.",
)
REPLY_ACTIONS = (
    "I've checked your account and reset the sync for {feature}; please try again now.",
    "This is a known issue with {feature} and a fix is rolling out this week.",
    "Could you send me the exact error message and the time it happened?",
    "I've asked our engineers to look into {feature} and will update you soon.",
    "Clearing the browser cache usually fixes this; could you give that a try?",
    "I've applied a credit to your account for the inconvenience.",
    "I can reproduce it on our side, so it's not something you did.",
    "Please update to the latest version, which fixes problems with {feature}.",
)
REPLY_CLOSERS = (
    "Let me know how it goes.",
    "I'll keep this open until we hear back from you.",
    "Happy to help if anything else comes up.",
    "Have a great day!",
    "Talk soon.",
)
FOLLOW_UPS = (
    "Thanks, that worked!",
    "Still not working, I tried again this morning.",
    "Here is the screenshot you asked for.",
    "The error says 'request failed, please retry'.",
    "OK, I'll wait for the fix. Any idea when?",
    "Great, much appreciated.",
    "I updated, but {feature} still {problem}.",
    "One more thing: can I also change the email on the invoice?",
    "It happened again around 10am today.",
    "Perfect, that solved it. You can close this.",
)
NOTES = (
    "Checked the logs: the sync job failed three times overnight.",
    "Escalated to engineering, see ticket ENG-{n}.",
    "Customer is on the {plan} plan, renewal next month.",
    "Second report of this today; could be related to the last release.",
    "Called them back, no answer. Will try again tomorrow.",
    "Refund of {amount} EUR approved by finance.",
    "VIP account, please keep response times short.",
)
CLOSING_REPLIES = (
    "Glad that's sorted, {first}! I'll close this conversation now; just reply if you need us.",
    "Great to hear it works again, {first}. Closing this for now.",
    "Thanks for confirming, {first}. Have a good week!",
)
PENDING_REPLIES = (
    "Hi {first}, could you tell us your order number so we can look it up?",
    "Hi {first}, we're waiting on your reply with the account email before we can continue.",
    "Hi {first}, could you confirm which device you're using?",
)
SNOOZE_REPLIES = (
    "Hi {first}, the fix ships next week; I'll check back with you then.",
    "Hi {first}, our warehouse restocks on Monday, I'll follow up once it's in.",
)
GENERIC_SUBJECTS = (
    "{product} {problem}",
    "Problem with {feature}",
    "Question about my {product}",
    "{feature} not working",
    "Order #{n}",
    "Help needed with {feature}",
    "Issue since yesterday",
    "Quick question",
    "Invoice {n}",
    "Feedback on {feature}",
)
