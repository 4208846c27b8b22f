"""Phrase banks shared by every demo topic: the slots a question is filled with, and the
greetings, closings, short replies and comments that make a thread read like a real one.

Templates use ``str.format`` slots (``{os}``, ``{plan}``...) filled by ``draw_slots``;
literal braces in templates are doubled.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Ask:
    """One way a topic comes up: titles and bodies that fit each other, and the index of
    the topic answer that solves it. ``howto`` asks want to know how to do something
    rather than report something broken; they get a different closing line."""

    titles: tuple[str, ...]
    problems: tuple[str, ...]
    answer: int = 0
    tried: tuple[str, ...] = ()
    snippet: str = ""
    howto: bool = False


@dataclass(frozen=True)
class Topic:
    """One question customers keep asking, the words they search with, and what helps."""

    key: str
    category: str
    tags: tuple[str, ...]
    asks: tuple[Ask, ...]
    answers: tuple[str, ...]
    searches: tuple[str, ...]


DESKTOP_VERSIONS = ("4.1.7", "4.2.0", "4.2.1", "4.2.3", "4.3.0", "4.3.1")
MOBILE_VERSIONS = ("3.8.2", "3.9.0", "3.9.1", "3.10.0")
DESKTOP_OSES = (
    ("macOS Sonoma 14.4", "macos"),
    ("macOS Ventura 13.6", "macos"),
    ("macOS Sequoia", "macos"),
    ("Windows 11", "windows"),
    ("Windows 11 23H2", "windows"),
    ("Windows 10 22H2", "windows"),
)
MOBILE_OSES = (
    ("iOS 17.4", "ios", ("iPhone", "iPad")),
    ("iOS 18", "ios", ("iPhone", "iPad")),
    ("Android 14", "android", ("Android phone", "Android tablet")),
    ("Android 13", "android", ("Android phone",)),
)
BROWSERS = (
    ("Chrome 124", "chrome"),
    ("Chrome", "chrome"),
    ("Firefox 125", "firefox"),
    ("Safari 17", "safari"),
    ("Edge", "edge"),
)
IDENTITY_PROVIDERS = (
    ("Okta", "okta"),
    ("Azure AD", "azure-ad"),
    ("Google Workspace", "google-workspace"),
    ("OneLogin", "onelogin"),
)
# Price per seat per month, in dollars, of each paid plan.
PLAN_SEAT_PRICES = (("Team", 8), ("Business", 15), ("Enterprise", 24))
SEAT_COUNTS = (6, 8, 12, 15, 25, 40, 60, 120)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
DIGEST_HOURS = ("3 am", "4 pm", "11 pm", "1 am")
KEYBOARD_LAYOUTS = ("German", "French", "Swedish", "Spanish", "Dvorak")
COUNTRIES = ("Germany", "the UK", "Australia", "France", "the Netherlands")
LANGUAGES = ("Japanese", "Portuguese", "Italian", "Polish", "Korean")
CUSTOM_FIELDS = ("Priority", "Client ID", "Effort", "Region", "Cost center", "Sprint")
WORKSPACES = ("Marketing", "Operations", "Design", "Client Success", "Engineering")
FILE_SIZES = ("50 MB", "100 MB", "250 MB", "500 MB", "1 GB")
BIG_COUNTS = ("1,500", "2,000", "3,000", "5,000", "8,000")


def draw_slots(rng: random.Random, created_at: datetime, asker: str) -> dict[str, str]:
    """Pick one consistent set of details (OS, version, plan, amounts...) for a question."""
    version = rng.choice(DESKTOP_VERSIONS)
    os_name, os_tag = rng.choice(DESKTOP_OSES)
    mobile_os, mobile_tag, devices = rng.choice(MOBILE_OSES)
    browser, browser_tag = rng.choice(BROWSERS)
    idp, idp_tag = rng.choice(IDENTITY_PROVIDERS)
    plan, seat_price = rng.choice(PLAN_SEAT_PRICES)
    seats = rng.choice(SEAT_COUNTS)
    workspace = rng.choice(WORKSPACES)
    charged_on = created_at - timedelta(days=rng.randint(1, 6))
    log_time = created_at - timedelta(minutes=rng.randint(5, 600))
    return {
        "asker": asker,
        "version": version,
        "version_short": version.rsplit(".", 1)[0],
        "prev_version": DESKTOP_VERSIONS[max(DESKTOP_VERSIONS.index(version) - 1, 0)],
        "os": os_name,
        "os_tag": os_tag,
        "mobile_os": mobile_os,
        "mobile_tag": mobile_tag,
        "mobile_version": rng.choice(MOBILE_VERSIONS),
        "device": rng.choice(devices),
        "browser": browser,
        "browser_tag": browser_tag,
        "idp": idp,
        "idp_tag": idp_tag,
        "plan": plan,
        "sso_plan": rng.choice(("Business", "Enterprise")),
        "seats": str(seats),
        "amount": f"${seats * seat_price:,.2f}",
        "card": f"{rng.randint(1000, 9999)}",
        "invoice": f"INV-{created_at.year}-{rng.randint(10000, 99999)}",
        "date": f"{charged_on:%B} {charged_on.day}",
        "month": f"{created_at:%B}",
        "weekday": rng.choice(WEEKDAYS),
        "hour": rng.choice(DIGEST_HOURS),
        "n": str(rng.randint(3, 9)),
        "big_count": rng.choice(BIG_COUNTS),
        "size": rng.choice(FILE_SIZES),
        "layout": rng.choice(KEYBOARD_LAYOUTS),
        "country": rng.choice(COUNTRIES),
        "language": rng.choice(LANGUAGES),
        "field": rng.choice(CUSTOM_FIELDS),
        "workspace": workspace,
        "workspace_lower": workspace.lower().replace(" ", "-"),
        "log_time": f"{log_time:%Y-%m-%d %H:%M:%S}",
        "request_id": f"req_{rng.getrandbits(48):012x}",
    }


GREETINGS = ("Hi all,", "Hello!", "Hi everyone -", "Hey folks,", "Hi,")
PROBLEM_CLOSINGS = (
    "Any ideas?",
    "Is this a known issue?",
    "Has anyone else run into this?",
    "Am I missing a setting somewhere?",
    "Any help appreciated - this is blocking part of the team.",
    "Thanks in advance!",
    "What else can I check?",
)
# Neutral sign-offs for questions (as opposed to reports of something broken).
HOWTO_CLOSINGS = (
    "Thanks in advance!",
    "Any pointers appreciated.",
    "Thanks!",
    "Appreciate any advice.",
    "Would love to hear how others handle this.",
)
SNIPPET_LEADS = ("Here's what I have:", "For reference:", "Here's the relevant part:", "Details:")
TRIED_HEADERS = (
    "What I've tried so far:",
    "Things I already tried:",
    "Already tried:",
    "Steps taken so far:",
)
ADVOCATE_OPENERS = (
    "Hi @{asker}, thanks for the detailed report!",
    "Thanks for raising this, @{asker}.",
    "Hi @{asker} -",
    "Good question, @{asker}.",
    "Hi @{asker}, happy to help.",
)
ADVOCATE_CLOSERS = (
    "If that doesn't sort it out, reply here and I'll get the team to take a look.",
    "Let us know how it goes!",
    "I've also passed this on to the product team.",
    "",
    "",
)
# Short replies that add little: the low-voted tail of a real community.
ME_TOO_PROBLEM = (
    "Same here, following.",
    "+1, we're seeing exactly this too.",
    "Same issue on our side since last week. Following this thread.",
    "Did you ever figure this out? Same problem here.",
    "Not a fix, but opening a ticket from *Help > Contact support* got us a reply within a day for something "
    "similar.",
)
ME_TOO_HOWTO = (
    "Following - we have the same question for our team.",
    "Would also like to know.",
    "+1, we'd love this too.",
    "Good question, I was wondering the same thing.",
)
# Follow-up questions to a report of something broken, by category.
CLARIFYING_COMMENTS = {
    "technical": (
        "Is it everyone on your team or just some people?",
        "Did this start after a change on your side, or out of nowhere?",
        "Can you share the request id from the error? Support can look it up.",
        "Did this start right after an update?",
    ),
    "product": (
        "Is this on a project you own or one that was shared with you?",
        "Are you an admin in that workspace?",
        "Which plan are you on? Some of this is Business-only.",
    ),
    "billing": (
        "Which plan are you on right now?",
        "Are you on monthly or annual billing?",
        "Are you the workspace owner? Some billing options only show to the owner.",
    ),
    "website": (
        "Which browser and version?",
        "Does it work in a private window?",
        "Any browser extensions installed? Ad blockers break a few pages.",
    ),
}
# Follow-up questions to a how-do-I question, in any category.
HOWTO_CLARIFYING = (
    "Which plan are you on? Some of this depends on it.",
    "Is this for the whole workspace or just for you?",
    "Are you an admin? Some of these settings are admin-only.",
)
THANKS_COMMENTS = (
    "Thanks, that fixed it!",
    "That was it - thank you!",
    "Worked perfectly, thanks.",
    "Confirmed, that solved it for the whole team.",
    "Thank you, that was exactly what I needed.",
)
BUMP_COMMENTS = (
    "Still happening for us - any ideas?",
    "Bumping this, still stuck.",
    "Anyone? Still looking for a solution.",
)
BYSTANDER_COMMENTS = (
    "Thanks for posting the fix, saved me an hour.",
    "Good to know, bookmarking this.",
    "Same question here.",
    "Great thread, this should be in the docs.",
)

# What people search for that the community has never discussed: the knowledge gaps.
# (weight, main wording, other wordings); the main wording is the one typed most.
GAP_SEARCHES: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (16, "linux desktop app", ("linux app", "ubuntu desktop client")),
    (12, "hipaa compliance", ("hipaa", "hipaa baa")),
    (11, "data residency eu", ("eu data residency", "data residency")),
    (9, "on-premise install", ("on premise", "on-premise version")),
    (8, "offline mode", ("work offline", "offline access mobile")),
    (6, "soc 2 report", ("soc2",)),
    (5, "jira integration", ("jira sync",)),
    (5, "gantt chart", ("gantt view",)),
    (4, "nonprofit discount", ("nonprofit pricing",)),
    (3, "student discount", ()),
    (3, "chromebook app", ()),
    (3, "timesheets", ("timesheet export",)),
    (2, "kanban swimlanes", ()),
    (2, "white label", ()),
)
