"""Demo topics for the Product category: features, workflows and integrations."""

from __future__ import annotations

from forum.demo.corpus_text import Ask, Topic

# Hand-wrapped phrase banks: one ask per block reads better than the formatter's layout.
# fmt: off
PRODUCT_TOPICS: tuple[Topic, ...] = (
    Topic(
        key="guests", category="product", tags=("guests", "permissions", "sharing"),
        asks=(
            Ask(("Can't invite guests on the Team plan", "Invite guest button is greyed out"),
                ("I'm an admin on our Team plan workspace and want to invite a freelancer to one project, "
                 "but the *Invite guest* option is greyed out with the tooltip *Not available*.",),
                answer=0),
            Ask(("How many guests can we add on the {plan} plan?", "Do guests see our whole workspace?",
                 "Share one project with a client without giving access to everything"),
                ("We want to share a single project with a client without giving them access to everything "
                 "else in the {workspace} workspace. What's the right way to do this on the {plan} plan?",),
                answer=1, howto=True),
            Ask(("Can't add a colleague from our own domain as a guest",
                 "Guest invite fails with 'Use a member invite for this domain'"),
                ("I'm trying to add someone from our sister company as a guest, but they share our email "
                 "domain and the invite fails with *Use a member invite for this domain*.",),
                answer=2),
        ),
        answers=(
            "Guests are available on every paid plan, but an admin has to switch on *Admin > Settings > "
            "Allow guests* first - it's off by default. After that the **Invite guest** button appears in "
            "each project's share menu.",
            "Guests are how you add external users. On Team you get 5 guests per paid seat; Business and "
            "Enterprise are unlimited. Guests only see the projects they're invited to, never the member "
            "directory.",
            "Guests can't use an address on your own company domain - those people have to be full members. "
            "An admin can add exceptions under *Admin > Settings > Domains*.",
        ),
        searches=("invite guest", "guest access", "external users", "share project with client",
                  "guests team plan"),
    ),
    Topic(
        key="recurring-tasks", category="product", tags=("tasks", "recurring-tasks"),
        asks=(
            Ask(("How do I set up recurring tasks?", "Make a task repeat every {weekday}"),
                ("We have a weekly report that's due every {weekday}. Is there a way to make the task repeat "
                 "instead of creating it by hand every week?",),
                answer=0, howto=True),
            Ask(("Recurring task every {weekday} creates duplicates",
                 "Repeating task from our template shows up {n} times"),
                ("I set a task to repeat every {weekday} and now there are {n} copies of it for the same "
                 "week. The task came from our project template.",),
                answer=1),
            Ask(("Can a task repeat on the last working day of the month?",
                 "Monthly recurring task on the last weekday"),
                ("Our payroll checklist is due on the last working day of each month. The repeat options I "
                 "see are weekly or a fixed day of the month.",),
                answer=2, howto=True),
        ),
        answers=(
            "Open the task, click the due date and choose **Repeat > Weekly > {weekday}**. The next copy is "
            "created when you complete the current one, so only one is ever open.",
            "Duplicates happen when the repeat is set on a task that is also in a project template - each "
            "template run adds its own copy. Remove the repeat from the template task and keep it on the "
            "live one.",
            "Custom rules (*Repeat > Custom*) support 'last weekday of the month'; it's in the dropdown "
            "under *Monthly*.",
        ),
        searches=("recurring tasks", "repeat task weekly", "recurring task duplicates"),
    ),
    Topic(
        key="move-project", category="product", tags=("workspaces", "projects"),
        asks=(
            Ask(("Move a project to another workspace without losing comments",
                 "Transfer a project from my Free workspace to the company one",
                 "Moving the {workspace} project to a new workspace - what carries over?"),
                ("We started in a Free workspace and now have a proper {plan} workspace. I'd like to move "
                 "our projects over without losing the comment history.",),
                answer=0, howto=True),
            Ask(("Can I merge two workspaces?", "Combine two team workspaces into one"),
                ("Two teams set up separate workspaces and now we want everything in one place. Together "
                 "it's about {n} projects.",),
                answer=1, howto=True),
        ),
        answers=(
            "*Project menu > Move to workspace...* keeps tasks, comments, attachments and history. You need "
            "to be an admin in both workspaces. People who aren't members of the target workspace lose "
            "access, and their old comments show as *Former member*.",
            "Merging whole workspaces isn't self-serve, but support does it for Business and Enterprise. Ask "
            "from *Help > Contact support* and plan for a quiet hour - projects are read-only while they "
            "move.",
            "Custom fields are matched by name; any that don't exist in the target workspace are created "
            "there during the move.",
        ),
        searches=("move project workspace", "transfer project", "merge workspaces"),
    ),
    Topic(
        key="notifications", category="product", tags=("notifications", "email"),
        asks=(
            Ask(("How do I stop email notifications for every comment?", "Way too many notification emails"),
                ("I get an email for every single comment on every task I've touched. I'd much rather have "
                 "one summary a day.",),
                answer=0),
            Ask(("Daily digest arrives at {hour} instead of the morning",
                 "Digest email comes at the wrong time"),
                ("The daily digest shows up at {hour} my time, which is useless. I'm in {country}.",),
                answer=1),
            Ask(("Getting notified about projects I'm not part of",
                 "Notifications from the {workspace} project I never joined"),
                ("I keep getting notifications from the {workspace} project, but I'm not on that team and "
                 "never joined the project.",),
                answer=2),
        ),
        answers=(
            "*Settings > Notifications* lets you choose per channel. Set email to *Daily digest* and keep "
            "in-app for everything - that's what most of our team uses.",
            "The digest uses the time zone in your profile, not your computer's. Set it under *Settings > "
            "Profile > Time zone* and the next digest arrives at 8 am local time.",
            "You're probably following the project because someone @mentioned you once. Open the project, "
            "click the bell icon and choose *Only mentions*.",
        ),
        searches=("email notifications", "turn off notifications", "daily digest time", "too many emails"),
    ),
    Topic(
        key="templates", category="product", tags=("templates", "projects"),
        asks=(
            Ask(("Can I create a project template with pre-filled tasks?",
                 "Onboarding template for the {workspace} team"),
                ("Every new client gets the same {n} onboarding steps. I'd like a template so we don't copy "
                 "the last project and clean it up each time.",),
                answer=0, howto=True),
            Ask(("Template due dates are all set to the day I created the template",
                 "Projects from our template all have the same old due dates"),
                ("I saved a project as a template, but every project created from it has all due dates on "
                 "the day I made the template.",),
                answer=1),
            Ask(("Share a project template with another team", "Colleagues can't see the template I made"),
                ("I made a template for our client projects, but when colleagues create a project they don't "
                 "see it in the template list.",),
                answer=2),
        ),
        answers=(
            "Build the project the way you want it, then *Project menu > Save as template*. Tasks, subtasks, "
            "custom fields and assignee roles are kept.",
            "Use relative due dates: in the template set dates as *Start + 3 days* instead of fixed dates. "
            "Whoever creates a project from it picks the start date and everything shifts.",
            "Templates are private by default. Switch *Visible to* to *Everyone in workspace* in the "
            "template settings.",
        ),
        searches=("project template", "template due dates", "save as template"),
    ),
    Topic(
        key="roles", category="product", tags=("permissions", "roles"),
        asks=(
            Ask(("What's the difference between Viewer and Commenter?",
                 "Which role for people who only need to comment?"),
                ("We're setting up roles for about {seats} people and the help text for Viewer and Commenter "
                 "is almost the same. What can each one actually do?",),
                answer=0, howto=True),
            Ask(("Commenter can still edit task descriptions?",
                 "Contractor with Commenter role changed a task"),
                ("I gave a contractor the Commenter role on a project, but they just edited a task "
                 "description.",),
                answer=1),
            Ask(("Restrict who can create projects on the {plan} plan",
                 "Stop members from creating new projects"),
                ("We have {seats} members and new projects pop up every week. Can only admins be allowed to "
                 "create projects?",),
                answer=2, howto=True),
        ),
        answers=(
            "Viewers can only read. Commenters can read, comment, react and follow, but can't change fields "
            "or descriptions. Editors can change everything except sharing.",
            "Check whether the person is also in a group with Editor access to that project - the highest "
            "role always wins.",
            "On Business and Enterprise: *Admin > Settings > Permissions > Who can create projects*. On Team "
            "every member can create projects.",
        ),
        searches=("viewer or commenter role", "permissions roles", "who can create projects"),
    ),
    Topic(
        key="trash", category="product", tags=("trash", "restore"),
        asks=(
            Ask(("Restore a deleted page from the trash",
                 "Deleted a doc by mistake - how long is the trash kept?"),
                ("Someone on our team deleted a doc with our whole Q3 plan in it. Can we get it back, and "
                 "how long do we have?",),
                answer=0),
            Ask(("A teammate's deleted project isn't in my trash",
                 "Recover a task list that was deleted on {weekday}"),
                ("A project disappeared on {weekday}. The person who deleted it is on holiday and I can't "
                 "find it in my trash.",),
                answer=1),
            Ask(("Someone wiped half of a doc - can I get the old text back?",
                 "Undo changes to a doc from last week"),
                ("Someone replaced most of our onboarding doc by mistake while editing on {weekday}. The doc "
                 "is still there but the content is gone.",),
                answer=2),
        ),
        answers=(
            "The trash keeps items for 30 days on Free and Team, 90 days on Business and Enterprise. Open "
            "*Sidebar > Trash*, find the item and click **Restore**.",
            "Each person's trash only shows what *they* deleted. Admins see everything under *Admin > "
            "Trash*.",
            "If the doc still exists but content was removed, use *... > Version history* to restore an "
            "earlier version instead.",
        ),
        searches=("restore deleted", "trash", "deleted doc", "version history"),
    ),
    Topic(
        key="csv-export", category="product", tags=("export", "csv", "custom-fields"),
        asks=(
            Ask(("Export to CSV missing custom fields", "CSV export doesn't include the {field} column"),
                ("When I export a project to CSV, the file has the standard columns but none of our custom "
                 "fields ({field}, for example). We need them for a monthly report.",),
                answer=0),
            Ask(("Exported CSV shows garbled accented characters", "Broken characters in CSV export"),
                ("Names with accents turn into garbage when I open the exported CSV in a spreadsheet app.",),
                answer=1),
            Ask(("CSV export shows dates in the wrong format", "Dates in CSV export are month/day"),
                ("Dates in the CSV export come out as month/day/year, but our reporting needs "
                 "day/month/year. I'm in {country}.",),
                answer=2),
        ),
        answers=(
            "The export uses the columns of the current view. Add the custom fields to the view (*View "
            "options > Fields*), export again, and they'll be there.",
            "The CSV is UTF-8 without a BOM, and some spreadsheet apps assume another encoding. Use *Export "
            "> CSV (UTF-8 with BOM)* or import the file and choose UTF-8.",
            "Dates follow your profile locale. Change *Settings > Profile > Language & region* and export "
            "again.",
        ),
        searches=("export csv custom fields",
                  "csv export",
                  "export missing columns",
                  "csv encoding",
                  "export"),
    ),
    Topic(
        key="slack", category="product", tags=("integrations", "slack"),
        asks=(
            Ask(("Slack notifications post to the wrong channel",
                 "Updates from the {workspace} project go to #general in Slack"),
                ("We connected Slack so that task updates from the {workspace} project post to "
                 "#{workspace_lower}, but everything ends up in #general.",),
                answer=0),
            Ask(("How do I connect a Slack channel to a project?",
                 "Link a Slack channel to just one project"),
                ("I want updates from one project to go to a specific Slack channel, without turning on "
                 "Slack for every project. Where is that set?",),
                answer=2, howto=True),
            Ask(("Slack integration disconnected after we renamed our Slack workspace",
                 "Slack messages stopped on {weekday} but the integration says Connected"),
                ("Slack updates stopped on {weekday}. The integration page still says *Connected*. We "
                 "renamed our Slack workspace that day, if it matters.",),
                answer=1,
                tried=(
                    "Saved the channel setting again",
                    "Checked the Brightwave app is still in the channel",
                )),
        ),
        answers=(
            "Each project has its own Slack setting: *Project menu > Integrations > Slack*. The "
            "workspace-level default channel is only used for projects without one.",
            "Renaming the Slack workspace invalidates the token. Go to *Admin > Integrations > Slack* and "
            "click **Reconnect** - the per-project channels are kept.",
            "Type `/brightwave link` in the Slack channel and pick the project from the list. You can also "
            "set it from *Project menu > Integrations > Slack*.",
        ),
        searches=("slack integration", "slack notifications channel", "connect slack", "slack channel"),
    ),
    Topic(
        key="google-drive", category="product", tags=("integrations", "google-drive"),
        asks=(
            Ask(("Google Drive files show 'Request access' to teammates",
                 "Teammates can't open Drive files attached to tasks"),
                ("When I attach a Google Drive file to a task, teammates click it and get *Request access*. "
                 "I thought the integration handled that.",),
                answer=0),
            Ask(("Google Drive previews stopped loading", "Drive previews spin forever in {browser}"),
                ("Previews of Google Drive files show a spinning wheel in {browser} since {weekday}; the "
                 "links themselves still work.",),
                answer=1),
            Ask(("Attach a Google Drive folder to a project",
                 "Can I link a whole Drive folder instead of files?"),
                ("We keep all client files in one Drive folder per client. Attaching files one by one is "
                 "tedious - can I attach the folder itself?",),
                answer=2, howto=True),
        ),
        answers=(
            "The integration never changes sharing in Drive. Share the file or its folder with the team in "
            "Drive, or turn on *Share with project members when attaching* under *Admin > Integrations > "
            "Google Drive*.",
            "Previews need third-party cookies for Google. If your browser blocks them, allow them for "
            "Brightwave or use the desktop app, which doesn't need them.",
            "Attaching a whole folder works: paste the folder link and it shows as a folder card that lists "
            "its files.",
        ),
        searches=("google drive", "drive files request access", "drive previews"),
    ),
    Topic(
        key="zapier", category="product", tags=("integrations", "zapier", "automation"),
        asks=(
            Ask(("Zapier trigger 'New Task' fires twice", "Zap creates duplicate rows for every new task"),
                ("Our Zap creates a row in a spreadsheet for every new task, but most tasks show up twice.",),
                answer=0,
                tried=("Turned the Zap off and on", "Checked the Zap history")),
            Ask(("Zapier can't find our custom fields", "Custom field {field} missing in Zapier"),
                ("In Zapier the *Update Task* action only lists the standard fields. Our custom field "
                 "{field} is missing.",),
                answer=1),
            Ask(("Zap stopped working after we upgraded to {plan}",
                 "Zapier says 'insufficient scope' after our plan change"),
                ("Our Zaps started failing right after we upgraded to {plan}. The Zap history shows "
                 "*insufficient scope* on every run.",),
                answer=2, snippet="```\nError: insufficient scope (required: tasks:write, fields:read)\n```"),
        ),
        answers=(
            "*New Task* fires for tasks created in any project you can see, including tasks created by other "
            "Zaps. Add a filter step on `project_id`, or use the *New Task in Project* trigger instead.",
            "Zapier caches the field list. In the Zap editor, click *Refresh fields* on the action step "
            "after adding custom fields.",
            "After a plan change, reconnect the Brightwave account in Zapier - the old connection keeps the "
            "old plan's scopes.",
        ),
        searches=("zapier", "zapier new task trigger", "zapier custom fields"),
    ),
    Topic(
        key="mentions", category="product", tags=("mentions", "notifications"),
        asks=(
            Ask(("@mention doesn't suggest people from other teams",
                 "Can't @mention someone from the {workspace} team"),
                ("When I type @ in a comment, the list only shows people in my team, not the {workspace} "
                 "people I work with every day.",),
                answer=0),
            Ask(("Can I @mention a whole team?", "Notify everyone in a team with one mention"),
                ("When something is ready for review I want to notify the whole {workspace} team, not type "
                 "out {n} names.",),
                answer=1, howto=True),
            Ask(("Mentioned people don't get notified", "@mentions stopped sending email notifications"),
                ("I @mention people in comments but they say they never get a notification email.",),
                answer=2),
        ),
        answers=(
            "Suggestions only include people who can see the project. Share the project with them (or their "
            "team) and they'll show up.",
            "Type @ and the team name - teams appear in the list with a group icon and every member gets "
            "notified.",
            "Mention notifications follow each person's settings; if they chose *Only direct messages* they "
            "won't get emails for mentions. They can check *Settings > Notifications*.",
        ),
        searches=("mention team", "mention not notified", "@mention"),
    ),
    Topic(
        key="calendar", category="product", tags=("calendar", "integrations"),
        asks=(
            Ask(("Due dates not syncing to Google Calendar", "Calendar feed not updating since {weekday}"),
                ("I subscribed to my tasks calendar feed in Google Calendar, but new tasks take a day to "
                 "show up, and changed due dates don't update.",),
                answer=0,
                tried=("Removed and re-added the calendar", "Copied the feed URL again")),
            Ask(("Calendar feed shows tasks a day early", "All-day tasks off by one day in my calendar"),
                ("Tasks with a due date but no time show up one day early in my calendar. I'm in "
                 "{country}.",),
                answer=1),
            Ask(("Subscribe to my tasks in Outlook", "Show Brightwave due dates in Outlook"),
                ("Most of our company lives in Outlook. Can I see my Brightwave tasks with due dates "
                 "there?",),
                answer=2, howto=True),
        ),
        answers=(
            "The calendar feed is a read-only iCal URL and calendar apps only refresh subscribed calendars "
            "every few hours (Google Calendar can take up to a day). The two-way Google Calendar integration "
            "under *Integrations* syncs within a minute.",
            "Day-early tasks are all-day tasks being shifted by time zone. Set your time zone in *Settings > "
            "Profile* and copy the feed URL again - the old URL keeps the old zone.",
            "In Outlook use *Add calendar > Subscribe from web* and paste the iCal URL from *Settings > "
            "Calendar feed*.",
        ),
        searches=("google calendar sync", "calendar feed", "ical", "outlook calendar"),
    ),
    Topic(
        key="dependencies", category="product", tags=("tasks", "dependencies"),
        asks=(
            Ask(("How do I make a task blocked by another one?", "Mark a task as waiting on another task"),
                ("Design has to finish before development starts. Can I link the tasks so the second one is "
                 "marked as blocked until the first is done?",),
                answer=0, howto=True),
            Ask(("Dependencies don't move dates when the first task slips",
                 "Dates of dependent tasks don't shift"),
                ("I set up a chain of {n} dependent tasks, but when the first one moves by a week nothing "
                 "else moves.",),
                answer=1),
            Ask(("Can dependencies cross projects?", "Blocked-by link to a task in another project"),
                ("Our launch project depends on a task in the {workspace} project, but the *Blocked by* "
                 "search only finds tasks in the same project. We're on {plan}.",),
                answer=2),
        ),
        answers=(
            "Open the second task and choose *... > Mark as blocked by*, then pick the first task. It shows "
            "a blocked badge until the first one is completed.",
            "Date shifting is off by default. Turn on *Project settings > Dependencies > Shift dependent "
            "dates* and changes ripple down the chain.",
            "Cross-project dependencies work on Business and Enterprise; on Team both tasks have to be in "
            "the same project.",
        ),
        searches=("task dependencies", "blocked by", "dependencies dates"),
    ),
)
