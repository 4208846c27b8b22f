"""Demo topics for the Website category: the web app in a browser, sign-in and account pages."""

from __future__ import annotations

from forum.demo.corpus_text import Ask, Topic

# Hand-wrapped phrase banks: one ask per block reads better than the formatter's layout.
# fmt: off
_BROWSER_TRIED = (
    "Cleared the cache",
    "Restarted the browser",
    "Disabled extensions",
    "Tried a private window",
)

WEBSITE_TOPICS: tuple[Topic, ...] = (
    Topic(
        key="blank-page", category="website", tags=("web-app", "browser", "{browser_tag}"),
        asks=(
            Ask(("ChunkLoadError after this week's release", "Web app shows a blank page in {browser}"),
                ("Since this morning the web app is just an empty page in {browser}. The tab title says "
                 "Brightwave but nothing renders.",),
                answer=0, tried=_BROWSER_TRIED,
                snippet="```\nUncaught ChunkLoadError: Loading chunk 412 failed.\n"
                        "(missing: https://app.brightwave.example/static/js/412.8c1f3e.js)\n```"),
            Ask(("Brightwave stuck on the loading screen in {browser}",
                 "Nothing loads after signing in on {browser}"),
                ("After signing in I get the loading animation and then nothing in {browser}. It works in a "
                 "private window and in other browsers.",),
                answer=1, tried=_BROWSER_TRIED),
            Ask(("Web app blank only on the office network",
                 "Brightwave won't load at the office but works at home"),
                ("At the office the web app stays blank for everyone on the wired network, while it loads "
                 "fine at home and on phones. It started after the latest Brightwave release.",),
                answer=2),
        ),
        answers=(
            "A `ChunkLoadError` right after a release means the browser has an old copy of the app cached. "
            "Hard-reload with `Ctrl+Shift+R` (`Cmd+Shift+R` on Mac) and it picks up the new files.",
            "If it works in a private window, it's an extension. Ad blockers and script blockers are the "
            "usual suspects - allow Brightwave in them.",
            "Some office proxies cache JavaScript files for too long. If it only happens on the office "
            "network, ask IT to exclude `app.brightwave.example` from caching.",
        ),
        searches=("blank page", "web app not loading", "chunkloaderror", "stuck loading screen"),
    ),
    Topic(
        key="password-reset", category="website", tags=("password-reset", "login"),
        asks=(
            Ask(("Password reset link says it has expired", "Reset password email link goes to an error page",
                 "Can't reset password - 'Token invalid'"),
                ("I requested a password reset, clicked the link within a couple of minutes, and it says "
                 "*This link has expired*. I've tried {n} times now.",
                 "The reset link from the email opens a page saying *Token invalid*. Our company email goes "
                 "through a security gateway, if that matters."),
                answer=0,
                tried=(
                    "Requested a new link",
                    "Tried another browser",
                    "Checked the link wasn't cut off in the email",
                )),
            Ask(("No password reset email for my work account",
                 "Forgot password does nothing for my work email"),
                ("I clicked *Forgot password*, but no email ever comes for my work address. Our company "
                 "signs in to most tools with {idp}, if that matters.",),
                answer=1),
        ),
        answers=(
            "Reset links are valid for one hour and work once; after that they show as expired. Email "
            "security gateways often 'click' links to scan them, which uses the token before you do. Request "
            "a new link and copy it into the browser instead of clicking it.",
            "If your workspace uses SSO, password reset is turned off for your account - sign in with *Sign "
            "in with SSO* instead.",
            "Ask IT to exempt `brightwave.example` links from URL rewriting; that fixed it for our whole "
            "company.",
        ),
        searches=("password reset expired",
                  "reset password link",
                  "token invalid password",
                  "forgot password"),
    ),
    Topic(
        key="missing-emails", category="website", tags=("email", "sign-up"),
        asks=(
            Ask(("Verification email never arrives", "Didn't get the sign-up confirmation email"),
                ("I signed up an hour ago and the verification email still hasn't arrived. It's not in spam "
                 "either.",),
                answer=0,
                tried=(
                    "Checked spam and promotions",
                    "Requested the email again",
                    "Waited an hour",
                )),
            Ask(("Invited {n} colleagues, none of them got the email",
                 "Invite emails not reaching people at our company"),
                ("I invited {n} people from the {workspace} team and none of them got the invite. Invites to "
                 "personal addresses work fine.",),
                answer=1),
        ),
        answers=(
            "Check quarantine, not just spam - corporate filters often hold new senders there. Ask IT to "
            "allow `noreply@brightwave.example`.",
            "You can skip the email: *Admin > Members > Pending invites* has a **Copy invite link** button "
            "you can send over chat.",
            "If your domain uses strict filtering, IT can allow our sending domain `mail.brightwave.example` "
            "- after that invites arrived within seconds for us.",
        ),
        searches=("verification email", "invite email not received", "confirmation email"),
    ),
    Topic(
        key="google-sign-in", category="website", tags=("sign-up", "login", "google-login"),
        asks=(
            Ask(("Two accounts after signing in with Google",
                 "Signed in with Google by mistake - now I have an empty account"),
                ("I've always signed in with email and password. Today I clicked *Sign in with Google* by "
                 "accident and now I seem to have a second, empty account.",),
                answer=1),
            Ask(("Sign in with Google says 'This account is already linked'",
                 "Switch my login from email and password to Google"),
                ("When I try *Sign in with Google* I get *This account is already linked to another user*. "
                 "I'd like to use Google for my normal account.",),
                answer=0),
        ),
        answers=(
            "Sign in the usual way, then *Settings > Account > Sign-in methods > Link Google*. After that "
            "both methods open the same account.",
            "Delete the empty account from its own *Settings > Account* page first, then link Google to your "
            "real account under *Sign-in methods*.",
        ),
        searches=("sign in with google", "google login already linked", "duplicate account google"),
    ),
    Topic(
        key="status-page", category="website", tags=("status", "outages"),
        asks=(
            Ask(("Is there a status page I can subscribe to?", "How do we get notified about outages?"),
                ("Everything was really slow for about an hour this morning and I had no idea whether it was "
                 "us or Brightwave. How do we find out next time?",),
                answer=0, howto=True),
            Ask(("Was there an outage on {weekday}?", "Boards wouldn't load for 20 minutes on {weekday}"),
                ("Our team couldn't load boards for about 20 minutes on {weekday} afternoon. Was something "
                 "down?",),
                answer=1),
            Ask(("Web app very slow this morning - anyone else?", "Is Brightwave down right now?"),
                ("Everything is crawling for me right now - boards take a minute to open. Is it just me?",),
                answer=2),
        ),
        answers=(
            "Yes: `status.brightwave.example` lists every outage and incident. Click **Subscribe** for email "
            "or RSS updates, and you can add it to Slack too.",
            "There was an incident that day - the status page history has the full write-up with timings.",
            "If the status page is green and it's still down for you, it's often your network. Try from your "
            "phone on mobile data to compare.",
        ),
        searches=("status page", "outage", "is brightwave down", "down"),
    ),
    Topic(
        key="change-email", category="website", tags=("account-settings", "email"),
        asks=(
            Ask(("How do I change the email address on my account?",
                 "Changed jobs - move my account to a new email"),
                ("I'm moving to a new job but want to keep my personal Brightwave account. How do I change "
                 "the email on it?",),
                answer=0, howto=True),
            Ask(("Email change confirmation never arrives",),
                ("I changed my email in settings, but the confirmation email never came and the old address "
                 "is still shown.",),
                answer=0),
            Ask(("Our company changed its email domain - update everyone at once?",
                 "Bulk change member emails after a domain change"),
                ("Our company changed domains and every member needs a new login email without losing their "
                 "history. We have {seats} members.",),
                answer=1, howto=True),
        ),
        answers=(
            "*Settings > Account > Email* - you'll get a confirmation at the new address and the change only "
            "happens once you click it. Your history stays. If it doesn't arrive, check quarantine at the "
            "new address.",
            "An admin can do it in bulk from *Admin > Members > Change email domain* without any "
            "confirmations.",
            "If you're signed in via SSO, the email comes from your identity provider and has to be changed "
            "there.",
        ),
        searches=("change email", "update email address"),
    ),
    Topic(
        key="delete-account", category="website", tags=("account-settings", "privacy"),
        asks=(
            Ask(("How do I delete my account and all my data?", "Delete my Brightwave account"),
                ("I don't use Brightwave any more and want my account and data removed completely.",),
                answer=0, howto=True),
            Ask(("Close a workspace I created by mistake", "Delete an extra workspace"),
                ("I created a second workspace by mistake while signing up. How do I get rid of it?",),
                answer=1, howto=True),
            Ask(("Remove my personal data after leaving a company workspace",
                 "What happens to my posts after I leave a workspace?"),
                ("I left my previous employer, and their workspace still shows my name on everything I "
                 "wrote. Can I have that removed?",),
                answer=2),
        ),
        answers=(
            "*Settings > Account > Delete account*. If you're the only admin of a paid workspace you'll be "
            "asked to hand it over or cancel the subscription first.",
            "A workspace can be deleted by its owner from *Admin > Settings > Delete workspace*; it stays "
            "recoverable for 30 days.",
            "Leaving a company workspace doesn't delete what you posted there - that belongs to the company. "
            "Your profile is removed once your account is deleted.",
        ),
        searches=("delete account", "delete workspace", "remove my data"),
    ),
    Topic(
        key="editor-lag", category="website", tags=("editor", "performance", "{browser_tag}"),
        asks=(
            Ask(("Editor lags when typing in long documents in {browser}",
                 "Typing delay in our 40-page handbook doc"),
                ("In our handbook doc (about 40 pages) every keystroke takes half a second to show up in "
                 "{browser}. Short docs are fine.",),
                answer=0,
                tried=("Closed other tabs", "Tried the desktop app", "Restarted {browser}")),
            Ask(("Editor is slow for me but not for colleagues",
                 "Typing delay in docs - only on my computer"),
                ("Typing in any doc lags for me in {browser}, but colleagues with the same docs don't see "
                 "it. I have a few writing assistant extensions installed.",),
                answer=1),
            Ask(("Cursor jumps to the top while editing a doc",
                 "Cursor jumps when someone else edits a table"),
                ("While I'm typing in a shared doc, the cursor sometimes jumps to the top of the page. It "
                 "happens when someone else is editing too.",),
                answer=2),
        ),
        answers=(
            "Long docs lag because every page stays live; they're much faster split into sub-pages - *... > "
            "Turn headings into pages* does it in one go.",
            "Spell-check and grammar extensions re-scan the whole doc on every keystroke. Turn them off for "
            "Brightwave and see if the lag goes away.",
            "Cursor jumps were a bug with simultaneous editing in tables and was fixed last week; reload the "
            "tab to get the fix.",
        ),
        searches=("editor slow typing", "docs lag", "cursor jumps"),
    ),
    Topic(
        key="cookie-banner", category="website", tags=("cookies", "website"),
        asks=(
            Ask(("Cookie banner keeps reappearing on every visit",
                 "Why do I have to accept cookies every time?"),
                ("Every time I open the site I have to click through the cookie banner again.",),
                answer=0),
            Ask(("Cookie settings don't save in {browser}", "'Necessary only' cookie choice is forgotten"),
                ("I choose *Necessary only* in the cookie settings, but they're reset the next time I visit "
                 "in {browser}.",),
                answer=1),
        ),
        answers=(
            "Your choice is stored in a cookie, so if the browser clears cookies on exit the banner comes "
            "back. Add an exception for `brightwave.example`.",
            "Privacy extensions that block cookies cause the same thing - allow the consent cookie for "
            "Brightwave in the extension.",
        ),
        searches=("cookie banner", "cookie settings"),
    ),
    Topic(
        key="profile", category="website", tags=("profile", "account-settings"),
        asks=(
            Ask(("Can't upload a profile picture - 'Unsupported file type'",
                 "Profile photo from my phone won't upload"),
                ("I'm trying to upload a photo from my phone as my profile picture and get *Unsupported file "
                 "type*.",),
                answer=0),
            Ask(("Profile photo looks blurry", "Avatar is pixelated next to my comments"),
                ("My profile photo looks sharp on my computer but blurry next to my comments.",),
                answer=1),
            Ask(("Change my display name", "Display name field is greyed out"),
                ("I'd like to show my full name instead of my email prefix, but the display name field in my "
                 "profile is greyed out.",),
                answer=2),
        ),
        answers=(
            "A profile picture must be JPG, PNG or GIF. Photos straight from a phone are often HEIC - export "
            "it as JPG first.",
            "Upload an avatar of at least 512x512 pixels; smaller images are scaled up and look blurry on "
            "high-resolution screens.",
            "Display name is under *Settings > Profile*. If it's greyed out, it comes from SSO and has to be "
            "changed by your admin.",
        ),
        searches=("profile picture", "avatar upload", "display name"),
    ),
    Topic(
        key="pricing-page", category="website", tags=("pricing", "plans"),
        asks=(
            Ask(("Pricing page and in-app plan comparison don't match",
                 "Does the Business plan include SSO? The pricing page is unclear"),
                ("The pricing page lists SCIM under Business, but the in-app comparison says Enterprise "
                 "only. We're evaluating an upgrade for about {seats} people and need to know which is "
                 "right.",),
                answer=0),
            Ask(("Prices on the website shown in the wrong currency", "Can we see prices in euros?"),
                ("I'm in {country} but the pricing page shows prices in dollars only.",),
                answer=1),
            Ask(("Volume pricing for a large team?", "Quote for more than 100 seats"),
                ("We're a company of about 300 and would roll Brightwave out to everyone. Is there volume "
                 "pricing beyond what the pricing page shows?",),
                answer=2),
        ),
        answers=(
            "The in-app plan comparison is behind: SSO is on Business and Enterprise; SCIM is Enterprise "
            "only. The pricing page was updated last month and the in-app table is catching up.",
            "The pricing page picks the currency and prices from your location; use the currency switch at "
            "the bottom of the page. Invoices can be in USD, EUR or GBP.",
            "For more than 100 seats you can ask sales for a quote from the pricing page; volume pricing "
            "starts there.",
        ),
        searches=("pricing", "plan comparison", "pricing currency", "volume pricing"),
    ),
    Topic(
        key="language", category="website", tags=("localization", "account-settings"),
        asks=(
            Ask(("Language setting resets to English", "Interface keeps switching back to English"),
                ("I set my language to German, but every few days the interface is back in English.",),
                answer=0),
            Ask(("Dates show in US format even though I'm in {country}", "How do I get day/month dates?"),
                ("Dates appear as month/day even though I'm in {country}. I'd like day/month.",),
                answer=1),
            Ask(("Is the web app available in {language}?", "Which languages does Brightwave support?"),
                ("Part of our team would much prefer to use Brightwave in {language}. Is that available, or "
                 "planned?",),
                answer=2),
        ),
        answers=(
            "Language is stored per device unless you save it in *Settings > Profile > Language & region*. "
            "Set it there and it follows you everywhere.",
            "Date format comes from the region, separate from the language. Pick your region in the same "
            "settings page.",
            "Supported languages are listed in that dropdown; new ones are added as translations reach 100%.",
        ),
        searches=("language settings", "date format", "change language"),
    ),
    Topic(
        key="sessions", category="website", tags=("login", "sessions", "{browser_tag}"),
        asks=(
            Ask(("Web app logs me out every few minutes in {browser}",
                 "Logged out several times a day in {browser}"),
                ("In {browser} I get logged out several times an hour and have to sign in again. It doesn't "
                 "happen in other browsers.",),
                answer=0,
                tried=(
                    "Cleared cookies",
                    "Turned off tracking protection for the site",
                    "Updated the browser",
                )),
            Ask(("'Keep me signed in' doesn't work",
                 "Have to sign in every morning despite 'Keep me signed in'"),
                ("I tick *Keep me signed in* but I'm still asked to sign in every morning.",),
                answer=1),
        ),
        answers=(
            "Some browsers limit cookies set after a redirect to 7 days or less, and stricter privacy modes "
            "to 24 hours. Installing Brightwave as an app (*Install* in the address bar) keeps you signed "
            "in.",
            "Admins can set how long a session lasts before it expires under *Admin > Security*; if it's "
            "set, *Keep me signed in* can't go beyond it.",
        ),
        searches=("logged out", "session expires", "keep me signed in"),
    ),
    Topic(
        key="public-links", category="website", tags=("sharing", "public-links"),
        asks=(
            Ask(("Public share link shows 'Page not found' for people outside the workspace",
                 "Client can't open the public link I sent"),
                ("I created a public link for a doc and sent it to a client, but they get *Page not found*. "
                 "It works for me.",),
                answer=0),
            Ask(("Can I password-protect a public link?", "Public link that expires after a week"),
                ("We want to share a project page with a partner but not with the whole internet.",),
                answer=1, howto=True),
        ),
        answers=(
            "It works for you because you're signed in. Check that *Admin > Settings > Allow public links* "
            "is on - when it's off, links show *Page not found* to everyone outside.",
            "Password protection and expiry dates for public links are on Business and Enterprise, under the "
            "link's settings.",
        ),
        searches=("public link", "share link not working", "share page outside workspace"),
    ),
)
