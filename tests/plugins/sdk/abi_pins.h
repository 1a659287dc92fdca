/* The frozen layout of ABI 1 on LP64 Linux (x86_64, aarch64): the size and every member offset
 * of each struct, and the value of each constant. Included by a C11 and by a C++20 translation
 * unit, so that both languages are held to the same numbers. A failure here means the ABI broke:
 * structs only grow at the end, in a new minor, and then this list grows with them. */
#ifndef DPP_TEST_ABI_PINS_H
#define DPP_TEST_ABI_PINS_H

#include <dpp/dpp.h>

#include <stddef.h>

#ifdef __cplusplus
#define DPP_PIN(condition, what) static_assert(condition, what)
#define DPP_MEMBER_SIZE(type, member) sizeof(type::member)
#else
#define DPP_PIN(condition, what) _Static_assert(condition, what)
#define DPP_MEMBER_SIZE(type, member) sizeof(((type*)0)->member)
#endif

#define DPP_PIN_SIZE(type, size) DPP_PIN(sizeof(type) == (size), "sizeof(" #type ") changed")
#define DPP_PIN_OFFSET(type, member, offset) \
   DPP_PIN(offsetof(type, member) == (offset), "offset of " #type "." #member " changed")
#define DPP_PIN_VALUE(name, value) DPP_PIN((name) == (value), #name " changed")

/* True where the pinned numbers apply. */
#if defined(__linux__) && defined(__LP64__) && (defined(__x86_64__) || defined(__aarch64__))
#define DPP_TEST_ABI_PINNED_PLATFORM 1
#else
#define DPP_TEST_ABI_PINNED_PLATFORM 0
#endif

/* ----- constants: the same on every platform ----- */
DPP_PIN_VALUE(DPP_ABI_VERSION_MAJOR, 1);
/* 1.0 is frozen (docs/plugin-authoring.md): an appended member bumps this, with its pins. */
DPP_PIN_VALUE(DPP_ABI_VERSION_MINOR, 0);
DPP_PIN_VALUE(DPP_ERROR_MESSAGE_CAPACITY, 2048);
DPP_PIN_VALUE(DPP_HOST_NAME_CAPACITY, 256);
DPP_PIN_VALUE(DPP_USER_NAME_CAPACITY, 64);
DPP_PIN_VALUE(DPP_HOST_KEY_CAPACITY, 1024);
DPP_PIN_VALUE(DPP_DETAIL_CAPACITY, 1024);
DPP_PIN_VALUE(DPP_SIGNAL_NAME_CAPACITY, 32);

/* Status codes never change meaning. */
DPP_PIN_VALUE(DPP_OK, 0);
DPP_PIN_VALUE(DPP_E_INVALID_ARGUMENT, -1);
DPP_PIN_VALUE(DPP_E_UNSUPPORTED, -2);
DPP_PIN_VALUE(DPP_E_NOT_FOUND, -3);
DPP_PIN_VALUE(DPP_E_CONFIG, -4);
DPP_PIN_VALUE(DPP_E_AUTH, -5);
DPP_PIN_VALUE(DPP_E_CONNECT, -6);
DPP_PIN_VALUE(DPP_E_TIMEOUT, -7);
DPP_PIN_VALUE(DPP_E_CANCELLED, -8);
DPP_PIN_VALUE(DPP_E_HOST_KEY_MISMATCH, -9);
DPP_PIN_VALUE(DPP_E_PROTOCOL, -10);
DPP_PIN_VALUE(DPP_E_REMOTE, -11);
DPP_PIN_VALUE(DPP_E_CONFLICT, -12);
DPP_PIN_VALUE(DPP_E_IO, -13);
DPP_PIN_VALUE(DPP_E_BUFFER_TOO_SMALL, -14);
DPP_PIN_VALUE(DPP_E_VERSION, -15);
DPP_PIN_VALUE(DPP_E_INTERNAL, -16);
DPP_PIN_VALUE(DPP_E_CONNECTION_LOST, -17);

DPP_PIN_VALUE(DPP_LOG_TRACE, 0);
DPP_PIN_VALUE(DPP_LOG_DEBUG, 1);
DPP_PIN_VALUE(DPP_LOG_INFO, 2);
DPP_PIN_VALUE(DPP_LOG_WARN, 3);
DPP_PIN_VALUE(DPP_LOG_ERROR, 4);
DPP_PIN_VALUE(DPP_LOG_CRITICAL, 5);

DPP_PIN_VALUE(DPP_OPTION_STRING, 0);
DPP_PIN_VALUE(DPP_OPTION_BOOLEAN, 1);
DPP_PIN_VALUE(DPP_OPTION_INTEGER, 2);
DPP_PIN_VALUE(DPP_OPTION_NUMBER, 3);
DPP_PIN_VALUE(DPP_OPTION_DURATION, 4);
DPP_PIN_VALUE(DPP_OPTION_SIZE, 5);
DPP_PIN_VALUE(DPP_OPTION_URL, 6);
DPP_PIN_VALUE(DPP_OPTION_PORT, 7);
DPP_PIN_VALUE(DPP_OPTION_ENUM, 8);
DPP_PIN_VALUE(DPP_OPTION_PATH, 9);
DPP_PIN_VALUE(DPP_OPTION_HOST, 10);
DPP_PIN_VALUE(DPP_OPTION_SECRET, 1);
DPP_PIN_VALUE(DPP_OPTION_REQUIRED, 2);

DPP_PIN_VALUE(DPP_WORKSPACE_NOT_FOUND, 0);
DPP_PIN_VALUE(DPP_WORKSPACE_STOPPED, 1);
DPP_PIN_VALUE(DPP_WORKSPACE_BUSY, 2);
DPP_PIN_VALUE(DPP_WORKSPACE_RUNNING, 3);
DPP_PIN_VALUE(DPP_WORKSPACE_FAILED, 4);
DPP_PIN_VALUE(DPP_WORKSPACE_PRIVILEGED, 1);
DPP_PIN_VALUE(DPP_WORKSPACE_KEEP_FAILED, 2);
DPP_PIN_VALUE(DPP_REMOVE_KEEP_VOLUMES, 1);
DPP_PIN_VALUE(DPP_CHECK_PASS, 0);
DPP_PIN_VALUE(DPP_CHECK_WARN, 1);
DPP_PIN_VALUE(DPP_CHECK_FAIL, 2);
DPP_PIN_VALUE(DPP_CHECK_SKIP, 3);

DPP_PIN_VALUE(DPP_CREDENTIAL_PRIVATE_KEY, 1);
DPP_PIN_VALUE(DPP_CREDENTIAL_PASSWORD, 2);
DPP_PIN_VALUE(DPP_AUTH_CREATE, 1);

/* Members that are fixed-size arrays. */
DPP_PIN(DPP_MEMBER_SIZE(dpp_error, message) == 2048, "dpp_error.message capacity changed");
DPP_PIN(DPP_MEMBER_SIZE(dpp_run_result, exit_signal) == DPP_SIGNAL_NAME_CAPACITY,
        "dpp_run_result.exit_signal capacity changed");
DPP_PIN(DPP_MEMBER_SIZE(dpp_workspace_info, ssh_host) == DPP_HOST_NAME_CAPACITY, "ssh_host capacity changed");
DPP_PIN(DPP_MEMBER_SIZE(dpp_workspace_info, ssh_user) == DPP_USER_NAME_CAPACITY, "ssh_user capacity changed");
DPP_PIN(DPP_MEMBER_SIZE(dpp_workspace_info, ssh_host_key) == DPP_HOST_KEY_CAPACITY,
        "ssh_host_key capacity changed");
DPP_PIN(DPP_MEMBER_SIZE(dpp_workspace_info, detail) == DPP_DETAIL_CAPACITY, "detail capacity changed");

/* Integers carried across the ABI have fixed widths. */
DPP_PIN(sizeof(dpp_status) == 4, "dpp_status is not 32 bits");

#if DPP_TEST_ABI_PINNED_PLATFORM
#define DPP_LAYOUT_SIZE(type, size) DPP_PIN_SIZE(type, size);
#define DPP_LAYOUT_OFFSET(type, member, offset) DPP_PIN_OFFSET(type, member, offset);
#include "abi_layout.def"
#undef DPP_LAYOUT_SIZE
#undef DPP_LAYOUT_OFFSET
#endif /* DPP_TEST_ABI_PINNED_PLATFORM */

#endif /* DPP_TEST_ABI_PINS_H */
