# dokploy-provider workspace bootstrap: the main process of every workspace container.
# POSIX sh, idempotent (a restarted container runs it again), configured only through the
# environment the backend sets (DPP_SSH_*), so the script itself never changes and holds no
# secret. It ends by exec'ing sshd, so the container lives and dies with sshd.
set -eu

started=$(date +%s 2>/dev/null || echo 0)
log() {
	now=$(date +%s 2>/dev/null || echo 0)
	printf 'dokploy-provider bootstrap [+%ss]: %s\n' "$((now - started))" "$*" >&2
}
die() {
	log "error: $*"
	exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

ssh_port=${DPP_SSH_PORT:-2222}
user=${DPP_SSH_USER:-devpod}
authorized_key=${DPP_SSH_AUTHORIZED_KEY:-}
password_hash=${DPP_SSH_PASSWORD_HASH:-}
host_key=${DPP_SSH_HOST_KEY:-}
dockerd_mode=${DPP_DOCKERD:-auto}
config_dir=/etc/ssh/dokploy-provider

case $ssh_port in '' | *[!0-9]*) die "DPP_SSH_PORT='$ssh_port' is not a port number" ;; esac
case $user in '' | *[!a-z0-9_-]*) die "DPP_SSH_USER='$user' is not a plain user name" ;; esac
[ "$user" != root ] || die "refusing to let root log in over SSH"
[ -n "$host_key" ] || die "DPP_SSH_HOST_KEY is not set: the workspace cannot prove who it is"
[ -n "$authorized_key$password_hash" ] || die "neither DPP_SSH_AUTHORIZED_KEY nor DPP_SSH_PASSWORD_HASH is set"
[ "$(id -u)" = 0 ] || die "the bootstrap must run as root inside the container (it creates a user and starts sshd)"

# --- Stage 1: packages, only when missing, so images that have them start offline and fast.
sshd_path=
for candidate in /usr/sbin/sshd /usr/bin/sshd /sbin/sshd; do
	if [ -x "$candidate" ]; then sshd_path=$candidate; break; fi
