/* Linked into every executable of a sanitizer build (DPP_SANITIZE). ASAN_OPTIONS set by a caller
 * is parsed after these defaults, so it can still change them.
 *
 * intercept_tls_get_addr=0: GCC 12's sanitizer runtime (fixed in GCC 14 / LLVM 17) takes a dynamic
 * TLS block that happens to start 16 bytes into a page for a pre-2.25 glibc header and reads a
 * garbage range from the words before it. LeakSanitizer's exit-time tracer then scans that range
 * and dies ("Tracer caught signal 11"), failing a process that did nothing wrong. Our plugins are
 * dlopen'ed libraries with thread_local data (Poco, spdlog), so every process here has such
 * blocks, and where malloc places them decides whether the run fails. Without the interceptor the
 * blocks are still found: glibc allocates them with malloc and keeps them reachable from the
 * thread's DTV, which LeakSanitizer follows like any other heap pointer. */
const char *__asan_default_options(void);

const char *__asan_default_options(void) {
   return "intercept_tls_get_addr=0";
}
