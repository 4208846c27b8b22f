"""Placeholder accounts for the authors of imported posts and comments.

Nobody can sign in to one: its password hash is not a Werkzeug hash and its email is
``se-<dump id>@<site>.import.invalid`` (or ``se-anon-<hash>`` / ``se-deleted`` for authors
whose account was deleted on Stack Exchange, one shared per display name). The email is how
a second run recognises the accounts the first one made.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from sqlalchemy import select

from forum.accounts.models import USERNAME_MAX, User
from forum.accounts.services import normalise_username
from forum.extensions import db
from forum.importer import stackexchange_dump as dump
from forum.importer.names import placeholder_username
from forum.importer.run import ImportRun

PLACEHOLDER_PASSWORD_HASH = "!"  # not a Werkzeug hash, so check_password is always False
_SE_USER_EMAIL_RE = re.compile(r"se-(-?\d+)")


class PlaceholderAccounts:
    """The placeholder accounts of one site's imports, by dump user id and by display name."""

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.email_domain = f"{run.site}.import.invalid"
        self.users: dict[int, int] = {}  # dump user id -> users.id
        self.named_users: dict[str, int] = {}  # email local part of a no-account placeholder -> users.id
        self.unflushed_usernames: set[str] = set()

    def load_existing(self) -> None:
        """Map the accounts an earlier run of this site's import created."""
        users = select(User.id, User.email).where(
            User.is_placeholder.is_(True), User.email.endswith("@" + self.email_domain, autoescape=True)
        )
        for user_id, email in db.session.execute(users.execution_options(yield_per=5000)):
            local = email.split("@", 1)[0]
            if match := _SE_USER_EMAIL_RE.fullmatch(local):
                self.users[int(match.group(1))] = user_id
            else:
                self.named_users[local] = user_id

    def scan_authors(self, totals: dict[str, int]) -> set[int]:
        """Dump ids of everyone who wrote a post or comment: only they get a placeholder account."""
        run = self.run
        authors: set[int] = set()
        total = totals[dump.POSTS_FILE] + totals.get(dump.COMMENTS_FILE, 0)
        with run.progress("Authors", total) as bar:
            for post in dump.read_posts(run.dump_dir, lambda _row: None):  # reported by the posts pass
                if post.owner_id is not None:
                    authors.add(post.owner_id)
                bar.update(1)
            if dump.COMMENTS_FILE in run.files:
                for comment in dump.read_comments(run.dump_dir, lambda _row: None):
                    if comment.user_id is not None:
                        authors.add(comment.user_id)
                    bar.update(1)
        return authors

    def import_users(self, total: int, authors: set[int]) -> None:
        """Create a placeholder for each author listed in Users.xml, one flush per batch."""
        batch: list[tuple[int, User]] = []
        with db.session.no_autoflush:
            for user in self.run.stage("Users", total, dump.read_users, "users"):
                if user.id in authors and user.id not in self.users:
                    batch.append(
                        (
                            user.id,
                            self._new_user(f"se-{user.id}", user.display_name, user.id, user.created_at),
                        )
                    )
                    if len(batch) >= self.run.batch_size:
                        self._save_users(batch)
            self._save_users(batch)

    def author_id(self, owner_id: int | None, owner_name: str | None, created_at: datetime) -> int:
        """The account of a post's author: theirs, or one shared per display name if theirs was deleted."""
        if owner_id is not None:
            if owner_id not in self.users:
                name = owner_name or f"user{owner_id}"  # not in Users.xml (or no Users.xml)
                self.users[owner_id] = self._create_user(f"se-{owner_id}", name, owner_id, created_at)
            return self.users[owner_id]
        if owner_name:
            local = "se-anon-" + hashlib.sha256(owner_name.encode()).hexdigest()[:16]
        else:
            local, owner_name = "se-deleted", "deleted-user"
        if local not in self.named_users:
            self.named_users[local] = self._create_user(local, owner_name, None, created_at)
        return self.named_users[local]

    def _save_users(self, batch: list[tuple[int, User]]) -> None:
        db.session.flush()
        self.users.update((se_id, user.id) for se_id, user in batch)
        batch.clear()
        self.unflushed_usernames.clear()
        self.run.commit()

    def _new_user(self, local: str, display_name: str, se_id: int | None, created_at: datetime) -> User:
        """Add a placeholder account nobody can sign in to (email ``<local>@<site>.import.invalid``)."""
        username = self._free_username(placeholder_username(display_name, se_id))
        self.unflushed_usernames.add(normalise_username(username))
        user = User(
            username=username,
            username_key=normalise_username(username),
            email=f"{local}@{self.email_domain}",
            password_hash=PLACEHOLDER_PASSWORD_HASH,
            is_placeholder=True,
            reputation=1,
            created_at=created_at,
        )
        db.session.add(user)
        self.run.summary.created["users"] += 1
        return user

    def _create_user(self, local: str, display_name: str, se_id: int | None, created_at: datetime) -> int:
        user = self._new_user(local, display_name, se_id, created_at)
        db.session.flush()
        self.unflushed_usernames.clear()
        return user.id

    def _free_username(self, base: str) -> str:
        """``base``, or ``base-2`` ... when a member (or another site's import) already has it."""
        suffixes = ["", *(f"-{n}" for n in range(2, 10)), "-" + hashlib.sha256(base.encode()).hexdigest()[:8]]
        candidates = [base[: USERNAME_MAX - len(suffix)] + suffix for suffix in suffixes]
        keys = [normalise_username(name) for name in candidates]
        taken = set(db.session.scalars(select(User.username_key).where(User.username_key.in_(keys))))
        taken |= self.unflushed_usernames.intersection(keys)
        return next(
            (name for name, key in zip(candidates, keys, strict=True) if key not in taken), candidates[-1]
        )
