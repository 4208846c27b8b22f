"""Demo topics for the Product category: features, workflows and integrations."""

from __future__ import annotations

from forum.demo.corpus_text import Topic

PRODUCT_TOPICS: tuple[Topic, ...] = (
    Topic(
        key="guests",
        category="product",
        tags=("guests", "permissions", "sharing"),
        titles=(
            "Can't invite guests on the Team plan",
            "Invite guest button is greyed out",
            "How many guests can we add on the {plan} plan?",
            "Share one project with a client without giving access to everything",
            "Guest can see other projects in the {workspace} workspace - is that expected?",
        ),
        problems=(
            "I'm an admin on our Team plan workspace and want to invite a freelancer to one "
            "project, but the *Invite guest* option is greyed out with the tooltip *Not "
            "available*.",
            "We want to share a single project with a client without giving them access to "
            "everything else in the {workspace} workspace. What's the right way to do this on "
            "the {plan} plan?",
        ),
        answers=(
            "Guests are available on every paid plan, but an admin has to switch on *Admin > "
            "Settings > Allow guests* first - it's off by default. After that the **Invite "
            "guest** button appears in each project's share menu.",
            "On Team you get 5 guests per paid seat; Business and Enterprise are unlimited. "
            "Guests only see the projects they're invited to, never the member directory.",
            "If the button is still greyed out, check the email: guests can't use an address "
            "on your own company domain. Those people have to be full members.",
        ),
        searches=(
            "invite guest",
            "guest access",
            "external users",
            "share project with client",
            "guests team plan",
        ),
        howto=True,
    ),
    Topic(
        key="recurring-tasks",
        category="product",
        tags=("tasks", "recurring-tasks"),
        titles=(
            "How do I set up recurring tasks?",
            "Recurring task every {weekday} creates duplicates",
            "Can a task repeat on the last working day of the month?",
            "Make a task repeat every {weekday} for the {workspace} team",
        ),
        problems=(
            "We have a weekly report that's due every {weekday}. Is there a way to make the "
            "task repeat instead of creating it by hand every week?",
            "I set a task to repeat every {weekday} and now there are {n} copies of it for the same week.",
        ),
        answers=(
            "Open the task, click the due date and choose **Repeat > Weekly > {weekday}**. The "
            "next copy is created when you complete the current one, so only one is ever open.",
            "Duplicates happen when the repeat is set on a task that is also in a project "
            "template - each template run adds its own copy. Remove the repeat from the "
            "template task and keep it on the live one.",
            "Custom rules (*Repeat > Custom*) support 'last weekday of the month'; it's in the "
            "dropdown under *Monthly*.",
        ),
        searches=("recurring tasks", "repeat task weekly", "recurring task duplicates"),
        howto=True,
    ),
    Topic(
        key="move-project",
        category="product",
        tags=("workspaces", "projects"),
        titles=(
            "Move a project to another workspace without losing comments",
            "Transfer a project from my Free workspace to the company one",
            "Can I merge two workspaces?",
            "Moving the {workspace} project to a new workspace - what carries over?",
        ),
        problems=(
            "We started in a Free workspace and now have a proper {plan} workspace. I'd like to "
            "move our projects over without losing the comment history.",
            "Two teams set up separate workspaces and now we want everything in one place. "
            "Together it's about {n} projects.",
        ),
        answers=(
            "*Project menu > Move to workspace...* keeps tasks, comments, attachments and "
            "history. You need to be an admin in both workspaces. People who aren't members of "
            "the target workspace lose access, and their old comments show as *Former member*.",
            "Merging whole workspaces isn't self-serve, but support does it for Business and "
            "Enterprise. Ask from *Help > Contact support* and plan for a quiet hour - "
            "projects are read-only while they move.",
            "Custom fields are matched by name; any that don't exist in the target workspace "
            "are created there during the move.",
        ),
        searches=("move project workspace", "transfer project", "merge workspaces"),
        howto=True,
    ),
    Topic(
        key="notifications",
        category="product",
        tags=("notifications", "email"),
        titles=(
            "How do I stop email notifications for every comment?",
            "Daily digest arrives at {hour} instead of the morning",
            "Getting notified about projects I'm not part of",
            "Too many emails since we moved to the {plan} plan",
        ),
        problems=(
            "I get an email for every single comment on every task I've touched. I'd much "
            "rather have one summary a day.",
            "The daily digest shows up at {hour} my time, which is useless. I'm in {country}.",
        ),
        answers=(
            "*Settings > Notifications* lets you choose per channel. Set email to *Daily "
            "digest* and keep in-app for everything - that's what most of our team uses.",
            "The digest uses the time zone in your profile, not your computer's. Set it under "
            "*Settings > Profile > Time zone* and the next digest arrives at 8 am local time.",
            "You're probably following the project because someone @mentioned you once. Open "
            "the project, click the bell icon and choose *Only mentions*.",
        ),
        searches=(
            "email notifications",
            "turn off notifications",
            "daily digest time",
            "too many emails",
        ),
    ),
    Topic(
        key="templates",
        category="product",
        tags=("templates", "projects"),
        titles=(
            "Can I create a project template with pre-filled tasks?",
            "Template due dates are all set to the day I created the template",
            "Share a project template with another team",
            "Onboarding template for the {workspace} team",
        ),
        problems=(
            "Every new client gets the same {n} onboarding steps. I'd like a template so we "
            "don't copy the last project and clean it up each time.",
            "I saved a project as a template, but every project created from it has all due "
            "dates on the day I made the template.",
        ),
        answers=(
            "Build the project the way you want it, then *Project menu > Save as template*. "
            "Tasks, subtasks, custom fields and assignee roles are kept.",
            "Use relative due dates: in the template set dates as *Start + 3 days* instead of "
            "fixed dates. Whoever creates a project from it picks the start date and "
            "everything shifts.",
            "Templates are private by default. Switch *Visible to* to *Everyone in workspace* "
            "in the template settings.",
        ),
        searches=("project template", "template due dates", "save as template"),
        howto=True,
    ),
    Topic(
        key="roles",
        category="product",
        tags=("permissions", "roles"),
        titles=(
            "What's the difference between Viewer and Commenter?",
            "Commenter can still edit task descriptions?",
            "Restrict who can create projects on the {plan} plan",
            "Best role setup for a {seats}-person workspace?",
        ),
        problems=(
            "We're setting up roles for about {seats} people and the help text for Viewer and "
            "Commenter is almost the same. What can each one actually do?",
            "I gave a contractor the Commenter role on a project, but they just edited a task description.",
        ),
        answers=(
            "Viewers can only read. Commenters can read, comment, react and follow, but can't "
            "change fields or descriptions. Editors can change everything except sharing.",
            "Check whether the person is also in a group with Editor access to that project - "
            "the highest role always wins.",
            "On Business and Enterprise: *Admin > Settings > Permissions > Who can create "
            "projects*. On Team every member can create projects.",
        ),
        searches=("viewer vs commenter", "permissions roles", "who can create projects"),
        howto=True,
    ),
    Topic(
        key="trash",
        category="product",
        tags=("trash", "restore"),
        titles=(
            "Restore a deleted page from the trash",
            "Deleted a doc by mistake - how long is the trash kept?",
            "A teammate's deleted project isn't in my trash",
            "Recover a task list that was deleted on {weekday}",
        ),
        problems=(
            "Someone on our team deleted a doc with our whole Q3 plan in it. Can we get it "
            "back, and how long do we have?",
            "A project disappeared on {weekday}. The person who deleted it is on holiday and I "
            "can't find it in my trash.",
        ),
        answers=(
            "The trash keeps items for 30 days on Free and Team, 90 days on Business and "
            "Enterprise. Open *Sidebar > Trash*, find the item and click **Restore**.",
            "Each person's trash only shows what *they* deleted. Admins see everything under "
            "*Admin > Trash*.",
            "If the doc still exists but content was removed, use *... > Version history* to "
            "restore an earlier version instead.",
        ),
        searches=("restore deleted", "trash", "recover deleted doc", "version history"),
    ),
    Topic(
        key="csv-export",
        category="product",
        tags=("export", "csv", "custom-fields"),
        titles=(
            "Export to CSV missing custom fields",
            "CSV export doesn't include the {field} column",
            "CSV export shows dates in the wrong format",
            "Exported CSV shows garbled accented characters",
        ),
        problems=(
            "When I export a project to CSV, the file has the standard columns but none of our "
            "custom fields ({field}, for example). We need them for a monthly report.",
            "Names with accents turn into garbage when I open the exported CSV in a spreadsheet app.",
        ),
        answers=(
            "The export uses the columns of the current view. Add the custom fields to the "
            "view (*View options > Fields*), export again, and they'll be there.",
            "The CSV is UTF-8 without a BOM, and some spreadsheet apps assume another encoding. "
            "Use *Export > CSV (UTF-8 with BOM)* or import the file and choose UTF-8.",
            "Dates follow your profile locale. Change *Settings > Profile > Language & region* "
            "and export again.",
        ),
        searches=(
            "export csv custom fields",
            "csv export",
            "export missing columns",
            "csv encoding",
            "export",
        ),
    ),
    Topic(
        key="slack",
        category="product",
        tags=("integrations", "slack"),
        titles=(
            "Slack notifications post to the wrong channel",
            "How do I connect a Slack channel to a project?",
            "Slack integration disconnected after we renamed our Slack workspace",
            "Slack messages for the {workspace} project stopped on {weekday}",
        ),
        problems=(
            "We connected Slack so that task updates from the {workspace} project post to "
            "#{workspace_lower}, but everything ends up in #general.",
            "Slack updates stopped on {weekday}. The integration page still says *Connected*.",
        ),
        answers=(
            "Each project has its own Slack setting: *Project menu > Integrations > Slack*. "
            "The workspace-level default channel is only used for projects without one.",
            "Renaming the Slack workspace invalidates the token. Go to *Admin > Integrations > "
            "Slack* and click **Reconnect** - the per-project channels are kept.",
            "You can also type `/brightwave link` in the Slack channel and pick the project from the list.",
        ),
        searches=(
            "slack integration",
            "slack notifications channel",
            "connect slack",
            "slack not posting",
        ),
    ),
    Topic(
        key="google-drive",
        category="product",
        tags=("integrations", "google-drive"),
        titles=(
            "Google Drive files show 'Request access' to teammates",
            "Attach a Google Drive folder to a project",
            "Google Drive previews stopped loading",
            "Google Drive integration on the {plan} plan",
        ),
        problems=(
            "When I attach a Google Drive file to a task, teammates click it and get *Request "
            "access*. I thought the integration handled that.",
            "Previews of Google Drive files show a spinning wheel since {weekday}; the links "
            "themselves still work.",
        ),
        answers=(
            "The integration never changes sharing in Drive. Share the file or its folder with "
            "the team in Drive, or turn on *Share with project members when attaching* under "
            "*Admin > Integrations > Google Drive*.",
            "Previews need third-party cookies for Google. If your browser blocks them, allow "
            "them for Brightwave or use the desktop app, which doesn't need them.",
            "Attaching a whole folder works: paste the folder link and it shows as a folder "
            "card that lists its files.",
        ),
        searches=("google drive", "drive files request access", "drive preview"),
    ),
    Topic(
        key="zapier",
        category="product",
        tags=("integrations", "zapier", "automation"),
        titles=(
            "Zapier trigger 'New Task' fires twice",
            "Zapier can't find our custom fields",
            "Zap stopped working after we upgraded to {plan}",
            "Create Brightwave tasks from form submissions with Zapier",
        ),
        problems=(
            "Our Zap creates a row in a spreadsheet for every new task, but most tasks show up twice.",
            "In Zapier the *Update Task* action only lists the standard fields. Our custom "
            "field {field} is missing.",
        ),
        answers=(
            "*New Task* fires for tasks created in any project you can see, including tasks "
            "created by other Zaps. Add a filter step on `project_id`, or use the *New Task in "
            "Project* trigger instead.",
            "Zapier caches the field list. In the Zap editor, click *Refresh fields* on the "
            "action step after adding custom fields.",
            "After a plan change, reconnect the Brightwave account in Zapier - the old "
            "connection keeps the old plan's scopes.",
        ),
        searches=("zapier", "zapier trigger duplicate", "zapier custom fields"),
    ),
    Topic(
        key="mentions",
        category="product",
        tags=("mentions", "notifications"),
        titles=(
            "@mention doesn't suggest people from other teams",
            "Can I @mention a whole team?",
            "Mentioned people don't get notified",
            "@mentions in comments stopped sending notifications on {weekday}",
        ),
        problems=(
            "When I type @ in a comment, the list only shows people in my team, not the "
            "{workspace} people I work with every day.",
            "I @mention people in comments but they say they never get a notification.",
        ),
        answers=(
            "Suggestions only include people who can see the project. Share the project with "
            "them (or their team) and they'll show up.",
            "Type @ and the team name - teams appear in the list with a group icon and every "
            "member gets notified.",
            "Mention notifications follow each person's settings; if they chose *Only direct "
            "messages* they won't get emails for mentions. They can check *Settings > "
            "Notifications*.",
        ),
        searches=("mention team", "mention not notifying", "@mention"),
    ),
    Topic(
        key="calendar",
        category="product",
        tags=("calendar", "integrations"),
        titles=(
            "Due dates not syncing to Google Calendar",
            "Calendar feed shows tasks a day early",
            "Subscribe to my tasks in Outlook",
            "Calendar feed not updating since {weekday}",
        ),
        problems=(
            "I subscribed to my tasks calendar feed in Google Calendar, but new tasks take a "
            "day to show up, and changed due dates don't update.",
            "Tasks with a due date but no time show up one day early in my calendar. I'm in {country}.",
        ),
        answers=(
            "The calendar feed is a read-only iCal URL and calendar apps only refresh "
            "subscribed calendars every few hours (Google Calendar can take up to a day). The "
            "two-way Google Calendar integration under *Integrations* syncs within a minute.",
            "Day-early tasks are all-day tasks being shifted by time zone. Set your time zone "
            "in *Settings > Profile* and copy the feed URL again - the old URL keeps the old "
            "zone.",
            "In Outlook use *Add calendar > Subscribe from web* and paste the iCal URL from "
            "*Settings > Calendar feed*.",
        ),
        searches=("google calendar sync", "calendar feed", "ical", "outlook calendar"),
    ),
    Topic(
        key="dependencies",
        category="product",
        tags=("tasks", "dependencies"),
        titles=(
            "How do I make a task blocked by another one?",
            "Dependencies don't move dates when the first task slips",
            "Can dependencies cross projects?",
            "Task dependencies on the {plan} plan",
        ),
        problems=(
            "Design has to finish before development starts. Can I link the tasks so the "
            "second one is marked as blocked until the first is done?",
            "I set up a chain of {n} dependent tasks, but when the first one moves by a week "
            "nothing else moves.",
        ),
        answers=(
            "Open the second task and choose *... > Mark as blocked by*, then pick the first "
            "task. It shows a blocked badge until the first one is completed.",
            "Date shifting is off by default. Turn on *Project settings > Dependencies > Shift "
            "dependent dates* and changes ripple down the chain.",
            "Cross-project dependencies work on Business and Enterprise; on Team both tasks "
            "have to be in the same project.",
        ),
        searches=("task dependencies", "blocked by", "dependencies dates"),
        howto=True,
    ),
)
