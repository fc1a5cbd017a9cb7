"""Backup and restore of the database and the uploaded files together, in one archive.

``create()`` takes a consistent snapshot while the app runs:

- SQLite: the online backup API copies the database in one read transaction;
- PostgreSQL: a REPEATABLE READ transaction exports its snapshot, ``pg_dump -Fc --snapshot``
  dumps exactly that state, and the same transaction lists the files that state refers to.

Then the files the snapshot refers to (every ``FileField`` of every model) are copied from
``MEDIA_ROOT``. A file uploaded meanwhile belongs to rows the snapshot does not have, so it is
left out. The archive (``.tar.gz``) holds ``manifest.json`` (format, engine, time, applied
migrations, and the SHA-256 and size of every member), the database and ``media/``.

``restore()`` checks every checksum before it touches anything, then replaces the database
completely (SQLite: the backup API in reverse; PostgreSQL: the schema is dropped and the dump
restored in one ``psql --single-transaction``), then replaces ``MEDIA_ROOT`` by the archive's
files (anything not in the backup is removed, so a reissued problem number never finds an
orphaned folder). Afterwards it migrates to the running code, ends every session, keeps API
tokens revoked since the backup revoked, clears the cache and writes the security log.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, models

from qingdan.lib import clock

FORMAT = "qingdan-backup/1"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """Something an operator must read: the archive or the machine is not as expected."""


@dataclass
class Summary:
    path: Path
    engine: str
    files: int = 0
    missing: list[str] = field(default_factory=list)


def engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField: where the database names stored files."""
    found = []
    for model in apps.get_models():
        for field_ in model._meta.concrete_fields:
            if isinstance(field_, models.FileField):
                found.append((model._meta.db_table, field_.column))
    return found


def _referenced(cursor, quote) -> set[str]:
    names = set()
    for table, column in file_columns():
        cursor.execute(
            f"SELECT {quote(column)} FROM {quote(table)} "  # noqa: S608 (names from the models)
            f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
        )
        names.update(row[0] for row in cursor.fetchall())
    return names


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _applied_migrations(cursor) -> dict[str, str]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    latest: dict[str, str] = {}
    for app, name in cursor.fetchall():
        latest[app] = name
    return latest


# --- Backup ------------------------------------------------------------------------------------


def _snapshot_sqlite(target: Path) -> tuple[set[str], dict]:
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)  # one consistent copy, even while in use
        cursor = destination.cursor()
        names = _referenced(cursor, lambda name: '"' + name.replace('"', '""') + '"')
        migrations = _applied_migrations(cursor)
    finally:
        destination.close()
    return names, migrations


def _pg_environment(settings_dict: dict) -> tuple[list[str], dict]:
    args = []
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, environment


def _run(command: list[str], environment: dict, **kwargs) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(command, env=environment, capture_output=True, **kwargs)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed: apt-get install postgresql-client "
            "(the same major version as the server, or newer)."
        ) from None
    if result.returncode != 0:
        error = result.stderr.decode(errors="replace") if isinstance(result.stderr, bytes) else ""
        raise BackupError(f"{command[0]} failed: {error.strip()[:2000]}")
    return result


def _snapshot_postgresql(target: Path) -> tuple[set[str], dict]:
    settings_dict = connection.settings_dict
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            args, environment = _pg_environment(settings_dict)
            dump = ["pg_dump", *args, "--format=custom", f"--snapshot={snapshot}"]
            _run([*dump, f"--file={target}", "--dbname", settings_dict["NAME"]], environment)
            names = _referenced(cursor, lambda name: '"' + name.replace('"', '""') + '"')
            migrations = _applied_migrations(cursor)
        raw.rollback()
    finally:
        raw.close()
    return names, migrations


