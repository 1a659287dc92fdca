// init: checks the configuration, the plugins and the platform, one clear line each: the report
// on `out`, the checks that failed on `failures_out` (DevPod shows init's stdout as information
// and its stderr as errors: `devpod provider add` must not show a passed check as an error).
#include "errors.hpp"
#include "lifecycle/check_printer.hpp"
#include "lifecycle/endpoint_checks.hpp"
#include "lifecycle/verbs.hpp"
#include "loader/plugin_instances.hpp"

namespace dpp::core {

int verb_init(Session& session, std::ostream& out, std::ostream& failures_out) {
   // All three roles: an unknown transport or auth plugin is a configuration mistake that
   // `devpod provider add` should reveal now, not at the first `devpod up`.
   session.configure({.backend = true, .transport = true, .auth = true});
   // A backend for machines it does not create pins their host key itself and can prove it now
   // (dpp_host.check_endpoint); there is no machine, so no key of our own to offer as default.
   offer_endpoint_checks(session, "");
   CheckPrinter printer(out, failures_out);
   printer.report("configuration", DPP_CHECK_PASS,
                  "options valid; backend " + session.backend().plugin().id() + ", transport " +
                      session.transport().plugin().id() + ", auth " + session.auth().plugin().id(),
                  "");
   dpp_error error = make_error();
   const dpp_status status = session.backend().check(&CheckPrinter::callback, &printer, error);
   if (status != DPP_OK && printer.failures() == 0)
      throw_plugin_failure(session.backend().plugin(), "check", status, error);
   if (printer.failures() > 0)
      throw ProviderError(status == DPP_E_CONFIG ? kExitUsage : kExitFailure, printer.first_failure());
   return kExitOk;
}

}  // namespace dpp::core
