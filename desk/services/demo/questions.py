"""The recurring customer questions of `desk demo`: each asked in several wordings that share
their key words, and answered by the team with one consistent reply that greets the customer
by first name. The suggestion engine learns from these pairs.

Format of each block: `@ tag | subject`, then `? question` lines (paraphrases), then
`= answer` (with `{first}` for the customer's first name); an indented line continues the
line above it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    tag: str
    subject: str
    questions: tuple[str, ...]
    answer: str


_TOPICS = """
@ account | Password reset
? How do I reset my password? I can't log in anymore.
? I forgot my password. Where can I reset it?
? The password reset email never arrives, how else can I reset my password?
? I'm locked out of my account and need to reset the password, please.
= Hi {first}, you can reset your password on the sign-in page: click "Forgot password?", enter
  the email of your account and open the link we send you (it stays valid for one hour). If the
  reset email doesn't arrive within a few minutes, check your spam folder or reply here and I'll
  send it manually.

@ billing | Copy of my invoice
? Could you send me a copy of my last invoice?
? Where can I download my invoices? I need last month's invoice for accounting.
? Our accountant needs a PDF copy of the invoice from March.
? I can't find the invoice for my last payment, can you send a copy?
= Hi {first}, every invoice is under Settings > Billing > Invoices, where you can download it as
  a PDF. I've also emailed a copy of your latest invoice to the billing address on your account.

@ refund | Refund request
? I'd like a refund for my last order, it wasn't what I expected.
? Can I get my money back? I want to request a refund.
? How long does a refund take to reach my card?
? I returned the item last week, when will I get the refund?
= Hi {first}, I've started the refund for you. Refunds go back to the original payment method
  and usually appear on your card within 5 to 10 business days, depending on your bank. You'll
  get a confirmation email as soon as it's processed.

@ billing | Change my plan
? How do I upgrade my plan to the business tier?
? I want to change my plan, can I switch from monthly to yearly?
? We need more seats, how do we upgrade the plan?
? Can I downgrade my plan to starter without losing data?
= Hi {first}, you can change your plan any time under Settings > Billing > Plan. Upgrades apply
  immediately and we charge the difference pro rata; downgrades take effect at the next renewal,
  and no data is lost either way.

@ billing | Cancel subscription
? How do I cancel my subscription?
? Please cancel my subscription at the end of this month.
? I want to stop the automatic renewal of my subscription.
? Where is the button to cancel the subscription? I can't find it.
= Hi {first}, you can cancel under Settings > Billing > Cancel subscription. Your account stays
  active until the end of the period you've paid for, and you can export your data before then.
  I'm sorry to see you go; if there's anything we could have done better, I'd love to hear it.

@ billing | Update credit card
? How do I update the credit card on my account?
? My card expired, where do I change the payment card?
? Our payment failed because the credit card was replaced. How do I add the new card?
= Hi {first}, you can update your card under Settings > Billing > Payment method. Once the new
  card is saved we retry the failed payment automatically within 24 hours, so there is nothing
  else you need to do.

@ shipping | Delivery time
? How long does shipping take to Germany?
? When will my order be shipped? What is the usual delivery time?
? What are your delivery times for standard shipping?
= Hi {first}, orders leave our warehouse within 1 business day. Standard shipping takes 2 to 4
  business days within the EU and 5 to 8 days elsewhere; you'll receive a tracking link by email
  as soon as the parcel is on its way.

@ shipping | Where is my order?
? Where is my order? I haven't received a tracking number.
? Can you tell me where my parcel is? The tracking hasn't updated in days.
? My order still hasn't arrived, can you track it for me?
? I never got a tracking link for my order, where is it?
= Hi {first}, I've looked up your order: it's with the carrier and the tracking link is in the
  shipping confirmation email we sent. Tracking sometimes pauses for a day or two at the border;
  if nothing moves by Friday, I'll open an investigation with the carrier for you.