def create(output: Path | None = None) -> Summary:
    """Write a backup archive and return what it holds."""
    kind = engine()
    stamp = clock.now().astimezone(clock.BEIJING).strftime("%Y%m%d-%H%M%S")
    output = Path(output or settings.DATA_DIR / "backups" / f"qingdan-{stamp}.tar.gz")
    output.parent.mkdir(parents=True, exist_ok=True)
    media = Path(settings.MEDIA_ROOT)
    database_name = "database.sqlite3" if kind == "sqlite" else "database.pgdump"
    with tempfile.TemporaryDirectory(dir=output.parent) as work:
        database_path = Path(work) / database_name
        snapshot = _snapshot_sqlite if kind == "sqlite" else _snapshot_postgresql
        names, migrations = snapshot(database_path)
        manifest = {
            "format": FORMAT,
            "created": clock.now().isoformat(),
            "engine": kind,
            "migrations": migrations,
            "database": {
                "member": database_name,
                "sha256": _sha256(database_path),
                "size": database_path.stat().st_size,
            },
            "files": {},
            "missing": [],
        }
        partial = output.with_name(output.name + ".partial")
        summary = Summary(path=output, engine=kind)
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(database_path, arcname=database_name)
            for name in sorted(names):
                source = media / name
                if not _inside(media, source) or not source.is_file():
                    manifest["missing"].append(name)
                    continue
                member = f"media/{name}"
                manifest["files"][member] = {
                    "sha256": _sha256(source),
                    "size": source.stat().st_size,
                }
                archive.add(source, arcname=member)
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(clock.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
        os.replace(partial, output)  # a half-written archive never carries the final name
    summary.files = len(manifest["files"])
    summary.missing = manifest["missing"]
    return summary


def _inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


# --- Verify -------------------------------------------------------------------------------------


def read_manifest(archive_path: Path) -> dict:
    """The manifest, after checking every member against it (and nothing else is there)."""
    try:
        archive = tarfile.open(archive_path, "r:*")  # noqa: SIM115  (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive_path} is not a Qingdan backup archive ({exc}).") from None
    with archive:
        try:
            manifest = json.load(archive.extractfile("manifest.json"))
        except (KeyError, ValueError, TypeError):
            raise BackupError(f"{archive_path} has no readable manifest.json.") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        expected = {manifest["database"]["member"]: manifest["database"]}
        expected.update(manifest["files"])
        seen = set()
        for member in archive.getmembers():
            if member.name == "manifest.json":
                continue
            _check_member_name(member)
            if member.name not in expected:
                raise BackupError(f"Unexpected member in the archive: {member.name}")
            digest = hashlib.sha256()
            handle = archive.extractfile(member)
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
            if digest.hexdigest() != expected[member.name]["sha256"]:
                raise BackupError(f"Checksum mismatch for {member.name}: the archive is damaged.")
            seen.add(member.name)
        absent = set(expected) - seen
        if absent:
            raise BackupError(f"Members missing from the archive: {', '.join(sorted(absent))}")
    return manifest


def _check_member_name(member: tarfile.TarInfo) -> None:
    path = PurePosixPath(member.name)
    if not member.isfile() or path.is_absolute() or ".." in path.parts:
        raise BackupError(f"Refusing an unsafe archive member: {member.name}")


# --- Restore ------------------------------------------------------------------------------------


def _live_revoked_tokens() -> list[str]:
    """Hashes of API tokens revoked in the live database (they stay revoked after restore)."""
    from qingdan.api.models import ApiToken

    try:
        return list(
            ApiToken.objects.filter(revoked__isnull=False).values_list("key_hash", flat=True)
        )
    except Exception:  # an empty or older database: nothing to carry over
        return []


def _restore_sqlite(database_file: Path) -> None:
    connections.close_all()
    connection.ensure_connection()
    source = sqlite3.connect(database_file)
    try:
        source.backup(connection.connection)  # replaces the live database, schema and all
    finally:
        source.close()
    connections.close_all()


def _restore_postgresql(database_file: Path) -> None:
    settings_dict = connection.settings_dict
    args, environment = _pg_environment(settings_dict)
    # The dump as SQL, then one psql transaction: drop everything, recreate, load. If any
    # statement fails, the transaction rolls back and the live database is as it was.
    script = _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(database_file)],
        environment,
    ).stdout
    prologue = b"DROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n"
    connections.close_all()
    psql = ["psql", *args, "--quiet", "--no-psqlrc", "--single-transaction"]
    psql += ["--set=ON_ERROR_STOP=1", "--dbname", settings_dict["NAME"], "--file=-"]
    _run(psql, environment, input=prologue + script)
    connections.close_all()


def _replace_media(extracted: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y%m%d%H%M%S%f")
    old = media.with_name(f"{media.name}.replaced-{stamp}")
    if media.exists():
        os.replace(media, old)
    os.replace(extracted, media)
    if old.exists():
        shutil.rmtree(old)


def restore(archive_path: Path) -> dict:
    """Replace the database and the uploaded files by the archive's. Returns its manifest."""
    archive_path = Path(archive_path)
    manifest = read_manifest(archive_path)  # every checksum, before anything is touched
    kind = engine()
    if manifest["engine"] != kind:
        raise BackupError(
            f"This backup is of a {manifest['engine']} database; the configured database is "
            f"{kind}. Restore it into a {manifest['engine']} database."
        )
    revoked = _live_revoked_tokens()
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=media.parent, prefix=".restore-") as work:
        work_path = Path(work)
        extracted = work_path / "media"
        extracted.mkdir()
        database_file = work_path / manifest["database"]["member"]
        with tarfile.open(archive_path, "r:*") as archive:
            for member in archive.getmembers():
                if member.name == "manifest.json":
                    continue
                _check_member_name(member)
                if member.name == manifest["database"]["member"]:
                    target = database_file
                else:
                    target = extracted / PurePosixPath(member.name).relative_to("media")
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out, CHUNK)
        if kind == "sqlite":
            _restore_sqlite(database_file)
        else:
            _restore_postgresql(database_file)
        _replace_media(extracted)
    _after_restore(manifest, archive_path, revoked)
    return manifest


def _after_restore(manifest: dict, archive_path: Path, revoked: list[str]) -> None:
    from django.contrib.sessions.models import Session
    from django.core.cache import cache
    from django.core.management import call_command

    from qingdan.accounts import security
    from qingdan.api.models import ApiToken

    call_command("migrate", interactive=False, verbosity=0)  # a backup of older code
    Session.objects.all().delete()  # every session signs in again
    if revoked:
        ApiToken.objects.filter(key_hash__in=revoked, revoked__isnull=True).update(
            revoked=clock.now()
        )
    cache.clear()  # rate-limit counters, dashboard figures of the replaced database
    from qingdan.problems import calendar

    calendar.forget()
    security.record(
        security.Kind.RESTORED,
        subject=archive_path.name,
        detail={"backup_created": manifest["created"], "files": len(manifest["files"])},
    )