done
missing=
[ -n "$sshd_path" ] || missing="$missing openssh-server"
have sudo || missing="$missing sudo"
have curl || have wget || missing="$missing curl"
if [ -n "$missing" ]; then
	log "stage 1/5: installing$missing"
	if have apt-get; then
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >&2 || die "apt-get update failed: the workspace needs the package mirror"
		# shellcheck disable=SC2086 # word splitting of the package list is intended
		apt-get install -y -qq --no-install-recommends $missing ca-certificates >&2 ||
			die "apt-get install$missing failed"
		rm -rf /var/lib/apt/lists/*
	elif have apk; then
		# shellcheck disable=SC2086
		apk add --no-cache $missing >&2 || die "apk add$missing failed"
	elif have dnf; then
		# shellcheck disable=SC2086
		dnf install -y -q $missing >&2 || die "dnf install$missing failed"
	elif have yum; then
		# shellcheck disable=SC2086
		yum install -y -q $missing >&2 || die "yum install$missing failed"
	else
		die "missing$missing and no apt-get, apk, dnf or yum to install it; use an image that has them"
	fi
	for candidate in /usr/sbin/sshd /usr/bin/sshd /sbin/sshd; do
		if [ -x "$candidate" ]; then sshd_path=$candidate; break; fi
	done
	[ -n "$sshd_path" ] || die "sshd is still missing after installing openssh-server"
else
	log "stage 1/5: openssh-server, sudo and curl are present"
fi

decode_base64() {
	if have base64; then base64 -d
	elif have openssl; then openssl base64 -d -A
	else die "neither base64 nor openssl is available to decode the host key"
	fi
}

# --- Stage 2: the login user, with passwordless sudo and a POSIX login shell.
log "stage 2/5: user $user"
if ! grep -q "^$user:" /etc/passwd; then
	if have useradd; then
		useradd --create-home --shell /bin/sh --user-group "$user" >&2 || die "useradd $user failed"
	elif have adduser; then
		adduser -D -s /bin/sh "$user" >&2 || die "adduser $user failed"
	else
		die "cannot create the user $user: no useradd or adduser in the image"
	fi
fi
home=$(awk -F: -v u="$user" '$1 == u { print $6 }' /etc/passwd)
[ -n "$home" ] || die "user $user has no home folder"
group=$(id -gn "$user")
# A fresh named volume mounted on the home folder belongs to root: give it to the user (the
# folder itself only; its contents are the user's already).
mkdir -p "$home"
chown "$user:$group" "$home"
chmod 0755 "$home"
if [ -d /etc/sudoers.d ] || mkdir -p /etc/sudoers.d; then
	printf '%s ALL=(ALL) NOPASSWD:ALL\n' "$user" >/etc/sudoers.d/90-dokploy-provider
	chmod 0440 /etc/sudoers.d/90-dokploy-provider
fi
if [ -f /etc/sudoers ] && ! grep -q '^[@#]includedir /etc/sudoers.d' /etc/sudoers; then
	printf '@includedir /etc/sudoers.d\n' >>/etc/sudoers
fi
if grep -q '^docker:' /etc/group 2>/dev/null; then
	if have usermod; then usermod -aG docker "$user" 2>/dev/null || true
	elif have addgroup; then addgroup "$user" docker 2>/dev/null || true
	fi
fi

# --- Stage 3: credentials. Only a hash or a public key ever reaches the workspace.
log "stage 3/5: credentials"
if [ -n "$password_hash" ]; then
	case $password_hash in '$6$'*) ;; *) die "DPP_SSH_PASSWORD_HASH is not a SHA-512 crypt hash" ;; esac
	printf '%s:%s\n' "$user" "$password_hash" | chpasswd -e || die "cannot set the password hash of $user"
else
	# A locked account ('!') is refused by sshd even for keys; '*' means "no password".
	printf '%s:*\n' "$user" | chpasswd -e || die "cannot unlock $user for key login"
fi
install -d -m 0700 -o "$user" -g "$group" "$home/.ssh"
if [ -n "$authorized_key" ]; then
	printf '%s\n' "$authorized_key" >"$home/.ssh/authorized_keys"
else
	: >"$home/.ssh/authorized_keys"
fi
chown "$user:$group" "$home/.ssh/authorized_keys"
chmod 0600 "$home/.ssh/authorized_keys"

umask 077
mkdir -p "$config_dir"
printf '%s' "$host_key" | decode_base64 >"$config_dir/ssh_host_ed25519_key" ||
	die "DPP_SSH_HOST_KEY is not valid base64"
chmod 0600 "$config_dir/ssh_host_ed25519_key"
umask 022

# Which Dokploy service this workspace is, for the auto-stop command DevPod's agent runs in
# here (provider.yaml agent.exec.shutdown). SSH sessions do not inherit the container's
# environment, hence a file. Not secret; a bad value only disables auto-stop.
service_kind=${DPP_DOKPLOY_SERVICE_KIND:-}
service_id=${DPP_DOKPLOY_SERVICE_ID:-}
rm -f /etc/dokploy-provider/service.env
case $service_kind:$service_id in
	: ) log "no DPP_DOKPLOY_SERVICE_ID: auto-stop cannot name this workspace's service" ;;
	compose:* | application:*)
		case $service_id in
			'' | *[!A-Za-z0-9_-]*) log "warning: DPP_DOKPLOY_SERVICE_ID='$service_id' is not a service id; auto-stop is off" ;;
			*)
				mkdir -p /etc/dokploy-provider
				printf 'DPP_DOKPLOY_SERVICE_KIND=%s\nDPP_DOKPLOY_SERVICE_ID=%s\n' "$service_kind" "$service_id" \
					>/etc/dokploy-provider/service.env
				chmod 0644 /etc/dokploy-provider/service.env
				;;
		esac
		;;
	*) log "warning: DPP_DOKPLOY_SERVICE_KIND='$service_kind' is neither compose nor application; auto-stop is off" ;;
esac

# --- Stage 4: a hardened sshd configuration of our own (the image's is left alone).
log "stage 4/5: sshd on port $ssh_port"
if [ -n "$password_hash" ]; then
	methods=password
	password_login=yes
	key_login=no
else
	methods=publickey
	password_login=no
	key_login=yes
fi
cat >"$config_dir/sshd_config" <<EOF
# Written by the dokploy-provider bootstrap at every container start.
Port $ssh_port
HostKey $config_dir/ssh_host_ed25519_key
PermitRootLogin no
AllowUsers $user
AuthenticationMethods $methods
PubkeyAuthentication $key_login
PasswordAuthentication $password_login
PermitEmptyPasswords no
KbdInteractiveAuthentication no
UsePAM no
AuthorizedKeysFile .ssh/authorized_keys
StrictModes yes
X11Forwarding no
AllowAgentForwarding no
PermitTunnel no
PermitUserEnvironment no
PrintMotd no
PrintLastLog no
ClientAliveInterval 30
ClientAliveCountMax 4
TCPKeepAlive yes
MaxStartups 100:30:200
MaxSessions 64
LoginGraceTime 60
LogLevel INFO
PidFile none
Subsystem sftp internal-sftp
EOF
mkdir -p /run/sshd /var/run/sshd 2>/dev/null || true
chmod 0755 /run/sshd 2>/dev/null || true
"$sshd_path" -t -f "$config_dir/sshd_config" || die "sshd refused the generated configuration"

# --- Stage 5: dockerd, when the image has it and the container may run it. SSH never waits.
privileged=no
cap_eff=$(sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status 2>/dev/null || true)
if [ -n "$cap_eff" ] && [ $(((0x$cap_eff >> 21) & 1)) = 1 ]; then privileged=yes; fi
if [ "$dockerd_mode" != off ] && have dockerd; then
	if [ "$privileged" = yes ]; then
		if [ -S /var/run/docker.sock ] && have docker && docker info >/dev/null 2>&1; then
			log "stage 5/5: dockerd already runs"
		else
			log "stage 5/5: starting dockerd in the background (log: /var/log/dockerd.log)"
			nohup dockerd >/var/log/dockerd.log 2>&1 &
		fi
	else
		log "stage 5/5: dockerd found but the container is not privileged; Docker will not work inside"
	fi
else
	log "stage 5/5: no dockerd to start"
fi

log "ready: exec $sshd_path"
exec "$sshd_path" -D -e -f "$config_dir/sshd_config"