@ shipping | Damaged item
? My package arrived damaged, the box was crushed.
? The item I received is broken. What can I do about a damaged delivery?
? Part of my order arrived damaged. Can you replace it?
= Hi {first}, I'm sorry your order arrived damaged! Could you send a photo of the item and the
  box? As soon as we have it, we'll ship a replacement free of charge; there's no need to send
  the damaged one back.

@ refund | Return policy
? What is your return policy?
? Can I return an item I bought three weeks ago?
? How do I return a product? Do you have a return label?
= Hi {first}, you can return any item within 30 days of delivery, unused and in its original
  packaging. Start the return from your order page and we'll email you a prepaid return label;
  the refund follows within a few days of the parcel reaching us.

@ account | Export my data
? How can I export all my data?
? Is there a way to export our data to CSV or Excel?
? We're migrating and need to export everything, including customer records.
= Hi {first}, you can export everything under Settings > Data > Export. It creates a ZIP of CSV
  files (customers, bookings, invoices) and emails you a download link when it's ready, usually
  within a few minutes.

@ account | Add teammates
? How do I add a teammate to my account?
? Can I invite colleagues so they have their own login?
? We hired someone new, how do I give them access to the team account?
= Hi {first}, go to Settings > Team and click "Invite teammate". They'll receive an email to set
  their own password; you can choose whether they're an admin or a regular member, and change it
  later.

@ security | Two-factor authentication
? How do I turn on two-factor authentication?
? Do you support 2FA with an authenticator app?
? I lost my phone and can't get the two-factor code. How do I sign in?
= Hi {first}, two-factor authentication is under Settings > Security: scan the QR code with any
  authenticator app and save the recovery codes somewhere safe. If you've lost your phone, sign
  in with a recovery code, or reply here from your account email and we'll verify your identity
  and reset it.

@ integration | API rate limits
? What are the API rate limits?
? We're getting 429 errors from the API, what is the rate limit?
? Is there a limit on how many API requests we can send per minute?
= Hi {first}, the API allows 120 requests per minute per API key; above that it answers 429 with
  a Retry-After header telling you how long to wait. If you need a higher limit for a migration,
  tell me the expected volume and I can raise it temporarily.

@ integration | Webhook signature
? How do I verify the webhook signature you send?
? Our server rejects your webhooks, how is the signature computed?
? Which secret do I use to check the webhook signature header?
= Hi {first}, each webhook carries an X-Signature header: the hex HMAC-SHA256 of the raw request
  body with your signing secret (Settings > Developers). Compute it over the exact bytes you
  received, before parsing the JSON, and compare it in constant time.

@ account | Delete my account
? Please delete my account and all my personal data.
? How do I delete my account permanently? GDPR request.
? I want my account and data erased under GDPR.
= Hi {first}, I've scheduled your account for deletion as you asked. All personal data will be
  erased within 30 days, as required by the GDPR, and you'll get a confirmation email when it's
  done. If you change your mind before then, just reply here.

@ account | Change email address
? How do I change the email address on my account?
? I have a new work email, can you change my login email?
? Can I update the email address I use to sign in?
= Hi {first}, you can change your email under Settings > Profile. We send a confirmation link to
  the new address, and the change takes effect once you've clicked it; your password stays the
  same.

@ billing | VAT number on invoice
? Can you add our VAT number to the invoice?
? Our invoices are missing the VAT ID, how do I add it?
? We need the company VAT number on every invoice for tax reasons.
= Hi {first}, you can add your VAT number under Settings > Billing > Company details; it then
  appears on every future invoice and reverse charge applies where it should. I've also reissued
  your last invoice with the VAT number on it.

@ billing | Non-profit discount
? Do you offer a discount for non-profits or charities?
? We're a registered charity, is there a non-profit discount?
? Is there special pricing for non-profit organisations?
= Hi {first}, yes! Registered non-profits get 50% off every plan. Just reply with a link to your
  charity registration and I'll apply the discount to your account from the next invoice.

