"""Compose files become the WorkspaceSpecs Docker Compose would create: parsing, YAML typing and
variable interpolation (pure and fast; no root needed)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from workspace_runner.api import PortBinding, RunnerError, VolumeMount  # noqa: E402
from workspace_runner.compose import parse_dotenv, specs_from_compose  # noqa: E402
from workspace_runner.runner import variant_for_image  # noqa: E402


def one(compose, env="", project="devpod-abc123", host_ip="127.0.0.1", warnings=None):
    specs = specs_from_compose(compose, project, host_ip=host_ip, env_file_text=env,
                               warn=(warnings.append if warnings is not None else (lambda m: None)))
    assert len(specs) == 1, specs
    return specs[0]


WORKSPACE = """
services:
  workspace:
    image: debian:bookworm
    privileged: true
    entrypoint: ["/bin/sh", "-c"]
    command:
      - |
        set -e
        echo "$$HOME" > /tmp/home
        exec /usr/sbin/sshd -D -e
    environment:
      DEVPOD_USER: ${DEVPOD_USER:-devpod}
      AUTHORIZED_KEY: "${AUTHORIZED_KEY}"
    ports:
      - "2222:22"
    volumes:
      - home:/home/devpod
    working_dir: /root
    user: "0:0"
    restart: unless-stopped
    deploy:
      resources:
        limits:
          cpus: "1.5"
          memory: 2g
volumes:
  home:
"""


class ComposeServiceTest(unittest.TestCase):
    def test_workspace_service_becomes_one_spec_named_like_compose(self):
        spec = one(WORKSPACE, env="AUTHORIZED_KEY=ssh-ed25519 AAAAC3Nza key@host\n")
        self.assertEqual(spec.key, "devpod-abc123-workspace-1")
        self.assertEqual(spec.group, "devpod-abc123")
        self.assertEqual(spec.image, "debian:bookworm")
        self.assertTrue(spec.privileged)
        self.assertEqual(spec.entrypoint, ("/bin/sh", "-c"))
        self.assertEqual(spec.command, ('set -e\necho "$HOME" > /tmp/home\nexec /usr/sbin/sshd -D -e\n',))
        self.assertEqual(spec.env, (("AUTHORIZED_KEY", "ssh-ed25519 AAAAC3Nza key@host"), ("DEVPOD_USER", "devpod")))
        self.assertEqual(spec.ports, (PortBinding(2222, 22, "tcp", "127.0.0.1"),))
        self.assertEqual(spec.volumes, (VolumeMount("devpod-abc123_home", "/home/devpod", "volume", False),))
        self.assertEqual(spec.working_dir, "/root")
        self.assertEqual(spec.user, "0:0")
        self.assertEqual(spec.nano_cpus, 1_500_000_000)
        self.assertEqual(spec.memory_limit_bytes, 2 << 30)

    def test_string_command_is_split_like_a_shell(self):
        spec = one("services:\n  s:\n    image: x\n    command: sh -c 'echo a  b; sleep 1' \"q r\"\n")
        self.assertEqual(spec.command, ("sh", "-c", "echo a  b; sleep 1", "q r"))
        self.assertIsNone(spec.entrypoint)

    def test_no_entrypoint_or_command_keeps_the_image_defaults(self):
        spec = one("services:\n  s:\n    image: x\n")
        self.assertIsNone(spec.entrypoint)
        self.assertIsNone(spec.command)
        self.assertEqual(spec.env, ())

    def test_environment_list_form_and_valueless_entries(self):
        spec = one("services:\n  s:\n    image: x\n    environment:\n      - A=1\n      - B=x=y\n      - FROM_ENV\n"
                   "      - MISSING\n      - EMPTY=\n", env="FROM_ENV=dotenv\n")
        self.assertEqual(spec.env, (("A", "1"), ("B", "x=y"), ("EMPTY", ""), ("FROM_ENV", "dotenv")))

    def test_environment_map_scalars_are_strings_as_go_yaml_reads_them(self):
        spec = one("services:\n  s:\n    image: x\n    environment:\n      YES: yes\n      ON: on\n      T: true\n"
                   "      N: 5\n      F: 1.5\n      NULLED:\n")
        self.assertEqual(dict(spec.env), {"YES": "yes", "ON": "on", "T": "true", "N": "5", "F": "1.5"})

    def test_unquoted_port_pair_is_not_a_base_60_number(self):
        spec = one("services:\n  s:\n    image: x\n    ports:\n      - 22:22\n")
        self.assertEqual(spec.ports, (PortBinding(22, 22, "tcp", "127.0.0.1"),))

    def test_port_forms(self):
        spec = one("""
services:
  s:
    image: x
    ports:
      - "127.0.0.3:2200:22"
      - "0.0.0.0:2201:22"
      - "2202:22/udp"
      - "8000-8001:9000-9001"
      - target: 23
        published: "2203"
        host_ip: 127.0.0.4
        protocol: tcp
        mode: host
      - target: 24
        published: 2204
