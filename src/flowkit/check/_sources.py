"""Which names, used in workflow code, are sources of nondeterminism, and which rule each
breaks. Names are canonical: the dotted path the name was imported from, whatever alias
the module used (``from datetime import datetime as dt; dt.now()`` is
``datetime.datetime.now``)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Source", "lookup"]


@dataclass(frozen=True)
class Source:
    """A nondeterministic name: the rule it breaks and, when it has one of its own, the
    alternative to propose. ``only_without_args``: only a call with no arguments is
    nondeterministic (``time.localtime()`` reads the clock, ``time.localtime(t)`` does
    not)."""

    rule: str
    alternative: str | None = None
    only_without_args: bool = False


_SLEEP = "await workflow.sleep(...) (a durable timer)"
_UUID = "temporal_workflow.uuid4() (flowkit.workflow.uuid)"
_LOOP = "nothing: the workflow's event loop belongs to Temporal; await coroutines instead"

EXACT: dict[str, Source] = {
    **{
        f"time.{n}": Source("FK101")
        for n in [
            "time",
            "time_ns",
            "monotonic",
            "monotonic_ns",
            "perf_counter",
            "perf_counter_ns",
            "process_time",
            "process_time_ns",
            "thread_time",
            "thread_time_ns",
            "clock_gettime",
            "clock_gettime_ns",
        ]
    },
    **{f"time.{n}": Source("FK101", only_without_args=True) for n in ("localtime", "gmtime")},
    **{f"time.{n}": Source("FK101", only_without_args=True) for n in ("ctime", "asctime")},
    "time.sleep": Source("FK101", _SLEEP),
    "datetime.datetime.now": Source("FK101"),
    "datetime.datetime.utcnow": Source("FK101"),
    "datetime.datetime.today": Source("FK101"),
    "datetime.date.today": Source("FK101"),
    "random.Random": Source("FK102", only_without_args=True),
    "uuid.uuid1": Source("FK102", _UUID),
    "uuid.uuid4": Source("FK102", _UUID),
    "os.urandom": Source("FK102"),
    "os.getrandom": Source("FK102"),
    "asyncio.to_thread": Source("FK103"),
    "asyncio.run_coroutine_threadsafe": Source("FK103"),
    "os.fork": Source("FK103"),
    "builtins.open": Source("FK104"),
    "builtins.input": Source("FK104"),
    "io.open": Source("FK104"),
    "asyncio.open_connection": Source("FK104"),
    "asyncio.start_server": Source("FK104"),
    "asyncio.create_subprocess_exec": Source("FK104"),
    "asyncio.create_subprocess_shell": Source("FK104"),
    "sqlite3.connect": Source("FK104"),
    "pathlib.Path.cwd": Source("FK104"),
    "pathlib.Path.home": Source("FK104"),
    **{
        f"os.{n}": Source("FK104")
        for n in [
            "open",
            "system",
            "popen",
            "listdir",
            "scandir",
            "walk",
            "remove",
            "unlink",
            "rmdir",
            "mkdir",
            "makedirs",
            "rename",
            "replace",
            "stat",
            "lstat",
            "chmod",
            "chdir",
            "getcwd",
            "truncate",
        ]
    },
    **{
        f"os.path.{n}": Source("FK104")
        for n in ["exists", "isfile", "isdir", "getsize", "getmtime", "getctime", "getatime"]
    },
    "os.environ": Source("FK105"),
    "os.environb": Source("FK105"),
    "os.getenv": Source("FK105"),
    "os.getenvb": Source("FK105"),
    "os.putenv": Source("FK105"),
    "os.unsetenv": Source("FK105"),
    "asyncio.wait": Source("FK106", "temporal_workflow.wait() (the same, deterministic)"),
    "asyncio.as_completed": Source(
        "FK106", "temporal_workflow.as_completed() (the same, deterministic)"
    ),
    "asyncio.run": Source("FK106", _LOOP),
    "asyncio.new_event_loop": Source("FK106", _LOOP),
    "asyncio.set_event_loop": Source("FK106", _LOOP),
    "asyncio.set_event_loop_policy": Source("FK106", _LOOP),
}

# Every name under these modules.
PREFIXES: dict[str, Source] = {
    "random": Source("FK102"),
    "secrets": Source("FK102"),
    "threading": Source("FK103"),
    "_thread": Source("FK103"),
    "multiprocessing": Source("FK103"),
    "concurrent.futures": Source("FK103"),
    **{
        m: Source("FK104")
        for m in [
            "subprocess",
            "socket",
            "ssl",
            "select",
            "selectors",
            "shutil",
            "glob",
            "tempfile",
            "requests",
            "httpx",
            "aiohttp",
            "urllib3",
            "urllib.request",
            "http.client",
            "ftplib",
            "smtplib",
            "imaplib",
            "poplib",
            "telnetlib",
            "boto3",
            "botocore",
            "psycopg",
            "psycopg2",
            "asyncpg",
            "redis",
            "pymongo",
            "sqlalchemy",
        ]
    },
}

# Methods that are nondeterministic whatever they are called on.
METHODS: dict[str, Source] = {
    "run_in_executor": Source("FK103"),
    "run_until_complete": Source("FK106", _LOOP),
    "run_forever": Source("FK106", _LOOP),
    "set_task_factory": Source("FK106", _LOOP),
}

# Methods of a ``pathlib.Path(...)`` (or ``Path.cwd()``, ``p / "x"``) that touch the disk.
PATH_METHODS = frozenset(
    [
        "read_text",
        "read_bytes",
        "write_text",
        "write_bytes",
        "open",
        "touch",
        "mkdir",
        "unlink",
        "rmdir",
        "rename",
        "replace",
        "iterdir",
        "glob",
        "rglob",
        "exists",
        "is_file",
        "is_dir",
        "stat",
        "lstat",
        "resolve",
        "samefile",
        "chmod",
        "symlink_to",
        "hardlink_to",
        "expanduser",
    ]
)
PATH_CLASSES = frozenset(f"pathlib.{c}" for c in ("Path", "PosixPath", "WindowsPath"))


def lookup(name: str) -> Source | None:
    """The source a canonical dotted name is, or is an attribute of
    (``os.environ.get``), if any."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        found = EXACT.get(prefix) or PREFIXES.get(prefix)
        if found is not None:
            return found
    return None
