// One request to a shared address, and what its outcome means for the person who shares it.
#include "address_probe.hpp"

#include "dokploy_api.hpp"
#include "http_session.hpp"

namespace dpp::dokploy {
namespace {

constexpr uint32_t kProbeConnectMs = 5'000;
constexpr uint32_t kProbeReadMs = 10'000;

ProbeReport warn(std::string message, std::string fix) {
   return ProbeReport{DPP_CHECK_WARN, std::move(message), std::move(fix)};
}

ProbeReport from_answer(const SharedAddress& address, const HttpResponse& answer, const std::string& took) {
   const std::string status = "HTTP " + std::to_string(answer.status);
   // Traefik's own answers: no router for the host, or no server behind the router.
   if (answer.status == 404 && answer.body == "404 page not found\n")
      return warn(address.url + " reaches Traefik, which has no route for it (404 page not found)",
                  "Dokploy applies a compose workspace's domains when it deploys it: `devpod stop` and "
                  "`devpod up` again; check the domain on the service's Domains tab in Dokploy");
   if (answer.status == 502 || answer.status == 503 || answer.status == 504)
      return warn(address.url + " reaches Traefik, which gets no answer from port " +
                      std::to_string(address.port) + " of the workspace (" + status + ")",
                  "start the app on port " + std::to_string(address.port) +
                      ", listening on all interfaces (0.0.0.0), not only 127.0.0.1");
   return ProbeReport{DPP_CHECK_PASS, address.url + " answers (" + status + " in " + took + ")", ""};
}

ProbeReport from_failure(const SharedAddress& address, const TransportFailure& failure) {
   const std::string what = failure.what();
   if (what.find("cannot resolve") != std::string::npos)
      return warn(address.host + " does not resolve (" + what + ")",
                  "add a wildcard DNS record (*.<DOKPLOY_EXPOSE_DOMAIN>) that points at the Dokploy server");
   if (what.find("TLS") != std::string::npos) {
      // The transport's own advice is about Dokploy's certificate (DOKPLOY_CA_CERT): cut it off.
      const auto advice = what.find("): ");
      return warn(address.url + ": " + what.substr(0, advice == std::string::npos ? advice : advice + 1),
                  "Let's Encrypt issues the certificate once the DNS record points at the server and port "
                  "80 is reachable; until then Traefik serves its own default certificate (see Traefik's "
                  "log in Dokploy)");
   }
   return warn(address.url + " does not answer: " + what,
               "check that Dokploy's Traefik runs and that ports 80 and 443 of the server are open");
}

}  // namespace

ProbeReport probe_address(const SharedAddress& address, const Settings& settings) {
   try {
      const ServerUrl url = parse_server_url(address.url);
      std::optional<std::string> ca;
      if (settings.sharing.tls == AddressTls::custom) ca = settings.ca_cert;
      HttpSession session(url,
                          TlsSettings{.host = url.host, .ca_file = ca, .insecure = settings.tls_insecure},
                          kProbeConnectMs);
      const auto started = Clock::now();
      const HttpResponse answer =
          session.exchange("GET", "/", "", {{"Accept", "*/*"}, {"User-Agent", "dokploy-provider-doctor"}},
                           nullptr, kProbeReadMs, "GET " + address.url);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
      return from_answer(address, answer, std::to_string(ms) + " ms");
   } catch (const TransportFailure& failure) {
      return from_failure(address, failure);
   } catch (const std::exception& e) {
      return warn(address.url + " cannot be checked: " + e.what(), "see the message");
   }
}

}  // namespace dpp::dokploy