""", host_ip="127.0.0.2")
        self.assertEqual(spec.ports, (
            PortBinding(2200, 22, "tcp", "127.0.0.3"),
            PortBinding(2201, 22, "tcp", "127.0.0.2"),
            PortBinding(2202, 22, "udp", "127.0.0.2"),
            PortBinding(8000, 9000, "tcp", "127.0.0.2"),
            PortBinding(8001, 9001, "tcp", "127.0.0.2"),
            PortBinding(2203, 23, "tcp", "127.0.0.4"),
            PortBinding(2204, 24, "tcp", "127.0.0.2"),
        ))

    def test_port_without_published_gets_a_free_one(self):
        spec = one("services:\n  s:\n    image: x\n    ports: ['22']\n")
        self.assertEqual(spec.ports[0].target, 22)
        self.assertGreater(spec.ports[0].published, 0)

    def test_volume_forms(self):
        spec = one("""
services:
  s:
    image: x
    volumes:
      - data:/data:ro
      - /srv/host:/host
      - type: volume
        source: named
        target: /named
      - type: bind
        source: /etc/hostname
        target: /h
        read_only: true
      - ext:/ext
      - renamed:/renamed
      - /anon
volumes:
  data: {}
  named:
  ext:
    external: true
  renamed:
    name: custom-name
