"""`server` flags become validated settings; each bad value gets a clear error naming the flag."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from kubelite.cli.serversettings import (
    PAUSE_COMMAND,
    PAUSE_IMAGE,
    ListenAddress,
    SettingsError,
    add_server_arguments,
    parse_listen,
    server_settings,
)


def _parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_server_arguments(parser)
    return parser.parse_args(list(argv))


def test_defaults_are_the_issues(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    settings = server_settings(_parse())
    assert settings.data_dir == tmp_path / ".kubelite"
    assert settings.listen == ListenAddress("127.0.0.1", 6443)
    assert (settings.runtime, settings.nodes, settings.store) == ("auto", 1, "sqlite")
    assert settings.kubeconfig_path == tmp_path / ".kubelite" / "kubeconfig.yaml"
    assert settings.docker.sandbox_image == PAUSE_IMAGE
    assert settings.docker.sandbox_command == PAUSE_COMMAND
    assert (settings.log.format, settings.log.level) == ("console", "info")
    assert settings.plugins == () and not settings.insecure_http


def test_every_flag_is_carried() -> None:
    settings = server_settings(
        _parse(
            *("--data-dir", "/srv/k", "--listen", "[::1]:0", "--runtime", "docker"),
            *("--docker-host", "unix:///d.sock", "--sandbox-image", "busybox"),
            *("--sandbox-command", "sleep '1 2'", "--nodes", "3", "--store", "memory"),
            *("--kubeconfig", "/tmp/kc", "--plugin", "a.b:c", "--plugin", "d:e"),
            *("--log-format", "json", "--log-level", "DEBUG", "--insecure-http"),
        )
    )
    assert settings.data_dir == Path("/srv/k") and settings.listen == ListenAddress("::1", 0)
    assert settings.docker.host == "unix:///d.sock"
    assert settings.docker.sandbox_command == ("sleep", "1 2")
    assert (settings.nodes, settings.store, settings.kubeconfig_path) == (3, "memory", Path("/tmp/kc"))
    assert settings.plugins == ("a.b:c", "d:e")
    assert (settings.log.format, settings.log.level, settings.insecure_http) == ("json", "debug", True)


def test_another_sandbox_image_uses_the_runtimes_command_unless_given() -> None:
    assert server_settings(_parse("--sandbox-image", "busybox")).docker.sandbox_command is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("127.0.0.1:6443", ("127.0.0.1", 6443)), ("localhost:0", ("localhost", 0)), ("[::]:80", ("::", 80))],
)
def test_parse_listen(text: str, expected: tuple[str, int]) -> None:
    assert parse_listen(text) == ListenAddress(*expected)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--listen", "6443"], "invalid --listen '6443': expected HOST:PORT, e.g. 127.0.0.1:6443"),
        (["--listen", "::1:6443"], "invalid --listen '::1:6443': write an IPv6 address in brackets"),
        (["--listen", "h:99999"], "invalid --listen 'h:99999': the port must be a number from 0 to 65535"),
        (["--listen", "h:x"], "the port must be a number"),
        (["--nodes", "-1"], "invalid --nodes -1: must be between 0 and 10000"),
        (["--plugin", "nocolon"], "invalid --plugin 'nocolon': expected module:attr"),
        (["--sandbox-command", "'open"], "invalid --sandbox-command"),
        (["--sandbox-command", ""], "it must name a program"),
        (
            ["--insecure-http", "--listen", "0.0.0.0:8080"],
            "--insecure-http serves the API without TLS or authentication and is only allowed on a "
            "loopback address (127.0.0.1, ::1, localhost), not '0.0.0.0'",
        ),
    ],
    ids=[
        "no-port",
        "bare-ipv6",
        "port-range",
        "port-text",
        "nodes",
        "plugin",
        "quote",
        "empty-cmd",
        "insecure",
    ],
)
def test_bad_values_are_refused_with_the_flag_named(argv: list[str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        server_settings(_parse(*argv))
    assert message in str(caught.value)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "[::1]", "localhost"])
def test_insecure_http_is_allowed_on_loopback(host: str) -> None:
    assert server_settings(_parse("--insecure-http", "--listen", f"{host}:0")).insecure_http
