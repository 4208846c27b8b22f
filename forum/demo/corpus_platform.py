"""Demo topics for the Technical category, part two: SSO, SCIM, the API and webhooks."""

from __future__ import annotations

from forum.demo.corpus_text import Ask, Topic

# Hand-wrapped phrase banks: one ask per block reads better than the formatter's layout.
# fmt: off
_SSO_TRIED = (
    "Cleared cookies for Brightwave",
    "Tried a private window",
    "Downloaded the IdP metadata again and re-uploaded it",
    "Checked that the user is assigned to the app in {idp}",
)
_RATE_LIMIT_LOG = (
    "```\nHTTP/1.1 429 Too Many Requests\nRetry-After: 30\nX-RateLimit-Limit: 100\nX-RateLimit-Remaining: 0\n"
    "```"
)

PLATFORM_TOPICS: tuple[Topic, ...] = (
    Topic(
        key="sso-loop", category="technical", tags=("sso", "login", "{idp_tag}"),
        asks=(
            Ask(("SSO login loops back to the sign-in page",
                 "{idp} SSO keeps redirecting to the Brightwave login screen",
                 "sso_state_mismatch error when signing in with {idp}"),
                ("When anyone on our team clicks *Sign in with SSO* they authenticate with {idp} fine, land "
                 "back on Brightwave for a second, and end up on the sign-in page again. We're on the "
                 "{sso_plan} plan and this worked until yesterday.",
                 "Our {idp} SSO setup passes *Test connection* in the admin panel, but real logins bounce "
                 "between {idp} and the Brightwave sign-in page a few times and then stop."),
                answer=0, tried=_SSO_TRIED,
                snippet="```\nPOST /sso/saml/acs 302 -> /login?error=sso_state_mismatch\n"
                        "RelayState: (missing)\nrequest_id: {request_id}\n```"),
            Ask(("Single sign-on redirect loop after switching to {idp}",
                 "SSO broke after we moved our identity provider to {idp}"),
                ("We moved our SSO to {idp} this week. I copied the settings over by hand, and now every "
                 "login goes to {idp}, comes back, and lands on the sign-in page again.",),
                answer=1, tried=_SSO_TRIED),
            Ask(("SSO login loop only in {browser}",
                 "SSO works from the sign-in page but not from the {idp} dashboard"),
                ("Signing in with SSO works when I start from the Brightwave sign-in page, but clicking the "
                 "Brightwave tile in {idp} loops back to sign-in. Only in {browser}, as far as I can tell.",),
                answer=2),
        ),
        answers=(
            "`sso_state_mismatch` means the SAML response came back without the RelayState the login started "
            "with. In {idp}, open the Brightwave app and check that **Default RelayState** is empty - if "
            "it's set to a URL, the state gets overwritten. Save, wait a minute, and try again in a fresh "
            "private window.",
            "Check the ACS URL. It must be exactly the one shown under *Admin > Security > SSO*, including "
            "the trailing `/acs`. We had `http` instead of `https` after copying it by hand and got the same "
            "loop.",
            "Browsers that block third-party cookies cause this when sign-in starts from the {idp} dashboard "
            "tile. Start from the Brightwave sign-in page instead, or enable *IdP-initiated login* in the "
            "SSO settings.",
        ),
        searches=("sso login loop", "sso redirect loop", "saml sign in loop", "single sign-on not working",
                  "sso_state_mismatch", "sso"),
    ),
    Topic(
        key="scim", category="technical", tags=("scim", "sso", "provisioning"),
        asks=(
            Ask(("SCIM sync with {idp} fails with 409 'userName already exists'",
                 "Existing members not matched when SCIM is turned on"),
                ("Provisioning from {idp} works for new hires but fails for existing members. The "
                 "provisioning log in {idp} shows a 409 for each of them.",),
                answer=0, tried=("Ran the initial sync again", "Checked that the email addresses match"),
                snippet="```json\n{{\n  \"schemas\": [\"urn:ietf:params:scim:api:messages:2.0:Error\"],\n"
                        "  \"status\": \"409\",\n  \"detail\": \"userName already exists\"\n}}\n```"),
            Ask(("SCIM provisioning created duplicate users from {idp}",
                 "Users provisioned twice after enabling SCIM - how do I merge them?"),
                ("We turned on SCIM provisioning with {idp} last week. Everyone who had signed up before got "
                 "a second account, so now {n} people appear twice in the member list.",),
                answer=1),
            Ask(("Billed for duplicate SCIM users - can we get the seats back?",),
                ("Our SCIM rollout with {idp} created {n} duplicate accounts before we noticed, and the seat "
                 "count went up with them. We've merged them now - will we get those seats back?",),
                answer=2),
        ),
        answers=(
            "SCIM matches existing members by `userName`, and the match is case-sensitive. If {idp} sends "
            "`Jane.Doe@company.com` and the member signed up as `jane.doe@company.com`, you get a duplicate "
            "or a 409. Map `userName` to the lowercased email in {idp} and run the sync again.",
            "To clean up duplicates: in *Admin > Members* filter by *Provisioned by SCIM* and use **Merge "
            "into...** on each duplicate, picking the original account. Merging keeps the content of both "
            "and frees the seat on the next invoice.",
            "Seats added by duplicates are prorated, so after merging ask support for a credit from the "
            "billing page - they did it for us within a day.",
        ),
        searches=("scim duplicate users", "scim provisioning", "userName already exists",
                  "provisioning duplicate accounts", "scim"),
    ),
    Topic(
        key="api-401", category="technical", tags=("api", "authentication"),
        asks=(
            Ask(("API returns 401 even with a valid token",
                 "API token works in the explorer but not in my script",
                 "Getting 401 Unauthorized from /v2/tasks with a new API token"),
                ("I created a personal access token under *Settings > API* and I'm calling the REST API from "
                 "a script, but every request comes back 401. The same token works in the API explorer.",),
                answer=0,
                tried=(
                    "Created a new token",
                    "Checked the token scopes",
                    "Tried the same call with curl",
                ),
                snippet="```bash\ncurl -s https://api.brightwave.example/v2/tasks \\\n"
                        "  -H \"Authorization: $BW_TOKEN\"\n\n{{\"error\": \"unauthorized\", \"message\": "
                        "\"missing or malformed token\"}}\n```"),
            Ask(("Personal access token stopped working - 401 on every request",
                 "API integration broke after an admin left the company"),
                ("Our integration has worked for months and since {weekday} every call returns `401 "
                 "Unauthorized`. Nobody rotated the token.",
                 "Our sync with the finance system stopped working the day after our old admin left. Every "
                 "API call now returns 401."),
                answer=1),
        ),
        answers=(
            "The header needs the `Bearer` prefix: `Authorization: Bearer $BW_TOKEN`. The API explorer adds "
            "it for you, which is why it works there.",
            "Tokens inherit the access of the member who created them. If that person was removed from the "
            "workspace or lost admin rights, the token returns 401 from then on. Create a service account "
            "token under *Admin > API* so the integration doesn't depend on one person.",
            "Also check for a trailing newline if you read the token from a file - `tr -d '\\n' < token.txt` "
            "- that one cost me an afternoon.",
        ),
        searches=("api 401", "api token unauthorized", "personal access token", "bearer token api",
                  "api authentication"),
    ),
    Topic(
        key="api-rate-limit", category="technical", tags=("api", "rate-limits"),
        asks=(
            Ask(("Nightly sync of {big_count} tasks hits the API rate limit",
                 "Getting 429 Too Many Requests from the tasks endpoint"),
                ("We sync tasks from our internal tool with a script that updates about {big_count} tasks "
                 "every night, and after a minute or so every request gets `429 Too Many Requests`.",),
                answer=1, snippet=_RATE_LIMIT_LOG),
            Ask(("What are the API rate limits on the {plan} plan?",
                 "Retry-After header on 429 responses - seconds or a date?"),
                ("I'm building a small reporting tool on top of the API and keep hitting 429s. I couldn't "
                 "find the actual limits for the {plan} plan, or whether `Retry-After` is seconds or a "
                 "date.",),
                answer=0, snippet=_RATE_LIMIT_LOG),
        ),
        answers=(
            "The limit is per token: 100 requests per minute on Team, 600 on Business and Enterprise. "
            "`Retry-After` is in seconds - sleep that long before retrying, don't retry immediately.",
            "For nightly syncs use the bulk endpoint: `PATCH /v2/tasks/bulk` takes up to 100 tasks per call, "
            "so {big_count} tasks become a few dozen requests instead of thousands.",
            "We wrap our client in exponential backoff (1s, 2s, 4s... capped at 60s) and haven't had a "
            "failed run since.",
        ),
        searches=("api rate limit", "429 too many requests", "rate limits", "bulk update api"),
    ),
    Topic(
        key="webhooks", category="technical", tags=("webhooks", "api"),
        asks=(
            Ask(("Webhook signature verification fails", "X-Brightwave-Signature never matches my HMAC",
                 "task.updated webhook rejected because the signature check fails"),
                ("I'm verifying webhook payloads with the signing secret from *Admin > Webhooks*, but my "
                 "computed HMAC never matches the `X-Brightwave-Signature` header.",
                 "We receive `task.updated` events, but every signature check fails, so our handler rejects "
                 "all of them. The secret was copied straight from the admin page."),
                answer=0,
                snippet="```python\nexpected = hmac.new(secret.encode(), json.dumps(payload).encode(), "
                        "hashlib.sha256).hexdigest()\nif not hmac.compare_digest(expected, "
                        "request.headers[\"X-Brightwave-Signature\"]):\n    abort(401)\n```"),
            Ask(("Webhooks stopped arriving after changing the endpoint URL",
                 "No webhook deliveries since {weekday}"),
                ("We moved our webhook receiver to a new URL on {weekday}, updated it under *Admin > "
                 "Webhooks*, and haven't received a single event since. The old endpoint was down for a few "
                 "hours during the move.",),
                answer=2,
                tried=("Checked the endpoint with curl", "Saved the webhook URL again")),
        ),
        answers=(
            "Sign the raw request body, not a re-serialized version. `json.dumps(payload)` changes spacing "
            "and key order, so the bytes differ from what was signed. In Flask use `request.get_data()` and "
            "compute the HMAC over that.",
            "The header value is prefixed: `sha256=<hex>`. Strip the `sha256=` part before comparing.",
            "Look at *Admin > Webhooks > Deliveries*: after 20 failed attempts in a row an endpoint is "
            "paused, and it needs the **Resume** button even after you change the URL.",
        ),
        searches=("webhook signature", "webhook hmac", "webhooks not arriving", "webhook verification"),
    ),
    Topic(
        key="api-pagination", category="technical", tags=("api", "pagination"),
        asks=(
            Ask(("API pagination returns the same page twice",
                 "How do I list all tasks in a project via the API?"),
                ("I'm paging through `GET /v2/projects/:id/tasks` with `page=2`, `page=3`... but every "
                 "response contains the same first 50 tasks.",),
                answer=0,
                snippet="```bash\ncurl 'https://api.brightwave.example/v2/projects/8812/tasks?page=2' \\\n"
                        "  -H \"Authorization: Bearer $BW_TOKEN\"\n```"),
            Ask(("next_cursor missing when listing comments", "KeyError on next_cursor at the last page"),
                ("Listing comments works, but the last page has no `next_cursor` field at all and my loop "
                 "crashes with a `KeyError`.",),
                answer=1,
                snippet="```python\ncursor = None\nwhile True:\n"
                        "    data = session.get(url, params={{\"cursor\": cursor}}).json()\n"
                        "    comments.extend(data[\"items\"])\n    cursor = data[\"next_cursor\"]\n```"),
        ),
        answers=(
            "Pass the `next_cursor` from each response as `cursor`, not `page`. `page` is ignored on "
            "cursor-paginated endpoints, so you get the first page every time.",
            "When `has_more` is false the `next_cursor` field is left out rather than set to null. Loop on "
            "`has_more` and use `data.get(\"next_cursor\")`.",
        ),
        searches=("api pagination", "next_cursor", "list all tasks api", "api cursor"),
    ),
)