""")
        self.assertEqual(spec.volumes[:6], (
            VolumeMount("devpod-abc123_data", "/data", "volume", True),
            VolumeMount("/srv/host", "/host", "bind", False),
            VolumeMount("devpod-abc123_named", "/named", "volume", False),
            VolumeMount("/etc/hostname", "/h", "bind", True),
            VolumeMount("ext", "/ext", "volume", False),
            VolumeMount("custom-name", "/renamed", "volume", False),
        ))
        anon = spec.volumes[6]
        self.assertEqual((anon.kind, anon.target), ("volume", "/anon"))
        self.assertTrue(anon.source.startswith("devpod-abc123_"))

    def test_undeclared_named_volume_is_an_error(self):
        with self.assertRaisesRegex(RunnerError, 'service "s" refers to undefined volume data'):
            one("services:\n  s:\n    image: x\n    volumes: ['data:/data']\n")

    def test_mem_limit_and_cpus_outside_deploy(self):
        spec = one("services:\n  s:\n    image: x\n    mem_limit: 512m\n    cpus: 0.5\n")
        self.assertEqual(spec.memory_limit_bytes, 512 << 20)
        self.assertEqual(spec.nano_cpus, 500_000_000)

    def test_container_name_and_project_name_normalisation(self):
        spec = one("services:\n  Web:\n    image: x\n", project="My_Project")
        self.assertEqual(spec.key, "my_project-Web-1")
        spec = one("services:\n  s:\n    image: x\n    container_name: fixed\n")
        self.assertEqual(spec.key, "fixed")

    def test_services_in_file_order(self):
        specs = specs_from_compose("services:\n  b:\n    image: x\n  a:\n    image: y\n", "p")
        self.assertEqual([s.key for s in specs], ["p-b-1", "p-a-1"])

    def test_invalid_yaml_is_a_compose_like_error(self):
        with self.assertRaisesRegex(RunnerError, r"^yaml: line \d+: "):
            specs_from_compose("services:\n  s:\n    image: x\n   bad: [\n", "p")

    def test_unknown_shapes_are_errors(self):
        for text, message in (
            ("", "empty compose file"),
            ("- a\n- b\n", "Top-level object must be a mapping"),
            ("services: {}\nfoo: 1\n", "(root) Additional property foo is not allowed"),
            ("services: [a]\n", "services must be a mapping"),
            ("services:\n  s:\n    image: x\n    imgae: y\n", "services.s Additional property imgae is not allowed"),
            ("services:\n  s:\n    command: x\n", "neither an image nor a build context"),
        ):
            with self.subTest(text=text), self.assertRaises(RunnerError) as cm:
                specs_from_compose(text, "p")
            self.assertIn(message, str(cm.exception))

    def test_ignored_compose_keys_are_accepted(self):
        spec = one("x-common: &c {a: 1}\nversion: '3.8'\nservices:\n  s:\n    image: x\n    restart: always\n"
                   "    networks: [dokploy-network]\n    labels: {a: b}\n    healthcheck: {test: [CMD, 'true']}\n"
                   "networks:\n  dokploy-network:\n    external: true\n")
        self.assertEqual(spec.image, "x")


class InterpolationTest(unittest.TestCase):
    """Compose's interpolation: the provider escapes `$` as `$$`, and the workspace must then see
    exactly one `$`."""

    def cmd(self, template, env="", warnings=None):
        text = "services:\n  s:\n    image: x\n    command: [%s]\n" % _yaml_quote(template)
        return one(text, env=env, warnings=warnings).command[0]

    def test_double_dollar_is_a_literal_dollar(self):
        self.assertEqual(self.cmd("echo $$HOME $${X} $$$$"), "echo $HOME ${X} $$")

    def test_password_hash_escaped_by_the_provider_survives(self):
        hashed = "$6$rounds=5000$saltsalt$abcdefghijklmnopqrstuvwxyz0123456789./ABCDEF"
        self.assertEqual(self.cmd(hashed.replace("$", "$$")), hashed)

    def test_unescaped_hash_is_mangled_exactly_as_compose_would(self):
        warnings = []
        self.assertEqual(self.cmd("$6$saltsalt$hash", warnings=warnings), "$6")
        self.assertEqual(warnings, ['The "saltsalt" variable is not set. Defaulting to a blank string.',
                                    'The "hash" variable is not set. Defaulting to a blank string.'])

    def test_variables_from_the_env_file(self):
        env = "FOO=first\nBAR=\n"
        self.assertEqual(self.cmd("$FOO-bar ${FOO}", env), "first-bar first")
        self.assertEqual(self.cmd("${MISSING:-def} ${MISSING-def} ${BAR:-def} ${BAR-def}|", env), "def def def |")
        self.assertEqual(self.cmd("${FOO:+alt} ${BAR:+alt} ${BAR+alt} ${MISSING+alt}|", env), "alt  alt |")
        self.assertEqual(self.cmd("${MISSING:-${FOO} $FOO}", env), "first first")
        self.assertEqual(self.cmd("${BAR:-/non:-alphanumeric}", env), "/non:-alphanumeric")
        self.assertEqual(self.cmd("${MISSING-myerror?msg}", env), "myerror?msg")

    def test_unset_variable_is_empty_with_a_warning(self):
        warnings = []
        self.assertEqual(self.cmd("a${NOPE}b$NOPE", warnings=warnings), "ab")
        self.assertEqual(warnings, ['The "NOPE" variable is not set. Defaulting to a blank string.'])

    def test_the_host_environment_is_not_used(self):
        os.environ["DPP_COMPOSE_HOST_ONLY"] = "leaked"
        try:
            self.assertEqual(self.cmd("${DPP_COMPOSE_HOST_ONLY}"), "")
        finally:
            del os.environ["DPP_COMPOSE_HOST_ONLY"]

    def test_a_dollar_not_starting_a_variable_stays(self):
        for text in ("a $ string", "^REGEX$", "$}", "$", "cost $5"):
            with self.subTest(text=text):
                self.assertEqual(self.cmd(text), text)

    def test_malformed_braces_are_errors(self):
        for text in ("${", "${}", "${ }", "${ foo}", "${foo }", "${foo!}"):
            with self.subTest(text=text), self.assertRaises(RunnerError) as cm:
                self.cmd(text)
            self.assertIn("invalid interpolation format for services.s.command.[]", str(cm.exception))
            self.assertIn("You may need to escape any $ with another $.", str(cm.exception))

    def test_required_variables(self):
        with self.assertRaisesRegex(RunnerError, "required variable NEED is missing a value: give it"):
            self.cmd("${NEED:?give it}")
        with self.assertRaisesRegex(RunnerError, "required variable NEED is missing a value$"):
            self.cmd("${NEED?}")
        with self.assertRaisesRegex(RunnerError, "required variable E is missing a value"):
            self.cmd("${E:?}", env="E=\n")
        self.assertEqual(self.cmd("${E?}|", env="E=\n"), "|")

    def test_keys_are_not_interpolated_and_ports_are(self):
        spec = one("services:\n  s:\n    image: x\n    environment:\n      $$KEY: v\n    ports:\n"
                   "      - \"${SSH_PORT:-2222}:22\"\n", env="SSH_PORT=2300\n")
        self.assertEqual(spec.env, (("$$KEY", "v"),))
        self.assertEqual(spec.ports, (PortBinding(2300, 22, "tcp", "127.0.0.1"),))


class DotenvTest(unittest.TestCase):
    def test_dotenv_forms(self):
        text = ("# comment\n\nexport A=1\nB = spaced value  # comment\nC=a#b\nD='single $A \\n'\n"
                "E=\"double $A\\nnext\"\nF=\"multi\nline\"\nG: yaml\nH=${A}x\nI\nJ=\n")
        self.assertEqual(parse_dotenv(text), {
            "A": "1", "B": "spaced value", "C": "a#b", "D": "single $A \\n", "E": "double 1\nnext",
            "F": "multi\nline", "G": "yaml", "H": "1x", "J": "",
        })

    def test_dotenv_values_written_by_dokploy(self):
        text = "AUTHORIZED_KEY=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI abc@host\nPASSWORD_HASH='$6$salt$x'\n"
        env = parse_dotenv(text)
        self.assertEqual(env["AUTHORIZED_KEY"], "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI abc@host")
        self.assertEqual(env["PASSWORD_HASH"], "$6$salt$x")


class ImageVariantTest(unittest.TestCase):
    def test_images_map_to_rootfs_variants(self):
        self.assertEqual(variant_for_image("debian:bookworm"), "full")
        self.assertEqual(variant_for_image("example/debian-bare:12"), "bare")
        self.assertEqual(variant_for_image("debian:bookworm", {"debian:bookworm": "bare"}), "bare")
        self.assertEqual(variant_for_image("x", {"x": "/some/rootfs"}), "/some/rootfs")


def _yaml_quote(s):
    return "'" + s.replace("'", "''") + "'"


if __name__ == "__main__":
    unittest.main()