@ feedback | Opening hours
? What are your support opening hours?
? When is your support team available? Are you open on weekends?
? Can I reach support on Saturdays? What are your hours?
= Hi {first}, our support team is here Monday to Friday from 9:00 to 17:00 (CET). Messages sent
  outside those hours are answered first thing the next business day.

@ mobile | Mobile app offline
? Does the mobile app work offline?
? Can I use the app without internet, offline on the road?
? The mobile app shows nothing when I'm offline, is offline mode supported?
= Hi {first}, the mobile app keeps the last 30 days of data available offline. Changes you make
  offline are saved on the phone and sync automatically as soon as you're back online; just open
  the app once with a connection before you leave.

@ bug | Sync error
? I keep getting a sync error on my phone.
? The app says "sync failed" every time I open it.
? Why does the sync error appear after the update? My data doesn't sync anymore.
= Hi {first}, that sync error comes from an expired session on the device. Please sign out of
  the app and sign in again; that refreshes the session and the sync resumes where it stopped.
  No data is lost.

@ onboarding | Import customers from CSV
? How do I import my customers from a CSV file?
? Can I import a spreadsheet of contacts? We have them in Excel.
? The CSV import fails with an error about the columns.
= Hi {first}, go to Customers > Import and upload your CSV. The first row must hold the column
  names; name and email are required, everything else is optional. If the import complains about
  columns, save the file as UTF-8 CSV and check there are no empty header cells.

@ integration | Calendar sync
? Can I connect my Google Calendar?
? How do I sync bookings with my Outlook calendar?
? Is there a calendar integration so appointments show up in my calendar?
= Hi {first}, yes: under Settings > Integrations > Calendar you can connect Google Calendar or
  Outlook. New bookings then appear in your calendar within a minute, and busy times in your
  calendar block the booking page.

@ account | Change language
? How do I change the language of the app?
? Can I switch the interface language to German?
? The app is in English, where do I change the language?
= Hi {first}, you can pick the language under Settings > Profile > Language. We currently
  support English, German, French, Spanish and Dutch; the change applies right away.

@ bug | Wrong timezone
? All my appointments show the wrong time, is the timezone wrong?
? Times are off by one hour since daylight saving changed.
? The timezone in the app seems wrong, everything is shifted.
= Hi {first}, times are shown in your account's timezone, which is set under Settings > Profile
  > Timezone. After the daylight saving change it's worth checking it's set to your city rather
  than a fixed offset like UTC+1; that fixes the one-hour shift.

@ bug | Notifications not arriving
? I'm not getting any email notifications anymore.
? Notifications stopped arriving on my phone.
? Why don't I receive notifications for new bookings?
= Hi {first}, first check Settings > Notifications that they're switched on for this device. If
  they are, add notifications@northwind.example to your contacts, since some mail providers
  filter them as spam, and on the phone allow notifications for the app in the system settings.

@ security | Single sign-on
? Do you support single sign-on with Azure AD or Okta?
? Can we use SSO / SAML to log in?
? Is single sign-on available on the business plan?
= Hi {first}, single sign-on (SAML 2.0, e.g. Azure AD, Okta or Google Workspace) is included in
  the business plan. Once you're on it, an admin can set it up under Settings > Security >
  Single sign-on; our setup guide walks through each provider.

@ security | Where is our data stored?
? Where is our data stored? Is it in the EU?
? Our privacy officer asks where the data is hosted.
? Do you store customer data in Europe? We need it for GDPR.
= Hi {first}, all data is stored in data centres in Frankfurt, Germany, and never leaves the EU.
  Backups are encrypted and kept in a second EU location. Our data processing agreement is
  available under Settings > Legal.

@ bug | Service down?
? Is the service down? Nothing loads.
? Are you having an outage? The site is really slow.
? I can't reach the app at all, is there an outage?
= Hi {first}, you can always check the live status at status.northwind.example. We had a short
  outage this morning that is resolved now; if the app still doesn't load for you, please try a
  private browser window and tell me what you see.

