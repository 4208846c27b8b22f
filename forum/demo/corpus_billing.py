"""Demo topics for the Billing category: plans, seats, invoices, payments and refunds."""

from __future__ import annotations

from forum.demo.corpus_text import Topic

BILLING_TOPICS: tuple[Topic, ...] = (
    Topic(
        key="charged-twice",
        category="billing",
        tags=("billing", "payments", "invoices"),
        titles=(
            "Why was I charged twice this month?",
            "Two charges of {amount} on my card for the same invoice",
            "Double charge after upgrading to {plan}",
            "Charged twice on {date} - only one invoice",
        ),
        problems=(
            "My card ending in {card} shows two charges of {amount} on {date}. There's only "
            "one invoice under *Admin > Billing*.",
            "We upgraded to {plan} in the middle of the month and now see two charges on the "
            "company card. Is one of them a mistake?",
        ),
        answers=(
            "One of them is probably a pending authorization, not a real charge. When you "
            "update a card or upgrade, the bank holds the amount for a few days and then "
            "releases it. If both are still there after 7 days, ask support for a refund and "
            "include the invoice number.",
            "After a mid-cycle upgrade you get one charge for the prorated difference and the "
            "regular renewal later. The line items on each invoice under *Admin > Billing > "
            "Invoices* show which is which.",
            "We had a real double charge once when two admins clicked **Upgrade** at the same "
            "time. Support refunded it in two days.",
        ),
        searches=("charged twice", "double charge", "duplicate payment", "two charges"),
    ),
    Topic(
        key="refunds",
        category="billing",
        tags=("refunds", "plans"),
        titles=(
            "How do I get a refund after downgrading?",
            "Refund for unused seats on an annual plan",
            "Accidentally upgraded to {plan} - can I get a refund?",
            "Refund of {amount} still not on my card",
        ),
        problems=(
            "We downgraded from {plan} last week. Do we get a refund for the rest of the month, or a credit?",
            "I clicked upgrade by mistake while looking at the plans and got charged {amount}. "
            "Can this be reversed?",
        ),
        answers=(
            "Downgrades take effect at the end of the billing period, so there's no refund - "
            "you keep the higher plan until then. Removed seats become account credit.",
            "Accidental upgrades are refunded in full if you ask within 14 days: *Help > "
            "Contact support > Billing* with the invoice number.",
            "Refunds take 5-10 business days to show up on the card, depending on the bank.",
        ),
        searches=("refund", "refund downgrade", "refund annual plan"),
    ),
    Topic(
        key="vat",
        category="billing",
        tags=("invoices", "tax"),
        titles=(
            "How do I add our VAT number to invoices?",
            "Tax ID missing from past invoices",
            "Why are we charged sales tax?",
            "VAT added to our {month} invoice even though we're a business",
        ),
        problems=(
            "Our accounting team needs our VAT number on every invoice, and we're in {country}. "
            "Where do I add it?",
            "We added our tax ID last week, but the older invoices still don't show it.",
        ),
        answers=(
            "*Admin > Billing > Billing details > Tax ID*. Once a valid VAT number is saved, "
            "reverse charge applies and no VAT is added from the next invoice.",
            "Past invoices can't be changed automatically, but support can re-issue them with "
            "the tax ID if you send the invoice numbers.",
            "Sales tax depends on the billing address. If the address is wrong, fix it in "
            "billing details and the next invoice is calculated again.",
        ),
        searches=("vat number", "tax id invoice", "sales tax", "vat"),
        howto=True,
    ),
    Topic(
        key="trial",
        category="billing",
        tags=("trial", "plans"),
        titles=(
            "Does the Business trial convert to a paid plan automatically?",
            "Can we extend our trial by a week?",
            "Trial ended but we still see Business features",
            "What happens to our data when the {plan} trial ends?",
        ),
        problems=(
            "We're on day {n} of the 14-day Business trial. Will we be charged automatically "
            "at the end? We haven't added a card.",
            "We need another week to finish evaluating with {seats} people. Is an extension possible?",
        ),
        answers=(
            "No card, no charge: when the trial ends without a card the workspace moves to "
            "Free. Nothing is deleted, but Business-only features become read-only.",
            "Admins can extend once by 7 days from *Admin > Billing > Extend trial*. After "
            "that, support can help if you're close to a decision.",
            "Features stay visible for a 3-day grace period after the trial, which is why you "
            "still see them.",
        ),
        searches=("trial", "extend trial", "trial ended", "free trial"),
    ),
    Topic(
        key="seats",
        category="billing",
        tags=("seats", "billing"),
        titles=(
            "Removed users but still billed for {seats} seats",
            "How do seats work - do guests count?",
            "Reduce the number of seats on our annual plan",
            "Seat count on the {month} invoice doesn't match our member list",
        ),
        problems=(
            "We removed {n} people who left the company, but the latest invoice still charges "
            "for {seats} seats.",
            "We're about to add a lot of contractors. Do guests count as seats on the {plan} plan?",
        ),
        answers=(
            "Removing a member doesn't remove the seat. Go to *Admin > Billing > Seats* and "
            "lower the seat count; the next invoice is adjusted.",
            "Guests don't use seats (within the guest allowance of your plan). Deactivated "
            "members don't either, once the seat count is reduced.",
            "On annual plans seats can be added any time but only reduced at renewal; the "
            "extra seats stay available for new people until then.",
        ),
        searches=("seats billing", "remove seats", "billed for removed users", "seats"),
    ),
    Topic(
        key="annual-billing",
        category="billing",
        tags=("annual-billing", "plans"),
        titles=(
            "Switch from monthly to annual billing",
            "How much do we save with annual billing on {plan}?",
            "Can I change our billing date?",
            "Annual plan renewal reminder for {seats} seats",
        ),
        problems=(
            "We've been on monthly {plan} for a year and want to switch to annual. What "
            "happens to the current month?",
            "Our finance team wants all software renewals on the first of the month. Can the "
            "billing date move?",
        ),
        answers=(
            "*Admin > Billing > Change billing cycle > Annual*. Annual is about 20% cheaper, "
            "and the unused part of the current month is credited.",
            "The billing date is the day you switch to annual, so switch on the day you want "
            "it to be. Support can also align it for you.",
            "Renewal reminders go to billing contacts 30 and 7 days before the date.",
        ),
        searches=("annual billing", "switch to yearly", "billing date"),
        howto=True,
    ),
    Topic(
        key="card-declined",
        category="billing",
        tags=("payments", "credit-card"),
        titles=(
            "Card declined when upgrading to {plan}",
            "Payment failed - 'Your card does not support this type of purchase'",
            "How do I update the credit card on file?",
            "Payment for invoice {invoice} failed",
        ),
        problems=(
            "I'm trying to upgrade to {plan} and the card keeps getting declined, but it works "
            "everywhere else.",
            "We got an email that the payment for {invoice} failed. The card ending in {card} "
            "was replaced by our bank last month.",
        ),
        answers=(
            "Company cards often block foreign or recurring payments by default. Ask the bank "
            "to allow recurring charges from Brightwave, then retry from *Admin > Billing*.",
            "Update the card under *Admin > Billing > Payment method*. Failed invoices are "
            "retried automatically within a day of the new card being added.",
            "*Does not support this type of purchase* usually means a prepaid or virtual card "
            "with online subscriptions turned off.",
        ),
        searches=("card declined", "payment failed", "update credit card"),
    ),
    Topic(
        key="pay-by-invoice",
        category="billing",
        tags=("payments", "invoices", "enterprise"),
        titles=(
            "Can we pay by invoice or bank transfer?",
            "Purchase order number on invoices",
            "Pay annually by bank transfer for {seats} seats",
        ),
        problems=(
            "Our procurement process doesn't allow card payments. Is bank transfer possible?",
            "Our accounts payable team rejects invoices without a PO number. Where can we add one?",
        ),
        answers=(
            "Invoice payment with bank transfer is available on annual Business and Enterprise "
            "plans with 25 seats or more - request it from the pricing page.",
            "*Admin > Billing > Billing details > PO number* - it's printed on every invoice from then on.",
            "Payment terms are net 30 for invoiced customers.",
        ),
        searches=("pay by invoice", "bank transfer", "purchase order"),
        howto=True,
    ),
    Topic(
        key="billing-contact",
        category="billing",
        tags=("invoices", "billing-contact"),
        titles=(
            "Send invoices to our accounting email",
            "Change the billing contact",
            "Invoices going to someone who left the company",
        ),
        problems=(
            "Invoices go to my email, but they should go to our accounting team's shared address.",
            "The person who set up our subscription left, and we only found out because the "
            "{month} invoice went unpaid.",
        ),
        answers=(
            "*Admin > Billing > Billing contacts* - add the shared address and it gets every "
            "invoice and receipt. It doesn't need to be a member.",
            "Any admin can change the billing contact and payment method, so you don't need "
            "the former colleague's account.",
        ),
        searches=("billing email", "billing contact", "invoice email"),
        howto=True,
    ),
    Topic(
        key="cancel",
        category="billing",
        tags=("cancellation", "plans"),
        titles=(
            "What happens to our data if we cancel?",
            "How do I cancel our subscription?",
            "Cancel at the end of the billing period instead of immediately",
            "Thinking of cancelling our {plan} plan - can we keep read-only access?",
        ),
        problems=(
            "We're moving to another tool and want to cancel. I need to know what happens to "
            "our projects and files, and whether we can export them first.",
            "Budget cuts mean we may cancel {plan}. Can the team keep looking at old projects?",
        ),
        answers=(
            "Cancelling moves the workspace to Free at the end of the billing period. Nothing "
            "is deleted; projects above the Free limits become read-only.",
            "Before cancelling, *Admin > Export* gives you a full export (JSON plus all "
            "files). It can take an hour for larger workspaces.",
            "*Admin > Billing > Cancel plan*. It always applies at the end of the current "
            "period - you keep everything until then.",
        ),
        searches=("cancel subscription", "cancel plan data", "cancel"),
    ),
    Topic(
        key="downgrade",
        category="billing",
        tags=("downgrade", "plans"),
        titles=(
            "Downgrade from Business to Team - what do we lose?",
            "Downgrade to Free with more than {n} members?",
            "Downgrade button is missing from the billing page",
        ),
        problems=(
            "We're considering moving from Business to Team. Which features would we lose, "
            "and what happens to existing guests and SSO?",
            "There is no downgrade option on our billing page, only *Upgrade*.",
        ),
        answers=(
            "From Business to Team you lose SSO, advanced permissions and cross-project "
            "dependencies. SSO users get a password-reset email so nobody is locked out.",
            "The downgrade option only shows to the workspace owner, not every admin. The "
            "owner is listed under *Admin > Settings*.",
        ),
        searches=("downgrade", "downgrade plan", "business to team"),
    ),
    Topic(
        key="proration",
        category="billing",
        tags=("seats", "proration", "invoices"),
        titles=(
            "Why is there a prorated charge after adding seats?",
            "Invoice {invoice} has a charge I don't understand",
            "Mid-cycle upgrade invoice explained?",
        ),
        problems=(
            "We added {n} seats last week and got a separate invoice for {amount}. I thought "
            "seats would just be added to the next invoice.",
            "Invoice {invoice} has a line called *Remaining time on {plan}* and another called "
            "*Unused time*. What do these mean?",
        ),
        answers=(
            "Seats added mid-cycle are charged right away for the rest of the period "
            "(prorated), and the next regular invoice includes them in full.",
            "*Unused time* is a credit for the old plan; *Remaining time* is the new plan for "
            "the rest of the period. The difference is what you paid.",
        ),
        searches=("prorated charge", "proration", "invoice explained"),
    ),
    Topic(
        key="download-invoices",
        category="billing",
        tags=("invoices", "receipts"),
        titles=(
            "Download old invoices as PDF",
            "Where can I find invoice {invoice}?",
            "Receipts for expense reports",
        ),
        problems=(
            "Our auditors want every invoice from last year as PDFs. Is there a bulk download?",
            "I need a receipt for the {month} charge for my expense report.",
        ),
        answers=(
            "*Admin > Billing > Invoices* lists every invoice with a PDF link, and *Download "
            "all* gives you a zip for the selected year.",
            "Receipts are attached to the payment confirmation email; the invoice PDF also "
            "shows *Paid* with the date once the charge goes through.",
        ),
        searches=("download invoice", "invoice pdf", "receipt", "invoices"),
        howto=True,
    ),
    Topic(
        key="plan-choice",
        category="billing",
        tags=("plans", "upgrade"),
        titles=(
            "Upgrade only some members to Business?",
            "Which plan do we need for SSO and SCIM?",
            "Moving from Team to Enterprise - what changes?",
            "Upgrading {seats} seats to {plan} - how does billing work?",
        ),
        problems=(
            "Only our {workspace} team needs the Business features. Can we upgrade just those {n} people?",
            "We're ready to buy for about {seats} people and need SSO. Which plan should we be looking at?",
        ),
        answers=(
            "Plans apply to the whole workspace. If only one team needs Business, they can "
            "have a separate workspace and share projects with the main one as guests.",
            "SSO is on Business and Enterprise; SCIM is Enterprise only. Enterprise also adds "
            "invoice billing and a named contact.",
            "Upgrades apply immediately and are prorated for the rest of the period.",
        ),
        searches=("upgrade plan", "enterprise plan", "which plan sso", "upgrade"),
        howto=True,
    ),
)
