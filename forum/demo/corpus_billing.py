"""Demo topics for the Billing category: plans, seats, invoices, payments and refunds."""

from __future__ import annotations

from forum.demo.corpus_text import Ask, Topic

# Hand-wrapped phrase banks: one ask per block reads better than the formatter's layout.
# fmt: off
BILLING_TOPICS: tuple[Topic, ...] = (
    Topic(
        key="charged-twice", category="billing", tags=("billing", "payments", "invoices"),
        asks=(
            Ask(("Why was I charged twice this month?",
                 "Two charges of {amount} on my card for the same invoice",
                 "Charged twice on {date} - only one invoice"),
                ("My card ending in {card} shows two charges of {amount} on {date}. There's only one invoice "
                 "under *Admin > Billing*.",),
                answer=0,
                tried=("Checked the invoices page", "Looked for a second workspace on my account")),
            Ask(("Double charge after upgrading to {sso_plan}", "Two charges after our mid-month upgrade"),
                ("We upgraded to {sso_plan} in the middle of the month and now see two charges on the "
                 "company card. Is one of them a mistake?",),
                answer=1),
        ),
        answers=(
            "One of them is probably a pending authorization, not a real charge. When you update a card or "
            "upgrade, the bank holds the amount for a few days and then releases it. If both are still there "
            "after 7 days, ask support for a refund and include the invoice number.",
            "After a mid-cycle upgrade you get one charge for the prorated difference and the regular "
            "renewal later. The line items on each invoice under *Admin > Billing > Invoices* show which is "
            "which.",
            "We had a real double charge once when two admins clicked **Upgrade** at the same time. Support "
            "refunded it in two days.",
        ),
        searches=("charged twice", "double charge", "duplicate payment", "two charges"),
    ),
    Topic(
        key="refunds", category="billing", tags=("refunds", "plans"),
        asks=(
            Ask(("How do I get a refund after downgrading?", "Refund for unused seats on an annual plan"),
                ("We downgraded from {plan} last week. Do we get a refund for the rest of the month, or a "
                 "credit?",
                 "We're on an annual plan and removed {n} people. Can we get money back for their seats for "
                 "the rest of the year?"),
                answer=0),
            Ask(("Accidentally upgraded to {sso_plan} - can I get a refund?",
                 "Upgraded by mistake - can it be undone?"),
                ("I clicked upgrade by mistake while looking at the plans and got charged {amount}. Can this "
                 "be reversed?",),
                answer=1),
            Ask(("Refund of {amount} still not on my card", "When will my refund show up?"),
                ("Support confirmed a refund of {amount} on {date}, but it's not on my card statement yet.",),
                answer=2),
        ),
        answers=(
            "Downgrades and removed seats take effect at the end of the billing period, so there's no refund "
            "- the difference becomes account credit for your next invoices.",
            "Accidental upgrades are refunded in full if you ask within 14 days: *Help > Contact support > "
            "Billing* with the invoice number.",
            "Refunds take 5-10 business days to show up on the card, depending on the bank.",
        ),
        searches=("refund", "refund downgrade", "refund annual plan"),
    ),
    Topic(
        key="vat", category="billing", tags=("invoices", "tax"),
        asks=(
            Ask(("How do I add our VAT number to invoices?",
                 "VAT added to our {month} invoice even though we're a business"),
                ("Our accounting team needs our VAT number on every invoice, and we're in {country}. Where "
                 "do I add it?",),
                answer=0, howto=True),
            Ask(("Tax ID missing from past invoices", "Re-issue old invoices with our VAT number"),
                ("We added our tax ID last week, but the older invoices still don't show it.",),
                answer=1),
            Ask(("Why are we charged sales tax?", "Sales tax appeared on our invoice this month"),
                ("Our {month} invoice suddenly includes sales tax. Nothing changed on our side as far as I "
                 "know.",),
                answer=2),
        ),
        answers=(
            "*Admin > Billing > Billing details > Tax ID*. Once a valid VAT number is saved, reverse charge "
            "applies and no VAT is added from the next invoice.",
            "Past invoices can't be changed automatically, but support can re-issue them with the tax ID if "
            "you send the invoice numbers.",
            "Sales tax depends on the billing address. If the address is wrong, fix it in billing details "
            "and the next invoice is calculated again.",
        ),
        searches=("vat number", "tax id invoice", "sales tax", "vat"),
    ),
    Topic(
        key="trial", category="billing", tags=("trial", "plans"),
        asks=(
            Ask(("Does the Business trial convert to a paid plan automatically?",
                 "What happens to our data when the trial ends?"),
                ("We're on day {n} of the 14-day Business trial. Will we be charged automatically at the "
                 "end? We haven't added a card.",),
                answer=0),
            Ask(("Can we extend our trial by a week?", "Need a few more days of trial"),
                ("We need another week to finish evaluating with {seats} people. Is an extension possible?",),
                answer=1),
            Ask(("Trial ended but we still see Business features",
                 "Business features still visible after trial"),
                ("Our trial ended two days ago and we haven't paid, but SSO settings and advanced "
                 "permissions are still there. Will they disappear suddenly?",),
                answer=2),
        ),
        answers=(
            "No card, no charge: when the trial ends without a card the workspace moves to Free. Nothing is "
            "deleted, but Business-only features become read-only.",
            "Admins can extend once by 7 days from *Admin > Billing > Extend trial*. After that, support can "
            "help if you're close to a decision.",
            "Features stay visible for a 3-day grace period after the trial, which is why you still see "
            "them.",
        ),
        searches=("trial", "extend trial", "trial ended", "free trial"),
    ),
    Topic(
        key="seats", category="billing", tags=("seats", "billing"),
        asks=(
            Ask(("Removed users but still billed for {seats} seats",
                 "Seat count on the {month} invoice doesn't match our member list"),
                ("We removed {n} people who left the company, but the latest invoice still charges for "
                 "{seats} seats.",),
                answer=0),
            Ask(("How do seats work - do guests count?", "Do deactivated members use a seat?"),
                ("We're about to add a lot of contractors. Do guests count as seats on the {plan} plan?",),
                answer=1, howto=True),
            Ask(("Reduce the number of seats on our annual plan", "Can't lower seats on annual billing"),
                ("We're on annual billing with {seats} seats and only need about half. The seat field won't "
                 "let me go lower.",),
                answer=2),
        ),
        answers=(
            "Removing a member doesn't remove the seat. Go to *Admin > Billing > Seats* and lower the seat "
            "count; the next invoice is adjusted.",
            "Guests don't use seats (within the guest allowance of your plan). Deactivated members don't "
            "either, once the seat count is reduced.",
            "On annual plans seats can be added any time but only reduced at renewal; the extra seats stay "
            "available for new people until then.",
        ),
        searches=("seats billing", "remove seats", "billed for removed users", "seats"),
    ),
    Topic(
        key="annual-billing", category="billing", tags=("annual-billing", "plans"),
        asks=(
            Ask(("Switch from monthly to annual billing",
                 "How much do we save with annual billing on {plan}?"),
                ("We've been on monthly {plan} for a year and want to switch to annual. How much do we save, "
                 "and what happens to the current month?",),
                answer=0, howto=True),
            Ask(("Can I change our billing date?", "Move our renewal to the first of the month"),
                ("Our finance team wants all software renewals on the first of the month. Can the billing "
                 "date move?",),
                answer=1),
            Ask(("When do we get renewal reminders?", "Annual renewal came as a surprise"),
                ("Our annual renewal for {seats} seats went through last week and finance says nobody was "
                 "warned. Are reminders sent before renewal?",),
                answer=2),
        ),
        answers=(
            "*Admin > Billing > Change billing cycle > Annual*. Annual is about 20% cheaper, and the unused "
            "part of the current month is credited.",
            "The billing date is the day you switch to annual, so switch on the day you want it to be. "
            "Support can also align it for you.",
            "Renewal reminders go to billing contacts 30 and 7 days before the date - check who is listed "
            "under *Admin > Billing > Billing contacts*.",
        ),
        searches=("annual billing", "switch to annual", "billing date", "renewal"),
    ),
    Topic(
        key="card-declined", category="billing", tags=("payments", "credit-card"),
        asks=(
            Ask(("Card declined when upgrading to {plan}", "Company card keeps getting declined"),
                ("I'm trying to upgrade to {plan} and the card keeps getting declined, but it works "
                 "everywhere else.",),
                answer=0,
                tried=("Tried a second card", "Checked the billing address matches the card"),
                snippet="```\nPayment failed: card_declined (do_not_honor)\nReference: {request_id}\n```"),
            Ask(("How do I update the credit card on file?", "Payment for invoice {invoice} failed"),
                ("We got an email that the payment for {invoice} failed. The card ending in {card} was "
                 "replaced by our bank last month.",),
                answer=1),
            Ask(("Payment failed - 'Your card does not support this type of purchase'",
                 "Virtual card rejected at checkout"),
                ("We use virtual cards for software. Checkout fails with *Your card does not support this "
                 "type of purchase*.",),
                answer=2),
        ),
        answers=(
            "Company cards often block foreign or recurring payments by default. Ask the bank to allow "
            "recurring charges from Brightwave, then retry from *Admin > Billing*.",
            "Update the card under *Admin > Billing > Payment method*. Failed invoices are retried "
            "automatically within a day of the new card being added.",
            "*Does not support this type of purchase* usually means a prepaid or virtual card with online "
            "subscriptions turned off. Ask your card provider to allow subscriptions.",
        ),
        searches=("card declined", "payment failed", "update credit card"),
    ),
    Topic(
        key="pay-by-invoice", category="billing", tags=("payments", "invoices", "enterprise"),
        asks=(
            Ask(("Can we pay by invoice or bank transfer?",
                 "Pay annually by bank transfer for {seats} seats"),
                ("Our procurement process doesn't allow card payments. Is bank transfer possible?",),
                answer=0, howto=True),
            Ask(("Purchase order number on invoices", "Add a PO number to our invoices"),
                ("Our accounts payable team rejects invoices without a PO number. Where can we add one?",),
                answer=1, howto=True),
            Ask(("Payment terms for invoiced customers?", "How long do we have to pay an invoice?"),
                ("Our finance team pays suppliers monthly. If we switch to invoice billing, how long do we "
                 "have to pay?",),
                answer=2),
        ),
        answers=(
            "Invoice payment by bank transfer is available on annual Business and Enterprise plans with 25 "
            "seats or more - request it from the pricing page.",
            "*Admin > Billing > Billing details > PO number* - it's printed on every invoice from then on.",
            "Payment terms are net 30 for invoiced customers; the due date is printed on each invoice.",
        ),
        searches=("pay by invoice", "bank transfer", "purchase order"),
    ),
    Topic(
        key="billing-contact", category="billing", tags=("invoices", "billing-contact"),
        asks=(
            Ask(("Send invoices to our accounting email", "Add a second email address for invoices"),
                ("Invoices go to my email, but they should go to our accounting team's shared address.",),
                answer=0, howto=True),
            Ask(("Change the billing contact", "Invoices going to someone who left the company"),
                ("The person who set up our subscription left, and we only found out because the {month} "
                 "invoice went unpaid.",),
                answer=1),
        ),
        answers=(
            "*Admin > Billing > Billing contacts* - add the shared address and it gets every invoice and "
            "receipt. It doesn't need to be a member.",
            "Any admin can change the billing contact and payment method, so you don't need the former "
            "colleague's account.",
        ),
        searches=("billing email", "billing contact", "invoice email"),
    ),
    Topic(
        key="cancel", category="billing", tags=("cancellation", "plans"),
        asks=(
            Ask(("What happens to our data if we cancel?",
                 "Thinking of cancelling our {plan} plan - can we keep read-only access?"),
                ("Budget cuts mean we may cancel {plan}. Can the team keep looking at old projects?",),
                answer=0),
            Ask(("Export everything before cancelling",
                 "We're switching tools - how do we export our workspace?"),
                ("We're moving to another tool and want to cancel. I need to export our projects and files "
                 "first.",),
                answer=1, howto=True),
            Ask(("How do I cancel our subscription?",
                 "Cancel at the end of the billing period, not immediately"),
                ("We've decided not to renew. Where do I cancel, and will it cut us off immediately?",),
                answer=2),
        ),
        answers=(
            "Cancelling moves the workspace to Free at the end of the billing period. Nothing is deleted; "
            "projects above the Free limits become read-only.",
            "*Admin > Export* gives you a full export (JSON plus all files). It can take an hour for larger "
            "workspaces, and you get an email when it's ready.",
            "*Admin > Billing > Cancel plan*. It always applies at the end of the current period - you keep "
            "everything until then.",
        ),
        searches=("cancel subscription", "cancel plan data", "cancel", "export workspace"),
    ),
    Topic(
        key="downgrade", category="billing", tags=("downgrade", "plans"),
        asks=(
            Ask(("Downgrade from Business to Team - what do we lose?",
                 "What happens to SSO if we downgrade?"),
                ("We're considering moving from Business to Team. Which features would we lose, and what "
                 "happens to SSO?",),
                answer=0),
            Ask(("Downgrade button is missing from the billing page", "Can't find how to downgrade our plan"),
                ("There is no downgrade option on our billing page, only *Upgrade*. I'm an admin.",),
                answer=1),
            Ask(("Downgrade to Free with {seats} members?",
                 "Moving to Free - what happens to extra members?"),
                ("We're a team of {seats} and use very little of Team. Can we move to Free, and what happens "
                 "to the people beyond the limit?",),
                answer=2),
        ),
        answers=(
            "From Business to Team you lose SSO, advanced permissions and cross-project dependencies. SSO "
            "users get a password-reset email so nobody is locked out.",
            "The downgrade option only shows to the workspace owner, not every admin. The owner is listed "
            "under *Admin > Settings*.",
            "Free allows 5 members. The downgrade asks you to choose who stays; the others are deactivated, "
            "not deleted, and come back when you upgrade again.",
        ),
        searches=("downgrade", "downgrade plan", "business to team"),
    ),
    Topic(
        key="proration", category="billing", tags=("seats", "proration", "invoices"),
        asks=(
            Ask(("Why is there a prorated charge after adding seats?",
                 "Separate invoice after adding {n} seats"),
                ("We added {n} seats last week and got a separate invoice straight away. I thought seats "
                 "would just be added to the next invoice.",),
                answer=0),
            Ask(("Invoice {invoice} has a charge I don't understand", "Mid-cycle upgrade invoice explained?"),
                ("Invoice {invoice} has a line called *Remaining time on {plan}* and another called *Unused "
                 "time*. What do these mean?",),
                answer=1),
        ),
        answers=(
            "Seats added mid-cycle are charged right away for the rest of the period (prorated), and the "
            "next regular invoice includes them in full.",
            "*Unused time* is a credit for the old plan; *Remaining time* is the new plan for the rest of "
            "the period. The difference is what you paid.",
        ),
        searches=("prorated charge", "proration", "unused time invoice"),
    ),
    Topic(
        key="download-invoices", category="billing", tags=("invoices", "receipts"),
        asks=(
            Ask(("Download old invoices as PDF", "Bulk download all invoices for last year",
                 "Where can I find invoice {invoice}?"),
                ("Our auditors want every invoice from last year as PDFs. Is there a bulk download?",),
                answer=0, howto=True),
            Ask(("Receipts for expense reports", "Need a receipt for the {month} charge"),
                ("I need a receipt for the {month} charge for my expense report.",),
                answer=1),
        ),
        answers=(
            "*Admin > Billing > Invoices* lists every invoice with a PDF link, and *Download all* gives you "
            "a zip for the selected year.",
            "Receipts are attached to the payment confirmation email; the invoice PDF also shows *Paid* with "
            "the date once the charge goes through.",
        ),
        searches=("download invoice", "invoice pdf", "receipt", "invoices"),
    ),
    Topic(
        key="plan-choice", category="billing", tags=("plans", "upgrade"),
        asks=(
            Ask(("Upgrade only some members to Business?", "Business plan for one team only"),
                ("Only our {workspace} team needs the Business features. Can we upgrade just those {n} "
                 "people?",),
                answer=0),
            Ask(("Which plan do we need for SSO and SCIM?", "Moving from Team to Enterprise - what changes?"),
                ("We're ready to buy for about {seats} people and need SSO. Which plan should we be looking "
                 "at?",),
                answer=1),
            Ask(("Upgrading {seats} seats to {sso_plan} - how does billing work?",
                 "Upgrade mid-month - what will we pay?"),
                ("We're on Team with {seats} seats and want to move to {sso_plan} halfway through the month. "
                 "Do we pay the full month again?",),
                answer=2),
        ),
        answers=(
            "Plans apply to the whole workspace. If only one team needs Business, they can have a separate "
            "workspace and share projects with the main one as guests.",
            "SSO is on Business and Enterprise; SCIM is Enterprise only. Enterprise also adds invoice "
            "billing and a named contact.",
            "Upgrades apply immediately and are prorated: you pay the difference for the rest of the period, "
            "not a full month.",
        ),
        searches=("upgrade plan", "enterprise plan", "which plan sso", "upgrade"),
    ),
)