@ onboarding | Extend my trial
? Can you extend my free trial? I haven't had time to test it.
? My trial ends tomorrow, could I get a trial extension?
? Is it possible to extend the trial by two weeks?
= Hi {first}, of course, I've extended your trial by 14 days. You'll keep all the data you've
  added, and you can pick a plan any time under Settings > Billing.

@ billing | Student discount
? Do you have a student discount?
? I'm a student, is there cheaper pricing for students?
? Is there an education or student discount?
= Hi {first}, students and teachers get 40% off the starter and pro plans. Reply with a photo of
  a valid student or staff card and I'll apply the discount to your account.

@ feedback | Referral programme
? Do you have a referral programme?
? If I recommend you to a friend, do I get a referral bonus?
? How does the referral programme work?
= Hi {first}, yes: share your personal referral link from Settings > Referrals. Every friend who
  subscribes gets their first month free, and you get one month free for each of them.

@ shipping | International shipping
? Do you ship internationally, to the US or UK?
? Can you ship my order to Canada? Is international shipping available?
? How much does international shipping cost?
= Hi {first}, we ship to over 40 countries, including the UK, the US and Canada. International
  shipping costs 14 EUR and takes 5 to 8 business days; import duties outside the EU are paid by
  the recipient on delivery.

@ shipping | Change delivery address
? Can I change the delivery address of my order?
? I entered the wrong delivery address, can you change it?
? Please change the shipping address on my order, I've moved.
= Hi {first}, I've updated the delivery address on your order. If it had already left the
  warehouse, the carrier will redirect it, which can add a day to the delivery time.

@ shipping | Missing item in my order
? An item is missing from my order.
? I only received part of my order, one item is missing.
? The parcel arrived but the charger is missing from the box.
= Hi {first}, sorry about that! Larger orders sometimes ship in two parcels, and the second one
  is on its way with its own tracking link. If it isn't, I'll send the missing item right away;
  just confirm which one is missing.

@ billing | Gift cards
? Do you sell gift cards?
? How do I redeem a gift card? The code doesn't work.
? Can I pay part of my order with a gift card?
= Hi {first}, gift cards are sold on our website in amounts from 25 to 200 EUR. Enter the code
  at checkout in the "Gift card" field (not the discount code field); the remaining balance
  stays on the card for your next order.

@ hardware | Warranty claim
? Is my device still under warranty?
? The device stopped working after a year, does the warranty cover it?
? How do I make a warranty claim?
= Hi {first}, every device has a 2-year warranty from the delivery date. Send me the serial
  number (on the back of the device) and a short description of the fault, and we'll send a
  prepaid label and repair or replace it within a week.

@ billing | Price increase
? Why did my price increase this month?
? I was charged more than usual, was there a price increase?
? Is the price increase also for existing customers?
= Hi {first}, we announced a price change by email two months ago: plans went up by 2 EUR a
  month for new periods starting this month. Existing yearly plans keep their price until
  renewal. If the new price is a problem, reply and we'll find an option that works.

@ billing | Pause subscription
? Can I pause my subscription for the summer?
? Is it possible to pause the subscription instead of cancelling?
? We're closed for two months, can we pause our subscription?
= Hi {first}, you can pause your subscription for up to 3 months under Settings > Billing >
  Pause. You won't be charged while it's paused, your data stays safe, and it resumes
  automatically at the date you choose.
"""


def _parse(text: str) -> tuple[Topic, ...]:
    topics = []
    for block in text.strip().split("\n\n"):
        lines: list[str] = []
        for line in block.strip().splitlines():
            if line.startswith("  "):
                lines[-1] += " " + line.strip()
            else:
                lines.append(line)
        tag, subject = (part.strip() for part in lines[0][1:].split("|", 1))
        questions = tuple(line[1:].strip() for line in lines if line.startswith("?"))
        answer = next(line[1:].strip() for line in lines if line.startswith("="))
        topics.append(Topic(tag=tag, subject=subject, questions=questions, answer=answer))
    return tuple(topics)


TOPICS = _parse(_TOPICS)
