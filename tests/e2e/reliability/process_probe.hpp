// What /proc says about processes, for the reliability tests: a process's resident memory and
// open descriptors (the soak), and the processes a test left behind (orphans), found by an
// environment mark, by ancestry, or by the SSH port they talk to.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace dpp::test::reliability {

struct ProcessSample {
   long rss_kib = 0;  // VmRSS
   int fds = 0;       // entries of /proc/<pid>/fd
};

// nullopt when the process is gone (or a zombie).
std::optional<ProcessSample> sample_process(pid_t pid);

// Every live (non-zombie) process whose environment holds `entry` ("NAME=value").
std::vector<pid_t> processes_with_environment(const std::string& entry);

// Every live process below `root` in the parent tree (not `root` itself).
std::vector<pid_t> descendants_of(pid_t root);

// Every live ssh, sshpass or ssh-keyscan process whose command line names one of `ports`
// (`-p N` or `host:N`): clients of the transports that outlived their provider.
std::vector<pid_t> ssh_clients_for_ports(int low, int high);

// "1234 (ssh) ssh -T … -p 40012 …": for failure messages.
std::string describe_process(pid_t pid);
std::string describe_processes(const std::vector<pid_t>& pids);

// The NUL-separated command line of a process, as a vector (empty when gone).
std::vector<std::string> command_line(pid_t pid);

}  // namespace dpp::test::reliability
