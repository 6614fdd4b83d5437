"""Bad configuration is refused with one message naming the file, the key and the problem."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hub.config import SettingsError
from hub.config import load_settings as load_hub_settings
from kiosk.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent
DEMO = (ROOT / "config" / "demo" / "kiosk.toml").read_text()


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "token").write_text("kt_test\n")
    path = tmp_path / "kiosk.toml"
    path.write_text(text.replace('"../../.demo/device-token"', '"token"'))
    return path


def test_demo_configs_are_valid() -> None:
    assert load_settings(ROOT / "config" / "demo" / "kiosk.toml").kiosk_id == "demo-kiosk"
    assert load_hub_settings(ROOT / "config" / "demo" / "hub.toml").council_name == "Demo Borough Council"


@pytest.mark.parametrize(("change", "expected"), [
    (("kiosk_id = \"demo-kiosk\"", "kiosk_id = 42"), "kiosk_id: Input should be a valid string"),
    (("touch_only = false", "touch_only = false\nwallpaper = \"cats.png\""), "wallpaper: unknown key"),
    (("viewing_distance_mm = 600", "viewing_distance_mm = 20"), "screen.viewing_distance_mm: Input should be greater than or equal to 300"),
    (('url = "http://127.0.0.1:8700"', 'url = "ftp://hub"'), "hub.url: String should match pattern"),
    (('key = "q3Jm7vT1cXk9Wb2Yp5Nd8Rf0Hs4Lg6Az-Ue1Io3Ky7M="', 'key = "not-a-key-not-a-key-not-a-key-not-a-key-xxxx"'),
     "outbox.key: must decode to 32 bytes"),
    (('header_colour = "#0b0c0c"', 'header_colour = "black"'), "branding.header_colour: String should match pattern"),
    (('site = "stockton-csc"\n', ""), "site: Field required"),
    (("[screen]", "[screen"), "not valid TOML"),
])
def test_bad_kiosk_settings(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    assert change[0] in DEMO
    path = write(tmp_path, DEMO.replace(*change))
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert expected in str(caught.value)


def test_check_config_command(tmp_path: Path) -> None:
    good = write(tmp_path, DEMO)
    ok = subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(good)], capture_output=True, text=True,
                        cwd=ROOT, timeout=60)
    assert ok.returncode == 0, ok.stderr
    bad = write(tmp_path, DEMO.replace("touch_only = false", "touch_only = \"sometimes\""))
    result = subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(bad)], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip() == f"kiosk: {bad}: touch_only: Input should be a valid boolean, not text"
    missing = subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(tmp_path / "nope.toml")],
                             capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert missing.returncode == 2 and "nope.toml: file not found" in missing.stderr


def test_missing_token_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(DEMO.replace('"../../.demo/device-token"', '"absent-token"'))
    result = subprocess.run([sys.executable, "-m", "kiosk", "check-config", str(path)], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 2
    assert "hub.device_token_file: cannot read" in result.stderr and "absent-token" in result.stderr


def test_bad_hub_settings(tmp_path: Path) -> None:
    path = tmp_path / "hub.toml"
    path.write_text('data_key = "short"\n')
    with pytest.raises(SettingsError, match=r"hub.toml: data_key: String should have at least 44 characters"):
        load_hub_settings(path)
