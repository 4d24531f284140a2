"""Open the store by URL (a path or ``sqlite:///…`` by default, ``postgresql://…`` too), migrated to the latest schema.

Alembic migrations run on open, so an old store is brought up to date and a new one is created;
SQLite gets foreign keys enforced and write-ahead logging so readers never block the ingest.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, SQLAlchemyError

from claimledger.errors import InputError

if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_DB = "ledger.db"
MIGRATIONS = Path(__file__).with_name("migrations")


def database_url(db: str | None) -> str:
    """The SQLAlchemy URL of ``db``: a file path becomes SQLite, ``postgresql://`` uses psycopg 3."""
    db = db or DEFAULT_DB
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser()}"
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def open_engine(db: str | None = None, *, migrate: bool = True, create: bool = True) -> Engine:
    """An engine on the store at ``db``, its schema migrated to the latest revision.

    With ``create=False`` a SQLite file that does not exist is an error (for read-only commands).
    """
    url = database_url(db)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(f"{db}: not a database path or URL") from None
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database
        if path and path != ":memory:":
            if not create and not Path(path).exists():
                raise InputError(f"{db}: no such store (run `claimledger ingest` first)")
            if Path(path).is_dir():
                raise InputError(f"{db}: is a directory, not a store file")
            if not Path(path).parent.exists():
                raise InputError(f"{db}: the folder {Path(path).parent} does not exist")
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
    elif parsed.get_backend_name() == "postgresql":
        engine = create_engine(url, pool_pre_ping=True)
    else:
        raise InputError(f"{db}: unsupported database (use a SQLite path or postgresql://…)")
    sqlite_file = parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
    # Two processes creating one new store at once: the second would find the first's half-made
    # tables. Checking and migrating hold an exclusive lock on the store file, one process at a time.
    with _file_lock(parsed.database or "", db) if sqlite_file else nullcontext():
        try:
            with engine.connect():
                pass
            tables = set(inspect(engine).get_table_names())
        except SQLAlchemyError as error:
            raise InputError(f"{db}: cannot open the store ({first_line(error)})") from None
        if tables and "alembic_version" not in tables:
            raise InputError(f"{db}: is a database but not a claimledger store (it has other tables)")
        if migrate:
            migrate_to_latest(engine, db)
    return engine


@contextmanager
def _file_lock(path: str, db: str | None):
    """An exclusive advisory lock (flock) on the SQLite file, which it creates empty if missing.

    SQLite's own locks are POSIX record locks, which flock does not touch, so readers and writers
    of the store are not blocked; only other claimledger processes opening the store wait.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, as before
        yield
        return
    try:
        try:
            handle: IO[bytes] = open(path, "ab")
        except PermissionError:  # a read-only store can still be read (and locked for reading)
            handle = open(path, "rb")
    except OSError as error:
        raise InputError(f"{db}: cannot open the store ({error.strerror or error})") from None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()  # releases the lock


def migrate_to_latest(engine: Engine, db: str | None = None) -> None:
    """Run every Alembic migration the store has not had yet."""
    try:
        run_migrations(engine, "head")
    except SQLAlchemyError as error:
        raise InputError(
            f"{db or engine.url}: is not a claimledger store or cannot be migrated ({first_line(error)}); "
            f"if another claimledger process was creating or upgrading it at the same moment, run the command again"
        ) from None


def run_migrations(engine: Engine, revision: str, action: Callable[[Config, str], None] | None = None) -> None:
    """Upgrade the store to ``revision`` (or run ``action``, e.g. ``alembic.command.downgrade``), in one transaction.

    On SQLite, foreign keys are off meanwhile and checked at the end: a migration may rebuild a table
    others refer to (SQLite cannot add a constraint in place), and dropping the old copy with foreign
    keys on would delete the rows that refer to it. The switch only works outside a transaction.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                (action or command.upgrade)(config, revision)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise IntegrityError("PRAGMA foreign_key_check", None, Exception("rows refer to rows that are gone"))
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def first_line(error: Exception) -> str:
    text = str(getattr(error, "orig", None) or error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__
