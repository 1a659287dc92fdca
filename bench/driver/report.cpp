// Formats the figures.
#include "report.hpp"

#include <fstream>
#include <sstream>

namespace dpp::bench {
namespace {

std::string summary(const Samples& samples, int decimals) {
   if (samples.empty()) return "—";
   if (samples.count() == 1 || samples.min() == samples.max()) return fixed(samples.median(), decimals);
   return fixed(samples.median(), decimals) + " (" + fixed(samples.min(), decimals) + "–" +
          fixed(samples.max(), decimals) + ")";
}

std::string verdict(const Figure& figure) {
   const auto met = figure.met();
   if (!met) return "—";
   return *met ? "yes" : "**no**";
}

std::string read_notes(const std::string& path) {
   if (path.empty()) return "";
   std::ifstream in(path);
   std::ostringstream text;
   text << in.rdbuf();
   return text.str();
}

}  // namespace

std::string results_table(const Suite& suite) {
   std::ostringstream out;
   out << "| figure | ours: median (min–max) | reference measured beside it: median (min–max) | ratio | target "
          "| met |\n"
       << "|---|---|---|---|---|---|\n";
   for (const Figure& figure : suite.figures) {
      const auto ratio = figure.ratio();
      out << "| " << figure.name << " | " << summary(figure.ours, figure.decimals) << " " << figure.unit << " | "
          << (figure.reference_name.empty()
                  ? "—"
                  : figure.reference_name + ": " + summary(figure.reference, figure.decimals) + " " + figure.unit)
          << " | " << (ratio ? fixed(*ratio, 2) + "×" : "—") << " | " << figure.target_text() << " | "
          << verdict(figure) << " |\n";
   }
   bool any_note = false;
   for (const Figure& figure : suite.figures)
      if (!figure.note.empty()) {
         if (!any_note) out << "\n";
         any_note = true;
         out << "- " << figure.name << ": " << figure.note << "\n";
      }
   if (!suite.remarks.empty()) {
      out << "\n";
      for (const auto& remark : suite.remarks) out << "- " << remark << "\n";
   }
   return out.str();
}

std::string benchmarks_markdown(const Suite& suite, const ReportContext& context) {
   std::ostringstream out;
   out << "# Benchmarks\n\n"
       << "Written by the benchmark suite (`bench/`), " << (suite.settings.quick ? "quick run" : "full run")
       << ". Every ratio compares the median of our runs with the median of a reference measured in the same "
          "run, the two interleaved run by run; absolute times vary between machines, ratios are what to "
          "compare.\n\n"
       << "## Machine and run\n\n"
       << "- CPU: " << context.machine.cpu << ", " << context.machine.cores << " cores, "
       << context.machine.memory << " memory\n"
       << "- Kernel: " << context.machine.kernel << "; Debian " << context.machine.debian << "\n"
       << "- Date: " << context.machine.date << "; the suite ran for " << context.duration << "\n"
       << "- Load average (1, 5, 15 min) at the start: " << context.load_at_start
       << "; at the end: " << context.load_at_end << "\n"
       << "- Measured: " << context.provider_text << "\n"
       << "- Command: " << context.command << "\n"
       << "- Runs: processes " << suite.settings.process.runs << " after " << suite.settings.process.warmup
       << " warm-up each; transfers " << suite.settings.transfer.runs << " after "
       << suite.settings.transfer.warmup << " warm-up (of 1/8 the size); create/delete cycles " << suite.settings.create.runs << " after "
       << suite.settings.create.warmup << "; echo round trips " << suite.settings.echo_lines
       << " per client after 20\n\n"
       << "## Results\n\n"
       << results_table(suite) << "\n";
   const std::string notes = read_notes(context.notes_file);
   if (!notes.empty()) out << notes << (notes.back() == '\n' ? "" : "\n") << "\n";
   out << "## Raw numbers\n\n";
   for (const Figure& figure : suite.figures) {
      out << "- " << figure.name << " (" << figure.unit << "): ours";
      for (double value : figure.ours.values()) out << " " << fixed(value, figure.decimals + 1);
      if (!figure.reference.empty()) {
         out << "; reference";
         for (double value : figure.reference.values()) out << " " << fixed(value, figure.decimals + 1);
      }
      out << "\n";
   }
   return out.str();
}

}  // namespace dpp::bench
