"""Production settings refuse to start without what they need; every variable is documented."""

import ast
import re

import pytest

from tests.servers import REPO, free_port, site_env

from .servers import run

PRODUCTION = {
    "DAYFACTS_ENV": "production",
    "SECRET_KEY": "a-long-random-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "ALLOWED_HOSTS": "dayfacts.example",
    "SITE_URL": "https://dayfacts.example",
    "REDIS_URL": "redis://127.0.0.1:6379/13",
    "EMAIL_URL": "smtp://127.0.0.1:2525",
}


def read_variables():
    """Return every environment variable settings.py reads, found in its syntax tree."""
    tree = ast.parse((REPO / "dayfacts" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        # os.environ.get("X"), os.environ["X"], os.getenv("X"), env_bool("X"), env_list("X") ...
        if isinstance(node, ast.Call) and node.args:
            func = ast.unparse(node.func)
            if func in {"os.environ.get", "os.getenv"} or func.startswith("env_"):
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    names.add(arg.value)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
        elif isinstance(node, ast.Assign) and any(
                getattr(t, "id", "") == "REQUIRED_IN_PRODUCTION" for t in node.targets):
            names.update(elt.value for elt in node.value.elts)
    return names


def test_every_variable_settings_reads_is_in_docs_settings_md():
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)`", (REPO / "docs" / "settings.md")
                                .read_text(), re.MULTILINE))
    read = read_variables()
    assert {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "METRICS_TOKEN"} <= read
    assert read - documented == set(), "add these to the table in docs/settings.md"


def test_every_required_variable_is_marked_required_in_the_docs():
    from django.conf import settings

    docs = (REPO / "docs" / "settings.md").read_text()
    for name in settings.REQUIRED_IN_PRODUCTION:
        row = re.search(rf"^\| `{name}` \|.*$", docs, re.MULTILINE)
        assert row and "required in production" in row[0].lower(), name


@pytest.mark.parametrize("missing", [["REDIS_URL"],
                                     ["SECRET_KEY", "DATABASE_URL", "SITE_URL", "EMAIL_URL"]])
def test_production_refuses_to_start_naming_what_is_missing(tmp_path, missing):
    env = site_env(tmp_path, **{k: v for k, v in PRODUCTION.items() if k not in missing})
    result = run(["check"], env)
    assert result.returncode != 0
    assert "DAYFACTS_ENV=production needs these environment variables: " + ", ".join(
        name for name in PRODUCTION if name in missing) in result.stderr
    assert "Traceback" not in result.stderr


def test_production_with_everything_given_passes_the_checks(tmp_path):
    result = run(["check"], site_env(tmp_path, **PRODUCTION))
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_uses_postgresql_redis_smtp_and_hashed_static_files(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['CONN_MAX_AGE'], "
        "s.CACHES['default']['BACKEND'], s.TASKS['default']['BACKEND'], "
        "s.STORAGES['staticfiles']['BACKEND'], s.LOG_FORMAT, s.EMAIL_BACKEND, s.EMAIL_PORT)"
    )
    result = run(["shell", "-v", "0", "-c", code], site_env(tmp_path, **PRODUCTION))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql", "60",
        "django.core.cache.backends.redis.RedisCache",
        "django_tasks_rq.RQBackend",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "json",
        "django.core.mail.backends.smtp.EmailBackend", "2525",
    ]


def test_production_can_pool_database_connections_instead(tmp_path):
    code = ("from django.conf import settings as s; d = s.DATABASES['default']; "
            "print(d['CONN_MAX_AGE'], d['OPTIONS']['pool']['max_size'])")
    env = site_env(tmp_path, **PRODUCTION, DATABASE_POOL="1", DATABASE_POOL_SIZE="4")
    result = run(["shell", "-v", "0", "-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "4"]


def test_a_typo_in_a_url_is_reported_not_hidden(tmp_path):
    env = site_env(tmp_path, **{**PRODUCTION, "DATABASE_URL": "postgress://oops",
                                "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    result = run(["check"], env)
    assert result.returncode != 0
    assert "postgress" in result.stderr
