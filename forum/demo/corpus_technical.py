"""Demo topics for the Technical category: desktop and mobile apps, SSO, API, webhooks."""

from __future__ import annotations

from forum.demo.corpus_text import Topic

TECHNICAL_TOPICS: tuple[Topic, ...] = (
    Topic(
        key="desktop-crash",
        category="technical",
        tags=("desktop-app", "crash", "{os_tag}"),
        titles=(
            "Desktop app crashes on startup after {version_short} update",
            "Brightwave desktop {version} closes immediately on {os}",
            "App won't launch on {os} since updating to {version}",
            "Desktop app crash loop after auto-update to {version}",
        ),
        problems=(
            "Since the desktop app updated itself to {version} it shows the splash screen for "
            "a second and then quits. I'm on {os}; the web app works fine in the browser.",
            "After this morning's auto-update (now on {version}) Brightwave won't open at all on "
            "my {os} machine. Two other people on our team have the same problem.",
        ),
        tried=(
            "Reinstalled the app from the downloads page",
            "Restarted the computer",
            "Deleted the `Cache` folder",
            "Signed out of all other sessions from the web app",
        ),
        snippet=(
            "```\n[{log_time}] INFO  main: starting Brightwave {version}\n"
            "[{log_time}] ERROR renderer: failed to restore window state\n"
            "TypeError: Cannot read properties of undefined (reading 'bounds')\n"
            "    at restoreWindow (main.js:1184:27)\n"
            "[{log_time}] FATAL main: renderer process gone (reason: crashed, exitCode: 133)\n```"
        ),
        answers=(
            "This is usually a corrupted window-state file left over from the previous "
            "version. Quit the app completely, then:\n\n"
            "1. Open the app data folder (`~/Library/Application Support/Brightwave` on macOS, "
            "`%APPDATA%\\Brightwave` on Windows).\n"
            "2. Delete `window-state.json` - only that file, your data lives in the cloud.\n"
            "3. Start the app again.\n\nIt recreates the file on launch. Fixed it for me on two "
            "machines.",
            "{version} has a known crash when the window was last closed on a monitor that is "
            "no longer connected. Plug the second screen back in and it opens; the next patch "
            "release fixes it for good.",
            "If you need to work right now, the web app has everything the desktop app does. "
            "You can also install the previous build ({prev_version}) from *Settings > Desktop "
            "app > Previous versions* and turn off auto-update until the fix ships.",
        ),
        searches=(
            "desktop app crash",
            "app crashes on startup",
            "desktop app won't open after update",
            "crash after update",
            "brightwave desktop not launching",
        ),
    ),
    Topic(
        key="sso-loop",
        category="technical",
        tags=("sso", "login", "{idp_tag}"),
        titles=(
            "SSO login loops back to the sign-in page",
            "{idp} SSO keeps redirecting to the Brightwave login screen",
            "Single sign-on redirect loop after switching to {idp}",
            "SSO login loop only in {browser}",
            "sso_state_mismatch error when signing in with {idp}",
        ),
        problems=(
            "When anyone on our team clicks *Sign in with SSO* they authenticate with {idp} "
            "fine, land back on Brightwave for a second, and end up on the sign-in page again. "
            "We're on the {sso_plan} plan and this worked until yesterday.",
            "Our {idp} SSO setup passes *Test connection* in the admin panel, but real logins "
            "bounce between {idp} and the Brightwave sign-in page a few times and then stop. "
            "It happens in {browser} and in the desktop app.",
        ),
        tried=(
            "Cleared cookies for Brightwave",
            "Tried a private window",
            "Downloaded the IdP metadata again and re-uploaded it",
            "Checked that the user is assigned to the app in {idp}",
        ),
        snippet=(
            "```\nPOST /sso/saml/acs 302 -> /login?error=sso_state_mismatch\n"
            "RelayState: (missing)\nrequest_id: {request_id}\n```"
        ),
        answers=(
            "`sso_state_mismatch` means the SAML response came back without the RelayState the "
            "login started with. In {idp}, open the Brightwave app and check that **Default "
            "RelayState** is empty - if it's set to a URL, the state gets overwritten. Save, "
            "wait a minute, and try again in a fresh private window.",
            "Check the ACS URL. It must be exactly the one shown under *Admin > Security > SSO*, "
            "including the trailing `/acs`. We had `http` instead of `https` after copying it by "
            "hand and got the same loop.",
            "Browsers that block third-party cookies can cause this when sign-in starts from the "
            "{idp} dashboard tile. Start from the Brightwave sign-in page instead, or enable "
            "*IdP-initiated login* in the SSO settings.",
        ),
        searches=(
            "sso login loop",
            "sso redirect loop",
            "saml sign in loop",
            "single sign-on not working",
            "sso_state_mismatch",
            "sso",
        ),
    ),
    Topic(
        key="scim-duplicates",
        category="technical",
        tags=("scim", "sso", "provisioning"),
        titles=(
            "SCIM provisioning creates duplicate users from {idp}",
            "Users provisioned twice after enabling SCIM",
            "SCIM sync with {idp} fails with 409 'userName already exists'",
            "Existing members not matched when SCIM is turned on",
        ),
        problems=(
            "We turned on SCIM provisioning with {idp} last week. Everyone who had signed up "
            "before got a second account, so now {n} people appear twice in the member list "
            "and our seat count went up.",
            "Provisioning from {idp} works for new hires but fails for existing members. The "
            "provisioning log in {idp} shows a 409 for each of them.",
        ),
        tried=(
            "Re-ran the initial sync",
            "Checked that the email addresses match",
            "Removed and re-added one test user",
        ),
        snippet=(
            '```json\n{{\n  "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],\n'
            '  "status": "409",\n  "detail": "userName already exists"\n}}\n```'
        ),
        answers=(
            "SCIM matches existing members by `userName`, and the match is case-sensitive. If "
            "{idp} sends `Jane.Doe@company.com` and the member signed up as "
            "`jane.doe@company.com`, you get a duplicate or a 409. Map `userName` to the "
            "lowercased email in {idp} and run the sync again.",
            "To clean up the duplicates: in *Admin > Members* filter by *Provisioned by SCIM* "
            "and use **Merge into...** on each duplicate, picking the original account. Merging "
            "keeps the content of both and frees the seat on the next invoice.",
            "Seats added by duplicates are prorated, so after merging ask support for a credit "
            "from the billing page - they did it for us within a day.",
        ),
        searches=(
            "scim duplicate users",
            "scim provisioning",
            "userName already exists",
            "provisioning duplicate accounts",
            "scim",
        ),
    ),
    Topic(
        key="api-401",
        category="technical",
        tags=("api", "authentication"),
        titles=(
            "API returns 401 even with a valid token",
            "Getting 401 Unauthorized from /v2/tasks with a new API token",
            "Personal access token stopped working - 401 on every request",
            "API token works in the explorer but not in my script",
        ),
        problems=(
            "I created a personal access token under *Settings > API* and I'm calling the REST "
            "API from a script, but every request comes back 401. The same token works in the "
            "API explorer.",
            "Our integration has worked for months and since {weekday} every call returns "
            "`401 Unauthorized`. Nobody rotated the token.",
        ),
        snippet=(
            "```bash\ncurl -s https://api.brightwave.example/v2/tasks \\\n"
            '  -H "Authorization: $BW_TOKEN"\n\n'
            '{{"error": "unauthorized", "message": "missing or malformed token"}}\n```'
        ),
        answers=(
            "The header needs the `Bearer` prefix: `Authorization: Bearer $BW_TOKEN`. The API "
            "explorer adds it for you, which is why it works there.",
            "Tokens inherit the access of the member who created them. If that person was "
            "removed from the workspace or lost admin rights, the token returns 401 from then "
            "on. Create a service account token under *Admin > API* so the integration doesn't "
            "depend on one person.",
            "Also check for a trailing newline if you read the token from a file - "
            "`tr -d '\\n' < token.txt` - that one cost me an afternoon.",
        ),
        searches=(
            "api 401",
            "api token unauthorized",
            "personal access token",
            "bearer token api",
            "api authentication",
        ),
    ),
    Topic(
        key="api-rate-limit",
        category="technical",
        tags=("api", "rate-limits"),
        titles=(
            "Getting 429 Too Many Requests from the tasks endpoint",
            "What are the API rate limits on the {plan} plan?",
            "Nightly sync of {big_count} tasks hits the API rate limit",
            "Retry-After header on 429 responses - seconds or a date?",
        ),
        problems=(
            "We sync tasks from our internal tool with a script that updates about {big_count} "
            "tasks every night, and after a minute or so every request gets `429 Too Many "
            "Requests`.",
            "I'm building a small reporting tool on top of the API and keep hitting 429s. I "
            "couldn't find the actual limits for the {plan} plan anywhere.",
        ),
        snippet=(
            "```\nHTTP/1.1 429 Too Many Requests\nRetry-After: 30\nX-RateLimit-Limit: 100\n"
            "X-RateLimit-Remaining: 0\n```"
        ),
        answers=(
            "The limit is per token: 100 requests per minute on Team, 600 on Business and "
            "Enterprise. `Retry-After` is in seconds - sleep that long before retrying, don't "
            "retry immediately.",
            "For nightly syncs use the bulk endpoint: `PATCH /v2/tasks/bulk` takes up to 100 "
            "tasks per call, so {big_count} tasks become a few dozen requests instead of "
            "thousands.",
            "We wrap our client in exponential backoff (1s, 2s, 4s... capped at 60s) and haven't "
            "had a failed run since.",
        ),
        searches=(
            "api rate limit",
            "429 too many requests",
            "rate limits",
            "bulk update api",
        ),
    ),
    Topic(
        key="webhook-signature",
        category="technical",
        tags=("webhooks", "api"),
        titles=(
            "Webhook signature verification fails",
            "X-Brightwave-Signature never matches my HMAC",
            "Webhooks stopped arriving after changing the endpoint URL",
            "task.updated webhook rejected because the signature check fails",
        ),
        problems=(
            "I'm verifying webhook payloads with the signing secret from *Admin > Webhooks*, "
            "but my computed HMAC never matches the `X-Brightwave-Signature` header.",
            "We receive `task.updated` events, but every signature check fails, so our handler "
            "rejects all of them. The secret was copied straight from the admin page.",
        ),
        snippet=(
            "```python\nexpected = hmac.new(secret.encode(), json.dumps(payload).encode(), "
            "hashlib.sha256).hexdigest()\n"
            'if not hmac.compare_digest(expected, request.headers["X-Brightwave-Signature"]):\n'
            "    abort(401)\n```"
        ),
        answers=(
            "Sign the raw request body, not a re-serialized version. `json.dumps(payload)` "
            "changes spacing and key order, so the bytes differ from what was signed. In Flask "
            "use `request.get_data()` and compute the HMAC over that.",
            "The header value is prefixed: `sha256=<hex>`. Strip the `sha256=` part before comparing.",
            "If deliveries stopped entirely, look at *Admin > Webhooks > Deliveries*: after 20 "
            "failed attempts in a row an endpoint is paused and needs the **Resume** button.",
        ),
        searches=(
            "webhook signature",
            "webhook hmac",
            "webhooks not arriving",
            "verify webhook",
        ),
    ),
    Topic(
        key="desktop-cpu",
        category="technical",
        tags=("desktop-app", "performance", "{os_tag}"),
        titles=(
            "Desktop app uses 100% CPU while idle on {os}",
            "Brightwave desktop {version} drains my battery",
            "High memory use in the desktop app after a few hours",
            "Fans spin up as soon as the desktop app is open ({os})",
        ),
        problems=(
            "The desktop app ({version}) sits at 90-100% CPU on {os} even when I'm not touching "
            "it. Fans spin up within a few minutes of opening it.",
            "After a few hours the desktop app uses over 3 GB of memory and everything gets "
            "sluggish. Restarting it helps for a while. I'm on {version}, {os}.",
        ),
        tried=(
            "Turned off hardware acceleration",
            "Closed all but one workspace",
            "Reinstalled the app",
        ),
        answers=(
            "Open *View > Developer > Performance monitor*. If the top process is `sync`, it's "
            "usually one huge board with live updates on. Archiving old cards or switching that "
            "board to list view brought ours down to 2-3% CPU.",
            "Turning off *Settings > Advanced > Use GPU acceleration* helped on {os} for me - "
            "restart the app after changing it.",
            "{version} had a memory leak with animated GIFs in comments; the patch release "
            "fixed it. Check *Help > Check for updates*.",
        ),
        searches=(
            "desktop app high cpu",
            "cpu usage",
            "battery drain desktop",
            "memory leak desktop app",
        ),
    ),
    Topic(
        key="upload-fails",
        category="technical",
        tags=("uploads", "attachments"),
        titles=(
            "File uploads over {size} fail with 'Network error'",
            "Attachments stuck at 99% when uploading",
            "Can't attach files larger than {size} in the desktop app",
            "Uploads fail in {browser} but work on my phone",
        ),
        problems=(
            "Uploading anything bigger than about {size} fails with *Network error - try "
            "again*. Small files are fine. We're on {plan} and the plan page says the limit is "
            "much higher.",
            "Attachments get to 99% and then sit there forever. It happens in {browser} and in "
            "the desktop app, for {size} video files mostly.",
        ),
        tried=(
            "Tried a different network",
            "Tried {browser} and the desktop app",
            "Renamed the file to remove special characters",
        ),
        answers=(
            "Per-file limits are 100 MB on Free, 2 GB on Team and 5 GB on Business and "
            "Enterprise. Uploads through a VPN or proxy that inspects traffic often cut off "
            "much earlier - try once from outside the VPN to confirm.",
            "Large files use resumable uploads; if a browser extension blocks "
            "`upload.brightwave.example` the upload stalls at 99%. Disable ad and privacy "
            "blockers for Brightwave and try again.",
            "For really big files, link them from Google Drive instead: the Drive integration "
            "shows a preview and doesn't count toward your storage.",
        ),
        searches=(
            "upload fails",
            "file upload network error",
            "attachment size limit",
            "upload stuck 99",
        ),
    ),
    Topic(
        key="corporate-proxy",
        category="technical",
        tags=("desktop-app", "network"),
        titles=(
            "Desktop app can't connect behind a corporate proxy",
            "Which domains need to be allowed through our firewall?",
            "Desktop app stuck on 'Connecting...' on the office network",
            "Real-time updates don't work behind our firewall",
        ),
        problems=(
            "On our office network the desktop app stays on *Connecting...* forever; at home "
            "it's fine. IT uses an authenticating proxy and wants a list of hosts to allow.",
            "Comments and task changes only show up after a manual refresh when people are in "
            "the office. IT says nothing is blocked, but I suspect the firewall.",
        ),
        answers=(
            "The apps need `*.brightwave.example` on port 443 plus WebSockets to "
            "`rt.brightwave.example`. Most 'Connecting...' hangs are the proxy blocking the "
            "WebSocket upgrade - ask IT to allow it or exempt that host from TLS inspection.",
            "The desktop app follows the system proxy settings. If the proxy needs "
            "authentication, set it under *Help > Network settings* and the app will prompt "
            "for credentials once.",
            "Missing real-time updates are the same WebSocket problem. The web app falls back "
            "to polling every 30 seconds, which is why a refresh seems to fix it.",
        ),
        searches=(
            "proxy",
            "firewall domains",
            "desktop app connecting",
            "websocket blocked",
            "network requirements",
        ),
    ),
    Topic(
        key="mobile-login",
        category="technical",
        tags=("mobile-app", "login", "{mobile_tag}"),
        titles=(
            "{mobile_os} app stuck on 'Signing you in...'",
            "Mobile app logs me out every day",
            "Can't sign in to the mobile app with SSO",
            "Mobile app {mobile_version} won't accept my password",
        ),
        problems=(
            "On my {device} ({mobile_os}, app {mobile_version}) signing in spins on *Signing "
            "you in...* forever. The same account works on desktop.",
            "The mobile app on my {device} asks me to sign in again every single morning. Is "
            "there a setting to stay signed in?",
        ),
        answers=(
            "If your workspace uses SSO, the mobile app opens the sign-in page in the system "
            "browser and needs the redirect to come back to the app. Make sure links for "
            "Brightwave are allowed to open in the app, otherwise the redirect never returns.",
            "Force-quit the app, clear its data (Android) or reinstall it (iOS), then sign in "
            "again. Sessions started before {mobile_version} were sometimes left half-finished.",
            "Daily sign-outs come from the session policy: admins set it under *Admin > "
            "Security > Session length*. Ours was set to 24 hours for mobile.",
        ),
        searches=(
            "mobile app login",
            "android sign in",
            "iphone app logs out",
            "mobile sso",
        ),
    ),
    Topic(
        key="slow-boards",
        category="technical",
        tags=("performance", "boards"),
        titles=(
            "Boards with {big_count}+ cards load very slowly",
            "Project view takes 20 seconds to open",
            "Timeline view freezes {browser}",
            "Scrolling a large board is really laggy",
        ),
        problems=(
            "Our support board has about {big_count} cards and opening it takes 15-20 seconds "
            "in {browser}. Smaller boards open instantly.",
            "The timeline view freezes the tab for several seconds every time I drag a task. "
            "The project has {big_count} tasks across {n} sections.",
        ),
        answers=(
            "Archive done cards - boards load every card that isn't archived. *Board menu > "
            "Archive cards done more than 30 days ago* took ours from {big_count} cards to 300 "
            "and it opens in under two seconds.",
            "Filters are saved per view, so create a view with *Status is not Done* and make it "
            "the default for the team.",
            "Formula fields are computed on load. Moving them to a separate view made our big "
            "board noticeably faster.",
        ),
        searches=(
            "slow board",
            "board loading slow",
            "performance large project",
            "timeline freezes",
        ),
    ),
    Topic(
        key="two-step-login",
        category="technical",
        tags=("2fa", "account-security"),
        titles=(
            "Lost my phone and can't get past 2FA",
            "2FA codes always say 'Invalid code'",
            "How do admins reset 2FA for a member?",
            "Where are my 2FA recovery codes?",
        ),
        problems=(
            "I got a new phone and didn't move my authenticator app over, so I can't sign in. "
            "I don't have the recovery codes saved anywhere.",
            "Every code from my authenticator app is rejected with *Invalid code*, even right "
            "after it refreshes.",
        ),
        answers=(
            "*Invalid code* right after a refresh is almost always the phone's clock. Turn on "
            "automatic date and time on the phone; codes are only valid for 30 seconds.",
            "A workspace admin can reset it: *Admin > Members > (member) > Security > Reset 2FA*. "
            "You'll set it up again at your next sign-in.",
            "If you're the only admin, support can reset it after verifying ownership - use the "
            "*Can't sign in?* link under the code box. They'll ask for something only the "
            "account owner knows, like the last four digits of the card on file.",
        ),
        searches=("2fa lost phone", "reset 2fa", "invalid code authenticator", "recovery codes"),
    ),
    Topic(
        key="keyboard-shortcuts",
        category="technical",
        tags=("keyboard-shortcuts", "desktop-app"),
        titles=(
            "Keyboard shortcuts don't work with a {layout} keyboard layout",
            "Quick switcher shortcut does nothing on {os}",
            "Can I change the keyboard shortcuts?",
        ),
        problems=(
            "With a {layout} keyboard layout most shortcuts do nothing, for example `Ctrl+/` "
            "for the shortcut list. Switching the OS to a US layout makes them work.",
            "`Cmd+K` / `Ctrl+K` used to open the quick switcher and now does nothing in the "
            "desktop app on {os}.",
        ),
        answers=(
            "Shortcuts are matched on the physical key by default. Turn on *Settings > "
            "Preferences > Match shortcuts to my keyboard layout*, restart, and `/` will be "
            "wherever your layout puts it.",
            "You can remap any shortcut in *Settings > Keyboard shortcuts*; I moved the "
            "shortcut list to `Ctrl+Shift+H`.",
            "Another app may have grabbed the shortcut globally. Quit other apps one by one "
            "until `Ctrl+K` works again.",
        ),
        searches=(
            "keyboard shortcuts not working",
            "shortcuts keyboard layout",
            "quick switcher",
        ),
    ),
    Topic(
        key="api-pagination",
        category="technical",
        tags=("api", "pagination"),
        titles=(
            "API pagination returns the same page twice",
            "next_cursor missing when listing comments",
            "How do I list all tasks in a project via the API?",
        ),
        problems=(
            "I'm paging through `GET /v2/projects/:id/tasks` with `page=2`, `page=3`... but "
            "every response contains the same first 50 tasks.",
            "Listing comments works, but the last page has no `next_cursor` field at all and "
            "my loop crashes with a `KeyError`.",
        ),
        snippet=(
            "```python\ncursor = None\nwhile True:\n"
            '    data = session.get(url, params={{"cursor": cursor}}).json()\n'
            '    tasks.extend(data["items"])\n    cursor = data["next_cursor"]\n```'
        ),
        answers=(
            "Pass the `next_cursor` from each response as `cursor`, not `page`. `page` is "
            "ignored on cursor-paginated endpoints, so you get the first page every time.",
            "When `has_more` is false the `next_cursor` field is left out rather than set to "
            'null. Loop on `has_more` and use `data.get("next_cursor")`.',
        ),
        searches=("api pagination", "next_cursor", "list all tasks api", "api cursor"),
    ),
)
