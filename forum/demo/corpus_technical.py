"""Demo topics for the Technical category, part one: the desktop and mobile apps."""

from __future__ import annotations

from forum.demo.corpus_text import Ask, Topic

# Hand-wrapped phrase banks: one ask per block reads better than the formatter's layout.
# fmt: off
_CRASH_TRIED = (
    "Reinstalled the app from the downloads page", "Restarted the computer", "Deleted the `Cache` folder",
    "Signed out of all other sessions from the web app",
)
_CRASH_LOG = (
    "```\n[{log_time}] INFO  main: starting Brightwave {version}\n"
    "[{log_time}] ERROR renderer: failed to restore window state\n"
    "TypeError: Cannot read properties of undefined (reading 'bounds')\n"
    "    at restoreWindow (main.js:1184:27)\n[{log_time}] FATAL main: renderer process gone (reason: "
    "crashed, exitCode: 133)\n```"
)
_UPLOAD_TRIED = (
    "Tried a different network",
    "Tried {browser} and the desktop app",
    "Renamed the file to remove special characters",
)

TECHNICAL_TOPICS: tuple[Topic, ...] = (
    Topic(
        key="desktop-crash", category="technical", tags=("desktop-app", "crash", "{os_tag}"),
        asks=(
            Ask(("Desktop app crashes on startup after {version_short} update",
                 "Brightwave desktop {version} closes immediately on {os}",
                 "App won't launch on {os} since updating to {version}",
                 "Desktop app crash loop after auto-update to {version}"),
                ("Since the desktop app updated itself to {version} it shows the splash screen for a second "
                 "and then quits. I'm on {os}; the web app works fine in the browser.",
                 "After this morning's auto-update (now on {version}) Brightwave won't open at all on my "
                 "{os} machine. Two other people on our team have the same problem."),
                answer=0, tried=_CRASH_TRIED, snippet=_CRASH_LOG),
            Ask(("Desktop app only crashes when my external monitor is unplugged",
                 "Desktop {version} won't open on my laptop screen"),
                ("The desktop app ({version}, {os}) opens fine at my desk, but on the laptop screen alone it "
                 "crashes straight away. Plugging the monitor back in makes it work again.",),
                answer=1, snippet=_CRASH_LOG),
            Ask(("Can I roll back the desktop app to {prev_version}?",
                 "How do I turn off auto-update in the desktop app?"),
                ("{version} crashes for a few of us on {os} and we have a deadline this week. Is there a way "
                 "to go back to {prev_version} and stop the app from updating itself until it's fixed?",),
                answer=2, howto=True),
        ),
        answers=(
            "This is usually a corrupted window-state file left over from the previous version. Quit the app "
            "completely, then:\n\n1. Open the app data folder (`~/Library/Application Support/Brightwave` on "
            "macOS, `%APPDATA%\\Brightwave` on Windows).\n2. Delete `window-state.json` - only that file, "
            "your data lives in the cloud.\n3. Start the app again.\n\nIt recreates the file on launch. "
            "Fixed it for me on two machines.",
            "{version} has a known crash when the window was last closed on a monitor that is no longer "
            "connected. Plug the second screen back in and it opens; the next patch release fixes it for "
            "good.",
            "If you need to work right now, the web app has everything the desktop app does. You can also "
            "install the previous build ({prev_version}) from *Settings > Desktop app > Previous versions* "
            "and turn off auto-update there until the fix ships.",
        ),
        searches=("desktop app crash", "app crashes on startup", "desktop app won't open after update",
                  "crash after update", "brightwave desktop won't launch", "roll back desktop app"),
    ),
    Topic(
        key="desktop-cpu", category="technical", tags=("desktop-app", "performance", "{os_tag}"),
        asks=(
            Ask(("Desktop app uses 100% CPU while idle on {os}",
                 "Fans spin up as soon as the desktop app is open ({os})"),
                ("The desktop app ({version}) sits at 90-100% CPU on {os} even when I'm not touching it. "
                 "Fans spin up within a few minutes of opening it.",),
                answer=0, tried=("Turned off hardware acceleration", "Closed all but one workspace",
                                 "Reinstalled the app")),
            Ask(("High memory use in the desktop app after a few hours",
                 "Brightwave desktop {version} drains my battery"),
                ("After a few hours the desktop app uses over 3 GB of memory and everything gets sluggish. "
                 "Restarting it helps for a while. I'm on {version}, {os}.",
                 "My laptop battery drains about twice as fast when the desktop app ({version}) is open, "
                 "even minimized. {os}."),
                answer=2),
        ),
        answers=(
            "Open *View > Developer > Performance monitor*. If the top process is `sync`, it's usually one "
            "huge board with live updates on. Archiving old cards or switching that board to list view "
            "brought ours down to 2-3% CPU.",
            "Turning off *Settings > Advanced > Use GPU acceleration* helped on {os} for me - restart the "
            "app after changing it.",
            "{version} had a memory leak with animated GIFs in comments; the patch release fixed it. Check "
            "*Help > Check for updates*.",
        ),
        searches=("desktop app high cpu", "high cpu", "desktop app battery", "memory leak desktop app"),
    ),
    Topic(
        key="uploads", category="technical", tags=("uploads", "attachments"),
        asks=(
            Ask(("File uploads over {size} fail with 'Network error'",
                 "Can't attach files larger than {size} in the desktop app"),
                ("Uploading anything bigger than about {size} fails with *Network error - try again*. Small "
                 "files are fine. We're on {plan} and the plan page says the limit is much higher.",),
                answer=0, tried=_UPLOAD_TRIED,
                snippet="```\nPOST https://upload.brightwave.example/v1/files net::ERR_CONNECTION_RESET\n"
                        "```"),
            Ask(("Attachments stuck at 99% when uploading", "Uploads fail in {browser} but work on my phone"),
                ("Attachments get to 99% and then sit there forever in {browser}. The same files upload fine "
                 "from the mobile app.",),
                answer=1, tried=_UPLOAD_TRIED),
        ),
        answers=(
            "The attachment size limit per file is 100 MB on Free, 2 GB on Team and 5 GB on Business and "
            "Enterprise. Uploads through a VPN or proxy that inspects traffic often cut off much earlier - "
            "try once from outside the VPN to confirm.",
            "Large files use resumable uploads; if a browser extension blocks `upload.brightwave.example` "
            "the upload stalls at 99%. Disable ad and privacy blockers for Brightwave and try again.",
            "For really big files, link them from Google Drive instead: the Drive integration shows a "
            "preview and doesn't count toward your storage.",
        ),
        searches=("upload fails", "file upload network error", "attachment size limit", "upload stuck 99"),
    ),
    Topic(
        key="proxy", category="technical", tags=("desktop-app", "network"),
        asks=(
            Ask(("Desktop app can't connect behind a corporate proxy",
                 "Which domains need to be allowed through our firewall?",
                 "Desktop app stuck on 'Connecting...' on the office network"),
                ("On our office network the desktop app stays on *Connecting...* forever; at home it's fine. "
                 "IT uses an authenticating proxy and wants a list of hosts to allow.",),
                answer=0,
                snippet="```\n[{log_time}] WARN  net: websocket to wss://rt.brightwave.example failed: 407 "
                        "Proxy Authentication Required\n[{log_time}] INFO  net: retrying in 30s\n```"),
            Ask(("Real-time updates don't work behind our firewall",
                 "Comments only appear after refreshing the page"),
                ("Comments and task changes only show up after a manual refresh when people are in the "
                 "office. IT says nothing is blocked, but I suspect the firewall.",),
                answer=2),
        ),
        answers=(
            "Network requirements: the apps need `*.brightwave.example` on port 443 plus WebSockets to "
            "`rt.brightwave.example`. Most 'Connecting...' hangs are the proxy blocking the WebSocket "
            "upgrade - ask IT to allow it or exempt that host from TLS inspection.",
            "The desktop app follows the system proxy settings. If the proxy needs authentication, set it "
            "under *Help > Network settings* and the app will prompt for credentials once.",
            "Missing real-time updates are the same WebSocket problem. The web app falls back to polling "
            "every 30 seconds, which is why a refresh seems to fix it.",
        ),
        searches=("proxy", "firewall domains", "desktop app connecting", "websocket blocked",
                  "network requirements"),
    ),
    Topic(
        key="mobile-login", category="technical", tags=("mobile-app", "login", "{mobile_tag}"),
        asks=(
            Ask(("{mobile_os} app stuck on 'Signing you in...'", "Can't sign in to the mobile app with SSO"),
                ("On my {device} ({mobile_os}, app {mobile_version}) signing in spins on *Signing you in...* "
                 "forever. Our workspace uses SSO, and the same account works on desktop.",),
                answer=0,
                tried=(
                    "Reinstalled the app",
                    "Restarted my phone",
                    "Signed in on the web to check the account works",
                )),
            Ask(("Mobile app logs me out every day", "Have to sign in to the {mobile_os} app every morning"),
                ("The mobile app on my {device} asks me to sign in again every single morning. Is there a "
                 "setting to stay signed in?",),
                answer=2),
            Ask(("Mobile app {mobile_version} won't accept my password",
                 "Mobile app says 'Something went wrong' after sign-in"),
                ("Since updating the app to {mobile_version} on my {device}, signing in with my password "
                 "ends with *Something went wrong*. The password is right - it works on the web.",),
                answer=1, snippet="```\nSomething went wrong (AUTH-1012)\nRequest ID: {request_id}\n```"),
        ),
        answers=(
            "With SSO the mobile app opens the sign-in page in the system browser and needs the redirect to "
            "come back to the app. Make sure Brightwave links are allowed to open in the app, otherwise the "
            "redirect never returns.",
            "Force-quit the app, clear its data (Android) or reinstall it (iOS), then sign in again. "
            "Sessions started before {mobile_version} were sometimes left half-finished.",
            "If the app logs you out every day, that comes from the session policy: admins set it under "
            "*Admin > Security > Session length*. Ours was set to 24 hours for mobile.",
        ),
        searches=("mobile app login", "android sign in", "mobile app logs out", "mobile sso"),
    ),
    Topic(
        key="slow-boards", category="technical", tags=("performance", "boards"),
        asks=(
            Ask(("Boards with {big_count}+ cards load very slowly", "Project view takes 20 seconds to open",
                 "Scrolling a large board is really laggy"),
                ("Our support board has about {big_count} cards and opening it takes 15-20 seconds in "
                 "{browser}. Smaller boards open instantly.",),
                answer=0,
                tried=(
                    "Cleared the browser cache",
                    "Tried the desktop app",
                    "Closed all other tabs",
                )),
            Ask(("Timeline view freezes in {browser}", "Board with lots of formula fields is slow"),
                ("We use {n} formula fields on our main board and it has become very slow to open and scroll "
                 "since we added the last two. The timeline view freezes the tab for seconds.",),
                answer=2),
        ),
        answers=(
            "Archive done cards - boards load every card that isn't archived. *Board menu > Archive cards "
            "done more than 30 days ago* took ours from {big_count} cards to 300 and it opens in under two "
            "seconds.",
            "Filters are saved per view, so create a view with *Status is not Done* and make it the default "
            "for the team.",
            "Formula fields are computed on load. Moving them to a separate view made our big board "
            "noticeably faster.",
        ),
        searches=("slow board", "board loading slow", "performance large project", "timeline freezes"),
    ),
    Topic(
        key="two-step", category="technical", tags=("2fa", "account-security"),
        asks=(
            Ask(("Lost my phone and can't get past 2FA", "New phone, no recovery codes - locked out"),
                ("I got a new phone and didn't move my authenticator app over, so I can't sign in. I don't "
                 "have the recovery codes saved anywhere.",),
                answer=1),
            Ask(("2FA codes always say 'Invalid code'", "Authenticator codes rejected on sign-in"),
                ("Every code from my authenticator app is rejected with *Invalid code*, even right after it "
                 "refreshes.",),
                answer=0),
            Ask(("How do admins reset 2FA for a member?", "Reset 2FA for a colleague who is locked out"),
                ("A colleague lost access to her authenticator app and is locked out. I'm an admin - can I "
                 "reset her 2FA, and where?",),
                answer=1, howto=True),
        ),
        answers=(
            "*Invalid code* right after a refresh is almost always the phone's clock. Turn on automatic date "
            "and time on the phone; codes are only valid for 30 seconds.",
            "A workspace admin can reset it: *Admin > Members > (member) > Security > Reset 2FA*. You'll set "
            "it up again at your next sign-in.",
            "If you're the only admin, support can reset it after verifying ownership - use the *Can't sign "
            "in?* link under the code box. They'll ask for something only the account owner knows, like the "
            "last four digits of the card on file.",
        ),
        searches=("2fa lost phone", "reset 2fa", "invalid code authenticator", "recovery codes"),
    ),
    Topic(
        key="shortcuts", category="technical", tags=("keyboard-shortcuts", "desktop-app"),
        asks=(
            Ask(("Keyboard shortcuts don't work with a {layout} keyboard layout",
                 "Shortcut list (Ctrl+/) does nothing on a {layout} keyboard"),
                ("With a {layout} keyboard layout most shortcuts do nothing, for example `Ctrl+/` for the "
                 "shortcut list. Switching the OS to a US layout makes them work.",),
                answer=0),
            Ask(("Quick switcher shortcut does nothing on {os}", "Ctrl+K stopped opening the quick switcher"),
                ("`Cmd+K` / `Ctrl+K` used to open the quick switcher and now does nothing in the desktop app "
                 "on {os}.",),
                answer=2),
            Ask(("Can I change the keyboard shortcuts?", "Remap a shortcut that clashes with another app"),
                ("`Ctrl+Shift+L` in Brightwave clashes with a shortcut I use all day in another app. Can I "
                 "change Brightwave's shortcuts?",),
                answer=1, howto=True),
        ),
        answers=(
            "Shortcuts are matched on the physical key by default. Turn on *Settings > Preferences > Match "
            "shortcuts to my keyboard layout*, restart, and `/` will be wherever your layout puts it.",
            "You can remap any shortcut in *Settings > Keyboard shortcuts*; I moved the shortcut list to "
            "`Ctrl+Shift+H`.",
            "Another app may have grabbed the shortcut globally. Quit other apps one by one until `Ctrl+K` "
            "works again - for me it was a clipboard manager.",
        ),
        searches=("keyboard shortcuts not working", "shortcuts keyboard layout", "quick switcher"),
    ),
)
